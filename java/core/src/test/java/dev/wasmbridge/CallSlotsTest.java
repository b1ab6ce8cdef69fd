package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The raw call path through the store's call slots ({@code Native.funcCallSlots}): every numeric kind
 * both ways bit for bit, the capacity boundary (a call that does not fit passes arrays), a nested call on
 * the same store's slots while an outer call is running, and a signature with references (the generic
 * native path behind the same slots). Host functions ({@code host.rs}) cross the same slots the other
 * way: the same kinds, the same boundary, references, and an exception from either side of it.
 */
class CallSlotsTest {
    private static final String WAT = "(module"
            + " (import \"h\" \"nested\" (func $nested (param i64) (result i64)))"
            + " (func (export \"swap\") (param i32 i64 f32 f64 v128) (result v128 f64 f32 i64 i32)"
            + "   local.get 4 local.get 3 local.get 2 local.get 1 local.get 0)"
            + " (func (export \"sum16\") (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)"
            + "   (result i64)" + sum(16) + ")"
            + " (func (export \"sum17\") (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)"
            + "   (result i64)" + sum(17) + ")"
            + " (func (export \"twice\") (param i64) (result i64) local.get 0 local.get 0 i64.add)"
            + " (func (export \"outer\") (param i64 i64) (result i64 i64)"
            + "   local.get 0 call $nested local.get 1)"
            + " (func (export \"ref\") (param externref i32) (result i32 externref) local.get 1 local.get 0))";

    private static String sum(int n) {
        StringBuilder b = new StringBuilder(" local.get 0");
        for (int i = 1; i < n; i++) {
            b.append(" local.get ").append(i).append(" i64.add");
        }
        return b.toString();
    }

    /** {@code f} (i32 i64 f32 f64 v128) -> (v128 f64 f32 i64 i32) returns its arguments reversed, bit for bit. */
    private static void assertSwapsEveryKind(Function f) {
        long f32 = Float.floatToRawIntBits(Float.intBitsToFloat(0x7fc0_1234)); // a NaN payload
        long f64 = Double.doubleToRawLongBits(-0.0);
        long[] out = f.callRaw(-7, Long.MIN_VALUE, f32, f64, 0x0123_4567_89ab_cdefL, -1L);
        assertArrayEquals(new long[] {0x0123_4567_89ab_cdefL, -1L, f64, f32, Long.MIN_VALUE, -7}, out);
    }

