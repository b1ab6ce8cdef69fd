package dev.wasmbridge.cli;

import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.ExportType;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.Function;
import dev.wasmbridge.Instance;
import dev.wasmbridge.LinkException;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Module;
import dev.wasmbridge.OptLevel;
import dev.wasmbridge.Store;
import dev.wasmbridge.StoreLimits;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.ValType;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.component.ComponentFunction;
import dev.wasmbridge.component.ComponentInstance;
import dev.wasmbridge.component.ComponentLinker;
import dev.wasmbridge.wasi.WasiConfig;
import dev.wasmbridge.wasi.WasiExitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wasmbridge run}: runs a WASI command, or calls one exported function with {@code --invoke};
 * for a module or a component.
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        headerHeading = "%n",
        header = "Runs a WebAssembly module or component: a WASI command, or one function with --invoke.",
        synopsisHeading = "%nUsage: ",
        customSynopsis = {"wasmbridge run [OPTIONS] FILE [ARGS...]",
            "       wasmbridge run [OPTIONS] --invoke 'NAME(WAVE ARGS)' COMPONENT"},
        descriptionHeading = "%n",
        description = {
            "Without --invoke, FILE is run as a WASI command: its _start function is called with the WASI "
                    + "arguments [FILE's name, ARGS...], the --env variables (no others), the --dir directories, "
                    + "and this process's stdin, stdout and stderr. The exit code is the program's: the code it "
                    + "passed to proc_exit, or 0 when _start returns.",
            "",
            "With --invoke NAME, the exported function NAME is called with ARGS converted to its parameter "
                    + "types (i32/i64: decimal or 0x hex; f32/f64: 1.5, -2e-3, 0x1.8p1, nan, inf, -inf; v128: 0x "
                    + "and up to 32 hex digits; references: null), and each result is printed on its own line. "
                    + "WASI is still available to the module (an exported _initialize runs first).",
            "",
            "FILE is a binary module (.wasm) or WebAssembly text (.wat). A module precompiled by "
                    + "`wasmbridge compile` is machine code that runs as it is: it is refused (exit status 2) "
                    + "unless --allow-precompiled says you trust its source, as with `wasmtime run`.",
            "",
            "FILE may also be a component (binary, or text starting with `(component`). Without --invoke it "
                    + "runs as a WASI 0.2 command (its export wasi:cli/run), with the same arguments, --env, "
                    + "--dir and stdio; the exit code is 0 when it succeeds and 1 when it fails (WASI 0.2 "
                    + "programs exit with success or failure only, so a preview 1 build's exit code 3 is 1 "
                    + "here). With --invoke, the call is written in WAVE (the "
                    + "WebAssembly Value Encoding, as for `wasmtime run --invoke`): --invoke 'add(1, 2)', "
                    + "--invoke 'greet(\"Alice\")', --invoke 'my:pkg/iface#f([1, 2], {x: 1, y: 2}, some(red))'; "
                    + "the result is printed in WAVE on one line (nothing for a function without result).",
            "",
            "Everything after FILE is passed to the program, options included.",
            "",
            "Exit status compared with `wasmtime run`: a program's own exit code is the same (proc_exit with 0 "
                    + "to 125; a larger code is refused by both, here with exit status 1 and a message naming it); a trap "
                    + "is 1 here and 134 in Wasmtime; a file that cannot be loaded or linked is 2 here and 1 in "
                    + "Wasmtime; a bad option is 2 in both.",
        },
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:success; for a WASI command, its exit code (0 when _start returns, else what it passed to "
                    + "proc_exit; for a component, 0 or 1)",
            "1:the module trapped or failed while running (a trap, out of fuel, past --timeout); a component "
                    + "command whose run returned an error",
            "2:usage error; a module or component file that is missing, invalid or needs imports other than "
                    + "WASI's; a precompiled module without --allow-precompiled; --invoke arguments that do not "
                    + "parse",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  wasmbridge run hello.wat Alice",
            "  wasmbridge run --dir ./data::/data --env LANG=C app.wasm --input /data/in.txt",
            "  wasmbridge run --invoke add add.wat 40 2",
            "  wasmbridge run --invoke 'add(40, 2)' component.wasm",
            "  wasmbridge run --fuel 1000000 --timeout 10s plugin.wasm",
        })
final class RunCommand extends ModuleCommand {
    @Mixin
    RuntimeOptions options = new RuntimeOptions();

    @Option(names = "--invoke", order = 3, paramLabel = "NAME",
            description = "Call the exported function NAME with ARGS instead of running _start, and print its "
                    + "results. For a component: NAME(ARGS), the arguments in WAVE.")
    String invoke;

    @Option(names = "--allow-precompiled", order = 6,
            description = "Allow FILE to be a precompiled module (machine code from `wasmbridge compile`): only for "
                    + "files from a source you trust.")
    boolean allowPrecompiled;

