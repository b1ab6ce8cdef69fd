package dev.wasmbridge.bench;

import java.nio.ByteOrder;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.ByteSequence;

/**
 * The kernels in GraalWasm 23.1 through the polyglot API. On a stock JDK (no JVMCI, no Graal compiler)
 * Truffle runs its fallback runtime: GraalWasm's interpreter only, never compiled to machine code. With the
 * Graal compiler 23.1 as the JVM's JVMCI compiler ({@code -XX:+UnlockExperimentalVMOptions
 * -XX:+EnableJVMCI --upgrade-module-path=}{@link #COMPILER_DIR}, the jars the build copies there) and
 * GraalWasm loaded as modules ({@link #POLYGLOT_DIR}) Truffle compiles guest code to machine code: the
 * {@code graalwasmJit} rows. 23.1 is the newest GraalWasm Maven
 * Central serves here ({@code wasm-community} 24.x and 25.x are not), and it does not run on JDK 25
 * ({@code Unsafe.ensureClassInitialized} is gone), so both rows run on JDK 17.
 * GraalWasm 23.1's polyglot API cannot give a module Java functions as imports (added in GraalVM 25), so
 * it has no host-call row.
 */
final class Graal implements AutoCloseable {
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    final Engine engine;
    final Context context;
    final Source callsSource;
    final Value add;
    final Value fib;
    final Value sha256;
    final Value matmul;
    final Value shaMemory;
    final int inputPtr;

    /**
     * The Graal compiler's jars for {@code --upgrade-module-path} (bench's pom copies them there), relative
     * to the repository root, where bench/run.sh runs JMH.
     */
    static final String COMPILER_DIR = "java/bench/target/graal-compiler";

    /**
     * GraalWasm's jars for the JIT rows' {@code --module-path} (Truffle compiles only when polyglot is
     * loaded as modules, not from the shaded benchmarks jar), relative to the repository root.
     */
    static final String POLYGLOT_DIR = "java/bench/target/graal-polyglot";

    Graal() {
        this(false);
    }

    /**
     * @param jit whether Truffle must compile: refuse to run interpreted
     * @throws IllegalStateException if {@code jit} and the Truffle runtime is the interpreter
     */
    Graal(boolean jit) {
        engine = Engine.newBuilder("wasm").option("engine.WarnInterpreterOnly", "false").build();
        if (jit && engine.getImplementationName().equals("Interpreted")) {
            engine.close();
            throw new IllegalStateException("GraalWasm runs interpreted in this JVM: the JIT rows need"
                    + " -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path=" + COMPILER_DIR
                    + " --module-path=" + POLYGLOT_DIR + " --add-modules=org.graalvm.polyglot,org.graalvm.wasm"
                    + " (run from the repository root after the bench module's package)");
        }
        context = Context.newBuilder("wasm").engine(engine).build();
        callsSource = source("calls");
        Value c = context.eval(callsSource);
        add = c.getMember("add");
        fib = c.getMember("fib");
        Value s = context.eval(source("sha256"));
        sha256 = s.getMember("sha256");
        shaMemory = s.getMember("memory");
        inputPtr = s.getMember("input_ptr").execute().asInt();
        byte[] input = Kernels.input();
        for (int i = 0; i < input.length; i++) {
            shaMemory.writeBufferByte(inputPtr + i, input[i]);
        }
        matmul = context.eval(source("matmul")).getMember("matmul");
    }

    static Source source(String name) {
        return Source.newBuilder("wasm", ByteSequence.create(Kernels.wasm(name)), name).buildLiteral();
    }

    /** A new context on the shared engine (parsed code is shared), with {@code calls} instantiated. */
    Context newContext() {
        return Context.newBuilder("wasm").engine(engine).build();
    }

    @Override
    public void close() {
        context.close();
        engine.close();
    }
}
