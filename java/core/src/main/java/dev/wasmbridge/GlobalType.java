package dev.wasmbridge;

/**
 * A global's type.
 *
 * @param content the type of the value it holds
 * @param mutable whether {@code global.set} (and {@link Global#set(Object)}) may change it
 *
 * <p>Thread safety: immutable.
 */
public record GlobalType(ValType content, boolean mutable) implements ExternType {
    /**
     * Creates a global type.
     *
     * @param content the value type
     * @param mutable whether it can be set
     * @throws NullPointerException if {@code content} is null
     */
    public GlobalType {
        java.util.Objects.requireNonNull(content, "content");
    }

    /**
     * The type in WebAssembly text form, such as {@code (mut i32)}.
     *
     * @return the text form
     */
    @Override
    public String toString() {
        return mutable ? "(mut " + content + ")" : content.toString();
    }
}