    @Option(names = "--preload", order = 14, paramLabel = "NAME=PATH",
            description = "Instantiate the module at PATH first (with WASI) and let FILE import its exports from "
                    + "the module NAME. Repeatable; modules only.")
    List<String> preloads = new ArrayList<>();

    @Option(names = "--argv0", order = 15, paramLabel = "NAME",
            description = "The program's argv[0] (default: FILE's name).")
    String argv0;

    @Parameters(index = "0", paramLabel = "FILE", description = "The module or component: .wasm, .wat, or (with "
            + "--allow-precompiled) a precompiled module.")
    Path file;

    @Parameters(index = "1..*", paramLabel = "ARGS",
            description = "The program's arguments, or the function's with --invoke.")
    List<String> args = new ArrayList<>();

    @Override
    int execute() {
        options.parse(Map.of()); // -W max-memory-size among them: checked before anything is loaded
        OptionGroup w = options.w;
        boolean component = ModuleFiles.isComponent(file); // a missing file is reported before anything else
        WasiConfig wasiConfig;
        try {
            wasiConfig = wasi();
        } catch (IllegalArgumentException e) { // an --env name WASI cannot carry, say
            throw new CliException(CliException.USAGE, e.getMessage(), e);
        }
        EngineConfig config = options.engineConfig(false);
        if (component) {
            return runComponent(config, wasiConfig);
        }
        try (Engine engine = RuntimeOptions.engine(config);
                Module module = ModuleFiles.load(engine, file, allowPrecompiled);
                Linker linker = Linker.create(engine);
                Store store = Store.create(engine)) {
            String entry = invoke == null ? "_start" : invoke;
            FuncType type = exportedFunction(module, entry);
            Object[] callArgs = invoke == null ? new Object[0] : parseArgs(type);
            try {
                store.setWasi(wasiConfig);
            } catch (IllegalArgumentException e) { // a --dir that cannot be opened, say
                throw new CliException(CliException.USAGE, e.getMessage(), e);
            }
            linker.defineWasi();
            options.limit(store);
            preload(engine, linker, store);
            if (w.bool("unknown-imports-trap").orElse(false) || w.bool("trap-unknown-imports").orElse(false)) {
                linker.defineUnknownImportsAsTraps(module);
            }
            if (w.bool("unknown-imports-default").orElse(false)) {
                linker.defineUnknownImportsAsDefaultValues(store, module);
            }
            try {
                Instance instance = instantiate(linker, store, module);
                if (invoke != null && !invoke.equals("_initialize") && hasExport(module, "_initialize")) {
                    instance.function("_initialize").call();
                }
                Function function = instance.function(entry);
                Object[] results = function.call(callArgs);
                if (invoke != null) {
                    List<ValType> types = type.results();
                    for (int i = 0; i < results.length; i++) {
                        out().println(WasmValues.format(types.get(i), results[i]));
                    }
                }
                return 0;
            } catch (WasiExitException e) {
                return e.exitCode();
            } catch (TrapException e) {
                throw trap(e);
            }
        }
    }

