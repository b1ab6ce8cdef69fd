package dev.wasmbridge.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every subcommand shares: {@code --verbose}, its output streams, and turning a native library
 * that cannot load into a readable error.
 */
abstract class ModuleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", order = 90, description = "On failure, also print the Java stack trace.")
    boolean verbose;

    /** Runs the command; see {@link #call()}. */
    abstract int execute() throws Exception;

    @Override
    public final Integer call() throws Exception {
        try {
            return execute();
        } catch (UnsatisfiedLinkError e) {
            throw new CliException(CliException.RUNTIME, "cannot load wasmbridge's native library: " + e.getMessage(), e);
        } finally {
            out().flush();
        }
    }

    /** Whether {@code --verbose} was given. */
    boolean verbose() {
        return verbose;
    }

    /** Where results go (stdout, or a test's writer). */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
