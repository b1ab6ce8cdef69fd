package dev.wasmbridge.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Functions;
import dev.wasmbridge.Instance;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Memory;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import io.github.kawamuray.wasmtime.WasmFunctions;
import io.github.kawamuray.wasmtime.WasmValType;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.function.IntUnaryOperator;
import java.util.function.LongUnaryOperator;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The plugin-call workload ({@code tests/bench/plugin.c}) in every runtime: one class per runtime with the
 * operation {@link Plugin#call(String)} (Java {@code String} to UTF-8, the guest's {@code alloc}, the bytes
 * written into linear memory, {@code transform}, the result's bytes read back, {@code new String(.., UTF_8)},
 * {@code dealloc} of both buffers), and one JMH state per runtime, set up once per trial.
 */
public final class Plugins {
    private Plugins() {
    }

    /** One runtime's instance of the plugin module. */
    interface Plugin extends AutoCloseable {
        /**
         * The plugin call.
         *
         * @param json the input
         * @return the guest's result
         * @throws PluginJson.PluginException with the guest's error code on bad input
         */
        String call(String json);

        /**
         * The size of the guest's linear memory, in bytes (the allocator's reuse keeps it constant).
         *
         * @return the size now
         */
        long memoryBytes();

        @Override
        default void close() {
        }
    }

    /**
     * wasmbridge through its fastest public calls: typed views ({@code as(IntUnaryOperator.class)} for
     * {@code alloc}, {@code as(Functions.IntBiConsumer.class)} for {@code dealloc},
     * {@code as(Functions.IntBiToLongFunction.class)} for {@code transform}), and the bytes through the
     * zero-copy {@link Memory#buffer()} view (no JNI per copy).
     * The other call paths of the same instance are breakdown rows of {@link PluginCall}.
     */
    static final class Wasmbridge implements Plugin {
        final Engine engine;
        final Store store;
        final Linker linker;
        final Memory memory;
        final IntUnaryOperator alloc;
        final Functions.IntBiConsumer dealloc;
        final Functions.IntBiToLongFunction transform;
        final LongUnaryOperator transformPacked;
        ByteBuffer view;

        Wasmbridge() {
            engine = Engine.create();
            store = Store.create(engine);
            linker = Linker.create(engine);
            try (Module m = Module.fromBytes(engine, Kernels.wasm("plugin"))) {
                Instance i = linker.instantiate(store, m);
                memory = i.memory("memory");
                alloc = i.function("alloc").as(IntUnaryOperator.class);
                dealloc = i.function("dealloc").as(Functions.IntBiConsumer.class);
                transform = i.function("transform").as(Functions.IntBiToLongFunction.class);
                transformPacked = i.function("transform_packed").as(LongUnaryOperator.class);
            }
            view = memory.buffer();
        }

        /** The view over the whole memory, taken again when the guest's memory has grown past it. */
        private ByteBuffer view(int ptr, int len) {
            ByteBuffer v = view;
            if (Integer.toUnsignedLong(ptr) + len > v.capacity()) {
                v = view = memory.buffer();
            }
            return v;
        }

        private int allocIn(byte[] in) {
            int ptr = alloc.applyAsInt(in.length);
            if (ptr == 0) {
                throw new PluginJson.PluginException(PluginJson.ERR_MEMORY);
            }
            return ptr;
        }

        /** The fastest path: typed views, the buffer view. */
        @Override
        public String call(String json) {
            byte[] in = json.getBytes(UTF_8);
            int ptr = allocIn(in);
            view(ptr, in.length).put(ptr, in);
            long r = transform.applyAsLong(ptr, in.length);
            dealloc.accept(ptr, in.length);
            return readResult(r);
        }

        /**
         * As {@link #call(String)}, with {@code transform_packed} {@code (i64) -> i64} through the typed
         * {@code as(LongUnaryOperator.class)}: what a typed shape for {@code (i32, i32) -> i64} would give.
         */
        String callPacked(String json) {
            byte[] in = json.getBytes(UTF_8);
            int ptr = allocIn(in);
            view(ptr, in.length).put(ptr, in);
            long r = transformPacked.applyAsLong((long) ptr << 32 | in.length);
            dealloc.accept(ptr, in.length);
            return readResult(r);
        }

        /** As {@link #call(String)}, with the copies through {@code Memory.write/read(long, byte[])} (JNI). */
        String callCopy(String json) {
            byte[] in = json.getBytes(UTF_8);
            int ptr = allocIn(in);
            memory.write(ptr, in);
            long r = transform.applyAsLong(ptr, in.length);
            dealloc.accept(ptr, in.length);
            int outPtr = PluginJson.resultPtr(r);
            int outLen = (int) r;
            byte[] out = memory.read(outPtr, outLen);
            dealloc.accept(outPtr, outLen);
            return new String(out, UTF_8);
        }

