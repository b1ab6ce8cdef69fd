package dev.wasmbridge.component;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.LinkException;
import dev.wasmbridge.Store;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The typed bindings on {@code tests/components/echo.wat}: one Java interface, {@link Echo}, is both the
 * guest's exports ({@link ComponentInstance#bind}) and the host's imports ({@link
 * ComponentLinker#implement}), so each value goes Java → guest → Java host method → guest → Java; the
 * results are compared with the dynamic API's. Then every kind of mismatch, the checked-exception form
 * of results, and resources ({@code tests/components/resources.wat}).
 */
class BindTest {
    public record Point(int x, int y) {
    }

    public record Person(String name, short age, Optional<String> email, List<String> tags, double score) {
    }

    /** tuple&lt;u8, string, f64&gt;, by position. */
    public record Triple(byte first, String second, double third) {
    }

    public sealed interface Shape {
        record Circle(float radius) implements Shape {
        }

        record Square(int side) implements Shape {
        }

        @WitName("none")
        record Nothing() implements Shape {
        }
    }

    public enum Color { RED, GREEN, BLUE }

    public enum Perm {
        READ, WRITE,
        @WitName("exec") EXECUTE
    }

    public enum ManyFlag {
        F0, F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, F13, F14, F15, F16, F17, F18, F19, F20, F21, F22,
        F23, F24, F25, F26, F27, F28, F29, F30, F31
    }

    public record Wide(long w0, float w1, String w2, long w3, float w4, String w5, long w6, float w7, String w8,
            long w9, float w10, String w11, long w12, float w13, String w14, long w15, float w16, String w17,
            long w18, float w19) {
    }

    /** The functions of test:echo/guest, exported, and of test:echo/host, imported: the same. */
    @WitInterface("test:echo/guest")
    public interface Echo {
        boolean echoBool(boolean x);

        byte echoS8(byte x);

        byte echoU8(byte x); // the bits: 0xFF is 255

        short echoS16(short x);

        int echoU16(int x); // the exact value, in a wider type

        int echoS32(int x);

        long echoU32(long x);

        long echoS64(long x);

        BigInteger echoU64(BigInteger x);

        float echoF32(float x);

        double echoF64(double x);

        int echoChar(int x);

        String echoString(String x);

        byte[] echoBytes(byte[] x);

        List<String> echoStrings(List<String> x);

        List<List<Integer>> echoNested(List<List<Integer>> x);

        Point echoPoint(Point x);

        Person echoPerson(Person x);

        Triple echoTuple(Triple x);

        Shape echoShape(Shape x);

        Color echoColor(Color x);

        Optional<Long> echoOpt(Optional<Long> x);

        Optional<Optional<String>> echoNestedOpt(Optional<Optional<String>> x);

        Result<String, Integer> echoRes(Result<String, Integer> x);

        Result<Void, String> echoResUnitOk(Result<Void, String> x);

        Result<Void, Void> echoResPlain(Result<Void, Void> x);

        Set<Perm> echoPerms(Set<Perm> x);

        EnumSet<ManyFlag> echoManyFlags(EnumSet<ManyFlag> x);

        Wide echoWide(Wide x);

        List<Point> echoPoints(List<Point> x);

        /** A default method runs as written. */
        default int twice(int x) {
            return echoS32(echoS32(x)) * 2;
        }
    }

    /** The host's side: each method records its argument and returns it. */
    final List<Object> seen = new ArrayList<>();

    final Echo host = (Echo) java.lang.reflect.Proxy.newProxyInstance(Echo.class.getClassLoader(),
            new Class<?>[] {Echo.class}, (proxy, method, args) -> {
                seen.add(args[0]);
                return args[0];
            });

    Engine engine;
    Component component;
    ComponentLinker linker;
    Store store;
    ComponentInstance instance;
    Echo echo;

    @BeforeEach
    void setUp() {
        engine = Engine.create();
        component = Component.fromPath(engine, ComponentFixtures.path("echo"));
        linker = ComponentLinker.create(engine);
        linker.instance(EchoTest.HOST).implement(Echo.class, host);
        store = Store.create(engine);
        instance = linker.instantiate(store, component);
        echo = instance.bind(Echo.class);
    }

    @AfterEach
    void tearDown() {
        store.close();
        linker.close();
        component.close();
        engine.close();
    }

    /** The host saw {@code value} (once), and the result is it. */
    void check(Object value, Object result) {
        assertEquals(1, seen.size(), String.valueOf(seen));
        if (value instanceof byte[] b) {
            assertArrayEquals(b, (byte[]) seen.get(0));
            assertArrayEquals(b, (byte[]) result);
        } else {
            assertEquals(value, seen.get(0));
            assertEquals(value, result);
        }
        seen.clear();
    }

    @Test
    void everyKindCrossesBothWays() {
        check(true, echo.echoBool(true));
        check(Byte.MIN_VALUE, echo.echoS8(Byte.MIN_VALUE));
        check((byte) 0xFF, echo.echoU8((byte) 0xFF));
        check(Short.MAX_VALUE, echo.echoS16(Short.MAX_VALUE));
        check(65535, echo.echoU16(65535));
        check(Integer.MIN_VALUE, echo.echoS32(Integer.MIN_VALUE));
        check(0xFFFF_FFFFL, echo.echoU32(0xFFFF_FFFFL));
        check(Long.MIN_VALUE, echo.echoS64(Long.MIN_VALUE));
        BigInteger max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        check(max, echo.echoU64(max));
        check(Float.MIN_VALUE, echo.echoF32(Float.MIN_VALUE));
        check(Double.NEGATIVE_INFINITY, echo.echoF64(Double.NEGATIVE_INFINITY));
        check(0x1F600, echo.echoChar(0x1F600));
        check("héllo 👋", echo.echoString("héllo 👋"));
        check(new byte[] {0, -1, 7}, echo.echoBytes(new byte[] {0, -1, 7}));
        check(List.of("a", "", "c"), echo.echoStrings(List.of("a", "", "c")));
        check(List.of(List.of(1, -1), List.of()), echo.echoNested(List.of(List.of(1, -1), List.of())));
        check(new Point(-3, 4), echo.echoPoint(new Point(-3, 4)));
        Person p = new Person("Ada", (short) 255, Optional.of("ada@example.org"), List.of("x", "y"), 0.5);
        check(p, echo.echoPerson(p));
        Person q = new Person("Bob", (short) 0, Optional.empty(), List.of(), -1);
        check(q, echo.echoPerson(q));
        check(new Triple((byte) 200, "t", 2.5), echo.echoTuple(new Triple((byte) 200, "t", 2.5)));
        check(new Shape.Circle(1.5f), echo.echoShape(new Shape.Circle(1.5f)));
        check(new Shape.Square(-1), echo.echoShape(new Shape.Square(-1)));
        check(new Shape.Nothing(), echo.echoShape(new Shape.Nothing()));
        check(Color.BLUE, echo.echoColor(Color.BLUE));
        check(Optional.of(0xFFFF_FFFFL), echo.echoOpt(Optional.of(0xFFFF_FFFFL)));
        check(Optional.empty(), echo.echoOpt(Optional.empty()));
        check(Optional.of(Optional.empty()), echo.echoNestedOpt(Optional.of(Optional.empty())));
        check(Optional.of(Optional.of("in")), echo.echoNestedOpt(Optional.of(Optional.of("in"))));
        check(Optional.empty(), echo.echoNestedOpt(Optional.empty()));
        check(Result.ok("fine"), echo.echoRes(Result.ok("fine")));
        check(Result.err(-1), echo.echoRes(Result.err(-1)));
        check(Result.ok(null), echo.echoResUnitOk(Result.ok(null)));
        check(Result.err("no"), echo.echoResUnitOk(Result.err("no")));
        check(Result.err(null), echo.echoResPlain(Result.err(null)));
        check(EnumSet.of(Perm.READ, Perm.EXECUTE), echo.echoPerms(EnumSet.of(Perm.READ, Perm.EXECUTE)));
        check(EnumSet.noneOf(Perm.class), echo.echoPerms(Set.of()));
        check(EnumSet.of(ManyFlag.F0, ManyFlag.F31), echo.echoManyFlags(EnumSet.of(ManyFlag.F0, ManyFlag.F31)));
        Wide w = new Wide(-1, 1f, "a", 2, 2f, "b", 3, 3f, "c", 4, 4f, "d", 5, 5f, "e", 6, 6f, "f", 7, Float.NaN);
        check(w, echo.echoWide(w));
        check(List.of(new Point(1, 2), new Point(3, 4)), echo.echoPoints(List.of(new Point(1, 2), new Point(3, 4))));
        assertEquals(42, echo.twice(21));
        seen.clear();
    }

    @Test
    void boundCallsGiveWhatTheDynamicApiGives() {
        ComponentFunction person = instance.function(EchoTest.GUEST, "echo-person");
        Object natural = person.call(Map.of("name", "Ada", "age", (short) 7, "email", Optional.empty(),
                "tags", List.of("t"), "score", 1.0));
        Person typed = echo.echoPerson(new Person("Ada", (short) 7, Optional.empty(), List.of("t"), 1.0));
        assertEquals(natural, Map.of("name", typed.name(), "age", typed.age(), "email", typed.email(), "tags",
                typed.tags(), "score", typed.score()));
        assertEquals(instance.function(EchoTest.GUEST, "echo-perms").call(Set.of("read", "exec")),
                Set.of("read", "exec"));
        assertEquals(EnumSet.of(Perm.READ, Perm.EXECUTE), echo.echoPerms(EnumSet.of(Perm.READ, Perm.EXECUTE)));
        // The unsigned bits: u8 0xFF as a byte is what the dynamic API calls 255.
        assertEquals((short) 255, instance.function(EchoTest.GUEST, "echo-u8").call((short) 255));
        assertEquals((byte) -1, echo.echoU8((byte) -1));
    }

    @Test
    void badValuesAreRefusedNamingWhere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> echo.echoU32(-1));
        assertTrue(e.getMessage().contains("argument 0 'x': -1 is out of range for u32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> echo.echoPerson(new Person(null, (short) 1,
                Optional.empty(), List.of(), 0)));
        assertTrue(e.getMessage().contains("argument 0 'x' record field 'name': expected string, got null"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> echo.echoU16(70000));
        assertTrue(e.getMessage().contains("70000 is out of range for u16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> echo.echoChar(0xD800));
        assertTrue(e.getMessage().contains("is not a Unicode scalar value"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> echo.echoStrings(List.of("a", "\uD800")));
        assertTrue(e.getMessage().contains("list element 1: the string has a lone surrogate"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> echo.echoShape(null));
        assertTrue(seen.isEmpty(), "nothing reached the host");
        // The store is fine afterwards.
        assertEquals(3, echo.echoS32(3));
    }

    @Test
    void boundProxyBehavesAsAnObjectAndDiesWithItsStore() {
        assertTrue(echo.toString().contains("Echo"), echo.toString());
        assertEquals(echo, echo);
        assertFalse(echo.equals(instance.bind(Echo.class)));
        store.close();
        assertThrows(IllegalStateException.class, () -> echo.echoS32(1));
    }

    // ------------------------------------------------------------------ mismatches

    public record Point3(int x, int y, int z) {
    }

    public record PointXOnly(int x) {
    }

    public record Pair(String a, double b) {
    }

    public enum Color2 { RED, GREEN }

    public enum Perm2 { READ, WRITE, EXEC, DELETE }

    public sealed interface Shape2 {
        record Circle(float radius, float extra) implements Shape2 {
        }

        record Square(int side) implements Shape2 {
        }

        record Triangle() implements Shape2 {
        }
    }

    @WitInterface("test:echo/guest")
    public interface Wrong {
        String echoBool(boolean x); // result type

        void echoS8(byte x); // no result in Java

        byte echoU16(byte x); // narrower Java type, both ways

        int echoU64(long x); // result narrower

        Point3 echoPoint(PointXOnly x); // extra component; missing component

        Pair echoTuple(Pair x); // arity

        Color2 echoColor(Color2 x); // missing constant

        Set<Perm2> echoPerms(Set<Perm2> x); // extra constant

        Shape2 echoShape(Shape2 x); // payload count, missing case, extra case

        String echoRes(Result<String, Long> x); // result without a checked exception

        List<String> echoOpt(Optional<Long> x); // option as a List

        int echoS32(int x, int y); // parameter count

        int noSuchFunction(int x);
    }

    @Test
    void everyMismatchIsReportedAtBindTime() {
        BindException e = assertThrows(BindException.class, () -> instance.bind(Wrong.class));
        List<String> m = e.mismatches();
        String all = String.join("\n", m);
        String[] expected = {
            "Wrong.echoBool result: WIT bool, Java String",
            "Wrong.echoS8 result: the function returns s8, Java void",
            "Wrong.echoU16 parameter 0 'x': WIT u16, Java byte (byte holds fewer bits)",
            "Wrong.echoU16 result: WIT u16, Java byte (byte holds fewer bits)",
            "Wrong.echoU64 result: WIT u64, Java int (int holds fewer bits)",
            "Wrong.echoPoint parameter 0 'x': record PointXOnly has no component for WIT field 'y' (s32)",
            "Wrong.echoPoint result: record Point3 has component 'z', which WIT record { x: s32, y: s32 } does not"
                    + " have",
            "Wrong.echoTuple parameter 0 'x': WIT tuple<u8, string, f64>, Java Pair (the record has 2 components,"
                    + " the tuple 3 elements)",
            "Wrong.echoColor parameter 0 'x': Color2 has no constant for WIT 'blue' of enum { red, green, blue }",
            "Wrong.echoPerms parameter 0 'x': Perm2.DELETE ('delete') is not in WIT flags",
            "Wrong.echoShape parameter 0 'x' variant case 'circle': record Circle has 2 components; the case has a"
                    + " payload (f32): one component",
            "Wrong.echoShape parameter 0 'x': Shape2 has no record for WIT case 'none'",
            "Wrong.echoShape parameter 0 'x': Shape2's case Triangle ('triangle') is not a case of WIT",
            "Wrong.echoRes result: the function returns result<string, u32>, Java String without a checked exception",
            "Wrong.echoOpt parameter 0 'x': WIT option<u32>, Java Optional<Long>",
            "Wrong.echoOpt result: WIT option<u32>, Java List<String> (an option is an Optional)",
            "Wrong.echoS32: takes 2 parameters, the function func(x: s32) -> s32 1",
            "Wrong.noSuchFunction: the component exports no function 'no-such-function' in 'test:echo/guest'",
        };
        for (String x : expected) {
            if (x.startsWith("Wrong.echoOpt parameter")) {
                assertFalse(all.contains(x), "Optional<Long> fits option<u32>: " + all);
                continue;
            }
            assertTrue(all.contains(x), "missing: " + x + "\nin:\n" + all);
        }
        // The rest are the same mismatches in the result (for parameter and result of one type).
        assertEquals(23, m.size(), all);
        assertTrue(e.getMessage().startsWith(Wrong.class.getName() + " does not match the component's"
                + " 'test:echo/guest'"), e.getMessage());
    }

    @Test
    void interfacesAndClassesThatCannotBindAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> instance.bind(Point.class));
        BindException e = assertThrows(BindException.class, () -> instance.bind("test:echo/nowhere", Echo.class));
        assertTrue(e.getMessage().contains("the component exports no interface 'test:echo/nowhere'"), e.getMessage());
        // The root has none of Echo's functions.
        e = assertThrows(BindException.class, () -> instance.bind(null, Echo.class));
        assertEquals(Binding.functions(Echo.class).size(), e.mismatches().size(), e.getMessage());
    }

    @Test
    void aHostImplementationThatDoesNotFitFailsAtInstantiation() {
        ComponentLinker l = ComponentLinker.create(engine);
        l.instance(EchoTest.HOST).implement(Wrong.class, (Wrong) java.lang.reflect.Proxy.newProxyInstance(
                Wrong.class.getClassLoader(), new Class<?>[] {Wrong.class}, (proxy, method, args) -> null));
        try (Store s = Store.create(engine)) {
            LinkException e = assertThrows(LinkException.class, () -> l.instantiate(s, component));
            assertTrue(e.getMessage().contains("Wrong.echoBool result: WIT bool, Java String"), e.getMessage());
            assertTrue(e.getMessage().contains("Wrong.echoShape parameter 0 'x': Shape2 has no record for WIT case"),
                    e.getMessage());
            // noSuchFunction is not imported: not a mismatch.
            assertFalse(e.getMessage().contains("noSuchFunction"), e.getMessage());
            assertThrows(LinkException.class, () -> l.prepare(component));
        } finally {
            l.close();
        }
    }

    // ------------------------------------------------------------------ results as exceptions

    /** A result's error as a checked exception. */
    public static final class CodeException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int code;

        public CodeException(int code) {
            super("code " + code);
            this.code = code;
        }

        public int error() {
            return code;
        }
    }

    public static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;

        public Failed() {
            super("failed");
        }
    }

    @WitInterface("test:echo/guest")
    public interface Throwing {
        String echoRes(Result<String, Integer> x) throws CodeException;

        void echoResPlain(Result<Void, Void> x) throws Failed;
    }

    /** The host side of Throwing: throws for an error. */
    @WitInterface("test:echo/host")
    public interface ThrowingHost {
        String echoRes(Result<String, Integer> x) throws CodeException;

        void echoResPlain(Result<Void, Void> x) throws Failed;
    }

    @Test
    void resultsMayBeReturnValuesAndCheckedExceptions() throws Exception {
        ComponentLinker l = ComponentLinker.create(engine);
        l.implement(ThrowingHost.class, new ThrowingHost() {
            @Override
            public String echoRes(Result<String, Integer> x) throws CodeException {
                if (x instanceof Result.Err<String, Integer> err) {
                    throw new CodeException(err.error() + 1);
                }
                return ((Result.Ok<String, Integer>) x).value() + "!";
            }

            @Override
            public void echoResPlain(Result<Void, Void> x) throws Failed {
                if (!x.isOk()) {
                    throw new Failed();
                }
            }
        });
        l.defineUnknownImportsAsTraps(component);
        try (Store s = Store.create(engine)) {
            Throwing t = l.instantiate(s, component).bind(Throwing.class);
            assertEquals("ok!", t.echoRes(Result.ok("ok")));
            CodeException e = assertThrows(CodeException.class, () -> t.echoRes(Result.err(41)));
            assertEquals(42, e.error());
            t.echoResPlain(Result.ok(null));
            assertThrows(Failed.class, () -> t.echoResPlain(Result.err(null)));
        } finally {
            l.close();
        }
    }

    // ------------------------------------------------------------------ resources

    /** The Java class behind the host resource {@code blob}. */
    public static final class Blob {
        final String text;

        Blob(String text) {
            this.text = text;
        }
    }

    /** tests/components/resources.wat's root exports. */
    public interface Resources {
        @WitName("[constructor]counter")
        ResourceHandle newCounter(int start);

        @WitName("[method]counter.inc")
        long inc(ResourceHandle self);

        @WitName("[method]counter.get")
        long get(ResourceHandle self);

        @WitName("[static]counter.dropped")
        int dropped();

        int takeTwo(ResourceHandle a, ResourceHandle b);

        Blob makeBlob(String init);

        int blobSize(Blob b);

        Blob blobPass(Blob b);

        void blobDrop(Blob b);

        int blobConsume(Blob b);
    }

    /** test:res/host, implemented in Java. */
    @WitInterface("test:res/host")
    public interface BlobHost {
        @WitName("[constructor]blob")
        Blob newBlob(String init);

        @WitName("[method]blob.size")
        int size(Blob self);

        /** With the call's caller first. */
        int consume(ComponentCaller caller, Blob b);
    }

    @Test
    void resourcesCrossAsHandlesAndAsJavaObjects() {
        List<Blob> destroyed = new ArrayList<>();
        List<Store> consumedIn = new ArrayList<>();
        ComponentLinker l = ComponentLinker.create(engine);
        l.instance("test:res/host").defineResource("blob", Blob.class, destroyed::add);
        l.implement(BlobHost.class, new BlobHost() {
            @Override
            public Blob newBlob(String init) {
                return new Blob(init);
            }

            @Override
            public int size(Blob self) {
                return self.text.length();
            }

            @Override
            public int consume(ComponentCaller caller, Blob b) {
                consumedIn.add(caller.store());
                return b.text.length() * 10;
            }
        });
        try (Component c = Component.fromPath(engine, ComponentFixtures.path("resources"));
                Store s = Store.create(engine)) {
            Resources r = l.instantiate(s, c).bind(Resources.class);
            ResourceHandle a = r.newCounter(5);
            assertTrue(a.isOwned());
            assertEquals(6, r.inc(a));
            assertEquals(6, r.get(a));
            ResourceHandle b = r.newCounter(10);
            assertEquals(16, r.takeTwo(a, b));
            assertTrue(a.isGone() && b.isGone(), "moved into the call");
            assertEquals(2, r.dropped());
            Blob blob = r.makeBlob("four");
            assertEquals("four", blob.text);
            assertEquals(4, r.blobSize(blob));
            assertSame(blob, r.blobPass(blob));
            r.blobDrop(blob);
            assertEquals(List.of(blob), destroyed);
            assertEquals(30, r.blobConsume(new Blob("abc")));
            assertEquals(List.of(s), consumedIn, "the host method got the call's caller");
            IllegalStateException gone = assertThrows(IllegalStateException.class, () -> r.inc(a));
            assertTrue(gone.getMessage().contains("dropped or moved"), gone.getMessage());
        } finally {
            l.close();
        }
    }

    public interface WrongResources {
        @WitName("[constructor]counter")
        Blob newCounter(int start); // a guest resource is a ResourceHandle

        ResourceHandle makeBlob(String init); // a host resource is its Java class

        int blobSize(String b);
    }

    @Test
    void resourceMismatchesAreReported() {
        ComponentLinker l = ComponentLinker.create(engine);
        l.instance("test:res/host").defineResource("blob", Blob.class, x -> { })
                .defineFunction("[constructor]blob", (caller, args) -> new Blob((String) args[0]))
                .defineFunction("[method]blob.size", (caller, args) -> 0L)
                .defineFunction("consume", (caller, args) -> 0L);
        try (Component c = Component.fromPath(engine, ComponentFixtures.path("resources"));
                Store s = Store.create(engine)) {
            ComponentInstance i = l.instantiate(s, c);
            BindException e = assertThrows(BindException.class, () -> i.bind(WrongResources.class));
            String all = String.join("\n", e.mismatches());
            assertEquals(3, e.mismatches().size(), all);
            assertTrue(all.contains("WrongResources.newCounter result: WIT own<"), all);
            assertTrue(all.contains("is not a resource the linker implements in Java: use ResourceHandle"), all);
            assertTrue(all.contains("WrongResources.makeBlob result: WIT own<"), all);
            assertTrue(all.contains("the linker implements test:res/host.blob with " + Blob.class.getName()), all);
            assertTrue(all.contains("WrongResources.blobSize parameter 0 'b': WIT borrow<"), all);
        } finally {
            l.close();
        }
    }

    @Test
    void kebabCaseConversion() {
        assertEquals("make-person", TypedCodec.kebab("makePerson"));
        assertEquals("make-person", TypedCodec.kebab("MakePerson"));
        assertEquals("dark-magenta", TypedCodec.kebab("DARK_MAGENTA"));
        assertEquals("http-server", TypedCodec.kebab("HTTPServer"));
        assertEquals("default", TypedCodec.kebab("default_"));
        assertEquals("f31", TypedCodec.kebab("F31"));
        assertEquals("echo-u8", TypedCodec.kebab("echoU8"));
        assertEquals("sha256-sum", TypedCodec.kebab("sha256Sum"));
    }
}
