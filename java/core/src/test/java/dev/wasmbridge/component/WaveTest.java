package dev.wasmbridge.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Store;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.WasmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ComponentFunction#callWave(String)}: arguments in WAVE, parsed by the parameter types, and
 * the result written in WAVE; {@code tests/components/echo.wat} sends each value through the guest,
 * a Java host function and back.
 */
class WaveTest {
    static final String GUEST = EchoTest.GUEST;

    Engine engine;
    Component component;
    ComponentLinker linker;
    Store store;
    ComponentInstance instance;
    /** What the host functions were given, in order. */
    final List<Object> seen = new ArrayList<>();

    @BeforeEach
    void setUp() {
        engine = Engine.create();
        component = Component.fromPath(engine, ComponentFixtures.path("echo"));
        linker = ComponentLinker.create(engine);
        store = Store.create(engine);
        ComponentLinker.Instance host = linker.instance(EchoTest.HOST);
        ComponentItem.Instance guest = (ComponentItem.Instance) component.type().exports().get(GUEST);
        guest.items().forEach((name, item) -> {
            if (item instanceof ComponentItem.Function) {
                host.defineFunction(name, (caller, args) -> {
                    seen.add(args[0]);
                    return args[0];
                });
            }
        });
        instance = linker.instantiate(store, component);
    }

    @AfterEach
    void tearDown() {
        store.close();
        linker.close();
        component.close();
        engine.close();
    }

    /** Calls echo-{@code name} with {@code wave}; returns the result in WAVE. */
    String echo(String name, String wave) {
        seen.clear();
        String result = instance.function(GUEST, "echo-" + name).callWave(wave);
        assertEquals(1, seen.size(), name);
        return result;
    }

    /** Asserts that {@code wave} comes back as it went in. */
    void roundTrip(String name, String wave) {
        assertEquals(wave, echo(name, wave), name);
    }

    @Test
    void numbers() {
        roundTrip("bool", "true");
        roundTrip("bool", "false");
        roundTrip("s8", "-128");
        roundTrip("u8", "255");
        roundTrip("s16", "-32768");
        roundTrip("u16", "65535");
        roundTrip("s32", "-2147483648");
        roundTrip("u32", "4294967295");
        roundTrip("s64", "-9223372036854775808");
        roundTrip("u64", "18446744073709551615");
        assertEquals(-1L, seen.get(0)); // u64 max is all 64 bits set
        roundTrip("f32", "1.5");
        roundTrip("f64", "-0.125");
        roundTrip("f64", "nan");
        roundTrip("f64", "inf");
        roundTrip("f32", "-inf");
        echo("f64", "1e100");
        assertEquals(1e100, seen.get(0));
        roundTrip("f64", "0.1");
    }

    @Test
    void charsAndStrings() {
        roundTrip("char", "'x'");
        assertEquals("'👋'", echo("char", "'\\u{1F44B}'"));
        assertEquals(0x1F44B, seen.get(0));
        assertEquals("'\\''", echo("char", "'\\''"));
        String text = "\"tab\\there \\\"quoted\\\" \\\\ line\\nend \\u{e9}\"";
        assertEquals("\"tab\\there \\\"quoted\\\" \\\\ line\\nend é\"", echo("string", text));
        assertEquals("tab\there \"quoted\" \\ line\nend é", seen.get(0));
        roundTrip("string", "\"\"");
    }

    @Test
    void lists() {
        roundTrip("bytes", "[0, 1, 255]");
        roundTrip("strings", "[\"a\", \"b c\"]");
        roundTrip("strings", "[]");
        roundTrip("nested", "[[1, 2], [], [3]]");
        assertEquals("[{x: 1, y: -2}, {x: 3, y: 4}]", echo("points", "[{x: 1, y: -2}, {y: 4, x: 3}]"));
    }

    @Test
    void recordsAndTuples() {
        roundTrip("point", "{x: 1, y: -2}");
        assertEquals(Map.of("x", 1, "y", -2), seen.get(0));
        // A field of option type may be left out: it is none (and WAVE leaves a none field out).
        roundTrip("person", "{name: \"Ann\", age: 42, tags: [\"a\"], score: 1.5}");
        assertEquals("{name: \"Ann\", age: 42, tags: [\"a\"], score: 1.5}",
                echo("person", "{name: \"Ann\", age: 42, email: none, tags: [\"a\"], score: 1.5}"));
        roundTrip("person", "{name: \"Bo\", age: 7, email: some(\"bo@example.com\"), tags: [], score: 0}");
        roundTrip("tuple", "(1, \"two\", 3.5)");
    }

