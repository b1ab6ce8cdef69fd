package dev.wasmbridge.bench;

import java.util.function.IntBinaryOperator;
import dev.wasmbridge.Engine;
import dev.wasmbridge.Instance;
import dev.wasmbridge.InstancePre;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import io.github.kawamuray.wasmtime.WasmFunctions;
import io.github.kawamuray.wasmtime.WasmValType;
import java.util.Collections;
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
import org.graalvm.polyglot.Context;

/**
 * Per request: a fresh store (or context) with the small {@code calls} module instantiated in it, one call
 * of {@code add}, and everything freed again. The module is compiled once, outside the measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xss4m", "-Dpolyglot.engine.WarnInterpreterOnly=false",
        "-Dpolyglotimpl.DisableClassPathIsolation=true"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class Instantiate {

    /** {@code Linker.instantiate} into a new {@code Store}. */
    @Benchmark
    public int wasmbridgeLinker(WasmbridgeEngines e) {
        try (Store store = Store.create(e.engine)) {
            Instance i = e.linker.instantiate(store, e.calls);
            return i.function("add").as(IntBinaryOperator.class).applyAsInt(1, 2);
        }
    }

    /** {@code InstancePre.instantiate} ({@code Linker.prepare}: imports resolved once). */
    @Benchmark
    public int wasmbridgeInstancePre(WasmbridgeEngines e) {
        try (Store store = Store.create(e.engine)) {
            Instance i = e.pre.instantiate(store);
            return i.function("add").as(IntBinaryOperator.class).applyAsInt(1, 2);
        }
    }

    /** {@code InstancePre.instantiate} on an engine with the pooling allocator. */
    @Benchmark
    public int wasmbridgePooling(WasmbridgeEngines e) {
        try (Store store = Store.create(e.pooledEngine)) {
            Instance i = e.pooledPre.instantiate(store);
            return i.function("add").as(IntBinaryOperator.class).applyAsInt(1, 2);
        }
    }

    /** Part of the pooling row: instantiate and free, without the export lookup, the typed view and the call. */
    @Benchmark
    public Instance wasmbridgePoolingNoCall(WasmbridgeEngines e) {
        try (Store store = Store.create(e.pooledEngine)) {
            return e.pooledPre.instantiate(store);
        }
    }

    /** Part of the above: {@code Store.create} and {@code close} alone. */
    @Benchmark
    public Store wasmbridgeStoreOnly(WasmbridgeEngines e) {
        Store store = Store.create(e.engine);
        store.close();
        return store;
    }

    /** Endive's interpreter: a new {@code Instance} of the parsed module. */
    @Benchmark
    public long endiveInterpreter(Runtimes.EndiveInterpreterState s) {
        return s.e.newCalls().export("add").apply(1, 2)[0];
    }

    /** Endive's compiler: a new {@code Instance} with the module's machine factory (compiled once). */
    @Benchmark
    public long endiveCompiler(Runtimes.EndiveCompilerState s) {
        return s.e.newCalls().export("add").apply(1, 2)[0];
    }

    /** Chicory 1.7.5's interpreter, as {@code endiveInterpreter}. */
    @Benchmark
    public long chicoryInterpreter(Runtimes.ChicoryInterpreterState s) {
        return s.c.newCalls().export("add").apply(1, 2)[0];
    }

    /** Chicory 1.7.5's compiler, as {@code endiveCompiler}. */
    @Benchmark
    public long chicoryCompiler(Runtimes.ChicoryCompilerState s) {
        return s.c.newCalls().export("add").apply(1, 2)[0];
    }

    /** GraalWasm: a new context on the shared engine (code shared), the module evaluated in it. */
    @Benchmark
    public int graalwasm(Runtimes.GraalState s) {
        try (Context c = s.g.newContext()) {
            return c.eval(s.g.callsSource).getMember("add").execute(1, 2).asInt();
        }
    }

    /** wasmtime-java: a new {@code Store} and {@code Instance}. */
    @Benchmark
    public int wasmtimeJava(Runtimes.WasmtimeJavaState s) {
        try (io.github.kawamuray.wasmtime.Store<Void> store = new io.github.kawamuray.wasmtime.Store<>(null, s.k.engine);
                io.github.kawamuray.wasmtime.Instance i = new io.github.kawamuray.wasmtime.Instance(store, s.k.calls,
                        Collections.emptyList())) {
            return WasmFunctions.func(store, i.getFunc(store, "add").get(), WasmValType.I32, WasmValType.I32,
                    WasmValType.I32).call(1, 2);
        }
    }

    /** wasmbridge engines for per-request instantiation: the default one and one with the pooling allocator. */
    @State(Scope.Thread)
    public static class WasmbridgeEngines {
        Engine engine;
        Module calls;
        Linker linker;
        InstancePre pre;
        Engine pooledEngine;
        Module pooledCalls;
        InstancePre pooledPre;

        /** Compiles {@code calls} for both engines and prepares it. */
        @Setup(Level.Trial)
        public void setup() {
            engine = Engine.create();
            calls = Module.fromBytes(engine, Kernels.wasm("calls"));
            linker = Linker.create(engine);
            pre = linker.prepare(calls);
            pooledEngine = Wasmbridge.pooledEngine();
            pooledCalls = Module.fromBytes(pooledEngine, Kernels.wasm("calls"));
            pooledPre = Wasmbridge.prepare(pooledEngine, pooledCalls);
        }

        /** Frees them. */
        @TearDown(Level.Trial)
        public void tearDown() {
            pooledPre.close();
            pooledCalls.close();
            pooledEngine.close();
            pre.close();
            linker.close();
            calls.close();
            engine.close();
        }
    }
}
