package dev.wasmbridge.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The plugin call ({@code tests/bench/plugin.c}): a Java {@code String} in, UTF-8 into the guest's own
 * allocator, a JSON field extraction and template fill in C, the result read back into a Java {@code String},
 * both guest buffers freed. Per-call overhead and copies dominate at 100 B; the guest's work at 10 KiB. The
 * Rust floor is {@code plugin.100} / {@code plugin.10240} of tools/bench-rust. Each row's operation is
 * {@link Plugins.Plugin#call(String)} of its runtime; the {@code wasmbridge...} rows after {@code wasmbridge}
 * are its other call paths and parts of the operation (breakdown). One fork of 3 + 5 iterations (as
 * SHA-256: the interpreters take milliseconds per operation at 10 KiB); about 5 minutes in all.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "-Dpolyglot.engine.WarnInterpreterOnly=false",
        "-Dpolyglotimpl.DisableClassPathIsolation=true"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PluginCall {
    /** The input's size in UTF-8 bytes. */
    @Param({"100", "10240"})
    int size;

    String json;

    /** Builds the input ({@link PluginJson#input(int)}). */
    @Setup
    public void setup() {
        json = PluginJson.input(size);
    }

    /**
     * wasmbridge's fastest public path: typed views for {@code alloc} and {@code dealloc}, the method handle
     * of {@code transform}, the {@code Memory.buffer()} view for the bytes.
     */
    @Benchmark
    public String wasmbridge(Plugins.WasmbridgeState s) {
        return s.p.call(json);
    }

    /**
     * Breakdown: as {@link #wasmbridge}, with {@code transform_packed} {@code (i64) -> i64} through the typed
     * view {@code as(LongUnaryOperator.class)}, what a typed shape for {@code (i32, i32) -> i64} would give.
     */
    @Benchmark
    public String wasmbridgePacked(Plugins.WasmbridgeState s) {
        return s.p.callPacked(json);
    }

    /** Breakdown: as {@link #wasmbridge}, copying with {@code Memory.write/read(long, byte[])} (JNI). */
    @Benchmark
    public String wasmbridgeCopy(Plugins.WasmbridgeState s) {
        return s.p.callCopy(json);
    }

    /**
     * Breakdown: the guest's work alone on wasmbridge ({@code transform} and {@code dealloc} of its result on
     * an input written once; no copy, no string).
     */
    @Benchmark
    public int wasmbridgeTransformOnly(Plugins.WasmbridgeState s) {
        return s.p.transformOnly(json);
    }

    /** Breakdown: the guest's work alone on Endive's compiler, as {@link #wasmbridgeTransformOnly}. */
    @Benchmark
    public int endiveCompilerTransformOnly(Plugins.EndiveCompilerState s) {
        return s.p.transformOnly(json);
    }

    /** Endive's interpreter. */
    @Benchmark
    public String endiveInterpreter(Plugins.EndiveInterpreterState s) {
        return s.p.call(json);
    }

    /** Endive's bytecode compiler. */
    @Benchmark
    public String endiveCompiler(Plugins.EndiveCompilerState s) {
        return s.p.call(json);
    }

    /** Chicory 1.7.5's bytecode compiler. */
    @Benchmark
    public String chicoryCompiler(Plugins.ChicoryCompilerState s) {
        return s.p.call(json);
    }

    /** GraalWasm (interpreter only on a stock JDK). */
    @Benchmark
    public String graalwasm(Plugins.GraalState s) {
        return s.p.call(json);
    }

    /**
     * GraalWasm compiled by Truffle with the Graal JIT, forked as {@code Sha256.graalwasmJit} (the Graal
     * compiler through JVMCI, polyglot as modules; run from the repository root).
     */
    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {"-Xss4m", "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
            "--upgrade-module-path=" + Graal.COMPILER_DIR, "--module-path=" + Graal.POLYGLOT_DIR,
            "--add-modules=org.graalvm.polyglot,org.graalvm.wasm"})
    @Warmup(iterations = 12, time = 2)
    public String graalwasmJit(Plugins.GraalJitState s) {
        return s.p.call(json);
    }

    /** wasmtime-java. */
    @Benchmark
    public String wasmtimeJava(Plugins.WasmtimeJavaState s) {
        return s.p.call(json);
    }
}
