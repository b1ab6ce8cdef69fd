package dev.wasmbridge.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wasm to Java round trip: {@code host_loop(1000)} calls the imported {@code env.add(i32, i32) -> i32}
 * 1000 times; figures are per host call. GraalWasm 23.1 cannot import Java functions (no row).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xss4m", "-Dpolyglot.engine.WarnInterpreterOnly=false",
        "-Dpolyglotimpl.DisableClassPathIsolation=true"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(Kernels.HOST_CALLS)
public class HostCall {
    int n = Kernels.HOST_CALLS;

    /** {@code Linker.defineFunction}: a {@code HostFunction} with boxed arguments and a {@code Caller}. */
    @Benchmark
    public int wasmbridgeGeneric(Runtimes.WasmbridgeState s) {
        return s.w.hostLoopGeneric.applyAsInt(n);
    }

    /** {@code Linker.define(.., IntBinaryOperator.class, ..)}: an {@code IntBinaryOperator} called with primitives. */
    @Benchmark
    public int wasmbridgeTyped(Runtimes.WasmbridgeState s) {
        return s.w.hostLoopTyped.applyAsInt(n);
    }

    /**
     * The typed host function with JNI upcalls forced ({@code -Dwasmbridge.upcalls=jni}): on JDK 17 the same as
     * {@link #wasmbridgeTyped}; on JDK 22+, where {@code wasmbridgeTyped} goes through an upcall stub of the
     * foreign function API, the JNI path it replaced, side by side.
     */
    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {"-Xss4m", "-Dwasmbridge.upcalls=jni"})
    public int wasmbridgeTypedJni(Runtimes.WasmbridgeState s) {
        return s.w.hostLoopTyped.applyAsInt(n);
    }

    /** Endive's interpreter: a {@code HostFunction} taking and returning {@code long[]}. */
    @Benchmark
    public long endiveInterpreter(Runtimes.EndiveInterpreterState s) {
        return s.e.hostLoop.apply(n)[0];
    }

    /** Endive's compiler. */
    @Benchmark
    public long endiveCompiler(Runtimes.EndiveCompilerState s) {
        return s.e.hostLoop.apply(n)[0];
    }

    /** Chicory 1.7.5's interpreter, as {@code endiveInterpreter}. */
    @Benchmark
    public long chicoryInterpreter(Runtimes.ChicoryInterpreterState s) {
        return s.c.hostLoop.apply(n)[0];
    }

    /** Chicory 1.7.5's compiler, as {@code endiveCompiler}. */
    @Benchmark
    public long chicoryCompiler(Runtimes.ChicoryCompilerState s) {
        return s.c.hostLoop.apply(n)[0];
    }

    /** wasmtime-java: {@code WasmFunctions.wrap} (boxes). */
    @Benchmark
    public int wasmtimeJava(Runtimes.WasmtimeJavaState s) {
        return s.k.hostLoop.call(n);
    }
}
