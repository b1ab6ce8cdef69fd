package dev.wasmbridge.component;

/**
 * A WIT {@code result<T, E>}: either {@link Ok} with a value of type {@code T} or {@link Err} with one of
 * type {@code E}. The one result type of the Java API: in the typed bindings ({@link
 * ComponentInstance#bind(Class)}, generated code) and in the natural mapping ({@link
 * ComponentFunction#call(Object...)}'s results and arguments, host functions' arguments and results; there
 * {@code Result<Object, Object>}, the values natural ones). A side without a type in WIT ({@code result<_,
 * E>}, {@code result<T>}, {@code result}) is {@code Void} in Java, its value null. ({@link WitValue.Result}
 * is the exact model's node; {@link WitResult}, what {@code call(Object...)} returned before 0.1.0, is
 * deprecated.)
 *
 * <p>Thread safety: immutable if the value is.
 *
 * @param <T> the success value's type
 * @param <E> the error value's type
 */
public sealed interface Result<T, E> permits Result.Ok, Result.Err {
    /**
     * A success.
     *
     * @param <T> the success value's type
     * @param <E> the error value's type
     * @param value the value (null only for a side without a type)
     * @return the result
     */
    static <T, E> Result<T, E> ok(T value) {
        return new Ok<>(value);
    }

    /**
     * An error.
     *
     * @param <T> the success value's type
     * @param <E> the error value's type
     * @param error the error value (null only for a side without a type)
     * @return the result
     */
    static <T, E> Result<T, E> err(E error) {
        return new Err<>(error);
    }

    /**
     * Whether this is a success.
     *
     * @return true for {@link Ok}
     */
    boolean isOk();

    /**
     * A success.
     *
     * <p>Thread safety: immutable if the value is.
     *
     * @param <T> the success value's type
     * @param <E> the error value's type
     * @param value the value
     */
    record Ok<T, E>(T value) implements Result<T, E> {
        @Override
        public boolean isOk() {
            return true;
        }
    }

    /**
     * An error.
     *
     * <p>Thread safety: immutable if the value is.
     *
     * @param <T> the success value's type
     * @param <E> the error value's type
     * @param error the error value
     */
    record Err<T, E>(E error) implements Result<T, E> {
        @Override
        public boolean isOk() {
            return false;
        }
    }
}
