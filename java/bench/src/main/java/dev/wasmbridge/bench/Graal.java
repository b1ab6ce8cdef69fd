package dev.wasmbridge.bench;

import java.nio.ByteOrder;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.ByteSequence;

/**
 * The kernels in GraalWasm 23.1 through the polyglot API. On a stock JDK (no JVMCI, no Graal compiler)
 * Truffle runs its fallback runtime: GraalWasm's interpreter only, never compiled to machine code.
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

    Graal() {
        engine = Engine.newBuilder("wasm").option("engine.WarnInterpreterOnly", "false").build();
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
