package dev.wasmbridge.bench;

import java.util.function.IntBinaryOperator;
import dev.wasmbridge.internal.JniFloor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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

/** Call overhead: the trivial export {@code add(i32, i32) -> i32}, by every call path and runtime. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xss4m", "-Dpolyglot.engine.WarnInterpreterOnly=false",
        "-Dpolyglotimpl.DisableClassPathIsolation=true"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class TrivialCall {
    int a = 40;
    int b = 2;

    /** The limit: a static native method that does nothing (the floor of any JNI call). */
    @Benchmark
    public void jniNoop() {
        JniFloor.noop();
    }

    /** How many calls {@link #wasmtimeInLibrary} makes per JNI call. */
    static final int LOOP = 1000;

    /**
     * The limit for the typed call as a shared library meets it: Wasmtime's {@code TypedFunc::call} of the same
     * {@code add}, made {@value #LOOP} times by one JNI call from inside wasmbridge's native library
     * ({@code JniFloor.wasmtimeTypedLoop}); figures per wasm call. Unlike the Rust baseline (an executable),
     * Wasmtime's thread-locals go through {@code __tls_get_addr} here.
     */
    @Benchmark
    @OperationsPerInvocation(LOOP)
    public int wasmtimeInLibrary() {
        return JniFloor.wasmtimeTypedLoop(LOOP);
    }

    /**
     * Breakdown, not a call path: a copy of {@code Store.enter()}/{@code exit()}'s ownership protocol (a
     * {@code Thread.currentThread()} read, a CAS on the owner, a volatile read of the closed flag, a release
     * store), without any native call: what every wasmbridge call pays on the Java side.
     */
    @Benchmark
    public long breakdownOwnerCheck(OwnerReplica o) {
        long s = o.enter();
        try {
            return s;
        } finally {
            o.exit();
        }
    }

    /** Breakdown: the ownership protocol above around {@code JniFloor.noop()}. */
    @Benchmark
    public long breakdownOwnerCheckJniNoop(OwnerReplica o) {
        long s = o.enter();
        try {
            JniFloor.noop();
            return s;
        } finally {
            o.exit();
        }
    }

    /** {@code Function.call(Object...)}: boxed, checked against the signature. */
    @Benchmark
    public Object wasmbridgeGeneric(Runtimes.WasmbridgeState s) {
        return s.w.add.call(a, b)[0];
    }

    /** {@code Function.callRaw(long...)}: bits in and out, two arrays per call. */
    @Benchmark
    public long wasmbridgeRaw(Runtimes.WasmbridgeState s) {
        return s.w.add.callRaw(a, b)[0];
    }

    /** {@code Function.as(IntBinaryOperator.class)}: primitives only. */
    @Benchmark
    public int wasmbridgeTyped(Runtimes.WasmbridgeState s) {
        return s.w.addTyped.applyAsInt(a, b);
    }

    /** Endive's interpreter: {@code ExportFunction.apply(long...)}. */
    @Benchmark
    public long endiveInterpreter(Runtimes.EndiveInterpreterState s) {
        return s.e.add.apply(a, b)[0];
    }

    /** Endive's bytecode compiler. */
    @Benchmark
    public long endiveCompiler(Runtimes.EndiveCompilerState s) {
        return s.e.add.apply(a, b)[0];
    }

    /** Chicory 1.7.5's interpreter, as {@code endiveInterpreter}. */
    @Benchmark
    public long chicoryInterpreter(Runtimes.ChicoryInterpreterState s) {
        return s.c.add.apply(a, b)[0];
    }

    /** Chicory 1.7.5's compiler, as {@code endiveCompiler}. */
    @Benchmark
    public long chicoryCompiler(Runtimes.ChicoryCompilerState s) {
        return s.c.add.apply(a, b)[0];
    }

    /** GraalWasm, {@code Value.execute}. */
    @Benchmark
    public int graalwasm(Runtimes.GraalState s) {
        return s.g.add.execute(a, b).asInt();
    }

    /** A replica of {@code Store}'s owner protocol (dev.wasmbridge.Store, enter and exit), for the breakdown rows. */
    @State(Scope.Thread)
    public static class OwnerReplica {
        private static final VarHandle OWNER;
        private static final VarHandle CLOSED;

        static {
            try {
                OWNER = MethodHandles.lookup().findVarHandle(OwnerReplica.class, "owner", Thread.class);
                CLOSED = MethodHandles.lookup().findVarHandle(OwnerReplica.class, "closed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused") // through OWNER
        private volatile Thread owner;
        @SuppressWarnings("unused") // through CLOSED
        private volatile boolean closed;
        private int depth;
        private final long pointer = 42;

        long enter() {
            Thread me = Thread.currentThread();
            if (owner == me) {
                depth++;
                return pointer;
            }
            if (!OWNER.compareAndSet(this, null, me)) {
                throw new IllegalStateException("in use by another thread");
            }
            if ((boolean) CLOSED.getVolatile(this)) {
                OWNER.setVolatile(this, null);
                throw new IllegalStateException("closed");
            }
            depth = 1;
            return pointer;
        }

        void exit() {
            if (--depth == 0) {
                OWNER.setRelease(this, null);
            }
        }
    }

    /** wasmtime-java's typed wrapper (boxes). */
    @Benchmark
    public int wasmtimeJava(Runtimes.WasmtimeJavaState s) {
        return s.k.add.call(a, b);
    }
}