    /** {@link #execute()} for a component: {@code wasi:cli/run}, or one function with a WAVE call. */
    private int runComponent(EngineConfig config, WasiConfig wasiConfig) {
        if (!preloads.isEmpty()) {
            throw CliException.usage("--preload is for modules; " + file + " is a component");
        }
        Components.Call call = invoke == null ? null : Components.parseCall(invoke, args);
        try (Engine engine = RuntimeOptions.engine(config);
                Component component = ModuleFiles.loadComponent(engine, file);
                ComponentLinker linker = ComponentLinker.create(engine);
                Store store = Store.create(engine)) {
            if (call != null) {
                Components.checkExport(component, file, call);
            } else if (!Components.isCommand(component)) {
                throw CliException.usage(file + " is a component that exports no wasi:cli/run, so it is not a WASI "
                        + "command; call one of its functions with --invoke 'NAME(ARGS)' ("
                        + Components.functionList(component) + ")");
            }
            try {
                store.setWasi(wasiConfig);
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.USAGE, e.getMessage(), e);
            }
            linker.defineWasi();
            options.limit(store);
            try {
                ComponentInstance instance;
                try {
                    instance = linker.instantiate(store, component);
                } catch (LinkException e) {
                    throw new CliException(CliException.USAGE, "cannot instantiate " + file + ": " + e.getMessage()
                            + "\n(wasmbridge run provides the WASI 0.2 imports, wasi:cli, wasi:io, wasi:clocks, "
                            + "wasi:filesystem, wasi:random and wasi:sockets, and nothing else)", e);
                }
                if (call == null) {
                    return instance.runCommand();
                }
                ComponentFunction function = call.iface() == null ? instance.function(call.name())
                        : instance.function(call.iface(), call.name());
                String result;
                try {
                    result = function.callWave(call.arguments());
                } catch (IllegalArgumentException e) {
                    throw new CliException(CliException.USAGE, e.getMessage().replace(
                            "call the function with call(Object...) instead", "wasmbridge run cannot pass it"), e);
                }
                if (result != null) {
                    out().println(result);
                }
                return 0;
            } catch (WasiExitException e) {
                return e.exitCode();
            } catch (TrapException e) {
                throw trap(e);
            }
        }
    }

    /**
     * Instantiates each {@code --preload NAME=PATH} module in {@code store} (with WASI and the
     * modules preloaded before it) and defines its exports as the import module {@code NAME}.
     */
    private void preload(Engine engine, Linker linker, Store store) {
        for (String p : preloads) {
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw CliException.usage("--preload " + p + ": expected NAME=PATH");
            }
            String name = p.substring(0, eq);
            Path path = Path.of(p.substring(eq + 1));
            if (ModuleFiles.isComponent(path)) {
                throw CliException.usage("--preload " + p + ": a component cannot be preloaded; modules only");
            }
            try (Module module = ModuleFiles.load(engine, path, allowPrecompiled)) {
                Instance instance;
                try {
                    instance = linker.instantiate(store, module);
                } catch (LinkException e) {
                    throw new CliException(CliException.USAGE, "cannot instantiate --preload " + p + ": "
                            + e.getMessage(), e);
                }
                try {
                    linker.defineInstance(store, name, instance);
                } catch (LinkException e) {
                    throw new CliException(CliException.USAGE, "--preload " + p + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private Instance instantiate(Linker linker, Store store, Module module) {
        try {
            return linker.instantiate(store, module);
        } catch (LinkException e) {
            throw new CliException(CliException.USAGE, "cannot instantiate " + file + ": " + e.getMessage()
                    + "\n(wasmbridge run provides the WASI preview 1 imports, wasi_snapshot_preview1, and nothing else)", e);
        }
    }

    private Object[] parseArgs(FuncType type) {
        try {
            return WasmValues.parseArgs(invoke, type, args);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, e.getMessage(), e);
        }
    }

    /**
     * The WASI context: the arguments (FILE's name, as Wasmtime gives it, then ARGS for a WASI
     * command), the --env variables only, the --dir directories, and this process's stdio.
     */
    private WasiConfig wasi() {
        List<String> argv = new ArrayList<>();
        Path name = file.getFileName();
        argv.add(argv0 != null ? argv0 : name == null ? file.toString() : name.toString());
        if (invoke == null) {
            argv.addAll(args);
        }
        WasiConfig.Builder b = WasiConfig.builder().args(argv).inheritStdin().inheritStdout().inheritStderr();
        options.wasi(b);
        return b.build();
    }

    /** The type of the exported function {@code name}, or a usage error that lists what is exported. */
    private FuncType exportedFunction(Module module, String name) {
        Optional<ExportType> export = module.exports().stream().filter(e -> e.name().equals(name)).findFirst();
        if (export.isPresent() && export.get().type() instanceof FuncType) {
            FuncType type = (FuncType) export.get().type();
            if (invoke == null && !(type.params().isEmpty() && type.results().isEmpty())) {
                throw CliException.usage(file + "'s _start is " + type + ", not (func), so it is not a WASI command;"
                        + " call it with --invoke _start ARGS...");
            }
            return type;
        }
        String functions = module.exports().stream().filter(e -> e.type() instanceof FuncType)
                .map(e -> Inspector.name(e.name())).collect(Collectors.joining(", "));
        String available = functions.isEmpty() ? "it exports no functions" : "its exported functions: " + functions;
        if (export.isPresent()) {
            throw CliException.usage("export '" + name + "' of " + file + " is a " + Inspector.kind(export.get().type())
                    + ", not a function (" + available + ")");
        }
        if (invoke == null) {
            throw CliException.usage(file + " has no _start function, so it is not a WASI command; call one of its "
                    + "functions with --invoke NAME (" + available + ")");
        }
        if (name.contains("(")) {
            throw CliException.usage(file + " is a core module, not a component: the WAVE call --invoke '" + name
                    + "' is for components; for a module give the function's name and its arguments after FILE, as in "
                    + "--invoke add FILE 1 2 (" + available + ")");
        }
        throw CliException.usage(file + " has no exported function '" + name + "' (" + available + ")");
    }

    private static boolean hasExport(Module module, String name) {
        return module.exports().stream().anyMatch(e -> e.name().equals(name) && e.type() instanceof FuncType);
    }

    /** A trap, said in terms of the options that caused it when fuel or the deadline ran out. */
    private CliException trap(TrapException e) {
        String what = Failures.trap(e);
        if (e.code() == TrapCode.OUT_OF_FUEL && options.fuel != null) {
            what = file + " ran out of fuel (--fuel " + options.fuel + "): " + what;
        } else if (e.code() == TrapCode.INTERRUPT && options.timeout != null) {
            what = file + " was stopped after --timeout " + Durations.format(options.timeout) + ": " + what;
        } else {
            what = file + " trapped: " + what;
        }
        return new CliException(CliException.RUNTIME, what, e);
    }
}
