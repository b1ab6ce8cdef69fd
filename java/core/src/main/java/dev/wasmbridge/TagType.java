package dev.wasmbridge;

/**
 * An exception tag's type (exception-handling proposal): the signature of its payload.
 *
 * @param type the payload's parameter types (and no results)
 *
 * <p>Thread safety: immutable.
 */
public record TagType(FuncType type) implements ExternType {
    /**
     * Creates a tag type.
     *
     * @param type the payload signature
     * @throws NullPointerException if {@code type} is null
     */
    public TagType {
        java.util.Objects.requireNonNull(type, "type");
    }
}
