package dev.wasmbridge;

import java.util.OptionalLong;

/**
 * A table's type.
 *
 * @param element the reference type of its elements
 * @param minimum the minimum number of elements
 * @param maximum the maximum number of elements, if limited
 * @param is64 whether it is indexed with 64-bit addresses (memory64 proposal)
 *
 * <p>Thread safety: immutable.
 */
public record TableType(ValType element, long minimum, OptionalLong maximum, boolean is64) implements ExternType {
    /**
     * Creates a table type.
     *
     * @param element the element type; a reference type
     * @param minimum the minimum size
     * @param maximum the maximum size, if any
     * @param is64 whether it uses 64-bit indices
     * @throws NullPointerException if {@code element} or {@code maximum} is null
     */
    public TableType {
        java.util.Objects.requireNonNull(element, "element");
        java.util.Objects.requireNonNull(maximum, "maximum");
    }

    /**
     * The type in WebAssembly text form, such as {@code 1 10 funcref}.
     *
     * @return the text form
     */
    @Override
    public String toString() {
        return (is64 ? "i64 " : "") + Long.toUnsignedString(minimum)
                + (maximum.isPresent() ? " " + Long.toUnsignedString(maximum.getAsLong()) : "") + " " + element;
    }
}
