package dev.wasmbridge;

/**
 * The root of every failure that comes from WebAssembly or from Wasmtime: compilation, linking,
 * traps, and any other runtime failure. Unchecked, like all wasmbridge exceptions.
 *
 * <p>Misuse of the API is reported with the standard exceptions instead: {@link
 * IllegalArgumentException} for bad arguments, {@link IllegalStateException} for closed objects or a
 * store used from two threads, {@link IndexOutOfBoundsException} for addresses outside a memory or
 * table.
 *
 * <p>Thread safety: instances are immutable once thrown.
 */
public class WasmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong
     */
    public WasmException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public WasmException(String message, Throwable cause) {
        super(message, cause);
    }
}
