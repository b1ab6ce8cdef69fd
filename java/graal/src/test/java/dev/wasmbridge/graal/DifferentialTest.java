package dev.wasmbridge.graal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.Instance;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.ValType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same modules, called from JavaScript with the same arguments, on Wasmtime through this adapter
 * ({@code wt}) and on GraalWasm ({@code gw}): the results must be equal and the traps of the same kind.
 * Fixtures: tests/wat/*.wat and src/test/c/purefns.c (compiled by the POM).
 *
 * <p>Arguments are written as JavaScript literals. The Wasmtime side is called from JavaScript with
 * them, through the adapter; GraalWasm's interop wants exactly typed Java values ({@code Integer} for
 * {@code i32}, {@code Long} for {@code i64}, {@code Float} for {@code f32}, {@code Double} for {@code
 * f64}: it refuses a JavaScript BigInt for an {@code i64} and a JavaScript number for an {@code f32}),
 * so the same JavaScript values are converted by the wasm signature with the adapter's own rules and
 * GraalWasm is called with those. Calls of a fixture share one instance per engine and run in the
 * order listed, so state (globals, memory) evolves the same way on both sides.
 */
class DifferentialTest {
    /** What a trap is, whichever engine reports it. */
    enum Kind { UNREACHABLE, DIVISION_BY_ZERO, INTEGER_OVERFLOW, BAD_CONVERSION, MEMORY_OUT_OF_BOUNDS,
        TABLE_OUT_OF_BOUNDS, NULL_CALL, BAD_SIGNATURE, STACK_OVERFLOW, OTHER }

    static Context ctx;
    static Engine engine;
    static Linker linker;
    static Store store;
    static Value invoke;
    static final Map<String, Value[]> SIDES = new HashMap<>();
    static final Map<String, Module> MODULES = new HashMap<>();

    @BeforeAll
    static void setUp() {
        ctx = Polyglot.jsAndWasm();
        engine = Engine.create();
        linker = Linker.create(engine);
        store = Store.create(engine);
        // f(...args), with the args given as JS source text.
        invoke = ctx.eval("js", "(f, args) => f(...(0, eval)('[' + args + ']'))");
    }

    @AfterAll
    static void tearDown() {
        ctx.close();
        MODULES.values().forEach(Module::close);
        store.close();
        linker.close();
        engine.close();
    }

    /** The exports of {@code fixture} on Wasmtime (through the adapter) and on GraalWasm, as JS values. */
    static Value[] sides(String fixture) {
        return SIDES.computeIfAbsent(fixture, f -> {
            byte[] binary = Fixtures.binary(f);
            Module module = Module.fromBytes(engine, binary);
            MODULES.put(f, module);
            Instance instance = linker.instantiate(store, module);
            ctx.getBindings("js").putMember("wt_" + f, PolyglotWasm.exports(instance));
            Value wt = ctx.getBindings("js").getMember("wt_" + f);
            Value gw = Fixtures.graalWasmExports(ctx, f, binary);
            return new Value[] {wt, gw};
        });
    }

    static FuncType type(String fixture, String export) {
        sides(fixture);
        return (FuncType) MODULES.get(fixture).exports().stream().filter(e -> e.name().equals(export))
                .findFirst().orElseThrow().type();
    }

    /** A call's outcome, comparable across engines: "value: ..." or "trap: KIND". */
    static String outcome(Value function, String args, boolean wasmtime) {
        return outcome(function, args, wasmtime, null);
    }

    static String outcome(Value function, String args, boolean wasmtime, FuncType type) {
        try {
            if (wasmtime) {
                return "value: " + render(invoke.execute(function, args));
            }
            Value js = ctx.eval("js", "[" + args + "]");
            Object[] typed = new Object[(int) js.getArraySize()];
            for (int i = 0; i < typed.length; i++) {
                typed[i] = Convert.toWasm(type.params().get(i), js.getArrayElement(i), "argument " + i);
            }
            return "value: " + render(function.execute(typed));
        } catch (PolyglotException e) {
            return "trap: " + (wasmtime ? wasmtimeKind(e) : graalWasmKind(e));
        }
    }

