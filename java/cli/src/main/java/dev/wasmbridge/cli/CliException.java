package dev.wasmbridge.cli;

/**
 * A failure the person at the terminal can act on: printed as {@code wasmbridge: error: <message>} on
 * stderr, without a Java stack trace (unless {@code --verbose}), and the process exits with {@link
 * #exitCode()}.
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit code for a trap or another failure while wasm runs. */
    static final int RUNTIME = 1;
    /** Exit code for a usage error or an input file that cannot be used (missing, invalid, unlinkable). */
    static final int USAGE = 2;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A usage error or unusable input: exit code {@value #USAGE}. */
    static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
