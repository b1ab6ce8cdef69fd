package dev.wasmbridge.cli;

import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wasmbridge compile}: precompiles a module to machine code, for {@code run} to load without compiling. */
@Command(name = "compile",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        headerHeading = "%n",
        header = "Precompiles a module to machine code that `wasmbridge run` loads without compiling.",
        synopsisHeading = "%nUsage: ",
        descriptionHeading = "%n",
        description = {
            "Writes Wasmtime's precompiled form of FILE (a .wasm or .wat module) to OUT. `wasmbridge run` and "
                    + "`wasmbridge inspect` accept the output in place of the module.",
            "",
            "The output only runs on the same wasmbridge version (so the same Wasmtime) and CPU features, and "
                    + "with the same settings: compile with --fuel to run with --fuel N, with "
                    + "--epoch-interruption to run with --timeout.",
            "",
            "A precompiled file is machine code that runs as it is, unchecked: run only files from a "
                    + "source you trust, such as your own build.",
        },
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:success",
            "1:OUT could not be written",
            "2:usage error; a module file that is missing or invalid",
        },
        footerHeading = "%nExample:%n",
        footer = {
            "  wasmbridge compile app.wasm -o app.cwasm && wasmbridge run app.cwasm",
        })
final class CompileCommand extends ModuleCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "The module: .wasm or .wat.")
    Path file;

    @Option(names = {"-o", "--output"}, order = 1, paramLabel = "OUT",
            description = "Where to write the precompiled module (default: FILE with the extension .cwasm).")
    Path output;

    @Option(names = "--fuel", order = 2, description = "Compile with fuel metering, for `run --fuel N`.")
    boolean fuel;

    @Option(names = "--epoch-interruption", order = 3, description = "Compile with deadline checks, for `run --timeout DURATION`.")
    boolean epochInterruption;

    @Override
    int execute() {
        if (ModuleFiles.kind(file) == ModuleFiles.Kind.PRECOMPILED) {
            throw CliException.usage(file + " is already precompiled; compile the .wasm or .wat it came from");
        }
        if (ModuleFiles.isComponent(file)) {
            throw CliException.usage(file + " is a component: wasmbridge compile precompiles core modules only "
                    + "(run the component as it is)");
        }
        Path out = output != null ? output : defaultOutput(file);
        if (out.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize())) {
            throw CliException.usage("the output would overwrite " + file + "; name another with -o OUT");
        }
        byte[] precompiled;
        try (Engine engine = Engine.create(EngineConfig.builder().fuel(fuel).epochInterruption(epochInterruption).build());
                Module module = ModuleFiles.load(engine, file, false)) {
            precompiled = module.serialize();
        }
        try {
            Files.write(out, precompiled);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such directory"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.FileSystemException ? ((java.nio.file.FileSystemException) e).getReason()
                    : e.getMessage();
            throw new CliException(CliException.RUNTIME, "cannot write " + out + ": " + why, e);
        }
        return 0;
    }

    /** {@code dir/name.wasm} becomes {@code dir/name.cwasm}; a name without extension gets {@code .cwasm} added. */
    static Path defaultOutput(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return file.resolveSibling(base + ".cwasm");
    }
}
