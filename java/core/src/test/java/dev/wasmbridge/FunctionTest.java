package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FunctionTest {
    Engine engine;
    Fixtures.Loaded v;

    @BeforeEach
    void setUp() {
        engine = Engine.create();
        v = new Fixtures.Loaded(engine, "values");
    }

    @AfterEach
    void tearDown() {
        v.close();
        engine.close();
    }

    Function f(String name) {
        return v.instance.function(name);
    }

    @Test
    void typeIsTheSignature() {
        assertEquals(FuncType.of(List.of(ValType.I64, ValType.F64), List.of(ValType.F64, ValType.I64)), f("swap").type());
        assertEquals(FuncType.of(List.of(), List.of()), f("noop").type());
    }

    @Test
    void integersRoundTrip() {
        for (int x : new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertEquals(x, f("id_i32").call(x)[0]);
        }
        for (long x : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x1234_5678_9ABC_DEF0L}) {
            assertEquals(x, f("id_i64").call(x)[0]);
        }
    }

    @Test
    void floatsRoundTripBitExactIncludingNanPayloads() {
        int[] f32Bits = {0, 0x8000_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0x7FC0_0001, 0x7FA0_0001, 0xFFFF_FFFF, 1};
        for (int bits : f32Bits) {
            long raw = f("id_f32").callRaw(bits & 0xFFFF_FFFFL)[0];
            assertEquals(bits, (int) raw, "raw f32 " + Integer.toHexString(bits));
            Float boxed = (Float) f("id_f32").call(Float.intBitsToFloat(bits))[0];
            assertEquals(Float.floatToRawIntBits(Float.intBitsToFloat(bits)), Float.floatToRawIntBits(boxed),
                    "boxed f32 " + Integer.toHexString(bits));
        }
        long[] f64Bits = {0, 0x8000_0000_0000_0000L, 0x7FF8_0000_0000_0001L, 0x7FF4_0000_0000_0000L, -1L, 1L};
        for (long bits : f64Bits) {
            assertEquals(bits, f("id_f64").callRaw(bits)[0], "raw f64 " + Long.toHexString(bits));
            Double boxed = (Double) f("id_f64").call(Double.longBitsToDouble(bits))[0];
            assertEquals(bits, Double.doubleToRawLongBits(boxed), "boxed f64 " + Long.toHexString(bits));
        }
    }

    @Test
    void v128UsesTwoSlotsLowFirst() {
        V128 a = new V128(0x0000_0002_0000_0001L, 0x0000_0004_0000_0003L);
        V128 b = new V128(0x0000_0010_0000_0010L, 0x0000_0010_0000_0010L);
        assertEquals(new V128(0x0000_0012_0000_0011L, 0x0000_0014_0000_0013L), f("i32x4_add").call(a, b)[0]);
        assertArrayEquals(new long[] {7, -8}, f("id_v128").callRaw(7, -8));
        assertEquals(a, V128.fromBytes(a.toBytes()));
    }

    @Test
    void rawResultsCanGoIntoAReusedArray() {
        long[] out = new long[2];
        for (long i = 0; i < 100; i++) {
            f("swap").callRawInto(out, i, Double.doubleToRawLongBits(0.5 * i));
            assertEquals(0.5 * i, Double.longBitsToDouble(out[0]));
            assertEquals(i, out[1]);
        }
        assertThrows(IllegalArgumentException.class, () -> f("swap").callRawInto(new long[1], 1, 2));
        assertThrows(NullPointerException.class, () -> f("swap").callRawInto(null, 1, 2));
    }

    @Test
    void multiValueResults() {
        assertArrayEquals(new Object[] {2.5, 7L}, f("swap").call(7L, 2.5));
        assertArrayEquals(new Object[] {1, 2L, 3.5f}, f("three").call());
        assertArrayEquals(new Object[0], f("noop").call());
        assertEquals(10.0, f("mixed").call(1, 2L, 3.0f, 4.0)[0]);
    }

    @Test
    void widensLikeJava() {
        assertEquals(7L, f("id_i64").call(7)[0]);
        assertEquals(7, f("id_i32").call((short) 7)[0]);
        assertEquals(1.5, f("id_f64").call(1.5f)[0]);
    }

    @Test
    void funcrefsCrossBothWays() {
        Function fortytwo = (Function) f("get_fortytwo_ref").call()[0];
        assertEquals(f("fortytwo"), fortytwo);
        assertEquals(42, fortytwo.call()[0]);
        assertEquals(42, f("call_ref").call(fortytwo)[0]);
        assertEquals(fortytwo, f("id_funcref").call(fortytwo)[0]);
        assertNull(f("id_funcref").call((Object) null)[0]);
    }

    @Test
    void externrefsKeepIdentity() {
        Object token = new Object();
        assertSame(token, f("id_externref").call(token)[0]);
        assertNull(f("id_externref").call((Object) null)[0]);
        assertEquals(1, f("is_null_externref").call((Object) null)[0]);
        assertEquals(0, f("is_null_externref").call("x")[0]);
    }

    @Test
    void wrongArityIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.instance.function("swap").call(1L));
        assertTrue(e.getMessage().contains("takes 2 arguments, got 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f("noop").call(1));
        assertThrows(IllegalArgumentException.class, () -> f("id_i32").callRaw());
        assertThrows(IllegalArgumentException.class, () -> f("id_v128").callRaw(1));
    }

    @Test
    void wrongTypeIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f("id_i32").call(1L));
        assertTrue(e.getMessage().contains("argument 0: expected i32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f("id_i32").call("1"));
        assertThrows(IllegalArgumentException.class, () -> f("id_i32").call((Object) null));
        assertThrows(IllegalArgumentException.class, () -> f("id_f32").call(1.0));
        assertThrows(IllegalArgumentException.class, () -> f("id_v128").call(1L));
        assertThrows(IllegalArgumentException.class, () -> f("id_funcref").call("not a function"));
        assertThrows(IllegalArgumentException.class, () -> f("id_funcref").callRaw(0));
    }

    @Test
    void functionOfAnotherStoreIsRefused() {
        try (Fixtures.Loaded other = new Fixtures.Loaded(engine, "values")) {
            Function foreign = other.instance.function("fortytwo");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f("call_ref").call(foreign));
            assertTrue(e.getMessage().contains("different store"), e.getMessage());
        }
    }

    @Test
    void useAfterStoreCloseIsIllegalState() {
        Function add = f("id_i32");
        v.store.close();
        assertThrows(IllegalStateException.class, () -> add.call(1));
        assertThrows(IllegalStateException.class, () -> add.callRaw(1));
        assertThrows(IllegalStateException.class, () -> v.instance.function("noop"));
    }
}