    @Test
    void variantsEnumsOptionsResultsFlags() {
        roundTrip("shape", "circle(1.5)");
        roundTrip("shape", "square(4)");
        roundTrip("shape", "%none"); // a case named like a keyword takes a %
        roundTrip("color", "green");
        roundTrip("opt", "some(7)");
        roundTrip("opt", "none");
        roundTrip("nested-opt", "some(none)");
        roundTrip("nested-opt", "some(some(\"x\"))");
        roundTrip("res", "ok(\"fine\")");
        roundTrip("res", "err(404)");
        roundTrip("res-unit-ok", "ok");
        roundTrip("res-unit-ok", "err(\"no\")");
        roundTrip("res-plain", "err");
        roundTrip("perms", "{read, exec}");
        roundTrip("perms", "{}");
        roundTrip("many-flags", "{f0, f31}");
    }

    @Test
    void aTrailingOptionArgumentMayBeLeftOut() {
        assertEquals("none", echo("opt", ""));
    }

    @Test
    void badWaveNamesTheProblem() {
        ComponentFunction u32 = instance.function(GUEST, "echo-u32");
        assertBad(u32, "-1", "echo-u32'", "argument 1 'x' (u32)", "`-1`");
        assertBad(u32, "4294967296", "argument 1 'x' (u32)", "invalid value");
        assertBad(u32, "\"7\"", "argument 1 'x' (u32)");
        assertBad(u32, "1, 2", "more param(s) than expected");
        assertBad(u32, "", "no params provided, but 1 required");
        assertBad(u32, "1 2", "invalid WAVE arguments `1 2`");
        assertBad(instance.function(GUEST, "echo-string"), "\"unterminated", "echo-string");
        assertBad(instance.function(GUEST, "echo-point"), "{x: 1}", "argument 1 'x' (record { x: s32, y: s32 })",
                "missing field");
        assertBad(instance.function(GUEST, "echo-color"), "purple", "enum { red, green, blue }");
        assertBad(instance.function(GUEST, "echo-perms"), "{read, nope}", "flags { read, write, exec }");
        assertBad(instance.function(GUEST, "echo-char"), "'ab'", "char");
        assertTrue(seen.isEmpty(), "nothing was called: " + seen);
    }

    static void assertBad(ComponentFunction f, String wave, String... messages) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.callWave(wave), wave);
        for (String m : messages) {
            assertTrue(e.getMessage().contains(m), "<" + m + "> in: " + e.getMessage());
        }
    }

    @Test
    void rootExportsOfMisc() {
        try (Component misc = Component.fromPath(engine, ComponentFixtures.path("misc"));
                Store s = Store.create(engine)) {
            ComponentInstance i = linker.instantiate(s, misc);
            assertEquals("3", i.function("add").callWave("1, 2"));
            assertEquals("0", i.function("add").callWave("4294967295,1")); // wrapping add
            assertEquals("true", i.function("bool-two").callWave(""));
            assertEquals("true", i.function("bool-two").callWave("  "));
            assertBad(i.function("add"), "1", "missing required param(s)", "a: u32, b: u32");
            // A trap leaves the instance unusable: last.
            TrapException trap = assertThrows(TrapException.class, () -> i.function("trap").callWave(""));
            assertEquals(TrapCode.UNREACHABLE_CODE_REACHED, trap.code());
        }
        try (Component misc = Component.fromPath(engine, ComponentFixtures.path("misc"));
                Store s = Store.create(engine)) {
            ComponentInstance i = linker.instantiate(s, misc);
            WasmException bad = assertThrows(WasmException.class, () -> i.function("bad-enum").callWave(""));
            assertTrue(bad.getMessage().contains("discriminant 3 out of range"), bad.getMessage());
        }
    }

    @Test
    void resourcesHaveNoWaveSyntax() {
        try (Component resources = Component.fromPath(engine, ComponentFixtures.path("resources"));
                ComponentLinker l = ComponentLinker.create(engine);
                Store s = Store.create(engine)) {
            l.defineUnknownImportsAsTraps(resources);
            ComponentInstance i = l.instantiate(s, resources);
            assertBad(i.function("take-counter"), "1", "argument 1 'c' is own<resource>", "no WAVE syntax");
            assertBad(i.function("[constructor]counter"), "1", "the result has no WAVE syntax");
            assertEquals("0", i.function("[static]counter.dropped").callWave(""));
        }
    }

    @Test
    void closedStore() {
        ComponentFunction f = instance.function(GUEST, "echo-u32");
        store.close();
        assertThrows(IllegalStateException.class, () -> f.callWave("1"));
        assertThrows(NullPointerException.class, () -> f.callWave(null));
    }

    @Test
    void noResultIsNull() {
        try (Component c = Component.fromWat(engine, "(component (core module $m (func (export \"f\")))"
                        + " (core instance $i (instantiate $m)) (func (export \"nothing\") (canon lift (core func $i"
                        + " \"f\"))))");
                ComponentLinker l = ComponentLinker.create(engine);
                Store s = Store.create(engine)) {
            assertNull(l.instantiate(s, c).function("nothing").callWave(""));
        }
    }
}