    static String render(Value v) {
        if (v.isNull() || v.toString().equals("wasm-void-result")) {
            return "null"; // GraalWasm's result of a function without results
        }
        if (v.hasArrayElements()) {
            List<String> parts = new ArrayList<>();
            for (long i = 0; i < v.getArraySize(); i++) {
                parts.add(render(v.getArrayElement(i)));
            }
            return parts.toString();
        }
        if (v.fitsInLong()) {
            return Long.toString(v.asLong());
        }
        if (v.fitsInDouble()) {
            double d = v.asDouble();
            return Double.isNaN(d) ? "NaN" : Double.toString(d); // -0.0 stays distinct from 0.0
        }
        return v.toString();
    }

    static Kind wasmtimeKind(PolyglotException e) {
        Optional<TrapException> trap = PolyglotWasm.trap(e);
        if (trap.isEmpty()) {
            throw new AssertionError("wasmtime side failed without a trap", e);
        }
        TrapCode code = trap.get().code();
        switch (code) {
            case UNREACHABLE_CODE_REACHED: return Kind.UNREACHABLE;
            case INTEGER_DIVISION_BY_ZERO: return Kind.DIVISION_BY_ZERO;
            case INTEGER_OVERFLOW: return Kind.INTEGER_OVERFLOW;
            case BAD_CONVERSION_TO_INTEGER: return Kind.BAD_CONVERSION;
            case MEMORY_OUT_OF_BOUNDS: return Kind.MEMORY_OUT_OF_BOUNDS;
            case TABLE_OUT_OF_BOUNDS: return Kind.TABLE_OUT_OF_BOUNDS;
            case INDIRECT_CALL_TO_NULL: return Kind.NULL_CALL;
            case BAD_SIGNATURE: return Kind.BAD_SIGNATURE;
            case STACK_OVERFLOW: return Kind.STACK_OVERFLOW;
            default: return Kind.OTHER;
        }
    }