        private String readResult(long r) {
            int outPtr = PluginJson.resultPtr(r);
            int outLen = (int) r;
            byte[] out = new byte[outLen];
            view(outPtr, outLen).get(outPtr, out);
            dealloc.accept(outPtr, outLen);
            return new String(out, UTF_8);
        }

        private String preparedJson;
        private int preparedPtr;
        private int preparedLen;

        /**
         * Breakdown: the guest's part alone. The input is written once (kept allocated for the next calls
         * with the same string); each call runs {@code transform} and {@code dealloc} of its result, no copy.
         *
         * @param json the input
         * @return the result's length
         */
        int transformOnly(String json) {
            if (json != preparedJson) {
                byte[] in = json.getBytes(UTF_8);
                if (preparedJson != null) {
                    dealloc.accept(preparedPtr, preparedLen);
                }
                preparedPtr = allocIn(in);
                preparedLen = in.length;
                memory.write(preparedPtr, in);
                preparedJson = json;
            }
            long r = transformRaw(preparedPtr, preparedLen);
            int outPtr = PluginJson.resultPtr(r);
            dealloc.accept(outPtr, (int) r);
            return (int) r;
        }

        /**
         * {@code transform} called directly (for the error path of a range outside memory).
         *
         * @param ptr the input's address
         * @param len its length
         * @return the packed result
         */
        long transformRaw(int ptr, int len) {
            return transform.applyAsLong(ptr, len);
        }

        @Override
        public long memoryBytes() {
            return memory.byteSize();
        }

        @Override
        public void close() {
            linker.close();
            store.close();
            engine.close();
        }
    }

    /**
     * Endive 1.0.0, interpreted or compiled to JVM bytecode: {@code ExportFunction.apply(long...)}, memory
     * copies with {@code Memory.write(int, byte[])} and {@code readBytes(int, int)} (linear memory is a Java
     * byte array).
     */
    static final class EndivePlugin implements Plugin {
        final run.endive.runtime.Memory memory;
        final run.endive.runtime.ExportFunction alloc;
        final run.endive.runtime.ExportFunction dealloc;
        final run.endive.runtime.ExportFunction transform;

        EndivePlugin(boolean compiled) {
            run.endive.wasm.WasmModule m = run.endive.wasm.Parser.parse(Kernels.wasm("plugin"));
            run.endive.runtime.Instance i = Endive.instantiate(m,
                    compiled ? run.endive.compiler.MachineFactoryCompiler.compile(m) : null, null);
            memory = i.memory();
            alloc = i.export("alloc");
            dealloc = i.export("dealloc");
            transform = i.export("transform");
        }

        @Override
        public String call(String json) {
            byte[] in = json.getBytes(UTF_8);
            int ptr = (int) alloc.apply(in.length)[0];
            if (ptr == 0) {
                throw new PluginJson.PluginException(PluginJson.ERR_MEMORY);
            }
            memory.write(ptr, in);
            long r = transform.apply(ptr, in.length)[0];
            dealloc.apply(ptr, in.length);
            int outPtr = PluginJson.resultPtr(r);
            int outLen = (int) r;
            byte[] out = memory.readBytes(outPtr, outLen);
            dealloc.apply(outPtr, outLen);
            return new String(out, UTF_8);
        }

        private String preparedJson;
        private int preparedPtr;
        private int preparedLen;

        /**
         * Breakdown: the guest's part alone, as {@link Wasmbridge#transformOnly(String)}.
         *
         * @param json the input
         * @return the result's length
         */
        int transformOnly(String json) {
            if (json != preparedJson) {
                byte[] in = json.getBytes(UTF_8);
                if (preparedJson != null) {
                    dealloc.apply(preparedPtr, preparedLen);
                }
                preparedPtr = (int) alloc.apply(in.length)[0];
                preparedLen = in.length;
                memory.write(preparedPtr, in);
                preparedJson = json;
            }
            long r = transform.apply(preparedPtr, preparedLen)[0];
            int outPtr = PluginJson.resultPtr(r);
            dealloc.apply(outPtr, (int) r);
            return (int) r;
        }

        @Override
        public long memoryBytes() {
            return memory.pages() * 65536L;
        }
    }

    /** Chicory 1.7.5 (the last Chicory before Endive) compiled to JVM bytecode: the same API as Endive's. */
    static final class ChicoryPlugin implements Plugin {
        final com.dylibso.chicory.runtime.Memory memory;
        final com.dylibso.chicory.runtime.ExportFunction alloc;
        final com.dylibso.chicory.runtime.ExportFunction dealloc;
        final com.dylibso.chicory.runtime.ExportFunction transform;

