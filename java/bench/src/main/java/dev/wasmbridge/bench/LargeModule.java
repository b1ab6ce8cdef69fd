package dev.wasmbridge.bench;

import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.ExportType;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.ImportType;
import dev.wasmbridge.Module;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.ByteSequence;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The large module of the compile-time benchmark ({@link CompileTime}) and each runtime's way of turning its
 * bytes into a module ready to instantiate, with one JMH state per runtime.
 *
 * <p>The module is {@code js-component-bindgen-component.core.wasm} of the npm package
 * {@code @bytecodealliance/jco-transpile} 0.15.0 (Rust compiled to {@code wasm32-wasip1}: 3.3 MiB, 2.4 MiB of code
 * in 8207 functions, 14 imported WASI functions, 9 exports), fetched by {@code bench/build-large-module.sh} during
 * the Maven build into {@code java/bench/target/large-module} and packed into the jar as
 * {@code large-module/large.wasm}; {@link #bytes()} reads it from the class path.
 *
 * <p>Every state compiles from scratch: wasmbridge's engines have no compilation cache (the {@link EngineConfig}
 * default), nor has wasmtime-java's default engine, Endive's and Chicory's compilers get no {@code Cache}, and
 * GraalWasm gets a new engine (and so an empty source cache) for every compile.
 */
public final class LargeModule {
    /** The jar resource that holds the module. */
    static final String RESOURCE = "/large-module/large.wasm";

    private LargeModule() {
    }

    /**
     * The module's bytes.
     *
     * @return a new array
     * @throws IllegalStateException if the jar (or class path) lacks it
     */
    public static byte[] bytes() {
        try (InputStream in = LargeModule.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path: build with"
                        + " bench/build-large-module.sh (the Maven build of java/bench runs it)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * wasmbridge's engine without parallel compilation (Cranelift on one thread), for the row that shows what
     * Wasmtime's parallel compilation gains on this machine's cores.
     *
     * @return a new engine
     */
    static Engine serialEngine() {
        return Engine.create(EngineConfig.builder().parallelCompilation(false).build());
    }

    /**
     * Endive: parse (and validate) the bytes.
     *
     * @param bytes the module
     * @return the parsed module, what Endive's interpreter runs
     */
    static run.endive.wasm.WasmModule endiveParse(byte[] bytes) {
        return run.endive.wasm.Parser.parse(bytes);
    }

    /**
     * Endive: parse, then compile every function to JVM bytecode (the classes are generated and defined now;
     * HotSpot compiles their bytecode to machine code later, as they run). Functions too large for a JVM method
     * fall back to the interpreter (Endive prints a warning for each: two in this module).
     *
     * @param bytes the module
     * @return the machine factory an instance is built with
     */
    static Function<run.endive.runtime.Instance, run.endive.runtime.Machine> endiveCompile(byte[] bytes) {
        return run.endive.compiler.MachineFactoryCompiler.compile(endiveParse(bytes));
    }

    /**
     * Chicory 1.7.5 (Endive's predecessor): parse, then compile to JVM bytecode, as {@link #endiveCompile}.
     *
     * @param bytes the module
     * @return the machine factory an instance is built with
     */
    static Function<com.dylibso.chicory.runtime.Instance, com.dylibso.chicory.runtime.Machine> chicoryCompile(
            byte[] bytes) {
        return com.dylibso.chicory.compiler.MachineFactoryCompiler.compile(com.dylibso.chicory.wasm.Parser.parse(bytes));
    }

    /**
     * The module as GraalWasm's source: not cached (each engine here is new anyway).
     *
     * @param bytes the module
     * @return the source
     */
    static Source graalSource(byte[] bytes) {
        return Source.newBuilder("wasm", ByteSequence.create(bytes), "large").cached(false).buildLiteral();
    }

    /**
     * The export names of a module in wasmbridge, in order.
     *
     * @param module the module
     * @return its exports' names
     */
    static List<String> exportNames(Module module) {
        List<String> names = new ArrayList<>();
        for (ExportType e : module.exports()) {
            names.add(e.name());
        }
        return names;
    }

    /**
     * The export names in Endive's parsed module, in order.
     *
     * @param module the parsed module
     * @return its exports' names
     */
    static List<String> exportNames(run.endive.wasm.WasmModule module) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            names.add(module.exportSection().getExport(i).name());
        }
        return names;
    }

