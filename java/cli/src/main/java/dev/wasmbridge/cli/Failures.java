package dev.wasmbridge.cli;

import dev.wasmbridge.CompileException;
import dev.wasmbridge.LinkException;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.WasmException;
import dev.wasmbridge.wasi.WasiExitException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns failures into what a person reads on stderr, and the exit code: {@code wasmbridge: error:
 * <what went wrong>} (a trap adds its code and wasm backtrace), no Java stack trace unless {@code
 * --verbose}. Usage errors end with a pointer to {@code --help}.
 */
final class Failures implements IExecutionExceptionHandler, IParameterExceptionHandler {
    static final String PREFIX = "wasmbridge: error: ";

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        cmd.getOut().flush();
        boolean verbose = cmd.getCommand() instanceof ModuleCommand && ((ModuleCommand) cmd.getCommand()).verbose();
        int code;
        String message;
        boolean expected = true;
        if (ex instanceof CliException) {
            code = ((CliException) ex).exitCode();
            message = ex.getMessage();
        } else if (ex instanceof WasiExitException) {
            code = ((WasiExitException) ex).exitCode();
            message = null;
        } else if (ex instanceof TrapException) {
            code = CliException.RUNTIME;
            message = "wasm trapped: " + trap((TrapException) ex);
        } else if (ex instanceof CompileException) {
            code = CliException.USAGE;
            message = "invalid module: " + ex.getMessage();
        } else if (ex instanceof LinkException) {
            code = CliException.USAGE;
            message = "cannot link the module: " + ex.getMessage();
        } else if (ex instanceof WasmException) {
            code = CliException.RUNTIME;
            message = ex.getMessage();
        } else if (ex instanceof UncheckedIOException) {
            code = CliException.RUNTIME;
            message = ex.getMessage();
        } else {
            code = CliException.RUNTIME;
            message = "unexpected " + ex;
            expected = false;
        }
        if (message != null) {
            err.println(PREFIX + message);
        }
        if (verbose) {
            ex.printStackTrace(err);
        } else if (!expected) {
            err.println("(run with --verbose for the Java stack trace)");
        }
        err.flush();
        return code;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = ex.getMessage();
        if (ex instanceof UnmatchedArgumentException && !cmd.getSubcommands().isEmpty()
                && !((UnmatchedArgumentException) ex).getUnmatched().isEmpty()
                && !((UnmatchedArgumentException) ex).isUnknownOption()) {
            message = "unknown command '" + ((UnmatchedArgumentException) ex).getUnmatched().get(0) + "' (commands: "
                    + String.join(", ", cmd.getSubcommands().keySet()) + ")";
        }
        err.println(PREFIX + message);
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * A trap as text: its message, its {@link dev.wasmbridge.TrapCode} and the wasm backtrace, one
     * frame a line (what {@link TrapException#getMessage()} lists).
     */
    static String trap(TrapException t) {
        String message = t.getMessage();
        int nl = message.indexOf('\n');
        String first = nl < 0 ? message : message.substring(0, nl);
        if (first.startsWith("wasm trap: ")) { // Wasmtime's prefix; the callers say "trapped" already
            first = first.substring("wasm trap: ".length());
        }
        String rest = nl < 0 ? "" : message.substring(nl);
        // A trap without a code (a host function's failure, proc_exit with a refused code) is
        // described by its message alone.
        return first + (t.code() == TrapCode.UNKNOWN ? "" : " (trap code " + t.code() + ")") + rest;
    }
}
