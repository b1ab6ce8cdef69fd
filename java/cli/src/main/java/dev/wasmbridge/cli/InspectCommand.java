package dev.wasmbridge.cli;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Module;
import dev.wasmbridge.component.Component;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wasmbridge inspect}: prints a module's imports and exports with their types, or a component's WIT world. */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        headerHeading = "%n",
        header = "Prints a module's imports and exports with their types, or a component's WIT world.",
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
            "FILE may be a binary module, WebAssembly text, or (with --allow-precompiled: loading one maps its "
                    + "machine code, so only for files from a source you trust) a module precompiled by "
                    + "`wasmbridge compile`.",
            "",
            "For a component (binary or component WAT), the output is its world in WIT: the package, the "
                    + "interfaces and types it uses, and its imports and exports. A component whose WIT cannot be "
                    + "decoded is printed as its imports and exports with their types instead, one per line "
                    + "(an interface's items indented under it).",
        },
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:success",
            "2:usage error; a module or component file that is missing or invalid; a precompiled module "
                    + "without --allow-precompiled",
        },
        footerHeading = "%nExample:%n",
        footer = {
            "  $ wasmbridge inspect app.wat",
            "  import env.log: (func (param i32 i32))",
            "  export memory: memory 1 16",
            "  export add: (func (param i32 i32) (result i32))",
        })
final class InspectCommand extends ModuleCommand {
    @Option(names = "--allow-precompiled", order = 1,
            description = "Allow FILE to be a precompiled module (machine code from `wasmbridge compile`): only for "
                    + "files from a source you trust.")
    boolean allowPrecompiled;

    @Parameters(index = "0", paramLabel = "FILE", description = "The module or component: .wasm, .wat, or (with "
            + "--allow-precompiled) a precompiled module.")
    Path file;

    @Override
    int execute() {
        if (ModuleFiles.isComponent(file)) {
            try (Engine engine = Engine.create(); Component component = ModuleFiles.loadComponent(engine, file)) {
                for (String line : Components.inspect(component)) {
                    out().println(line);
                }
            }
            return 0;
        }
        try (Module module = ModuleFiles.loadAnySettings(file, allowPrecompiled)) {
            for (String line : Inspector.lines(module)) {
                out().println(line);
            }
        }
        return 0;
    }
}
