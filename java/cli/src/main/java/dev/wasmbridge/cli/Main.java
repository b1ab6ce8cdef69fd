package dev.wasmbridge.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The {@code wasmbridge} command line: {@code run}, {@code inspect} and {@code compile} WebAssembly
 * modules with wasmbridge (Wasmtime inside the JVM). {@code wasmbridge --help} lists the commands,
 * {@code wasmbridge COMMAND --help} explains one.
 *
 * <p>Exit status: 0 on success (for {@code run}, the WASI program's own exit code), 1 when the module
 * traps or fails while running, 2 for a usage error or a module file that is missing, invalid or
 * cannot be linked. Errors are printed on stderr as {@code wasmbridge: error: ...}, with a Java stack
 * trace only under {@code --verbose}.
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the command line and exits the JVM with its exit status.
     *
     * @param args the command-line arguments, for example {@code run hello.wat Alice}
     */
    public static void main(String[] args) {
        int status = commandLine().execute(args);
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /** The configured command line, writing to stdout and stderr. */
    static CommandLine commandLine() {
        Failures failures = new Failures();
        CommandLine cmd = new CommandLine(new WasmbridgeCommand());
        cmd.setExecutionExceptionHandler(failures);
        cmd.setParameterExceptionHandler(failures);
        // Everything after `run FILE` belongs to the program (or to --invoke's function), dashes included.
        cmd.getSubcommands().get("run").setStopAtPositional(true);
        return cmd;
    }

    /** Runs the command line in this JVM with its output captured, for tests; returns the exit status. */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = commandLine();
        cmd.setOut(out);
        cmd.setErr(err);
        int status = cmd.execute(args);
        out.flush();
        err.flush();
        return status;
    }
}
