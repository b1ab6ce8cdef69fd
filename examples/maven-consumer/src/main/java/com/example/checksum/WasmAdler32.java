package com.example.checksum;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Instance;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Memory;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.IntBinaryOperator;

/** Adler-32 checksums computed by a WebAssembly module (adler32.wat, a resource of this jar). */
public final class WasmAdler32 implements AutoCloseable {
    private static final long PAGE = 64 * 1024;

    private final Engine engine;
    private final Module module;
    private final Store store;
    private final Memory memory;
    private final IntBinaryOperator adler32;

    public WasmAdler32() {
        engine = Engine.create();
        module = Module.fromWat(engine, resource("adler32.wat"));
        store = Store.create(engine);
        try (Linker linker = Linker.create(engine)) {
            Instance instance = linker.instantiate(store, module);
            memory = instance.memory("memory");
            adler32 = instance.function("adler32").as(IntBinaryOperator.class);
        }
    }

    private static String resource(String name) {
        try (InputStream in = WasmAdler32.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Adler-32 checksum of {@code data}. */
    public int checksum(byte[] data) {
        long missing = data.length - memory.byteSize();
        if (missing > 0) {
            memory.grow((missing + PAGE - 1) / PAGE);
        }
        memory.write(0, data);
        return adler32.applyAsInt(0, data.length);
    }

    @Override
    public void close() {
        store.close();
        module.close();
        engine.close();
    }

    /** Prints the checksum of each argument. */
    public static void main(String[] args) {
        try (WasmAdler32 adler = new WasmAdler32()) {
            for (String arg : args) {
                System.out.printf("adler32(%s) = %08x%n", arg, adler.checksum(arg.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }
}
