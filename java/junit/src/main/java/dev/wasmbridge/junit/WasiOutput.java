package dev.wasmbridge.junit;

import dev.wasmbridge.Store;
import java.nio.charset.StandardCharsets;

/**
 * What the test's WASI program has written so far to its standard output and standard error, captured in
 * memory. A parameter or field of this type turns WASI on for the test, even for a module that does not
 * import it.
 */
public final class WasiOutput {
    private final Store store;

    WasiOutput(Store store) {
        this.store = store;
    }

    /**
     * The bytes written to stdout so far.
     *
     * @return a copy of the captured bytes
     * @throws IllegalStateException after the test (its store is closed)
     */
    public byte[] stdoutBytes() {
        return store.capturedStdout();
    }

    /**
     * The bytes written to stderr so far.
     *
     * @return a copy of the captured bytes
     * @throws IllegalStateException after the test (its store is closed)
     */
    public byte[] stderrBytes() {
        return store.capturedStderr();
    }

    /**
     * The text written to stdout so far, decoded as UTF-8.
     *
     * @return the captured text
     * @throws IllegalStateException after the test (its store is closed)
     */
    public String stdout() {
        return new String(stdoutBytes(), StandardCharsets.UTF_8);
    }

    /**
     * The text written to stderr so far, decoded as UTF-8.
     *
     * @return the captured text
     * @throws IllegalStateException after the test (its store is closed)
     */
    public String stderr() {
        return new String(stderrBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "WasiOutput[stdout=" + stdoutBytes().length + " bytes, stderr=" + stderrBytes().length + " bytes]";
    }
}
