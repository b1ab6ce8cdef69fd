package dev.wasmbridge.component;

/**
 * A {@code result} value as {@link ComponentFunction#call(Object...)} returned it before 0.1.0: success or
 * error, with the value of that side as a natural value (null where the side has no type).
 *
 * @deprecated The natural mapping now uses {@link Result} ({@code Result.ok(v)}, {@code Result.err(e)}),
 *     the type bound interfaces and generated bindings use: {@code call(Object...)} and host functions
 *     given natural values return and receive a {@link Result}. A {@code WitResult} is still taken as an
 *     argument or a host function's result, as the {@link Result} of the same side and value; a bound
 *     interface declares {@link Result} (a {@code WitResult} there is a {@link BindException}). It will
 *     be removed.
 *
 * <p>Thread safety: immutable if the value is.
 *
 * @param isOk whether it is the success case
 * @param value the value (natural mapping), or null
 */
@Deprecated(since = "0.1.0")
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
