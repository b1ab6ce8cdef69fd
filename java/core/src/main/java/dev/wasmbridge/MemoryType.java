package dev.wasmbridge;

import java.util.OptionalLong;

/**
 * A linear memory's type. Sizes are in pages of {@link #pageSize()} bytes.
 *
 * @param minimum the minimum number of pages
 * @param maximum the maximum number of pages, if limited
 * @param is64 whether it is addressed with 64-bit addresses (memory64 proposal)
 * @param shared whether it is a shared memory (threads proposal)
 * @param pageSize the page size in bytes (65536 unless the custom-page-sizes proposal says otherwise)
 *
 * <p>Thread safety: immutable.
 */
public record MemoryType(long minimum, OptionalLong maximum, boolean is64, boolean shared, long pageSize)
        implements ExternType {
    /**
     * Creates a memory type.
     *
     * @param minimum the minimum pages
     * @param maximum the maximum pages, if any
     * @param is64 whether it uses 64-bit addresses
     * @param shared whether it is shared
     * @param pageSize the page size in bytes
     * @throws NullPointerException if {@code maximum} is null
     */
    public MemoryType {
        java.util.Objects.requireNonNull(maximum, "maximum");
    }

    /**
     * The type in WebAssembly text form, such as {@code 1 16}.
     *
     * @return the text form
     */
    @Override
    public String toString() {
        return (is64 ? "i64 " : "") + Long.toUnsignedString(minimum)
                + (maximum.isPresent() ? " " + Long.toUnsignedString(maximum.getAsLong()) : "")
                + (shared ? " shared" : "");
    }
}
