package dev.wasmbridge.component;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Store;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.WasmException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The guest of the typed bindings' tests, through the dynamic API: tests/bindings (guest.py, api.py; the
 * world {@code kitchen} of tests/bindings/wit/kitchen.wit) built with componentize-py by
 * scripts/build-python-component.sh into the file named by the system property {@code
 * wasmbridge.kitchen.component} (java/core/pom.xml's execution build-python-component). Every export of
 * the world is called with natural values, and the interface {@code host} is implemented here in Java,
 * its {@code bucket} resource by {@link Bucket} objects, so the guest's calls into it are recorded and
 * checked.
 *
 * <p>The component embeds CPython (about 18 MB): it is compiled and instantiated once for the class, and
 * each test starts by clearing what the host recorded (with a new instance if a call failed inside the
 * component, which leaves its instance unusable: one failure does not fail the tests after it). Heavy:
 * {@code -Dwasmbridge.python.skip=true} (and {@code -Pquick}) skips it. Otherwise a missing component is
 * a failure, not a skip.
 */
@Tag("heavy")
@Timeout(300)
class KitchenComponentTest {
    static final String API = "test:bindings/api@0.1.0";
    static final String HOST = "test:bindings/host@0.1.0";
    static final long U32_MAX = 0xFFFF_FFFFL;

    /** The Java class behind the host resource {@code bucket}. */
    static final class Bucket {
        final String name;
        final Map<String, String> entries = new LinkedHashMap<>();

        Bucket(String name) {
            this.name = name;
        }
    }

    /** What the host's {@code lookup} knows. */
    static final Map<String, Long> NUMBERS = Map.of("zero", 0L, "seven", 7L, "almost", U32_MAX - 1);

    static Engine engine;
    static Component component;
    static ComponentLinker linker;
    static Store store;
    static ComponentInstance instance;
    /** The guest's calls into the host since the test began, in order, one line each. */
    static final List<String> calls = new ArrayList<>();
    /** The buckets whose destructor ran since the test began. */
    static final List<Bucket> destroyed = new ArrayList<>();
    /** Whether a call failed inside the component: a trapped instance cannot be entered again. */
    static boolean failed;

    @BeforeAll
    static void compileAndInstantiate() {
        Assumptions.assumeFalse(Boolean.getBoolean("wasmbridge.python.skip"),
                "the Python components are skipped (wasmbridge.python.skip)");
        String property = System.getProperty("wasmbridge.kitchen.component");
        assertTrue(property != null && !property.isEmpty(),
                "system property wasmbridge.kitchen.component is not set: run through Maven, or build the component"
                        + " with scripts/build-python-component.sh OUT_DIR and pass -Dwasmbridge.kitchen.component="
                        + "OUT_DIR/python-kitchen.wasm");
        Path path = Path.of(property);
        assertTrue(Files.isRegularFile(path), "missing " + path + ": scripts/build-python-component.sh builds it");
        engine = Engine.create();
        component = Component.fromPath(engine, path);
        linker = ComponentLinker.create(engine).defineWasi();
        linker.instance(HOST)
                .defineResource("bucket", Bucket.class, b -> {
                    calls.add("drop " + b.name);
                    destroyed.add(b);
                })
                .defineFunction("[constructor]bucket", (caller, args) -> {
                    calls.add("new " + args[0]);
                    return new Bucket((String) args[0]);
                })
                .defineFunction("[method]bucket.get", (caller, args) -> {
                    Bucket b = (Bucket) args[0];
                    calls.add("get " + b.name + " " + args[1]);
                    return Optional.ofNullable(b.entries.get((String) args[1]));
                })
                .defineFunction("[method]bucket.put", (caller, args) -> {
                    Bucket b = (Bucket) args[0];
                    calls.add("put " + b.name + " " + args[1] + "=" + args[2]);
                    b.entries.put((String) args[1], (String) args[2]);
                    return null;
                })
                .defineFunction("[method]bucket.name", (caller, args) -> {
                    Bucket b = (Bucket) args[0];
                    calls.add("name " + b.name);
                    return b.name;
                })
                .defineFunction("log", (caller, args) -> {
                    calls.add("log " + args[0]);
                    return null;
                })
                .defineFunction("lookup", (caller, args) -> {
                    calls.add("lookup " + args[0]);
                    Long n = NUMBERS.get((String) args[0]);
                    return n != null ? Result.ok(n) : Result.err("no number for " + args[0]);
                })
                .defineFunction("translate", (caller, args) -> {
                    Map<?, ?> p = (Map<?, ?>) args[0];
                    int x = (Integer) p.get("x");
                    int y = (Integer) p.get("y");
                    int dx = (Integer) args[1];
                    int dy = (Integer) args[2];
                    calls.add("translate (" + x + ", " + y + ") by (" + dx + ", " + dy + ")");
                    return point(x + dx, y + dy);
                });
        instantiate();
    }

    static void instantiate() {
        store = Store.create(engine);
        instance = linker.instantiate(store, component);
        failed = false;
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
        if (linker != null) {
            linker.close();
        }
        if (component != null) {
            component.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @BeforeEach
    void forgetCalls() {
        if (failed) {
            store.close();
            instantiate();
        }
        calls.clear();
        destroyed.clear();
    }

    static Object call(String function, Object... args) {
        return call(instance.function(API, function), args);
    }

    static Object call(ComponentFunction function, Object... args) {
        try {
            return function.call(args);
        } catch (WasmException e) {
            failed = true;
            throw e;
        }
    }

    static Map<String, Object> point(int x, int y) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("x", x);
        p.put("y", y);
        return p;
    }

    /** The Java objects behind host resources that the store holds. */
    static long hostObjects() {
        return ComponentStoreState.sizes(store)[3];
    }

    @Test
    void theComponentIsTheWorldKitchen() {
        ComponentType type = component.type();
        assertInstanceOf(ComponentItem.Function.class, type.exports().get("add"), "exports " + type.exports().keySet());
        ComponentItem.Instance api = assertInstanceOf(ComponentItem.Instance.class, type.exports().get(API),
                "exports " + type.exports().keySet());
        for (String f : List.of("greet", "stats", "echo", "area", "next-color", "toggle", "divide", "check-even",
                "succeed-if", "nested", "swap-all", "store-and-load", "lookup-plus-one", "bucket-label",
                "translate-twice", "[constructor]counter", "[method]counter.increment", "[method]counter.value",
                "[static]counter.merge")) {
            assertInstanceOf(ComponentItem.Function.class, api.items().get(f), f + " in " + api.items().keySet());
        }
        ComponentItem.Instance host = assertInstanceOf(ComponentItem.Instance.class, type.imports().get(HOST),
                "imports " + type.imports().keySet());
        assertInstanceOf(ComponentItem.Resource.class, host.items().get("bucket"), "" + host.items().keySet());
        for (String f : List.of("[constructor]bucket", "[method]bucket.get", "[method]bucket.put",
                "[method]bucket.name", "log", "lookup", "translate")) {
            assertInstanceOf(ComponentItem.Function.class, host.items().get(f), f + " in " + host.items().keySet());
        }
        for (String name : type.imports().keySet()) {
            assertTrue(name.equals(HOST) || name.equals("test:bindings/types@0.1.0")
                    || name.startsWith("wasi:") && name.contains("@0.2."), "imports " + name);
        }
    }

    @Test
    void addIsTheWorldsRootFunction() {
        ComponentFunction add = instance.function("add");
        assertEquals(5, call(add, 2, 3));
        assertEquals(-4, call(add, -7, 3));
        assertEquals(0, call(add, Integer.MIN_VALUE, Integer.MIN_VALUE));
        assertEquals(Integer.MIN_VALUE, call(add, Integer.MAX_VALUE, 1)); // s32: wraps as Java's int
    }

    @Test
    void greet() {
        assertEquals("Hello, World!", call("greet", "World"));
        assertEquals("Hello, !", call("greet", ""));
        assertEquals("Hello, ünï 🐍!", call("greet", "ünï 🐍"));
    }

    @Test
    void statsOfSomeNumbersAndOfNone() {
        assertEquals(Map.of("count", 4L, "total", 9L, "smallest", Optional.of(-1), "largest", Optional.of(7)),
                call("stats", List.of(3, -1, 7, 0)));
        assertEquals(Map.of("count", 1L, "total", -5L, "smallest", Optional.of(-5), "largest", Optional.of(-5)),
                call("stats", List.of(-5)));
        // The total is an s64: s32 extremes do not overflow it.
        assertEquals(Map.of("count", 2L, "total", 4_294_967_294L,
                        "smallest", Optional.of(Integer.MAX_VALUE), "largest", Optional.of(Integer.MAX_VALUE)),
                call("stats", List.of(Integer.MAX_VALUE, Integer.MAX_VALUE)));
        assertEquals(Map.of("count", 3L, "total", -4_294_967_296L,
                        "smallest", Optional.of(Integer.MIN_VALUE), "largest", Optional.of(0)),
                call("stats", List.of(Integer.MIN_VALUE, 0, Integer.MIN_VALUE)));
        Object empty = call("stats", List.of());
        assertEquals(Map.of("count", 0L, "total", 0L, "smallest", Optional.empty(), "largest", Optional.empty()),
                empty);
        assertEquals(List.of("count", "total", "smallest", "largest"), List.copyOf(((Map<?, ?>) empty).keySet()));
    }

    /** An {@code everything} with every field set; the tests replace fields. */
    static Map<String, Object> everything() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("flag", true);
        e.put("tiny", (byte) -3);
        e.put("small", (short) 300);
        e.put("medium", 70_000);
        e.put("big", 5_000_000_000L);
        e.put("ubyte", (short) 200);
        e.put("ushort", 60_000);
        e.put("uint", 3_000_000_000L);
        e.put("ulong", 10_000_000_000L);
        e.put("single", 1.5f);
        e.put("double", -2.25);
        e.put("letter", (int) 'é');
        e.put("text", "ünïcødé ✓");
        e.put("raw", new byte[] {0, 1, (byte) 0x7F, (byte) 0x80, (byte) 0xFF});
        e.put("words", List.of("one", "", "three"));
        e.put("color", "dark-magenta");
        e.put("perms", Set.of("read", "execute"));
        e.put("shape", new WitVariant("polygon", List.of(point(0, 0), point(-1, 2))));
        e.put("maybe", Optional.of(Optional.of("inner")));
        e.put("outcome", Result.ok(42L));
        e.put("pair", List.of("p", 7L));
        e.put("default", "class");
        return e;
    }

    /** Echoes {@code e} and checks each field came back equal, in field order ({@code raw} by content). */
    static void assertEchoes(Map<String, Object> e) {
        Map<?, ?> back = (Map<?, ?>) call("echo", e);
        assertEquals(List.copyOf(e.keySet()), List.copyOf(back.keySet()));
        for (Map.Entry<String, Object> field : e.entrySet()) {
            Object got = back.get(field.getKey());
            if (field.getValue() instanceof byte[]) {
                assertArrayEquals((byte[]) field.getValue(), (byte[]) got, field.getKey());
            } else {
                // Float.equals and Double.equals: NaN equals NaN, -0.0 differs from 0.0.
                assertEquals(field.getValue(), got, field.getKey());
            }
        }
    }

    @Test
    void echoReturnsEverythingUnchanged() {
        assertEchoes(everything());
    }

    @Test
    void echoKeepsTheLargestValues() {
        Map<String, Object> e = everything();
        e.put("tiny", Byte.MAX_VALUE);
        e.put("small", Short.MAX_VALUE);
        e.put("medium", Integer.MAX_VALUE);
        e.put("big", Long.MAX_VALUE);
        e.put("ubyte", (short) 255);
        e.put("ushort", 65_535);
        e.put("uint", U32_MAX);
        e.put("ulong", -1L); // u64 max: 18446744073709551615
        e.put("single", Float.MAX_VALUE);
        e.put("double", Double.POSITIVE_INFINITY);
        e.put("letter", 0x10FFFF);
        e.put("perms", Set.of("read", "write", "execute"));
        e.put("outcome", Result.ok(U32_MAX));
        e.put("pair", List.of("max", -1L));
        assertEchoes(e);
        Map<?, ?> back = (Map<?, ?>) call("echo", e);
        assertEquals("18446744073709551615", Long.toUnsignedString((Long) back.get("ulong")));
    }

    @Test
    void echoKeepsTheSmallestAndEmptyValues() {
        Map<String, Object> e = everything();
        e.put("flag", false);
        e.put("tiny", Byte.MIN_VALUE);
        e.put("small", Short.MIN_VALUE);
        e.put("medium", Integer.MIN_VALUE);
        e.put("big", Long.MIN_VALUE);
        e.put("ubyte", (short) 0);
        e.put("ushort", 0);
        e.put("uint", 0L);
        e.put("ulong", 0L);
        e.put("single", -0.0f);
        e.put("double", -Double.MIN_VALUE);
        e.put("letter", 0);
        e.put("text", "");
        e.put("raw", new byte[0]);
        e.put("words", List.of());
        e.put("color", "red");
        e.put("perms", Set.of());
        e.put("shape", WitVariant.of("empty"));
        e.put("maybe", Optional.empty());
        e.put("outcome", Result.err(""));
        e.put("pair", List.of("", 0L));
        e.put("default", "");
        assertEchoes(e);
    }

    @Test
    void echoKeepsNanInfinitiesNonBmpCharsAndEachCase() {
        Map<String, Object> e = everything();
        e.put("single", Float.NaN);
        e.put("double", Double.NaN);
        e.put("letter", 0x1F40D); // 🐍, outside the BMP: two UTF-16 units in Java, one char in WIT
        e.put("text", "a🐍b\u0000c");
        e.put("words", List.of("🐍", "ß"));
        e.put("perms", Set.of("write"));
        e.put("shape", new WitVariant("circle", 0.5));
        e.put("maybe", Optional.of(Optional.empty()));
        e.put("outcome", Result.err("went wrong"));
        assertEchoes(e);
        Map<?, ?> back = (Map<?, ?>) call("echo", e);
        assertTrue(Float.isNaN((Float) back.get("single")) && Double.isNaN((Double) back.get("double")));
        e.put("single", Float.NEGATIVE_INFINITY);
        e.put("double", Double.NEGATIVE_INFINITY);
        e.put("letter", 'x'); // a Character is accepted; it comes back as its code point
        e.put("shape", new WitVariant("rectangle", List.of(2.0, 3.5)));
        e.put("perms", Set.of("execute"));
        Map<?, ?> rectangle = (Map<?, ?>) call("echo", e);
        assertEquals((int) 'x', rectangle.get("letter"));
        e.put("letter", (int) 'x');
        assertEchoes(e);
        e.put("shape", new WitVariant("polygon", List.of()));
        e.put("raw", new byte[100_000]);
        e.put("text", "x".repeat(100_000));
        assertEchoes(e);
    }

    @Test
    void echoRefusesAValueThatDoesNotFit() {
        Map<String, Object> e = everything();
        e.put("ubyte", (short) 256);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> call("echo", e));
        assertTrue(x.getMessage().contains("ubyte"), x.getMessage());
        e.put("ubyte", (short) 255);
        e.remove("default");
        x = assertThrows(IllegalArgumentException.class, () -> call("echo", e));
        assertTrue(x.getMessage().contains("default"), x.getMessage());
    }

    @Test
    void areaOfEachShape() {
        assertEquals(Math.PI * 4, (Double) call("area", new WitVariant("circle", 2.0)), 1e-12);
        assertEquals(12.0, call("area", new WitVariant("rectangle", List.of(3.0, 4.0))));
        assertEquals(12.0, call("area", new WitVariant("polygon",
                List.of(point(0, 0), point(4, 0), point(4, 3), point(0, 3)))));
        // Clockwise: the shoelace sum is negative, the area is not.
        assertEquals(6.0, call("area", new WitVariant("polygon", List.of(point(0, 0), point(0, 4), point(3, 0)))));
        assertEquals(0.5, call("area", new WitVariant("polygon", List.of(point(0, 0), point(1, 0), point(0, 1)))));
        // The widest square: no s32 overflow in the guest's sums.
        assertEquals(4294967295.0 * 4294967295.0, call("area", new WitVariant("polygon",
                List.of(point(Integer.MIN_VALUE, Integer.MIN_VALUE), point(Integer.MAX_VALUE, Integer.MIN_VALUE),
                        point(Integer.MAX_VALUE, Integer.MAX_VALUE), point(Integer.MIN_VALUE, Integer.MAX_VALUE)))));
        assertEquals(0.0, call("area", new WitVariant("polygon", List.of(point(1, 1), point(5, 5)))));
        assertEquals(0.0, call("area", new WitVariant("polygon", List.of())));
        assertEquals(0.0, call("area", WitVariant.of("empty")));
        assertThrows(IllegalArgumentException.class, () -> call("area", WitVariant.of("hexagon")));
    }

    @Test
    void nextColorGoesRound() {
        assertEquals("green", call("next-color", "red"));
        assertEquals("blue", call("next-color", "green"));
        assertEquals("dark-magenta", call("next-color", "blue"));
        assertEquals("red", call("next-color", "dark-magenta"));
        assertThrows(IllegalArgumentException.class, () -> call("next-color", "dark_magenta"));
    }

    @Test
    void toggleKeepsTheFlagsInExactlyOne() {
        assertEquals(Set.of("write"), call("toggle", Set.of("read"), Set.of("read", "write")));
        assertEquals(Set.of("read", "write"), call("toggle", Set.of("read", "write", "execute"), Set.of("execute")));
        assertEquals(Set.of("execute"), call("toggle", Set.of(), Set.of("execute")));
        assertEquals(Set.of("execute"), call("toggle", Set.of("execute"), Set.of()));
        assertEquals(Set.of(), call("toggle", Set.of(), Set.of()));
        assertEquals(Set.of(), call("toggle", Set.of("read", "execute"), Set.of("execute", "read")));
        assertThrows(IllegalArgumentException.class, () -> call("toggle", Set.of("delete"), Set.of()));
    }

    @Test
    void divideReturnsTheQuotientOrAnErrorCode() {
        assertEquals(Result.ok(3L), call("divide", 10L, 3L));
        assertEquals(Result.ok(0L), call("divide", 0L, 5L));
        assertEquals(Result.ok(1000L), call("divide", 1000L, 1L));
        assertEquals(Result.ok(1L), call("divide", U32_MAX, U32_MAX));
        assertEquals(Result.err("division-by-zero"), call("divide", 7L, 0L));
        assertEquals(Result.err("division-by-zero"), call("divide", 0L, 0L));
        assertEquals(Result.err("too-big"), call("divide", 1001L, 1L));
        assertEquals(Result.err("too-big"), call("divide", U32_MAX, 2L));
        assertEquals(Result.ok(1000L), call("divide", 2001L, 2L));
    }

    @Test
    void resultsWithoutPayloads() {
        assertEquals(Result.ok(null), call("check-even", 4L));
        assertEquals(Result.ok(null), call("check-even", 0L));
        assertEquals(Result.err("7 is odd"), call("check-even", 7L));
        assertEquals(Result.err("4294967295 is odd"), call("check-even", U32_MAX));
        assertEquals(Result.ok(null), call("succeed-if", true));
        assertEquals(Result.err(null), call("succeed-if", false));
    }

    @Test
    void unknownImportsBesideWasiBecomeTrapsAndWasiStaysWhole() {
        // The guest imports WASI 0.2 (wasi:io/streams re-exports wasi:io/error's resource) and the host
        // interface, left undefined here: only the host interface may be stubbed.
        try (ComponentLinker l = ComponentLinker.create(engine).defineWasi().defineUnknownImportsAsTraps(component);
                Store s = Store.create(engine)) {
            ComponentInstance i = l.instantiate(s, component);
            assertEquals(5, i.function("add").call(2, 3));
            assertEquals("Hello, stub!", i.function(API, "greet").call("stub"));
            WasmException e = assertThrows(WasmException.class,
                    () -> i.function(API, "translate-twice").call(point(1, 2)));
            assertTrue(e.getMessage().contains("unknown import: `" + HOST + "#translate` has not been defined"),
                    e.getMessage());
        }
    }

    @Test
    void trailingOptionsMayBeLeftOut() {
        // nested: func(v: option<...>): called with nothing, v is none, in both ways of calling.
        assertEquals(Result.ok(Optional.empty()), call("nested"));
        ComponentFunction nested = instance.function(API, "nested");
        assertEquals(nested.callValues(new WitValue.Option(Optional.empty())), nested.callValues());
        // A parameter of another type may not be left out.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call("check-even"));
        assertTrue(e.getMessage().contains("takes 1 argument, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> call(instance.function("add"), 3));
        assertTrue(e.getMessage().contains("takes 2 arguments, got 1"), e.getMessage());
    }

    @Test
    void integerParametersTakeAnyJavaIntegerThatFits() {
        // add: func(a: s32, b: s32): a Long or a Byte that fits is an s32, as an Integer is a u32 (check-even).
        ComponentFunction add = instance.function("add");
        assertEquals(7, call(add, 3L, (byte) 4));
        assertEquals(Result.ok(null), call("check-even", 8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call(add, 1L << 31, 0));
        assertTrue(e.getMessage().contains("2147483648 is out of the range of s32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> call("check-even", -1));
        assertTrue(e.getMessage().contains("-1 is out of the range of u32"), e.getMessage());
    }

    @Test
    void nestedKeepsEachLevelApart() {
        assertEquals(Result.ok(Optional.empty()), call("nested", Optional.empty()));
        assertEquals(Result.ok(Optional.of(Optional.of(5L))),
                call("nested", Optional.of(Result.ok(Optional.of(5L)))));
        assertEquals(Result.ok(Optional.of(Optional.empty())),
                call("nested", Optional.of(Result.ok(Optional.empty()))));
        assertEquals(Result.ok(Optional.of(Optional.of(U32_MAX))),
                call("nested", Optional.of(Result.ok(Optional.of(U32_MAX)))));
        assertEquals(Result.err(List.of("bad", "bad")), call("nested", Optional.of(Result.err("bad"))));
        assertEquals(Result.err(List.of("", "")), call("nested", Optional.of(Result.err(""))));
    }

    @Test
    void swapAllSwapsEachPoint() {
        assertEquals(List.of(List.of(2, 1), List.of(Integer.MAX_VALUE, -3), List.of(0, Integer.MIN_VALUE)),
                call("swap-all", List.of(point(1, 2), point(-3, Integer.MAX_VALUE), point(Integer.MIN_VALUE, 0))));
        assertEquals(List.of(), call("swap-all", List.of()));
    }

    @Test
    void theCounterResourceKeepsItsStateInPython() {
        ResourceHandle a = (ResourceHandle) call("[constructor]counter", 10L);
        ResourceHandle b = (ResourceHandle) call("[constructor]counter", -3L);
        assertTrue(a.isOwned());
        assertEquals(15L, call("[method]counter.increment", a, 5L));
        assertEquals(13L, call("[method]counter.increment", a, -2L));
        assertEquals(13L, call("[method]counter.value", a));
        assertEquals(-3L, call("[method]counter.value", b));
        ResourceHandle big = (ResourceHandle) call("[constructor]counter", Long.MAX_VALUE - 1);
        assertEquals(Long.MAX_VALUE, call("[method]counter.increment", big, 1L));
        big.close();
        assertTrue(big.isGone());
        assertThrows(IllegalStateException.class, () -> call("[method]counter.value", big));
        a.close();
        b.close();
    }

    @Test
    void mergeMakesANewCounterAndOnlyBorrowsItsArguments() {
        ResourceHandle a = (ResourceHandle) call("[constructor]counter", 10L);
        ResourceHandle b = (ResourceHandle) call("[constructor]counter", 32L);
        ResourceHandle sum = (ResourceHandle) call("[static]counter.merge", a, b);
        assertTrue(sum.isOwned());
        assertEquals(42L, call("[method]counter.value", sum));
        // Borrowed, not moved: both are still there, and apart from the sum.
        assertFalse(a.isGone() || b.isGone());
        assertEquals(43L, call("[method]counter.increment", sum, 1L));
        assertEquals(10L, call("[method]counter.value", a));
        assertEquals(32L, call("[method]counter.value", b));
        ResourceHandle twice = (ResourceHandle) call("[static]counter.merge", a, a);
        assertEquals(20L, call("[method]counter.value", twice));
        for (ResourceHandle h : List.of(a, b, sum, twice)) {
            h.close();
        }
    }

    @Test
    void storeAndLoadUsesABucketOfTheHostAndDropsIt() {
        long before = hostObjects();
        assertEquals(Optional.of("v"), call("store-and-load", "b1", "k", "v"));
        assertEquals(List.of("new b1", "put b1 k=v", "log put k", "get b1 k", "drop b1"), calls);
        // The bucket the guest made was a Java object: the destructor got it, with what was put in it.
        assertEquals(1, destroyed.size());
        assertEquals("b1", destroyed.get(0).name);
        assertEquals(Map.of("k", "v"), destroyed.get(0).entries);
        assertEquals(before, hostObjects());

        calls.clear();
        assertEquals(Optional.of(""), call("store-and-load", "", "ключ 🔑", ""));
        assertEquals(List.of("new ", "put  ключ 🔑=", "log put ключ 🔑", "get  ключ 🔑", "drop "), calls);
        assertEquals(2, destroyed.size());
        assertEquals(before, hostObjects());
    }

    @Test
    void bucketLabelBorrowsABucketOfJava() {
        Bucket mine = new Bucket("mine");
        long before = hostObjects();
        assertEquals("mine", call("bucket-label", mine));
        assertEquals("mine", call("bucket-label", mine));
        assertEquals(List.of("name mine", "name mine"), calls);
        // A borrow: the guest never owned it, so no destructor ran and the store keeps nothing.
        assertEquals(List.of(), destroyed);
        assertEquals(before, hostObjects());
        assertEquals("", call("bucket-label", new Bucket("")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call("bucket-label", "mine"));
        assertTrue(e.getMessage().contains(Bucket.class.getName()), e.getMessage());
    }

    @Test
    void lookupPlusOneCallsTheHostAndPassesItsErrorOn() {
        assertEquals(Result.ok(8L), call("lookup-plus-one", "seven"));
        assertEquals(Result.ok(1L), call("lookup-plus-one", "zero"));
        assertEquals(Result.ok(U32_MAX), call("lookup-plus-one", "almost"));
        assertEquals(Result.err("no number for nine"), call("lookup-plus-one", "nine"));
        assertEquals(List.of("lookup seven", "lookup zero", "lookup almost", "lookup nine"), calls);
    }

    @Test
    void translateTwiceCallsTheHostTwice() {
        assertEquals(point(14, 26), call("translate-twice", point(3, 4)));
        assertEquals(List.of("translate (3, 4) by (1, 2)", "translate (4, 6) by (10, 20)"), calls);
        calls.clear();
        assertEquals(point(0, 0), call("translate-twice", point(-11, -22)));
        assertEquals(List.of("translate (-11, -22) by (1, 2)", "translate (-10, -20) by (10, 20)"), calls);
    }

    @Test
    void aHostFunctionsExceptionReachesTheCallerAsTheSameObject() {
        // In a store of its own: the exception traps the instance it passes through.
        IllegalStateException boom = new IllegalStateException("lookup is down");
        try (ComponentLinker l = ComponentLinker.create(engine).defineWasi(); Store s = Store.create(engine)) {
            l.instance(HOST)
                    .defineResource("bucket", Bucket.class, b -> { })
                    .defineFunction("[constructor]bucket", (caller, args) -> new Bucket((String) args[0]))
                    .defineFunction("[method]bucket.get", (caller, args) -> Optional.empty())
                    .defineFunction("[method]bucket.put", (caller, args) -> null)
                    .defineFunction("[method]bucket.name", (caller, args) -> "")
                    .defineFunction("log", (caller, args) -> null)
                    .defineFunction("lookup", (caller, args) -> {
                        throw boom;
                    })
                    .defineFunction("translate", (caller, args) -> args[0]);
            ComponentInstance other = l.instantiate(s, component);
            assertEquals(point(11, 22), other.function(API, "translate-twice").call(point(11, 22)));
            assertSame(boom, assertThrows(IllegalStateException.class,
                    () -> other.function(API, "lookup-plus-one").call("seven")));
            assertThrows(TrapException.class, () -> other.function(API, "greet").call("again"));
        }
        assertEquals(List.of(), calls);
    }
}