    /**
     * The export names of the module instantiated in GraalWasm. GraalWasm links a module's imports lazily, on the
     * first access to its exports, and its own WASI (23.1) lacks some functions this module imports
     * ({@code fd_readdir}), so the context first gets a stand-in {@code wasi_snapshot_preview1} module: one function
     * per import, of the import's type, that traps if called (made from WAT with wasmbridge's
     * {@link Module#watToBinary}). Nothing is called.
     *
     * @param context a context on a new engine
     * @param imports the module's imports (as wasmbridge lists them)
     * @param bytes the module
     * @return the exports' names, as GraalWasm lists them
     */
    static List<String> graalExportNames(Context context, List<ImportType> imports, byte[] bytes) {
        StringBuilder wat = new StringBuilder("(module");
        for (ImportType i : imports) {
            if (!i.module().equals("wasi_snapshot_preview1") || !(i.type() instanceof FuncType f)) {
                throw new IllegalStateException("an import other than a WASI function: " + i);
            }
            wat.append("\n  (func (export \"").append(i.name()).append("\")")
                    .append(f.toString().substring("(func".length(), f.toString().length() - 1))
                    .append(" unreachable)");
        }
        wat.append(')');
        // GraalWasm 23.1 names the first module a context evaluates "main", whatever its source's name: an empty
        // module takes that place, so that the stand-in gets the name of its source.
        context.eval(Source.newBuilder("wasm", ByteSequence.create(Module.watToBinary("(module)")), "main")
                .buildLiteral());
        context.eval(Source.newBuilder("wasm", ByteSequence.create(Module.watToBinary(wat.toString())),
                "wasi_snapshot_preview1").buildLiteral());
        Value exports = context.eval(graalSource(bytes));
        return new ArrayList<>(exports.getMemberKeys());
    }

    /** wasmbridge, the default engine (parallel compilation, no cache), and the module's precompiled bytes. */
    @State(Scope.Thread)
    public static class WasmbridgeState {
        byte[] bytes;
        Engine engine;
        byte[] precompiled;
        Module module;

        /** Makes the engine and, once, the precompiled bytes ({@code Module.serialize}) for the load row. */
        @Setup(Level.Trial)
        public void setup() {
            bytes = bytes();
            engine = Engine.create();
            try (Module m = Module.fromBytes(engine, bytes)) {
                precompiled = m.serialize();
            }
        }

        /** Frees the module the benchmark made, outside the measured time. */
        @TearDown(Level.Invocation)
        public void closeModule() {
            if (module != null) {
                module.close();
                module = null;
            }
        }

        /** Frees the engine. */
        @TearDown(Level.Trial)
        public void tearDown() {
            engine.close();
        }
    }

    /** wasmbridge on an engine without parallel compilation. */
    @State(Scope.Thread)
    public static class WasmbridgeSerialState {
        byte[] bytes;
        Engine engine;
        Module module;

        /** Makes the engine. */
        @Setup(Level.Trial)
        public void setup() {
            bytes = bytes();
            engine = serialEngine();
        }

        /** Frees the module the benchmark made, outside the measured time. */
        @TearDown(Level.Invocation)
        public void closeModule() {
            if (module != null) {
                module.close();
                module = null;
            }
        }

        /** Frees the engine. */
        @TearDown(Level.Trial)
        public void tearDown() {
            engine.close();
        }
    }

    /** Endive and Chicory: only the bytes (they keep no engine). */
    @State(Scope.Thread)
    public static class BytesState {
        byte[] bytes;

        /** Reads the module. */
        @Setup(Level.Trial)
        public void setup() {
            bytes = bytes();
        }
    }

    /**
     * GraalWasm: a new engine and context for every compile (an engine keeps what it parsed, and would share it
     * with a second evaluation of the same source).
     */
    @State(Scope.Thread)
    public static class GraalState {
        Source source;
        org.graalvm.polyglot.Engine engine;
        Context context;

        /** Makes the source. */
        @Setup(Level.Trial)
        public void setup() {
            source = graalSource(bytes());
        }

        /** A new engine and context, outside the measured time. */
        @Setup(Level.Invocation)
        public void newContext() {
            engine = org.graalvm.polyglot.Engine.newBuilder("wasm").option("engine.WarnInterpreterOnly", "false").build();
            context = Context.newBuilder("wasm").engine(engine).build();
        }

        /** Closes them, outside the measured time. */
        @TearDown(Level.Invocation)
        public void close() {
            context.close();
            engine.close();
        }
    }

    /** kawamuray's wasmtime-java 0.19 (Wasmtime 7.0.1): its default engine (parallel compilation, no cache). */
    @State(Scope.Thread)
    public static class WasmtimeJavaState {
        byte[] bytes;
        io.github.kawamuray.wasmtime.Engine engine;
        io.github.kawamuray.wasmtime.Module module;

        /** Makes the engine. */
        @Setup(Level.Trial)
        public void setup() {
            bytes = bytes();
            engine = new io.github.kawamuray.wasmtime.Engine();
        }

        /** Frees the module the benchmark made, outside the measured time. */
        @TearDown(Level.Invocation)
        public void closeModule() {
            if (module != null) {
                module.dispose();
                module = null;
            }
        }

        /** Frees the engine. */
        @TearDown(Level.Trial)
        public void tearDown() {
            engine.dispose();
        }
    }
}
