package dev.wasmbridge.component;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Store;
import dev.wasmbridge.TrapException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every WIT type kind crosses in both directions: {@code tests/components/echo.wat} passes each value
 * from Java into the guest, out to a Java host function, back into the guest and out to Java again.
 */
class EchoTest {
    static final String GUEST = "test:echo/guest";
    static final String HOST = "test:echo/host";

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
        ComponentLinker.Instance host = linker.instance(HOST);
        for (String name : functions()) {
            host.defineFunction(name, (caller, args) -> {
                seen.add(args[0]);
                return args[0];
            });
        }
        instance = linker.instantiate(store, component);
    }

    @AfterEach
    void tearDown() {
        store.close();
        linker.close();
        component.close();
        engine.close();
    }

    /** The echo functions the guest exports (and imports under the same names). */
    List<String> functions() {
        ComponentItem.Instance guest = (ComponentItem.Instance) component.type().exports().get(GUEST);
        List<String> names = new ArrayList<>();
        guest.items().forEach((name, item) -> {
            if (item instanceof ComponentItem.Function) {
                names.add(name);
            }
        });
        return names;
    }

    /** Echoes {@code value}, checks that the host saw {@code expected} and returns the result. */
    Object echo(String function, Object value, Object expected) {
        seen.clear();
        Object result = instance.function(GUEST, function).call(value);
        assertEquals(1, seen.size(), function);
        assertDeepEquals(expected, seen.get(0), function + " (host side)");
        assertDeepEquals(expected, result, function);
        return result;
    }

    Object echo(String function, Object value) {
        return echo(function, value, value);
    }

    @SuppressWarnings("deprecation")
    private static Object witResult(boolean ok, Object value) {
        return new WitResult(ok, value);
    }

    /** The natural value of {@code v}: written as a WitValue, read back by the natural codec. */
    static Object toNatural(WitType t, WitValue v) {
        return WitCodec.natural(t).read(ValueCodec.wrap(bytes(WitCodec.exact(t), v)), null);
    }

    /** The WitValue of natural value {@code v}: written as a natural value, read back by the exact codec. */
    static WitValue fromNatural(WitType t, Object v) {
        return (WitValue) WitCodec.exact(t).read(ValueCodec.wrap(bytes(WitCodec.natural(t), v)), null);
    }

    static byte[] bytes(WitCodec codec, Object v) {
        ValueCodec.Out out = new ValueCodec.Out(() -> {
            throw new AssertionError("no resources here");
        });
        out.reset();
        codec.write(v, out, "value");
        return out.toArray();
    }

    static void assertDeepEquals(Object expected, Object actual, String what) {
        if (expected instanceof byte[]) {
            assertArrayEquals((byte[]) expected, (byte[]) actual, what);
        } else {
            assertEquals(expected, actual, what);
            if (expected != null && !(expected instanceof java.util.Collection) && !(expected instanceof Map)) {
                assertEquals(expected.getClass(), actual.getClass(), what + ": the natural Java type");
            }
        }
    }

    @Test
    void theFixtureExportsEveryKind() {
        assertEquals(30, functions().size(), functions().toString());
        Set<WitType.Kind> kinds = new LinkedHashSet<>();
        for (String f : functions()) {
            collectKinds(instance.function(GUEST, f).type().params().get(0).type(), kinds);
        }
        for (WitType.Kind k : WitType.Kind.values()) {
            if (k != WitType.Kind.OWN && k != WitType.Kind.BORROW && k != WitType.Kind.UNSUPPORTED) {
                assertTrue(kinds.contains(k), "no echo of " + k);
            }
        }
    }

    static void collectKinds(WitType t, Set<WitType.Kind> into) {
        into.add(t.kind());
        if (t instanceof WitType.ListOf l) {
            collectKinds(l.element(), into);
        } else if (t instanceof WitType.Record r) {
            r.fields().forEach(f -> collectKinds(f.type(), into));
        } else if (t instanceof WitType.Tuple tu) {
            tu.types().forEach(x -> collectKinds(x, into));
        } else if (t instanceof WitType.Option o) {
            collectKinds(o.type(), into);
        }
    }

    @Test
    void integersKeepTheirWholeRange() {
        echo("echo-bool", true);
        echo("echo-bool", false);
        echo("echo-s8", Byte.MIN_VALUE);
        echo("echo-s8", Byte.MAX_VALUE);
        echo("echo-u8", (short) 255);
        echo("echo-u8", 255, (short) 255);
        echo("echo-s16", Short.MIN_VALUE);
        echo("echo-u16", 65535);
        echo("echo-s32", Integer.MIN_VALUE);
        echo("echo-u32", 0xFFFF_FFFFL);
        echo("echo-u32", 7, 7L);
        echo("echo-s64", Long.MIN_VALUE);
        echo("echo-s64", Long.MAX_VALUE);
        echo("echo-u64", -1L);
        echo("echo-u64", BigInteger.TWO.pow(64).subtract(BigInteger.ONE), -1L);
        echo("echo-u64", BigInteger.TWO.pow(63), Long.MIN_VALUE);
        assertEquals(new WitValue.U64(-1L), instance.function(GUEST, "echo-u64").callValues(WitValue.U64.of(
                new BigInteger("18446744073709551615"))));
        assertEquals("18446744073709551615", new WitValue.U64(-1L).toBigInteger().toString());
    }

    @Test
    void outOfRangeIntegersAreRefusedWithWhere() {
        ComponentFunction u8 = instance.function(GUEST, "echo-u8");
        assertEquals("argument 0 'x': 256 is out of the range of u8",
                assertThrows(IllegalArgumentException.class, () -> u8.call(256)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> u8.call(-1));
        assertThrows(IllegalArgumentException.class, () -> instance.function(GUEST, "echo-u64").call(-1));
        assertThrows(IllegalArgumentException.class,
                () -> instance.function(GUEST, "echo-u64").call(BigInteger.TWO.pow(64)));
        assertThrows(IllegalArgumentException.class, () -> instance.function(GUEST, "echo-s8").call(128));
        assertThrows(IllegalArgumentException.class, () -> instance.function(GUEST, "echo-bool").call(1));
        assertThrows(IllegalArgumentException.class, () -> new WitValue.U8(256));
        assertThrows(IllegalArgumentException.class, () -> new WitValue.U32(-1));
    }

    @Test
    void floatsKeepNaNPayloadsAndSignedZero() {
        for (int bits : new int[] {0x7fc0_0001, 0xffc0_1234, 0x7f80_0001, 0x8000_0000, 0x7f80_0000}) {
            Float f = (Float) instance.function(GUEST, "echo-f32").call(Float.intBitsToFloat(bits));
            assertEquals(bits, Float.floatToRawIntBits(f), Integer.toHexString(bits));
        }
        for (long bits : new long[] {0x7ff8_0000_0000_0001L, 0x7ff0_0000_0000_0001L, 0x8000_0000_0000_0000L}) {
            WitValue.F64 d = (WitValue.F64) instance.function(GUEST, "echo-f64")
                    .callValues(new WitValue.F64(Double.longBitsToDouble(bits)));
            assertEquals(bits, Double.doubleToRawLongBits(d.value()), Long.toHexString(bits));
        }
        echo("echo-f32", Float.MIN_VALUE);
        echo("echo-f64", Double.MAX_VALUE);
        echo("echo-f64", 2, 2.0);
    }

    @Test
    void charsAreCodePoints() {
        for (int cp : new int[] {0, 'a', 0xD7FF, 0xE000, 0xFFFF, 0x1F600, 0x10FFFF}) {
            echo("echo-char", cp);
        }
        echo("echo-char", 'x', (int) 'x');
        ComponentFunction c = instance.function(GUEST, "echo-char");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.call(0xD800)).getMessage()
                .contains("surrogate"));
        assertThrows(IllegalArgumentException.class, () -> c.call(0x110000));
        assertThrows(IllegalArgumentException.class, () -> c.call(-1));
        assertThrows(IllegalArgumentException.class, () -> new WitValue.Char(0xDC00));
    }

    @Test
    void stringsAreStrictUtf8() {
        echo("echo-string", "");
        echo("echo-string", "héllo wörld 😀 \u0000 end");
        echo("echo-string", "x".repeat(1 << 20));
        ComponentFunction s = instance.function(GUEST, "echo-string");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.call("a\uD800b"));
        assertTrue(e.getMessage().contains("argument 0 'x'") && e.getMessage().contains("surrogate"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.call("\uDE00"));
        assertThrows(IllegalArgumentException.class, () -> s.call("end\uD83D"));
        assertThrows(IllegalArgumentException.class, () -> new WitValue.Str("\uD800"));
        // A lone surrogate inside a list inside a record is refused with its path.
        Map<String, Object> person = person("ok", List.of("fine", "bad\uDFFF"));
        e = assertThrows(IllegalArgumentException.class, () -> instance.function(GUEST, "echo-person").call(person));
        assertTrue(e.getMessage().contains("record field 'tags'") && e.getMessage().contains("element 1"),
                e.getMessage());
    }

    @Test
    void listsAndTheByteFastPath() {
        echo("echo-bytes", new byte[0]);
        byte[] big = new byte[64 * 1024];
        new Random(1).nextBytes(big);
        echo("echo-bytes", big);
        echo("echo-bytes", List.of(1, 2, 255), new byte[] {1, 2, (byte) 255});
        echo("echo-strings", List.of());
        echo("echo-strings", List.of("a", "", "😀"));
        echo("echo-nested", List.of(List.of(), List.of(1L, 0xFFFF_FFFFL)));
        List<Object> points = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            points.add(point(i, -i));
        }
        echo("echo-points", points);
        assertEquals(new WitValue.Bytes(new byte[] {9}),
                instance.function(GUEST, "echo-bytes").callValues(new WitValue.Bytes(new byte[] {9})));
    }

    @Test
    void recordsTuplesVariantsEnumsFlags() {
        echo("echo-point", point(Integer.MIN_VALUE, Integer.MAX_VALUE));
        echo("echo-person", person("Ada", List.of("x", "y")));
        Map<String, Object> noEmail = person("Bob", List.of());
        noEmail.put("email", Optional.empty());
        echo("echo-person", noEmail);
        echo("echo-tuple", List.of((short) 1, "two", 3.0));
        echo("echo-shape", new WitVariant("circle", 1.5f));
        echo("echo-shape", new WitVariant("square", 0xFFFF_FFFFL));
        echo("echo-shape", WitVariant.of("none"));
        echo("echo-color", "red");
        echo("echo-color", "blue");
        echo("echo-perms", Set.of());
        echo("echo-perms", Set.of("read", "exec"));
        echo("echo-many-flags", Set.of("f0", "f15", "f31"));
        Map<String, Object> wide = new LinkedHashMap<>();
        WitType.Record wideType = (WitType.Record) instance.function(GUEST, "echo-wide").type().params().get(0).type();
        Random r = new Random(2);
        for (WitType.Field f : wideType.fields()) {
            wide.put(f.name(), toNatural(f.type(), RandomValues.of(f.type(), r, 2)));
        }
        echo("echo-wide", wide);
        // Errors name the place.
        Map<String, Object> bad = person("x", List.of());
        bad.put("name", 5);
        assertEquals("argument 0 'x' record field 'name': expected string, got Integer 5",
                assertThrows(IllegalArgumentException.class,
                        () -> instance.function(GUEST, "echo-person").call(bad)).getMessage());
        Map<String, Object> missing = person("x", List.of());
        missing.remove("age");
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> instance.function(GUEST, "echo-person").call(missing)).getMessage().contains("age"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> instance.function(GUEST, "echo-color").call("purple")).getMessage().contains("purple"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> instance.function(GUEST, "echo-perms").call(Set.of("fly"))).getMessage().contains("fly"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> instance.function(GUEST, "echo-shape").call(WitVariant.of("circle"))).getMessage()
                .contains("circle"));
        assertThrows(IllegalArgumentException.class,
                () -> instance.function(GUEST, "echo-tuple").call(List.of((short) 1, "two")));
    }

    @Test
    void optionsAndResultsStayApartWhenNested() {
        echo("echo-opt", Optional.empty());
        echo("echo-opt", Optional.of(0xFFFF_FFFFL));
        echo("echo-nested-opt", Optional.empty());
        echo("echo-nested-opt", Optional.of(Optional.empty()));
        echo("echo-nested-opt", Optional.of(Optional.of("")));
        assertEquals(new WitValue.Option(Optional.of(new WitValue.Option(Optional.empty()))),
                instance.function(GUEST, "echo-nested-opt").callValues(
                        new WitValue.Option(Optional.of(new WitValue.Option(Optional.empty())))));
        echo("echo-res", Result.ok("fine"));
        echo("echo-res", Result.err(4L));
        echo("echo-res-unit-ok", Result.ok(null));
        echo("echo-res-unit-ok", Result.err("bad"));
        echo("echo-res-plain", Result.ok(null));
        echo("echo-res-plain", Result.err(null));
        // The deprecated WitResult is still taken, and comes back as the Result of the same side and value.
        echo("echo-res", witResult(true, "fine"), Result.ok("fine"));
        echo("echo-res", witResult(false, 4L), Result.err(4L));
        assertThrows(IllegalArgumentException.class, () -> instance.function(GUEST, "echo-opt").call((Object) null));
        assertEquals("argument 0 'x' result ok value: the type has no value here, got String payload",
                assertThrows(IllegalArgumentException.class,
                        () -> instance.function(GUEST, "echo-res-plain").call(Result.ok("payload"))).getMessage());
    }

    /**
     * A host function calls another instance in the same store with values far larger than the store's
     * call buffer (which that call replaces) while the outer call is under way; both results arrive whole.
     */
    @Test
    void aReentrantCallThatOutgrowsTheCallBufferLeavesTheOuterCallIntact() {
        byte[] big = new byte[300_000];
        new Random(7).nextBytes(big);
        String longString = "\u00e9x\uD83D\uDC4B".repeat(20_000);
        try (ComponentLinker outerLinker = ComponentLinker.create(engine)) {
            List<Object> inner = new ArrayList<>();
            ComponentLinker.Instance host = outerLinker.instance(HOST);
            for (String name : functions()) {
                host.defineFunction(name, (caller, args) -> {
                    if (name.equals("echo-string")) {
                        inner.add(instance.function(GUEST, "echo-bytes").call((Object) big));
                        inner.add(instance.function(GUEST, "echo-string").call(longString));
                    }
                    return args[0];
                });
            }
            ComponentInstance outer = outerLinker.instantiate(store, component);
            assertEquals("short", outer.function(GUEST, "echo-string").call("short"));
            assertArrayEquals(big, (byte[]) inner.get(0));
            assertEquals(longString, inner.get(1));
            // And the other way round: a long outer value, a short inner one.
            inner.clear();
            assertEquals(longString + "!", outer.function(GUEST, "echo-string").call(longString + "!"));
            assertEquals(longString, inner.get(1));
        }
    }

    /** A large value does not leave the store holding a large call buffer. */
    @Test
    void theCallBufferShrinksAfterALargeValue() {
        byte[] big = new byte[3 << 20];
        big[big.length - 1] = 42;
        assertArrayEquals(big, (byte[]) instance.function(GUEST, "echo-bytes").call((Object) big));
        assertTrue(ComponentStoreState.of(store).io().capacity() <= ComponentStoreState.IO_KEPT);
        assertEquals("small", instance.function(GUEST, "echo-string").call("small"));
    }

    /** Random values of every function's type, through both value paths and both host flavours. */
    @Test
    void randomValuesOfEveryTypeRoundTrip() {
        try (ComponentLinker exact = ComponentLinker.create(engine); Store s = Store.create(engine)) {
            List<WitValue> hostSaw = new ArrayList<>();
            for (String f : functions()) {
                exact.instance(HOST).defineFunctionValues(f, (caller, args) -> {
                    hostSaw.add(args[0]);
                    return args[0];
                });
            }
            ComponentInstance viaValues = exact.instantiate(s, component);
            Random r = new Random(42);
            for (String f : functions()) {
                WitType t = instance.function(GUEST, f).type().params().get(0).type();
                for (int n = 0; n < 25; n++) {
                    WitValue v = RandomValues.of(t, r, 3);
                    hostSaw.clear();
                    assertEquals(v, viaValues.function(GUEST, f).callValues(v), f + " " + v);
                    assertEquals(List.of(v), hostSaw, f);
                    Object natural = toNatural(t, v);
                    Object back = instance.function(GUEST, f).call(natural);
                    assertEquals(v, fromNatural(t, back), f + " " + v);
                }
            }
        }
    }

    @Test
    void aHostValuesFunctionReturningTheWrongValueIsNamed() {
        try (ComponentLinker exact = ComponentLinker.create(engine); Store s = Store.create(engine)) {
            for (String f : functions()) {
                exact.instance(HOST).defineFunctionValues(f, (caller, args) -> new WitValue.S32(1));
            }
            ComponentInstance i = exact.instantiate(s, component);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> i.function(GUEST, "echo-string").call("x"));
            assertTrue(e.getMessage().contains("host function test:echo/host#echo-string result"), e.getMessage());
            // The failed call poisons the store's component instances, as a trap does.
            assertThrows(TrapException.class, () -> i.function(GUEST, "echo-s32").call(1));
        }
    }

    static Map<String, Object> point(int x, int y) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("x", x);
        p.put("y", y);
        return p;
    }

    static Map<String, Object> person(String name, List<String> tags) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("age", (short) 36);
        p.put("email", Optional.of(name + "@example.org"));
        p.put("tags", tags);
        p.put("score", 0.5);
        return p;
    }
}
