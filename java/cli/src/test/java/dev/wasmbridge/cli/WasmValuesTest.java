package dev.wasmbridge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.FuncType;
import dev.wasmbridge.V128;
import dev.wasmbridge.ValType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WasmValuesTest {
    @ParameterizedTest
    @CsvSource({
        "0, 0", "42, 42", "-7, -7", "+7, 7", "0x2a, 42", "0X2A, 42", "-0x10, -16",
        "2147483647, 2147483647", "-2147483648, -2147483648",
        "4294967295, -1", "0xffffffff, -1", "0x80000000, -2147483648", "1_000, 1000",
    })
    void i32(String text, int expected) {
        assertEquals(expected, WasmValues.parse(ValType.I32, text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "1.5", "0x", "0xg", "4294967296", "-2147483649", "--1", "-+1", "1e3", "0x-1"})
    void i32Refused(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WasmValues.parse(ValType.I32, text));
        assertTrue(e.getMessage().contains("i32"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0", "-1, -1", "9223372036854775807, 9223372036854775807", "-9223372036854775808, -9223372036854775808",
        "18446744073709551615, -1", "0xffffffffffffffff, -1", "0x100000000, 4294967296",
    })
    void i64(String text, long expected) {
        assertEquals(expected, WasmValues.parse(ValType.I64, text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"18446744073709551616", "-9223372036854775809", "0x1_0000_0000_0000_0000", "one"})
    void i64Refused(String text) {
        assertThrows(IllegalArgumentException.class, () -> WasmValues.parse(ValType.I64, text));
    }

    @Test
    void floats() {
        assertEquals(1.5f, WasmValues.parse(ValType.F32, "1.5"));
        assertEquals(-0.002f, WasmValues.parse(ValType.F32, "-2e-3"));
        assertEquals(3.0f, WasmValues.parse(ValType.F32, "0x1.8p1"));
        assertEquals(Float.POSITIVE_INFINITY, WasmValues.parse(ValType.F32, "inf"));
        assertEquals(Float.POSITIVE_INFINITY, WasmValues.parse(ValType.F32, "Infinity"));
        assertEquals(Float.NEGATIVE_INFINITY, WasmValues.parse(ValType.F32, "-inf"));
        assertEquals(0x7fc00000, Float.floatToRawIntBits((Float) WasmValues.parse(ValType.F32, "nan")));
        assertEquals(0xffc00000, Float.floatToRawIntBits((Float) WasmValues.parse(ValType.F32, "-nan")));
        assertTrue(Float.isNaN((Float) WasmValues.parse(ValType.F32, "NaN")));
        assertEquals(0.1, WasmValues.parse(ValType.F64, "0.1"));
        assertEquals(Double.NEGATIVE_INFINITY, WasmValues.parse(ValType.F64, "-INF"));
        assertEquals(0x7ff8000000000000L, Double.doubleToRawLongBits((Double) WasmValues.parse(ValType.F64, "nan")));
        assertEquals(-0.0, WasmValues.parse(ValType.F64, "-0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WasmValues.parse(ValType.F64, "one"))
                .getMessage().contains("is not an f64"));
        assertThrows(IllegalArgumentException.class, () -> WasmValues.parse(ValType.F32, ""));
    }

    @Test
    void v128AndReferences() {
        assertEquals(new V128(0x0102L, 0L), WasmValues.parse(ValType.V128, "0x0102"));
        assertEquals(new V128(-1L, 0x1L), WasmValues.parse(ValType.V128, "0x1ffffffffffffffff"));
        assertEquals(new V128(-1L, -1L), WasmValues.parse(ValType.V128, "0x" + "f".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> WasmValues.parse(ValType.V128, "0x" + "f".repeat(33)));
        assertThrows(IllegalArgumentException.class, () -> WasmValues.parse(ValType.V128, "12"));
        assertNull(WasmValues.parse(ValType.FUNCREF, "null"));
        assertNull(WasmValues.parse(ValType.EXTERNREF, "null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WasmValues.parse(ValType.EXTERNREF, "x"))
                .getMessage().contains("only be given as 'null'"));
    }

    @Test
    void argumentsBySignature() {
        FuncType type = FuncType.of(List.of(ValType.I32, ValType.I64, ValType.F32, ValType.F64), List.of());
        assertArrayEquals(new Object[] {40, 2L, 0.5f, 0.25},
                WasmValues.parseArgs("f", type, List.of("40", "2", "0.5", "0.25")));
    }

    @Test
    void aWrongCountSaysWhatTheFunctionTakes() {
        FuncType add = FuncType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WasmValues.parseArgs("add", add, List.of("40")));
        assertEquals("function 'add' (func (param i32 i32) (result i32)) takes 2 arguments, got 1", e.getMessage());
        FuncType one = FuncType.of(List.of(ValType.F64), List.of());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WasmValues.parseArgs("g", one, List.of()))
                .getMessage().contains("takes 1 argument, got 0"));
    }

    @Test
    void aBadValueNamesTheArgument() {
        FuncType add = FuncType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WasmValues.parseArgs("add", add, List.of("40", "two")));
        assertTrue(e.getMessage().startsWith("argument 2 of 'add': 'two' is not an i32"), e.getMessage());
    }

    @Test
    void formatsResults() {
        assertEquals("-1", WasmValues.format(ValType.I32, -1));
        assertEquals("-9223372036854775808", WasmValues.format(ValType.I64, Long.MIN_VALUE));
        assertEquals("1.5", WasmValues.format(ValType.F32, 1.5f));
        assertEquals("0.1", WasmValues.format(ValType.F64, 0.1));
        assertEquals("inf", WasmValues.format(ValType.F32, Float.POSITIVE_INFINITY));
        assertEquals("-inf", WasmValues.format(ValType.F64, Double.NEGATIVE_INFINITY));
        assertEquals("nan", WasmValues.format(ValType.F32, Float.intBitsToFloat(0x7fc00000)));
        assertEquals("-nan", WasmValues.format(ValType.F64, Double.longBitsToDouble(0xfff8000000000000L)));
        assertEquals("nan:0x1", WasmValues.format(ValType.F32, Float.intBitsToFloat(0x7f800001)));
        assertEquals("0x000000000000000200000000000000ff", WasmValues.format(ValType.V128, new V128(0xff, 2)));
        assertEquals("null", WasmValues.format(ValType.FUNCREF, null));
        assertEquals("<externref>", WasmValues.format(ValType.EXTERNREF, new Object()));
    }

    @Test
    void formattedValuesParseBack() {
        for (String s : List.of("nan", "-nan", "inf", "-inf", "1.5", "-0.0", "1.0E10")) {
            assertEquals(s, WasmValues.format(ValType.F64, WasmValues.parse(ValType.F64, s)));
            assertEquals(s, WasmValues.format(ValType.F32, WasmValues.parse(ValType.F32, s)));
        }
    }
}
