package dev.wasmbridge.bench;

import io.github.kawamuray.wasmtime.Engine;
import io.github.kawamuray.wasmtime.Extern;
import io.github.kawamuray.wasmtime.Func;
import io.github.kawamuray.wasmtime.Instance;
import io.github.kawamuray.wasmtime.Memory;
import io.github.kawamuray.wasmtime.Module;
import io.github.kawamuray.wasmtime.Store;
import io.github.kawamuray.wasmtime.WasmFunctions;
import io.github.kawamuray.wasmtime.WasmValType;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;

/**
 * The kernels in kawamuray's wasmtime-java 0.19.0, another JNI binding of (a much older) Wasmtime. Its
 * typed function wrappers box their arguments and results.
 */
final class WasmtimeJava implements AutoCloseable {
    final Store<Void> store;
    final Engine engine;
    final Module calls;
    final WasmFunctions.Function2<Integer, Integer, Integer> add;
    final WasmFunctions.Function1<Integer, Integer> fib;
    final WasmFunctions.Function1<Integer, Integer> sha256;
    final WasmFunctions.Function1<Integer, Integer> matmul;
    final WasmFunctions.Function1<Integer, Integer> hostLoop;
    final ByteBuffer shaMemory;
    final int inputPtr;

    WasmtimeJava() {
        store = Store.withoutData();
        engine = store.engine();
        calls = new Module(engine, Kernels.wasm("calls"));
        Instance c = new Instance(store, calls, Collections.emptyList());
        add = WasmFunctions.func(store, c.getFunc(store, "add").get(), WasmValType.I32, WasmValType.I32, WasmValType.I32);
        fib = WasmFunctions.func(store, c.getFunc(store, "fib").get(), WasmValType.I32, WasmValType.I32);
        Instance s = new Instance(store, new Module(engine, Kernels.wasm("sha256")), Collections.emptyList());
        sha256 = WasmFunctions.func(store, s.getFunc(store, "sha256").get(), WasmValType.I32, WasmValType.I32);
        Memory memory = s.getMemory(store, "memory").get();
        shaMemory = memory.buffer(store);
        inputPtr = WasmFunctions.func(store, s.getFunc(store, "input_ptr").get(), WasmValType.I32).call();
        shaMemory.put(inputPtr, Kernels.input());
        Instance m = new Instance(store, new Module(engine, Kernels.wasm("matmul")), Collections.emptyList());
        matmul = WasmFunctions.func(store, m.getFunc(store, "matmul").get(), WasmValType.I32, WasmValType.I32);
        Func hostAdd = WasmFunctions.wrap(store, WasmValType.I32, WasmValType.I32, WasmValType.I32, (a, b) -> a + b);
        Instance h = new Instance(store, new Module(engine, Kernels.wasm("host")), List.of(Extern.fromFunc(hostAdd)));
        hostLoop = WasmFunctions.func(store, h.getFunc(store, "host_loop").get(), WasmValType.I32, WasmValType.I32);
    }

    @Override
    public void close() {
        store.close();
    }
}
