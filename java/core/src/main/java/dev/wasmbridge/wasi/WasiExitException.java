package dev.wasmbridge.wasi;

import dev.wasmbridge.WasmException;

/**
 * The WebAssembly program called WASI {@code proc_exit}: the call that was running ends here and
 * this exception carries the exit code, 0 included, so a caller can tell "exited" from "returned".
 *
 * <p>Thread safety: instances are immutable once thrown.
 */
public class WasiExitException extends WasmException {
    private static final long serialVersionUID = 1L;

    /** The code passed to {@code proc_exit}. */
    private final int exitCode;

    /**
     * Creates the exception for an exit code.
     *
     * @param exitCode the code passed to {@code proc_exit}
     */
    public WasiExitException(int exitCode) {
        super("wasm program exited with code " + exitCode);
        this.exitCode = exitCode;
    }

    /**
     * The code the program exited with.
     *
     * @return the exit code
     */
    public int exitCode() {
        return exitCode;
    }
}
