package dev.wasmbridge.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Compute: 128 x 128 double matrix multiply in linear memory (compiled from C, clang-14 -O2). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "-Dpolyglot.engine.WarnInterpreterOnly=false",
        "-Dpolyglotimpl.DisableClassPathIsolation=true"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class Matmul {
    int n = Kernels.MATMUL_N;

    /** wasmbridge, typed view. */
    @Benchmark
    public int wasmbridge(Runtimes.WasmbridgeState s) {
        return s.w.matmul.applyAsInt(n);
    }

    /** Endive's interpreter. */
    @Benchmark
    public long endiveInterpreter(Runtimes.EndiveInterpreterState s) {
        return s.e.matmul.apply(n)[0];
    }

    /**
     * Endive's bytecode compiler, with 8 warm-up iterations (the class's 3 suit the interpreters, seconds per
     * operation): in runs of 20 iterations without warm-up the compilers' times still fell by a quarter
     * after the 3rd iteration and were steady from about the 6th.
     */
    @Benchmark
    @Warmup(iterations = 8, time = 1)
    public long endiveCompiler(Runtimes.EndiveCompilerState s) {
        return s.e.matmul.apply(n)[0];
    }

    /** Chicory 1.7.5's interpreter, as {@code endiveInterpreter}. */
    @Benchmark
    public long chicoryInterpreter(Runtimes.ChicoryInterpreterState s) {
        return s.c.matmul.apply(n)[0];
    }

    /** Chicory 1.7.5's compiler, as {@code endiveCompiler} (8 warm-up iterations too). */
    @Benchmark
    @Warmup(iterations = 8, time = 1)
    public long chicoryCompiler(Runtimes.ChicoryCompilerState s) {
        return s.c.matmul.apply(n)[0];
    }

    /** GraalWasm (interpreter only on a stock JDK). */
    @Benchmark
    public int graalwasm(Runtimes.GraalState s) {
        return s.g.matmul.execute(n).asInt();
    }

    /**
     * GraalWasm compiled by Truffle with the Graal JIT: the Graal compiler 23.1 as the JVM's JVMCI compiler
     * and GraalWasm loaded as modules ({@link Runtimes.GraalJitState} checks that Truffle compiles), with
     * more warm-up for it to settle.
     */
    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {"-Xss4m", "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
            "--upgrade-module-path=" + Graal.COMPILER_DIR, "--module-path=" + Graal.POLYGLOT_DIR,
            "--add-modules=org.graalvm.polyglot,org.graalvm.wasm"})
    @Warmup(iterations = 12, time = 2)
    public int graalwasmJit(Runtimes.GraalJitState s) {
        return s.g.matmul.execute(n).asInt();
    }

    /** wasmtime-java. */
    @Benchmark
    public int wasmtimeJava(Runtimes.WasmtimeJavaState s) {
        return s.k.matmul.call(n);
    }
}
