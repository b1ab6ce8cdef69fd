package dev.wasmbridge.bench;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Store;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.component.ComponentFunction;
import dev.wasmbridge.component.ComponentInstance;
import dev.wasmbridge.component.ComponentLinker;
import dev.wasmbridge.component.WitValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The component of the component-call benchmarks ({@code tests/components/bench.wat}, packed into the jar
 * as {@code components/bench.wat}) instantiated in wasmbridge, its four exports, and their arguments in
 * both value models, built once (the Rust baseline, {@code tools/bench-rust/src/component.rs}, uses the
 * same values and also builds its arguments once).
 */
final class Components implements AutoCloseable {
    /** The string {@code echo-string} echoes: 1 KiB of ASCII. */
    static final String STRING_1K = string1k();
    /** The size of the {@code list<u8>} {@code echo-bytes} echoes. */
    static final int BYTES_LEN = 64 * 1024;

    final Engine engine;
    final Store store;
    final ComponentLinker linker;
    final Component component;
    final ComponentFunction add;
    final ComponentFunction echoString;
    final ComponentFunction echoRecord;
    final ComponentFunction echoBytes;
    /** The four exports bound to a Java interface ({@code ComponentInstance.bind}). */
    final Bound bound;

    /** {@code bench.wat}'s exports as a Java interface: {@code u32} as {@code int}, the record as {@link Rec}. */
    public interface Bound {
        /**
         * {@code add}.
         *
         * @param a a
         * @param b b
         * @return the sum
         */
        int add(int a, int b);

        /**
         * {@code echo-string}.
         *
         * @param s the string
         * @return a copy
         */
        String echoString(String s);

        /**
         * {@code echo-record}.
         *
         * @param r the record
         * @return a copy
         */
        Rec echoRecord(Rec r);

        /**
         * {@code echo-bytes}.
         *
         * @param b the bytes
         * @return a copy
         */
        byte[] echoBytes(byte[] b);
    }

    /**
     * {@code rec { a: u32, b: u64, c: f64, d: string, e: bool }}.
     *
     * @param a a
     * @param b b
     * @param c c
     * @param d d
     * @param e e
     */
    public record Rec(int a, long b, double c, String d, boolean e) {
    }

    /** The record as a Java record, as {@link #record()}. */
    final Rec rec = new Rec(7, 1L << 40, 2.5, "hello, component", true);

    /** {@code add}'s arguments as natural values ({@code u32} is a {@code Long}). */
    final Long addA = 40L;
    final Long addB = 2L;
    /** The record as a natural value: a map in field order. */
    final Map<String, Object> record = record();
    /** The bytes as a natural value. */
    final byte[] bytes = bytes64k();

    final WitValue.U32 addAValue = new WitValue.U32(40);
    final WitValue.U32 addBValue = new WitValue.U32(2);
    final WitValue.Str stringValue = new WitValue.Str(STRING_1K);
    final WitValue.Record recordValue = recordValue();
    final WitValue.Bytes bytesValue = new WitValue.Bytes(bytes);

    Components() {
        engine = Engine.create();
        store = Store.create(engine);
        linker = ComponentLinker.create(engine);
        component = Component.fromBytes(engine, Kernels.component("bench"));
        ComponentInstance i = linker.instantiate(store, component);
        add = i.function("add");
        echoString = i.function("echo-string");
        echoRecord = i.function("echo-record");
        echoBytes = i.function("echo-bytes");
        bound = i.bind(Bound.class);
    }

    /** As the Rust baseline's {@code string_1k}: 'a' to 'z' repeated. */
    private static String string1k() {
        StringBuilder b = new StringBuilder(1024);
        for (int i = 0; i < 1024; i++) {
            b.append((char) ('a' + i % 26));
        }
        return b.toString();
    }

    /** As the Rust baseline's {@code bytes_64k}: byte {@code i} is {@code i * 31 + 7}. */
    static byte[] bytes64k() {
        byte[] b = new byte[BYTES_LEN];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    /** {@code rec { a: 7, b: 2^40, c: 2.5, d: "hello, component", e: true }}, as the Rust baseline's. */
    static Map<String, Object> record() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("a", 7L);
        r.put("b", 1L << 40);
        r.put("c", 2.5);
        r.put("d", "hello, component");
        r.put("e", true);
        return Collections.unmodifiableMap(r);
    }

    static WitValue.Record recordValue() {
        return new WitValue.Record(List.of(
                new WitValue.FieldValue("a", new WitValue.U32(7)),
                new WitValue.FieldValue("b", new WitValue.U64(1L << 40)),
                new WitValue.FieldValue("c", new WitValue.F64(2.5)),
                new WitValue.FieldValue("d", new WitValue.Str("hello, component")),
                new WitValue.FieldValue("e", new WitValue.Bool(true))));
    }

    @Override
    public void close() {
        linker.close();
        store.close();
        component.close();
        engine.close();
    }
}