        ChicoryPlugin() {
            com.dylibso.chicory.wasm.WasmModule m = com.dylibso.chicory.wasm.Parser.parse(Kernels.wasm("plugin"));
            com.dylibso.chicory.runtime.Instance i = com.dylibso.chicory.runtime.Instance.builder(m)
                    .withMachineFactory(com.dylibso.chicory.compiler.MachineFactoryCompiler.compile(m))
                    .build();
            memory = i.memory();
            alloc = i.export("alloc");
            dealloc = i.export("dealloc");
            transform = i.export("transform");
        }

        @Override
        public String call(String json) {
            byte[] in = json.getBytes(UTF_8);
            int ptr = (int) alloc.apply(in.length)[0];
            if (ptr == 0) {
                throw new PluginJson.PluginException(PluginJson.ERR_MEMORY);
            }
            memory.write(ptr, in);
            long r = transform.apply(ptr, in.length)[0];
            dealloc.apply(ptr, in.length);
            int outPtr = PluginJson.resultPtr(r);
            int outLen = (int) r;
            byte[] out = memory.readBytes(outPtr, outLen);
            dealloc.apply(outPtr, outLen);
            return new String(out, UTF_8);
        }

        @Override
        public long memoryBytes() {
            return memory.pages() * 65536L;
        }
    }

    /**
     * GraalWasm 23.1 through the polyglot API: {@code Value.execute}, and the bytes moved 8 at a time with
     * {@code writeBufferLong} / {@code readBufferLong} (its polyglot API has no bulk copy), the tail bytewise.
     */
    static final class GraalPlugin implements Plugin {
        final org.graalvm.polyglot.Engine engine;
        final Context context;
        final Value memory;
        final Value alloc;
        final Value dealloc;
        final Value transform;

        /**
         * @param jit whether Truffle must compile (the {@code graalwasmJit} rows)
         * @throws IllegalStateException if {@code jit} and the Truffle runtime is the interpreter
         */
        GraalPlugin(boolean jit) {
            engine = org.graalvm.polyglot.Engine.newBuilder("wasm").option("engine.WarnInterpreterOnly", "false")
                    .build();
            if (jit && engine.getImplementationName().equals("Interpreted")) {
                engine.close();
                throw new IllegalStateException("GraalWasm runs interpreted in this JVM: the JIT rows need"
                        + " -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path="
                        + Graal.COMPILER_DIR + " --module-path=" + Graal.POLYGLOT_DIR
                        + " --add-modules=org.graalvm.polyglot,org.graalvm.wasm (run from the repository root)");
            }
            context = Context.newBuilder("wasm").engine(engine).build();
            Value i = context.eval(Graal.source("plugin"));
            memory = i.getMember("memory");
            alloc = i.getMember("alloc");
            dealloc = i.getMember("dealloc");
            transform = i.getMember("transform");
        }

        @Override
        public String call(String json) {
            byte[] in = json.getBytes(UTF_8);
            int ptr = alloc.execute(in.length).asInt();
            if (ptr == 0) {
                throw new PluginJson.PluginException(PluginJson.ERR_MEMORY);
            }
            ByteBuffer src = ByteBuffer.wrap(in).order(Graal.LE);
            int k = 0;
            for (; k + 8 <= in.length; k += 8) {
                memory.writeBufferLong(Graal.LE, ptr + k, src.getLong(k));
            }
            for (; k < in.length; k++) {
                memory.writeBufferByte(ptr + k, in[k]);
            }
            long r = transform.execute(ptr, in.length).asLong();
            dealloc.executeVoid(ptr, in.length);
            int outPtr = PluginJson.resultPtr(r);
            int outLen = (int) r;
            byte[] out = new byte[outLen];
            ByteBuffer dst = ByteBuffer.wrap(out).order(Graal.LE);
            k = 0;
            for (; k + 8 <= outLen; k += 8) {
                dst.putLong(k, memory.readBufferLong(Graal.LE, outPtr + k));
            }
            for (; k < outLen; k++) {
                out[k] = memory.readBufferByte(outPtr + k);
            }
            dealloc.executeVoid(outPtr, outLen);
            return new String(out, UTF_8);
        }

        @Override
        public long memoryBytes() {
            return memory.getBufferSize();
        }

        @Override
        public void close() {
            context.close();
            engine.close();
        }
    }

    /**
     * kawamuray's wasmtime-java 0.19: its typed wrappers ({@code WasmFunctions.func} / {@code consumer}, which
     * box) and its direct {@code ByteBuffer} view of memory.
     */
    static final class WasmtimeJavaPlugin implements Plugin {
        final io.github.kawamuray.wasmtime.Store<Void> store;
        final io.github.kawamuray.wasmtime.Memory memory;
        final WasmFunctions.Function1<Integer, Integer> alloc;
        final WasmFunctions.Consumer2<Integer, Integer> dealloc;
        final WasmFunctions.Function2<Integer, Integer, Long> transform;
        ByteBuffer view;

