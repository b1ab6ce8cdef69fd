package dev.wasmbridge;

/**
 * The bytes or text given for a module are not valid WebAssembly: malformed binary, invalid WAT,
 * or a module that fails validation. The message says where (byte offset, or line and column).
 *
 * <p>Thread safety: instances are immutable once thrown.
 */
public class CompileException extends WasmException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what is invalid, and where
     */
    public CompileException(String message) {
        super(message);
    }
}
