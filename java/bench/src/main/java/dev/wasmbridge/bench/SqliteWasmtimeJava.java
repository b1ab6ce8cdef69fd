package dev.wasmbridge.bench;

import io.github.kawamuray.wasmtime.Engine;
import io.github.kawamuray.wasmtime.Extern;
import io.github.kawamuray.wasmtime.Linker;
import io.github.kawamuray.wasmtime.Module;
import io.github.kawamuray.wasmtime.Store;
import io.github.kawamuray.wasmtime.wasi.WasiCtx;
import io.github.kawamuray.wasmtime.wasi.WasiCtxBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/**
 * The SQLite program in kawamuray's wasmtime-java 0.19 (Wasmtime 7.0.1) with its WASI preview 1 ({@code
 * WasiCtx}): one engine and the module compiled once; per run a new WASI context, store and linker (its
 * WASI is defined per linker), the module instantiated through the linker and {@code _start} called. Its
 * WASI can send stdout only to a file ({@code WasiCtxBuilder.stdout(Path)}), not to memory: each run writes
 * a fresh file in {@code /dev/shm} (memory-backed; the temporary directory where there is none) and reads it
 * back, which costs it a file creation, a few writes and a read per run that the other rows do not pay.
 */
final class SqliteWasmtimeJava implements SqliteRunner {
    private final Engine engine;
    private final Module module;
    private final String[] args;
    private final Path dir;
    private final Path stdout;
    private final Path stderr;

    /** @param rows the rows the program inserts per run */
    SqliteWasmtimeJava(int rows) {
        engine = new Engine();
        module = new Module(engine, SqliteRunner.wasm());
        args = SqliteRunner.args(rows);
        try {
            Path shm = Paths.get("/dev/shm");
            dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "sqlite-bench")
                    : Files.createTempDirectory("sqlite-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stdout = dir.resolve("stdout");
        stderr = dir.resolve("stderr");
    }

    @Override
    public String run() {
        try {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            Files.createFile(stdout);
            Files.createFile(stderr);
            WasiCtx wasi = new WasiCtxBuilder().args(Arrays.asList(args)).stdout(stdout).stderr(stderr).build();
            try (Store<Void> store = new Store<>(null, engine, wasi); Linker linker = new Linker(engine)) {
                WasiCtx.addToLinker(linker);
                linker.module(store, "", module);
                Extern start = linker.get(store, "", "_start").orElseThrow();
                start.func().call(store);
            } catch (RuntimeException e) {
                // A proc_exit with a status other than 0 (main returning 0 does not call it) is a trap here.
                throw new IllegalStateException("wasmtimeJava: sqlite_bench failed: " + e.getMessage() + ": "
                        + Files.readString(stderr).strip(), e);
            }
            return SqliteRunner.result("wasmtimeJava", 0, Files.readAllBytes(stdout), new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        module.close();
        engine.close();
        try {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
