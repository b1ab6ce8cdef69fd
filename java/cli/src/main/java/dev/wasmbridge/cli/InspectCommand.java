package dev.wasmbridge.cli;

import dev.wasmbridge.Module;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code wasmbridge inspect}: prints a module's imports and exports with their types. */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        headerHeading = "%n",
        header = "Prints a module's imports and exports with their types.",
        synopsisHeading = "%nUsage: ",
        descriptionHeading = "%n",
        description = {
            "Output: one line per import, then one line per export, each in the module's order:",
            "",
            "  import MODULE.NAME: TYPE",
            "  export NAME: TYPE",
            "",
            "where TYPE is one of",
            "  (func (param T...) (result T...))   a function (empty lists left out)",
            "  memory [i64] MIN [MAX] [shared]     a memory; sizes in 64 KiB pages",
            "  table [i64] MIN [MAX] REFTYPE       a table; sizes in elements",
            "  global T | global (mut T)           a global",
            "  tag (func (param T...))             an exception tag",
            "and T is i32, i64, f32, f64, v128, funcref, externref, anyref or exnref.",
            "",
            "A name is written in double quotes (with \\\", \\\\ and \\u{hex} escapes) when it is empty or holds "
                    + "a space, a quote, a backslash, a colon or a control character; a module name also when it "
                    + "holds a dot.",
            "",
            "FILE may be a binary module, WebAssembly text, or a module precompiled by `wasmbridge compile`.",
        },
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:success",
            "2:usage error; a module file that is missing or invalid",
        },
        footerHeading = "%nExample:%n",
        footer = {
            "  $ wasmbridge inspect app.wat",
            "  import env.log: (func (param i32 i32))",
            "  export memory: memory 1 16",
            "  export add: (func (param i32 i32) (result i32))",
        })
final class InspectCommand extends ModuleCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "The module: .wasm, .wat, or precompiled.")
    Path file;

    @Override
    int execute() {
        try (Module module = ModuleFiles.loadAnySettings(file)) {
            for (String line : Inspector.lines(module)) {
                out().println(line);
            }
        }
        return 0;
    }
}
