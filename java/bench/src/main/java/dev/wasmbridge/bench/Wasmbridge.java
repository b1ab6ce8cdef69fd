package dev.wasmbridge.bench;

import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.Function;
import dev.wasmbridge.Instance;
import dev.wasmbridge.InstancePre;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Memory;
import dev.wasmbridge.Module;
import dev.wasmbridge.PoolingConfig;
import dev.wasmbridge.Store;
import dev.wasmbridge.ValType;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;

/** The kernels instantiated in wasmbridge, with the objects every call path needs. */
final class Wasmbridge implements AutoCloseable {
    final Engine engine;
    final Store store;
    final Module calls;
    final Function add;
    final IntBinaryOperator addTyped;
    final IntUnaryOperator fib;
    final IntUnaryOperator sha256;
    final IntUnaryOperator matmul;
    final Memory shaMemory;
    final int inputPtr;
    final IntUnaryOperator hostLoopGeneric;
    final IntUnaryOperator hostLoopTyped;
    private final Linker linker;
    private final Linker genericLinker;
    private final Linker typedLinker;

    Wasmbridge() {
        engine = Engine.create();
        store = Store.create(engine);
        linker = Linker.create(engine);
        calls = Module.fromBytes(engine, Kernels.wasm("calls"));
        Instance c = linker.instantiate(store, calls);
        add = c.function("add");
        addTyped = add.as(IntBinaryOperator.class);
        fib = c.function("fib").as(IntUnaryOperator.class);
        try (Module m = Module.fromBytes(engine, Kernels.wasm("sha256"))) {
            Instance s = linker.instantiate(store, m);
            sha256 = s.function("sha256").as(IntUnaryOperator.class);
            shaMemory = s.memory("memory");
            inputPtr = (int) s.function("input_ptr").call()[0];
            shaMemory.write(inputPtr, Kernels.input());
        }
        try (Module m = Module.fromBytes(engine, Kernels.wasm("matmul"))) {
            matmul = linker.instantiate(store, m).function("matmul").as(IntUnaryOperator.class);
        }
        try (Module m = Module.fromBytes(engine, Kernels.wasm("host"))) {
            genericLinker = Linker.create(engine);
            genericLinker.defineFunction("env", "add", FuncType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32)),
                    (caller, args) -> new Object[] {(Integer) args[0] + (Integer) args[1]});
            hostLoopGeneric = genericLinker.instantiate(store, m).function("host_loop").as(IntUnaryOperator.class);
            typedLinker = Linker.create(engine);
            typedLinker.define("env", "add", IntBinaryOperator.class, (a, b) -> a + b);
            hostLoopTyped = typedLinker.instantiate(store, m).function("host_loop").as(IntUnaryOperator.class);
        }
    }

    /** A direct buffer of 1 MiB filled with the input. */
    static ByteBuffer directInput() {
        ByteBuffer b = ByteBuffer.allocateDirect(Kernels.MIB);
        b.put(Kernels.input()).clear();
        return b;
    }

    /** An engine with the pooling allocator at Wasmtime's default limits (as the Rust baseline). */
    static Engine pooledEngine() {
        return Engine.create(EngineConfig.builder().pooling(PoolingConfig.builder().build()).build());
    }

    /** A prepared {@code calls} module for per-request instantiation. */
    static InstancePre prepare(Engine engine, Module calls) {
        // The linker stays open (its Cleaner frees it): nothing here depends on closing it first.
        @SuppressWarnings("resource")
        Linker l = Linker.create(engine);
        return l.prepare(calls);
    }

    @Override
    public void close() {
        typedLinker.close();
        genericLinker.close();
        linker.close();
        store.close();
        calls.close();
        engine.close();
    }
}
