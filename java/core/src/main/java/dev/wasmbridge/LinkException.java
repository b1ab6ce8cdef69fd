package dev.wasmbridge;

/**
 * Instantiation or a linker definition failed for a reason other than a trap: an import that is
 * not defined, an import of the wrong type, a duplicate definition, or a resource limit.
 *
 * <p>Thread safety: instances are immutable once thrown.
 */
public class LinkException extends WasmException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what could not be linked
     */
    public LinkException(String message) {
        super(message);
    }
}
