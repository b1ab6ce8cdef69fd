package dev.wasmbridge.bench;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.function.Function;
import run.endive.compiler.MachineFactoryCompiler;
import run.endive.runtime.ImportValues;
import run.endive.runtime.Instance;
import run.endive.runtime.Machine;
import run.endive.wasi.WasiExitException;
import run.endive.wasi.WasiOptions;
import run.endive.wasi.WasiPreview1;
import run.endive.wasm.Parser;
import run.endive.wasm.WasmModule;

/**
 * The SQLite program in Endive 1.0.0 with its WASI preview 1 ({@code run.endive:wasi}): the module parsed
 * once, and for the compiler translated to JVM bytecode once (one machine factory for every instance);
 * per run a new {@link WasiPreview1} writing stdout and stderr to byte arrays, a new instance (without
 * running {@code _start} on build), {@code _start}.
 */
final class SqliteEndive implements SqliteRunner {
    private final String name;
    private final List<String> args;
    private final WasmModule module;
    private final Function<Instance, Machine> machine;

    /**
     * @param compiled the compiler to JVM bytecode, or else the interpreter
     * @param rows the rows the program inserts per run
     */
    SqliteEndive(boolean compiled, int rows) {
        args = List.of(SqliteRunner.args(rows));
        name = compiled ? "endiveCompiler" : "endiveInterpreter";
        module = Parser.parse(SqliteRunner.wasm());
        machine = compiled ? MachineFactoryCompiler.compile(module) : null;
    }

    @Override
    public String run() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        WasiOptions options = WasiOptions.builder().withStdout(out).withStderr(err)
                .withArguments(args).build();
        int status = 0;
        try (WasiPreview1 wasi = WasiPreview1.builder().withOptions(options).build()) {
            Instance.Builder b = Instance.builder(module)
                    .withImportValues(ImportValues.builder().addFunction(wasi.toHostFunctions()).build())
                    .withStart(false);
            if (machine != null) {
                b.withMachineFactory(machine);
            }
            b.build().export("_start").apply();
        } catch (WasiExitException e) {
            status = e.exitCode();
        }
        return SqliteRunner.result(name, status, out.toByteArray(), err.toByteArray());
    }
}
