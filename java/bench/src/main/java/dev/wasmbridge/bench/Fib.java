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

/** Compute: Recursive Fibonacci, fib(20): 21891 wasm calls inside one call from Java. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xss4m", "-Dpolyglot.engine.WarnInterpreterOnly=false",
        "-Dpolyglotimpl.DisableClassPathIsolation=true"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class Fib {
    int n = Kernels.FIB_N;

    /** wasmbridge, typed view. */
    @Benchmark
    public int wasmbridge(Runtimes.WasmbridgeState s) {
        return s.w.fib.applyAsInt(n);
    }

    /** Endive's interpreter. */
    @Benchmark
    public long endiveInterpreter(Runtimes.EndiveInterpreterState s) {
        return s.e.fib.apply(n)[0];
    }

    /** Endive's bytecode compiler. */
    @Benchmark
    public long endiveCompiler(Runtimes.EndiveCompilerState s) {
        return s.e.fib.apply(n)[0];
    }

    /** Chicory 1.7.5's interpreter, as {@code endiveInterpreter}. */
    @Benchmark
    public long chicoryInterpreter(Runtimes.ChicoryInterpreterState s) {
        return s.c.fib.apply(n)[0];
    }

    /** Chicory 1.7.5's compiler, as {@code endiveCompiler}. */
    @Benchmark
    public long chicoryCompiler(Runtimes.ChicoryCompilerState s) {
        return s.c.fib.apply(n)[0];
    }

    /** GraalWasm (interpreter only on a stock JDK). */
    @Benchmark
    public int graalwasm(Runtimes.GraalState s) {
        return s.g.fib.execute(n).asInt();
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
        return s.g.fib.execute(n).asInt();
    }

    /** wasmtime-java. */
    @Benchmark
    public int wasmtimeJava(Runtimes.WasmtimeJavaState s) {
        return s.k.fib.call(n);
    }
}