    /** GraalWasm reports traps as guest exceptions with a message; these are its messages in 25.0. */
    static Kind graalWasmKind(PolyglotException e) {
        if (!e.isGuestException()) {
            throw new AssertionError("GraalWasm side failed outside wasm", e);
        }
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.equals("unreachable")) {
            return Kind.UNREACHABLE;
        }
        if (m.contains("integer divide by zero")) {
            return Kind.DIVISION_BY_ZERO;
        }
        if (m.contains("integer overflow")) {
            return Kind.INTEGER_OVERFLOW;
        }
        if (m.contains("invalid conversion to integer")) {
            return Kind.BAD_CONVERSION;
        }
        if (m.contains("memory access") && m.contains("out-of-bounds") || m.contains("out of bounds memory access")) {
            return Kind.MEMORY_OUT_OF_BOUNDS;
        }
        if (m.contains("out of table bounds")) {
            return Kind.TABLE_OUT_OF_BOUNDS;
        }
        if (m.contains("table element") && m.contains("uninitialized")) {
            return Kind.NULL_CALL;
        }
        if (m.contains("types differ in the indirect call")) {
            return Kind.BAD_SIGNATURE;
        }
        if (m.contains("call stack exhausted") || m.contains("stack overflow")) {
            return Kind.STACK_OVERFLOW;
        }
        return Kind.OTHER;
    }

    static Arguments call(String fixture, String export, String args) {
        return Arguments.of(fixture, export, args);
    }

    static Stream<Arguments> calls() {
        String i64min = "-(2n ** 63n)";
        return Stream.of(
                call("add", "add", "1, 2"), call("add", "add", "2147483647, 1"), call("add", "add", "-5, 3"),
                call("values", "id_i32", "-7"), call("values", "id_i64", "2n ** 62n + 1n"), call("values", "id_i64", i64min),
                call("values", "id_f32", "0.5"), call("values", "id_f32", "-3.25"), call("values", "id_f32", "Infinity"),
                call("values", "id_f64", "Math.PI"), call("values", "id_f64", "-0"), call("values", "id_f64", "NaN"),
                call("values", "id_f64", "-Infinity"), call("values", "swap", "5n, 2.5"), call("values", "three", ""),
                call("values", "noop", ""), call("values", "mixed", "1, 2n, 0.5, 0.25"), call("values", "fortytwo", ""),
                call("typed", "v_i", ""), call("typed", "v_j", ""), call("typed", "i_i", "41"), call("typed", "ii_i", "10, 13"),
                call("typed", "j_j", "7n"), call("typed", "jj_j", "-9n, 2n"), call("typed", "jj_j", "1n, 0n"),
                call("typed", "jj_j", i64min + ", -1n"), call("typed", "d_d", "2"), call("typed", "dd_d", "1, 0"),
                call("typed", "dd_d", "0, 0"), call("typed", "f_f", "1.5"), call("typed", "v_v", ""),
                call("typed", "v_j", ""), call("typed", "i_v", "-3"), call("typed", "v_j", ""), call("typed", "j_v", "2n ** 40n"),
                call("typed", "v_j", ""),
                call("memory", "load_i32", "16"), call("memory", "store_i64", "64, 123456789123n"),
                call("memory", "load_i32", "64"), call("memory", "load_i32", "68"), call("memory", "sum", "16, 11"),
                call("memory", "size", ""), call("memory", "load_i32", "65533"), call("memory", "grow", "1"),
                call("memory", "size", ""), call("memory", "load_i32", "65533"), call("memory", "load_i32", "131072"),
                call("memory", "grow", "5"), call("memory", "load_i32", "-1"),
                call("traps", "unreachable", ""), call("traps", "div_by_zero", "0"), call("traps", "div_by_zero", "1"),
                call("traps", "overflow", ""), call("traps", "bad_conversion", ""), call("traps", "oob_load", ""),
                call("traps", "oob_table", ""), call("traps", "null_call", ""), call("traps", "bad_signature", ""),
                call("traps", "recurse", "0"), call("traps", "nested", ""),
                call("loop", "count", "1000"), call("loop", "count", "0"),
                call("globals", "get_counter", ""), call("globals", "inc", ""), call("globals", "get_counter", ""),
                call("tables", "call_at", "0"), call("tables", "call_at", "1"), call("tables", "call_at", "5"),
                call("tables", "one", ""),
                call("purefns", "add", "-1, -2"), call("purefns", "fib", "0"), call("purefns", "fib", "1"),
                call("purefns", "fib", "50"), call("purefns", "fib", "92"), call("purefns", "fib", "100"),
                call("purefns", "gcd", "48, 18"), call("purefns", "gcd", "-12, 8"), call("purefns", "gcd", "0, 0"),
                call("purefns", "div_s", "7, -2"), call("purefns", "div_s", "1, 0"), call("purefns", "div_s", "-2147483648, -1"),
                call("purefns", "rem_u", "-1, 7"), call("purefns", "rem_u", "5, 0"),
                call("purefns", "div_i64", i64min + ", -1n"), call("purefns", "div_i64", "10n ** 18n, 7n"),
                call("purefns", "collatz", "27"), call("purefns", "collatz", "-1"),
                call("purefns", "mix64", "12345n"), call("purefns", "mix64", "-1n"), call("purefns", "mix64", "0n"),
                call("purefns", "hypot2", "3, 4"), call("purefns", "hypot2", "1e200, 1e200"),
                call("purefns", "lerpf", "0, 10, 0.25"), call("purefns", "lerpf", "-1.5, 2.5, 0.5"),
                call("purefns", "fdiv", "1, 0"), call("purefns", "fdiv", "-1, 0"), call("purefns", "fdiv", "0, 0"),
                call("purefns", "to_int", "-3.9"), call("purefns", "to_int", "1e300"), call("purefns", "to_int", "NaN"),
                call("purefns", "load_at", "100000000"), call("purefns", "load_at", "-4"), call("purefns", "trap", ""),
                call("purefns", "recurse", "1000"), call("purefns", "recurse", "100000000"));
    }

    @ParameterizedTest(name = "{0}.{1}({2})")
    @MethodSource("calls")
    void sameResultsAndTraps(String fixture, String export, String args) {
        Value[] sides = sides(fixture);
        FuncType type = type(fixture, export);
        String wt = outcome(sides[0].getMember(export), args, true);
        String gw = outcome(sides[1].getMember(export), args, false, type);
        assertEquals(gw, wt, fixture + "." + export + "(" + args + "): GraalWasm vs Wasmtime");
        assertNotEquals("trap: OTHER", wt);
    }

    /** Memory in, memory out: the same input bytes processed by C functions on both engines. */
    @ParameterizedTest(name = "text {index}")
    @MethodSource("texts")
    void sameMemoryEffects(String text) {
        Value[] sides = sides("purefns");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int buf = sides[0].getMember("buf").execute().asInt();
        assertEquals(buf, sides[1].getMember("buf").execute().asInt());
        // Wasmtime's memory through the adapter; GraalWasm's through the polyglot buffer API.
        Value wtMemory = sides[0].getMember("memory");
        Value gwMemory = sides[1].getMember("memory");
        assertTrue(gwMemory.hasBufferElements());
        wtMemory.invokeMember("write", buf, ProxyArray.fromArray(box(bytes)));
        for (int i = 0; i < bytes.length; i++) {
            gwMemory.writeBufferByte(buf + i, bytes[i]);
        }
        String args = buf + ", " + bytes.length;
        for (String f : List.of("crc32", "upper")) {
            assertEquals(outcome(sides[1].getMember(f), args, false, type("purefns", f)),
                    outcome(sides[0].getMember(f), args, true), f);
        }
        byte[] gwOut = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            gwOut[i] = gwMemory.readBufferByte(buf + i);
        }
        assertEquals(new String(gwOut, StandardCharsets.UTF_8),
                wtMemory.invokeMember("readString", buf, bytes.length).asString());
        StringBuilder asciiUpper = new StringBuilder();
        text.chars().forEach(c -> asciiUpper.append((char) (c >= 'a' && c <= 'z' ? c - 32 : c)));
        assertEquals(asciiUpper.toString(), new String(gwOut, StandardCharsets.UTF_8));
    }

    static Stream<String> texts() {
        return Stream.of("", "hello, wasm", "Grüße aus Java – und JavaScript!", "x".repeat(3000));
    }

    @Test
    void sortsTheSameWay() {
        Value[] sides = sides("purefns");
        int buf = sides[0].getMember("buf").execute().asInt();
        int[] values = {5, -1, 99, 0, 42, -2147483648, 7, 7, 2147483647, 3};
        Value wtMemory = sides[0].getMember("memory");
        Value gwMemory = sides[1].getMember("memory");
        for (int i = 0; i < values.length; i++) {
            wtMemory.invokeMember("setInt32", buf + 4 * i, values[i]);
            gwMemory.writeBufferInt(java.nio.ByteOrder.LITTLE_ENDIAN, buf + 4 * i, values[i]);
        }
        String args = buf + ", " + values.length;
        assertEquals(outcome(sides[1].getMember("sort_ints"), args, false, type("purefns", "sort_ints")),
                outcome(sides[0].getMember("sort_ints"), args, true));
        for (int i = 0; i < values.length; i++) {
            assertEquals(gwMemory.readBufferInt(java.nio.ByteOrder.LITTLE_ENDIAN, buf + 4 * i),
                    wtMemory.invokeMember("getInt32", buf + 4 * i).asInt(), "element " + i);
        }
    }

    /** Every export of every fixture called here has a numeric signature the differential can drive. */
    @Test
    void fixturesHaveOnlyDrivableSignaturesInTheList() {
        calls().forEach(a -> {
            FuncType t = type((String) a.get()[0], (String) a.get()[1]);
            for (ValType v : t.params()) {
                assertTrue(v != ValType.V128 && v != ValType.FUNCREF, t.toString());
            }
        });
    }

    private static Object[] box(byte[] bytes) {
        Object[] out = new Object[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i];
        }
        return out;
    }
}
