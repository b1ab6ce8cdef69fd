package dev.wasmbridge.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
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
    /** The commands that work on a module file (help aside). */
    private static final List<String> COMMANDS = List.of("run", "serve", "inspect", "compile");

    private Main() {
    }

    /**
     * Runs the command line and exits the JVM with its exit status.
     *
     * @param args the command-line arguments, for example {@code run hello.wat Alice}
     */
    public static void main(String[] args) {
        String[] line = implicitRun(args);
        int status = commandLine(line).execute(line);
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /**
     * {@code args} with {@code run} in front when they do not start with a command or a top-level
     * option: {@code wasmbridge FILE ARGS} and {@code wasmbridge --dir . FILE} run FILE, as {@code
     * wasmtime FILE} does. A first word that is neither a command nor a file name (no dot or slash,
     * not an existing file) stays a command, so a mistyped one is reported as such.
     */
    static String[] implicitRun(String[] args) {
        if (args.length == 0) {
            return args;
        }
        String first = args[0];
        boolean command = COMMANDS.contains(first) || List.of("help", "-h", "--help", "-V", "--version").contains(first);
        boolean runOption = first.startsWith("-");
        boolean file = first.contains(".") || first.contains("/") || exists(first);
        if (command || !runOption && !file) {
            return args;
        }
        String[] withRun = new String[args.length + 1];
        withRun[0] = "run";
        System.arraycopy(args, 0, withRun, 1, args.length);
        return withRun;
    }

    private static boolean exists(String name) {
        try {
            return Files.exists(Path.of(name));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** The configured command line with every command, writing to stdout and stderr. */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The configured command line for {@code args}, writing to stdout and stderr: with only the
     * command {@code args} start with when that is {@code run}, {@code serve}, {@code inspect} or {@code compile}
     * (picocli builds a command's model when it is added: the others would only cost start-up
     * time), else with all of them (for help, and for the suggestion after a mistyped command).
     */
    static CommandLine commandLine(String[] args) {
        Failures failures = new Failures();
        CommandLine cmd = new CommandLine(new WasmbridgeCommand());
        String first = args.length > 0 ? args[0] : "";
        boolean all = !COMMANDS.contains(first);
        if (all || first.equals("run")) {
            cmd.addSubcommand(new RunCommand());
        }
        if (all || first.equals("serve")) {
            cmd.addSubcommand(new ServeCommand());
        }
        if (all || first.equals("inspect")) {
            cmd.addSubcommand(new InspectCommand());
        }
        if (all || first.equals("compile")) {
            cmd.addSubcommand(new CompileCommand());
        }
        if (all) {
            cmd.addSubcommand(new CommandLine.HelpCommand());
        }
        cmd.setExecutionExceptionHandler(failures);
        cmd.setParameterExceptionHandler(failures);
        // Everything after `run FILE` belongs to the program (or to --invoke's function), dashes included.
        if (cmd.getSubcommands().containsKey("run")) {
            cmd.getSubcommands().get("run").setStopAtPositional(true);
        }
        return cmd;
    }

    /** Runs the command line in this JVM with its output captured, for tests; returns the exit status. */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        String[] line = implicitRun(args);
        CommandLine cmd = commandLine(line);
        cmd.setOut(out);
        cmd.setErr(err);
        int status = cmd.execute(line);
        out.flush();
        err.flush();
        return status;
    }
}
