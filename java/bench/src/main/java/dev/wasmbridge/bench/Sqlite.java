package dev.wasmbridge.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A real program: SQLite (the amalgamation of the libsqlite3-sys crate, clang-14 -O2 for wasm32-wasi, with
 * the driver {@code tests/bench/wasi/sqlite_bench.c}) inserting {@link SqliteRunner#ROWS} rows into an
 * in-memory database and querying them, run as a WASI preview 1 command by every runtime that has WASI
 * preview 1. One operation is one whole run: a new instance of the module (compiled once per trial), its
 * {@code _start} with the arguments, stdout captured (in memory, but in a file for wasmtime-java). The
 * per-runtime setup is in the {@code Sqlite*} classes; the states are here.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "-Dpolyglot.engine.WarnInterpreterOnly=false",
        "-Dpolyglotimpl.DisableClassPathIsolation=true"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class Sqlite {
    /** wasmbridge: {@code Linker.defineWasi}, a {@code WasiConfig} capturing stdout, an instance per run. */
    @Benchmark
    public String wasmbridge(WasmbridgeState s) {
        return s.r.run();
    }

    /** Endive's interpreter with Endive's WASI: seconds per run, so fewer iterations (each at least one run). */
    @Benchmark
    @Warmup(iterations = 2, time = 1)
    @Measurement(iterations = 3, time = 1)
    public String endiveInterpreter(EndiveInterpreterState s) {
        return s.r.run();
    }

    /**
     * Endive's compiler to JVM bytecode with Endive's WASI, with 8 warm-up iterations (as the compiler rows of
     * {@code Sha256}): with 3, its times still fell by a quarter during the measured iterations.
     */
    @Benchmark
    @Warmup(iterations = 8, time = 1)
    public String endiveCompiler(EndiveCompilerState s) {
        return s.r.run();
    }

    /** Chicory 1.7.5's compiler to JVM bytecode with Chicory's WASI (8 warm-up iterations too). */
    @Benchmark
    @Warmup(iterations = 8, time = 1)
    public String chicoryCompiler(ChicoryCompilerState s) {
        return s.r.run();
    }

    /** GraalWasm's interpreter (a stock JDK) with GraalWasm's built-in WASI: seconds per run, so fewer iterations (each at least one run). */
    @Benchmark
    @Warmup(iterations = 2, time = 1)
    @Measurement(iterations = 3, time = 1)
    public String graalwasm(GraalState s) {
        return s.r.run();
    }

    /**
     * GraalWasm compiled by Truffle with the Graal JIT, the forks of {@code Sha256.graalwasmJit} (started
     * from the repository root), with more warm-up for it to settle.
     */
    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {"-Xss4m", "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
            "--upgrade-module-path=" + Graal.COMPILER_DIR, "--module-path=" + Graal.POLYGLOT_DIR,
            "--add-modules=org.graalvm.polyglot,org.graalvm.wasm"})
    @Warmup(iterations = 12, time = 2)
    public String graalwasmJit(GraalJitState s) {
        return s.r.run();
    }

    /** kawamuray's wasmtime-java with its WASI (stdout through a file in /dev/shm). */
    @Benchmark
    public String wasmtimeJava(WasmtimeJavaState s) {
        return s.r.run();
    }

    /** wasmbridge's runner. */
    @State(Scope.Thread)
    public static class WasmbridgeState {
        SqliteRunner r;

        /** Compiles the module and prepares it against a WASI linker. */
        @Setup(Level.Trial)
        public void setup() {
            r = new SqliteWasmbridge(SqliteRunner.ROWS);
        }

        /** Frees the module, linker and engine. */
        @TearDown(Level.Trial)
        public void tearDown() {
            r.close();
        }
    }

    /** Endive's interpreter. */
    @State(Scope.Thread)
    public static class EndiveInterpreterState {
        SqliteRunner r;

        /** Parses the module. */
        @Setup(Level.Trial)
        public void setup() {
            r = new SqliteEndive(false, SqliteRunner.ROWS);
        }
    }

    /** Endive's compiler. */
    @State(Scope.Thread)
    public static class EndiveCompilerState {
        SqliteRunner r;

        /** Parses the module and compiles it to JVM bytecode. */
        @Setup(Level.Trial)
        public void setup() {
            r = new SqliteEndive(true, SqliteRunner.ROWS);
        }
    }

    /** Chicory's compiler. */
    @State(Scope.Thread)
    public static class ChicoryCompilerState {
        SqliteRunner r;

        /** Parses the module and compiles it to JVM bytecode. */
        @Setup(Level.Trial)
        public void setup() {
            r = new SqliteChicory(true, SqliteRunner.ROWS);
        }
    }

    /** GraalWasm, interpreted. */
    @State(Scope.Thread)
    public static class GraalState {
        SqliteRunner r;

        /** Makes the engine and the source. */
        @Setup(Level.Trial)
        public void setup() {
            r = new SqliteGraal(false, SqliteRunner.ROWS);
        }

        /** Closes the engine. */
        @TearDown(Level.Trial)
        public void tearDown() {
            r.close();
        }
    }

    /** GraalWasm with the Graal JIT (refuses to run interpreted). */
    @State(Scope.Thread)
    public static class GraalJitState {
        SqliteRunner r;

        /** Makes the engine and the source. */
        @Setup(Level.Trial)
        public void setup() {
            r = new SqliteGraal(true, SqliteRunner.ROWS);
        }

        /** Closes the engine. */
        @TearDown(Level.Trial)
        public void tearDown() {
            r.close();
        }
    }

    /** wasmtime-java. */
    @State(Scope.Thread)
    public static class WasmtimeJavaState {
        SqliteRunner r;

        /** Compiles the module. */
        @Setup(Level.Trial)
        public void setup() {
            r = new SqliteWasmtimeJava(SqliteRunner.ROWS);
        }

        /** Frees the module and engine, removes the stdout file. */
        @TearDown(Level.Trial)
        public void tearDown() {
            r.close();
        }
    }
}
