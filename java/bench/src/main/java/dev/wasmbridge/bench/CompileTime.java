package dev.wasmbridge.bench;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.graalvm.polyglot.Value;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Compile time: the bytes of a large real module ({@link LargeModule}: 3.3 MiB, 8207 functions) turned into a
 * module ready to instantiate, cold (no compilation cache anywhere), once per measured iteration; and the load of
 * the same module precompiled, where the runtime offers one. Single-shot: each iteration is one compile, the
 * module made is freed outside the measured time.
 *
 * <p>What each row covers differs by design of the runtime: wasmbridge and wasmtime-java compile every function
 * to machine code (Cranelift) up front; Endive and Chicory compile every function to JVM bytecode and define the
 * classes, which HotSpot compiles to machine code later, as they run; Endive's interpreter only parses and
 * validates; GraalWasm parses and validates into its own form and links, makes Truffle call targets and (with the
 * Graal JIT) compiles machine code lazily, at run time, per hot function: its figure is the parse, and a
 * "JIT compile time" row would measure nothing, since no code is compiled before the program runs.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "-Dpolyglot.engine.WarnInterpreterOnly=false",
        "-Dpolyglotimpl.DisableClassPathIsolation=true"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class CompileTime {

    /**
     * wasmbridge {@code Module.fromBytes} on the default engine: Cranelift, functions compiled in parallel on
     * every core.
     */
    @Benchmark
    public dev.wasmbridge.Module wasmbridge(LargeModule.WasmbridgeState s) {
        s.module = dev.wasmbridge.Module.fromBytes(s.engine, s.bytes);
        return s.module;
    }

    /** wasmbridge {@code Module.fromBytes} on an engine without parallel compilation: one core. */
    @Benchmark
    public dev.wasmbridge.Module wasmbridgeSerial(LargeModule.WasmbridgeSerialState s) {
        s.module = dev.wasmbridge.Module.fromBytes(s.engine, s.bytes);
        return s.module;
    }

    /**
     * wasmbridge {@code Module.deserializeTrusted} of the bytes {@code Module.serialize} made once in the setup:
     * the precompiled load (more iterations, two forks: milliseconds, not seconds).
     */
    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {"-Xss4m"})
    @Warmup(iterations = 5)
    @Measurement(iterations = 20)
    public dev.wasmbridge.Module wasmbridgeDeserialize(LargeModule.WasmbridgeState s) {
        s.module = dev.wasmbridge.Module.deserializeTrusted(s.engine, s.precompiled);
        return s.module;
    }

    /** Endive 1.0.0: parse and validate, then compile to JVM bytecode ({@code MachineFactoryCompiler.compile}). */
    @Benchmark
    public Function<run.endive.runtime.Instance, run.endive.runtime.Machine> endiveCompiler(LargeModule.BytesState s) {
        return LargeModule.endiveCompile(s.bytes);
    }

    /** Endive 1.0.0's interpreter: parse and validate ({@code Parser.parse}), all it needs before instantiating. */
    @Benchmark
    public run.endive.wasm.WasmModule endiveInterpreter(LargeModule.BytesState s) {
        return LargeModule.endiveParse(s.bytes);
    }

    /** Chicory 1.7.5: parse and validate, then compile to JVM bytecode. */
    @Benchmark
    public Function<com.dylibso.chicory.runtime.Instance, com.dylibso.chicory.runtime.Machine> chicoryCompiler(
            LargeModule.BytesState s) {
        return LargeModule.chicoryCompile(s.bytes);
    }

    /**
     * GraalWasm 23.1.0 (interpreter only, stock JDK): {@code Context.eval} of the source on a new engine, which
     * parses and validates the module; linking and Truffle's call targets come lazily, on first use.
     */
    @Benchmark
    public Value graalwasm(LargeModule.GraalState s) {
        return s.context.eval(s.source);
    }

    /**
     * wasmtime-java 0.19.0 ({@code new Module(engine, bytes)}: Wasmtime 7.0.1, parallel compilation); it has no
     * serialize or deserialize.
     */
    @Benchmark
    public io.github.kawamuray.wasmtime.Module wasmtimeJava(LargeModule.WasmtimeJavaState s) {
        s.module = new io.github.kawamuray.wasmtime.Module(s.engine, s.bytes);
        return s.module;
    }
}
