package dev.wasmbridge.bench;

import dev.wasmbridge.Engine;
import dev.wasmbridge.InstancePre;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.wasi.WasiConfig;
import dev.wasmbridge.wasi.WasiExitException;

/**
 * The SQLite program in wasmbridge: the default engine, the module compiled once and prepared against a
 * linker with WASI preview 1 ({@link Linker#defineWasi()}); per run a new store with a WASI context that
 * captures stdout and stderr in memory, a new instance, {@code _start}.
 */
final class SqliteWasmbridge implements SqliteRunner {
    private final Engine engine;
    private final Module module;
    private final Linker linker;
    private final InstancePre pre;
    private final WasiConfig wasi;

    /** @param rows the rows the program inserts per run */
    SqliteWasmbridge(int rows) {
        engine = Engine.create();
        module = Module.fromBytes(engine, SqliteRunner.wasm());
        linker = Linker.create(engine).defineWasi();
        pre = linker.prepare(module);
        wasi = WasiConfig.builder().args(SqliteRunner.args(rows)).captureStdout().captureStderr().build();
    }

    @Override
    public String run() {
        try (Store store = Store.create(engine)) {
            store.setWasi(wasi);
            int status = 0;
            try {
                pre.instantiate(store).function("_start").call();
            } catch (WasiExitException e) {
                status = e.exitCode();
            }
            return SqliteRunner.result("wasmbridge", status, store.capturedStdout(), store.capturedStderr());
        }
    }

    @Override
    public void close() {
        pre.close();
        linker.close();
        module.close();
        engine.close();
    }
}
