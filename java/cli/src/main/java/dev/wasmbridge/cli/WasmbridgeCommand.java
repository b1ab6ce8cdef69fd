package dev.wasmbridge.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level {@code wasmbridge} command: only subcommands, {@code --help} and {@code --version}. */
@Command(name = "wasmbridge",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        headerHeading = "%n",
        header = "Runs WebAssembly on the JVM with Wasmtime.",
        synopsisHeading = "%nUsage: ",
        synopsisSubcommandLabel = "COMMAND",
        customSynopsis = {"wasmbridge [OPTIONS] COMMAND",
            "       wasmbridge [RUN OPTIONS] FILE [ARGS...]   (the same as wasmbridge run ..., as with wasmtime FILE)"},
        commandListHeading = "%nCommands:%n",
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:success (for `run`, the WASI program's own exit code)",
            "1:the module trapped or failed while running",
            "2:usage error; a module file that is missing, invalid or cannot be linked",
        },
        footerHeading = "%n",
        footer = "Run 'wasmbridge COMMAND --help' for a command's options.")
// The commands (run, serve, inspect, compile, help) are added by Main.commandLine, only those a command line needs.
final class WasmbridgeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: run, serve, inspect, compile or help");
    }
}