    @Test
    void everyNumericKindCrossesBothWaysBitForBit() {
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, WAT);
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            linker.defineFunction("h", "nested", FuncType.of(List.of(ValType.I64), List.of(ValType.I64)),
                    (caller, args) -> new Object[] {args[0]});
            Instance i = linker.instantiate(store, m);
            assertSwapsEveryKind(i.function("swap"));
        }
    }

    @Test
    void sixteenSlotsFitAndSeventeenPassArrays() {
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, WAT);
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            linker.defineFunction("h", "nested", FuncType.of(List.of(ValType.I64), List.of(ValType.I64)),
                    (caller, args) -> new Object[] {args[0]});
            Instance i = linker.instantiate(store, m);
            long[] sixteen = new long[16];
            long[] seventeen = new long[17];
            for (int k = 0; k < 17; k++) {
                if (k < 16) {
                    sixteen[k] = 1L << k;
                }
                seventeen[k] = 1L << k;
            }
            assertEquals(0xffffL, i.function("sum16").callRaw(sixteen)[0]);
            assertEquals(0x1ffffL, i.function("sum17").callRaw(seventeen)[0]);
            assertEquals(0x1ffffL, i.function("sum17").call((Object[]) boxed(seventeen))[0]);
        }
    }

    private static Long[] boxed(long[] v) {
        Long[] b = new Long[v.length];
        for (int k = 0; k < v.length; k++) {
            b[k] = v[k];
        }
        return b;
    }

    @Test
    void aNestedCallOnTheSameSlotsLeavesTheOuterCallsResultsIntact() {
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, WAT);
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            Instance[] self = new Instance[1];
            // The host function makes raw calls on the same store (the same call slots) while "outer" runs.
            linker.defineFunction("h", "nested", FuncType.of(List.of(ValType.I64), List.of(ValType.I64)),
                    (caller, args) -> {
                        long x = (Long) args[0];
                        long y = self[0].function("twice").callRaw(x)[0];
                        long z = self[0].function("sum16").callRaw(new long[16])[0];
                        return new Object[] {y + z};
                    });
            self[0] = linker.instantiate(store, m);
            assertArrayEquals(new long[] {42, 99}, self[0].function("outer").callRaw(21, 99));
            long[] into = new long[2];
            self[0].function("outer").callRawInto(into, 5, 6);
            assertArrayEquals(new long[] {10, 6}, into);
        }
    }

    @Test
    void referencesTakeTheGenericPathBehindTheSameSlots() {
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, WAT);
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            linker.defineFunction("h", "nested", FuncType.of(List.of(ValType.I64), List.of(ValType.I64)),
                    (caller, args) -> new Object[] {args[0]});
            Instance i = linker.instantiate(store, m);
            Object token = new Object();
            Object[] out = i.function("ref").call(token, 7);
            assertEquals(7, out[0]);
            assertSame(token, out[1]);
        }
    }

    private static final String KINDS = "(param i32 i64 f32 f64 v128) (result v128 f64 f32 i64 i32)";

    private static String params(String type, int n) {
        return (" (param" + (" " + type).repeat(n) + ")");
    }

    private static String getAll(int n) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < n; k++) {
            b.append(" local.get ").append(k);
        }
        return b.toString();
    }

    /** Each export passes its parameters to the host import of the same name and returns its results. */
    private static final String HOST_WAT = "(module"
            + " (import \"h\" \"kinds\" (func $kinds " + KINDS + "))"
            + " (import \"h\" \"sum16\" (func $sum16" + params("i64", 16) + " (result i64)))"
            + " (import \"h\" \"sum17\" (func $sum17" + params("i64", 17) + " (result i64)))"
            + " (import \"h\" \"ref17\" (func $ref17 (param externref)" + params("i64", 16)
            + "   (result i64 externref)))"
            + " (func (export \"kinds\") " + KINDS + getAll(5) + " call $kinds)"
            + " (func (export \"sum16\")" + params("i64", 16) + " (result i64)" + getAll(16) + " call $sum16)"
            + " (func (export \"sum17\")" + params("i64", 17) + " (result i64)" + getAll(17) + " call $sum17)"
            + " (func (export \"ref17\") (param externref)" + params("i64", 16) + " (result i64 externref)"
            + getAll(17) + " call $ref17))";

    private static long sumOf(Object[] args, int from) {
        long sum = 0;
        for (int k = from; k < args.length; k++) {
            sum += (Long) args[k];
        }
        return sum;
    }

    /** A linker with HOST_WAT's imports: "sum17" throws {@code thrown} when its first argument is -1. */
    private static Linker hostLinker(Engine engine, RuntimeException thrown) {
        Linker linker = Linker.create(engine);
        List<ValType> kinds = List.of(ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.V128);
        List<ValType> reversed = List.of(ValType.V128, ValType.F64, ValType.F32, ValType.I64, ValType.I32);
        linker.defineFunction("h", "kinds", FuncType.of(kinds, reversed),
                (caller, args) -> new Object[] {args[4], args[3], args[2], args[1], args[0]});
        linker.defineFunction("h", "sum16", FuncType.of(java.util.Collections.nCopies(16, ValType.I64),
                List.of(ValType.I64)), (caller, args) -> new Object[] {sumOf(args, 0)});
        linker.defineFunction("h", "sum17", FuncType.of(java.util.Collections.nCopies(17, ValType.I64),
                List.of(ValType.I64)), (caller, args) -> {
                    if ((Long) args[0] == -1) {
                        throw thrown;
                    }
                    return new Object[] {sumOf(args, 0)};
                });
        List<ValType> refParams = new java.util.ArrayList<>(java.util.Collections.nCopies(17, ValType.I64));
        refParams.set(0, ValType.EXTERNREF);
        linker.defineFunction("h", "ref17", FuncType.of(refParams, List.of(ValType.I64, ValType.EXTERNREF)),
                (caller, args) -> new Object[] {sumOf(args, 1), args[0]});
        return linker;
    }

    @Test
    void hostFunctionsGetAndReturnEveryNumericKindBitForBit() {
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, HOST_WAT);
                Store store = Store.create(engine); Linker linker = hostLinker(engine, null)) {
            Instance i = linker.instantiate(store, m);
            assertSwapsEveryKind(i.function("kinds"));
        }
    }

    @Test
    void hostFunctionsOfSixteenSlotsAndOfSeventeenAgree() {
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, HOST_WAT);
                Store store = Store.create(engine); Linker linker = hostLinker(engine, null)) {
            Instance i = linker.instantiate(store, m);
            long[] seventeen = new long[17];
            for (int k = 0; k < 17; k++) {
                seventeen[k] = 1L << (k * 3);
            }
            long expected17 = java.util.Arrays.stream(seventeen).sum();
            long expected16 = expected17 - seventeen[16];
            assertEquals(expected16, i.function("sum16").callRaw(java.util.Arrays.copyOf(seventeen, 16))[0]);
            assertEquals(expected17, i.function("sum17").callRaw(seventeen)[0]);
            // The reference path (Val) with an array of 17 slots.
            Object token = new Object();
            Object[] args = new Object[17];
            args[0] = token;
            for (int k = 1; k < 17; k++) {
                args[k] = seventeen[k];
            }
            Object[] out = i.function("ref17").call(args);
            assertEquals(expected17 - seventeen[0], out[0]);
            assertSame(token, out[1]);
        }
    }

    @Test
    void anExceptionFromAHostFunctionOfSeventeenSlotsLeavesTheStoreUsable() {
        RuntimeException thrown = new IllegalStateException("from sum17");
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, HOST_WAT);
                Store store = Store.create(engine); Linker linker = hostLinker(engine, thrown)) {
            Instance i = linker.instantiate(store, m);
            long[] args = new long[17];
            args[0] = -1;
            for (int round = 0; round < 3; round++) {
                RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                        () -> i.function("sum17").callRaw(args));
                assertSame(thrown, e);
                args[1] = round;
                args[0] = 0;
                assertEquals(round, i.function("sum17").callRaw(args)[0]);
                args[0] = -1;
            }
        }
    }
}
