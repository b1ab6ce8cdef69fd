package dev.wasmbridge.bench;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.function.Function;

/**
 * The SQLite program in Chicory 1.7.5 (the last Chicory, which Endive continues) with its WASI preview 1
 * ({@code com.dylibso.chicory:wasi}): the module parsed once, and for the compiler translated to JVM
 * bytecode once (one machine factory for every instance); per run a new {@link WasiPreview1} writing
 * stdout and stderr to byte arrays, a new instance (without running {@code _start} on build), {@code
 * _start}.
 */
final class SqliteChicory implements SqliteRunner {
    private final String name;
    private final List<String> args;
    private final WasmModule module;
    private final Function<Instance, Machine> machine;

    /**
     * @param compiled the compiler to JVM bytecode, or else the interpreter
     * @param rows the rows the program inserts per run
     */
    SqliteChicory(boolean compiled, int rows) {
        args = List.of(SqliteRunner.args(rows));
        name = compiled ? "chicoryCompiler" : "chicoryInterpreter";
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