        WasmtimeJavaPlugin() {
            store = io.github.kawamuray.wasmtime.Store.withoutData();
            io.github.kawamuray.wasmtime.Module m = new io.github.kawamuray.wasmtime.Module(store.engine(),
                    Kernels.wasm("plugin"));
            io.github.kawamuray.wasmtime.Instance i = new io.github.kawamuray.wasmtime.Instance(store, m,
                    Collections.emptyList());
            memory = i.getMemory(store, "memory").get();
            alloc = WasmFunctions.func(store, i.getFunc(store, "alloc").get(), WasmValType.I32, WasmValType.I32);
            dealloc = WasmFunctions.consumer(store, i.getFunc(store, "dealloc").get(), WasmValType.I32,
                    WasmValType.I32);
            transform = WasmFunctions.func(store, i.getFunc(store, "transform").get(), WasmValType.I32,
                    WasmValType.I32, WasmValType.I64);
            view = memory.buffer(store);
        }

        private ByteBuffer view(int ptr, int len) {
            if (Integer.toUnsignedLong(ptr) + len > view.capacity()) {
                view = memory.buffer(store);
            }
            return view;
        }

        @Override
        public String call(String json) {
            byte[] in = json.getBytes(UTF_8);
            int ptr = alloc.call(in.length);
            if (ptr == 0) {
                throw new PluginJson.PluginException(PluginJson.ERR_MEMORY);
            }
            view(ptr, in.length).put(ptr, in);
            long r = transform.call(ptr, in.length);
            dealloc.accept(ptr, in.length);
            int outPtr = PluginJson.resultPtr(r);
            int outLen = (int) r;
            byte[] out = new byte[outLen];
            view(outPtr, outLen).get(outPtr, out);
            dealloc.accept(outPtr, outLen);
            return new String(out, UTF_8);
        }

        @Override
        public long memoryBytes() {
            return memory.dataSize(store);
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /** wasmbridge, the default engine. */
    @State(Scope.Thread)
    public static class WasmbridgeState {
        Wasmbridge p;

        /** Compiles and instantiates the plugin. */
        @Setup(Level.Trial)
        public void setup() {
            p = new Wasmbridge();
        }

        /** Frees everything. */
        @TearDown(Level.Trial)
        public void tearDown() {
            p.close();
        }
    }

    /** Endive's interpreter. */
    @State(Scope.Thread)
    public static class EndiveInterpreterState {
        EndivePlugin p;

        /** Parses and instantiates the plugin. */
        @Setup(Level.Trial)
        public void setup() {
            p = new EndivePlugin(false);
        }
    }

    /** Endive's compiler to JVM bytecode. */
    @State(Scope.Thread)
    public static class EndiveCompilerState {
        EndivePlugin p;

        /** Compiles and instantiates the plugin. */
        @Setup(Level.Trial)
        public void setup() {
            p = new EndivePlugin(true);
        }
    }

    /** Chicory 1.7.5's compiler to JVM bytecode. */
    @State(Scope.Thread)
    public static class ChicoryCompilerState {
        ChicoryPlugin p;

        /** Compiles and instantiates the plugin. */
        @Setup(Level.Trial)
        public void setup() {
            p = new ChicoryPlugin();
        }
    }

    /** GraalWasm, interpreter only (stock JDK). */
    @State(Scope.Thread)
    public static class GraalState {
        GraalPlugin p;

        /** Parses and instantiates the plugin. */
        @Setup(Level.Trial)
        public void setup() {
            p = new GraalPlugin(false);
        }

        /** Closes the context and the engine. */
        @TearDown(Level.Trial)
        public void tearDown() {
            p.close();
        }
    }

    /** GraalWasm compiled by Truffle with the Graal JIT (refuses to run interpreted). */
    @State(Scope.Thread)
    public static class GraalJitState {
        GraalPlugin p;

        /** Parses and instantiates the plugin; fails if Truffle cannot compile in this JVM. */
        @Setup(Level.Trial)
        public void setup() {
            p = new GraalPlugin(true);
        }

        /** Closes the context and the engine. */
        @TearDown(Level.Trial)
        public void tearDown() {
            p.close();
        }
    }

    /** kawamuray's wasmtime-java. */
    @State(Scope.Thread)
    public static class WasmtimeJavaState {
        WasmtimeJavaPlugin p;

        /** Compiles and instantiates the plugin. */
        @Setup(Level.Trial)
        public void setup() {
            p = new WasmtimeJavaPlugin();
        }

        /** Disposes of the store. */
        @TearDown(Level.Trial)
        public void tearDown() {
            p.close();
        }
    }
}
