package dev.wasmbridge.component;

/**
 * A {@code result} value in the natural mapping of {@link ComponentFunction#call(Object...)}: success
 * or error, with the value of that side as a natural value (null where the side has no type).
 *
 * <p>Thread safety: immutable if the value is.
 *
 * @param isOk whether it is the success case
 * @param value the value (natural mapping), or null
 */
public record WitResult(boolean isOk, Object value) {
    /**
     * A success.
     *
     * @param value the value, or null for {@code result<_, E>} and {@code result}
     * @return the result
     */
    public static WitResult ok(Object value) {
        return new WitResult(true, value);
    }

    /**
     * An error.
     *
     * @param value the value, or null for {@code result<T>} and {@code result}
     * @return the result
     */
    public static WitResult err(Object value) {
        return new WitResult(false, value);
    }
}
