package dev.wasmbridge.component;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
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
 * The typed bindings on the guest written in Python (tests/bindings, the world {@code kitchen} of
 * tests/bindings/wit/kitchen.wit, every kind of WIT type): Java types written by hand for its WIT, its
 * exports bound ({@link ComponentInstance#bind}) and its imports implemented ({@link
 * ComponentLinker#implement}), and the results compared with the dynamic API's ({@link
 * KitchenComponentTest} checks the guest itself that way).
 *
 * <p>Heavy like {@link KitchenComponentTest}: compiled once per class, skipped with {@code
 * -Dwasmbridge.python.skip=true}.
 */
@Tag("heavy")
@Timeout(300)
class KitchenBindTest {
    public record Point(int x, int y) {
    }

    /** {@code tuple<A, B>}, by position. */
    public record Pair<A, B>(A first, B second) {
    }

    public enum Color { RED, GREEN, BLUE, DARK_MAGENTA }

    public enum Permissions { READ, WRITE, EXECUTE }

    public sealed interface Shape {
        record Circle(double radius) implements Shape {
        }

        record Rectangle(Pair<Double, Double> size) implements Shape {
        }

        record Polygon(List<Point> points) implements Shape {
        }

        record Empty() implements Shape {
        }
    }

    public record Summary(int count, long total, Optional<Integer> smallest, Optional<Integer> largest) {
    }

    public enum ErrorCode { DIVISION_BY_ZERO, TOO_BIG }

    /** Every field: u8 as its bits in a byte, u16 as a short, u32 as an int, u64 as a long. */
    public record Everything(boolean flag, byte tiny, short small, int medium, long big, byte ubyte, short ushort,
            int uint, long ulong, float single, double double_, int letter, String text, byte[] raw, List<String> words,
            Color color, EnumSet<Permissions> perms, Shape shape, Optional<Optional<String>> maybe,
            Result<Integer, String> outcome, Pair<String, Long> pair, String default_) {
    }

    public static final class DivideException extends Exception {
        private static final long serialVersionUID = 1L;
        private final ErrorCode code;

        public DivideException(ErrorCode code) {
            super(code.toString());
            this.code = code;
        }

        public ErrorCode error() {
            return code;
        }
    }

    public static final class MessageException extends Exception {
        private static final long serialVersionUID = 1L;

        public MessageException(String message) {
            super(message);
        }

        public String error() {
            return getMessage();
        }
    }

    public static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;

        public Failed() {
            super("failed");
        }
    }

    /** The Java class behind the host resource {@code bucket}. */
    public static final class Bucket {
        final String name;
        final Map<String, String> entries = new LinkedHashMap<>();

        Bucket(String name) {
            this.name = name;
        }
    }

    /** The exported interface; named without its version. */
    @WitInterface("test:bindings/api")
    public interface Api {
        @WitName("[constructor]counter")
        ResourceHandle newCounter(long start);

        @WitName("[method]counter.increment")
        long increment(ResourceHandle self, long by);

        @WitName("[method]counter.value")
        long value(ResourceHandle self);

        @WitName("[static]counter.merge")
        ResourceHandle merge(ResourceHandle a, ResourceHandle b);

        String greet(String name);

        Summary stats(List<Integer> values);

        Everything echo(Everything e);

        double area(Shape s);

        Color nextColor(Color c);

        EnumSet<Permissions> toggle(Set<Permissions> a, Set<Permissions> b);

        int divide(int a, int b) throws DivideException;

        void checkEven(int x) throws MessageException;

        void succeedIf(boolean succeed) throws Failed;

        Result<Optional<Optional<Integer>>, List<String>> nested(Optional<Result<Optional<Integer>, String>> v);

        List<Pair<Integer, Integer>> swapAll(List<Point> points);

        Optional<String> storeAndLoad(String bucketName, String key, String value);

        Result<Integer, String> lookupPlusOne(String word);

        String bucketLabel(Bucket b);

        Point translateTwice(Point p);
    }

    /** The world's root export. */
    public interface Kitchen {
        int add(int a, int b);
    }

    /** The imported interface, implemented in Java. */
    @WitInterface("test:bindings/host@0.1.0")
    public interface Host {
        @WitName("[constructor]bucket")
        Bucket newBucket(String name);

        @WitName("[method]bucket.get")
        Optional<String> get(Bucket self, String key);

        @WitName("[method]bucket.put")
        void put(Bucket self, String key, String value);

        @WitName("[method]bucket.name")
        String name(Bucket self);

        void log(String message);

        int lookup(String word) throws MessageException;

        Point translate(Point p, int dx, int dy);
    }

    static final List<String> calls = new ArrayList<>();
    static final List<Bucket> destroyed = new ArrayList<>();

    static final Host HOST = new Host() {
        @Override
        public Bucket newBucket(String name) {
            calls.add("new " + name);
            return new Bucket(name);
        }

        @Override
        public Optional<String> get(Bucket self, String key) {
            calls.add("get " + self.name + " " + key);
            return Optional.ofNullable(self.entries.get(key));
        }

        @Override
        public void put(Bucket self, String key, String value) {
            calls.add("put " + self.name + " " + key + "=" + value);
            self.entries.put(key, value);
        }

        @Override
        public String name(Bucket self) {
            calls.add("name " + self.name);
            return self.name;
        }

        @Override
        public void log(String message) {
            calls.add("log " + message);
        }

        @Override
        public int lookup(String word) throws MessageException {
            calls.add("lookup " + word);
            if (word.equals("seven")) {
                return 7;
            }
            throw new MessageException("no number for " + word);
        }

        @Override
        public Point translate(Point p, int dx, int dy) {
            calls.add("translate (" + p.x() + ", " + p.y() + ") by (" + dx + ", " + dy + ")");
            return new Point(p.x() + dx, p.y() + dy);
        }
    };

    static Engine engine;
    static Component component;
    static ComponentLinker linker;
    static Store store;
    static ComponentInstance instance;
    static Api api;

    @BeforeAll
    static void compileAndInstantiate() {
        Assumptions.assumeFalse(Boolean.getBoolean("wasmbridge.python.skip"),
                "the Python components are skipped (wasmbridge.python.skip)");
        String property = System.getProperty("wasmbridge.kitchen.component");
        assertTrue(property != null && !property.isEmpty(), "system property wasmbridge.kitchen.component is not set");
        Path path = Path.of(property);
        assertTrue(Files.isRegularFile(path), "missing " + path + ": scripts/build-python-component.sh builds it");
        engine = Engine.create();
        component = Component.fromPath(engine, path);
        linker = ComponentLinker.create(engine).defineWasi();
        linker.instance(KitchenComponentTest.HOST).defineResource("bucket", Bucket.class, b -> {
            calls.add("drop " + b.name);
            destroyed.add(b);
        });
        linker.implement(Host.class, HOST);
        store = Store.create(engine);
        instance = linker.instantiate(store, component);
        api = instance.bind(Api.class);
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
        calls.clear();
        destroyed.clear();
    }

    static Object dynamic(String function, Object... args) {
        return instance.function(KitchenComponentTest.API, function).call(args);
    }

    @Test
    void rootAndSimpleFunctionsGiveWhatTheDynamicApiGives() {
        Kitchen k = instance.bind(Kitchen.class);
        assertEquals(5, k.add(2, 3));
        assertEquals(instance.function("add").call(Integer.MAX_VALUE, 1), k.add(Integer.MAX_VALUE, 1));
        assertEquals(dynamic("greet", "ünï 🐍"), api.greet("ünï 🐍"));
        assertEquals(new Summary(5, 14, Optional.of(1), Optional.of(5)), api.stats(List.of(3, 1, 4, 1, 5)));
        assertEquals(new Summary(0, 0, Optional.empty(), Optional.empty()), api.stats(List.of()));
        Map<?, ?> d = (Map<?, ?>) dynamic("stats", List.of(Integer.MIN_VALUE, 0, Integer.MIN_VALUE));
        Summary s = api.stats(List.of(Integer.MIN_VALUE, 0, Integer.MIN_VALUE));
        assertEquals(d.get("count"), (long) s.count());
        assertEquals(d.get("total"), s.total());
        assertEquals(d.get("smallest"), s.smallest());
        assertEquals(Color.DARK_MAGENTA, api.nextColor(Color.BLUE));
        assertEquals(Color.RED, api.nextColor(Color.DARK_MAGENTA));
        assertEquals(dynamic("next-color", "dark-magenta"), "red");
        assertEquals(EnumSet.of(Permissions.READ, Permissions.EXECUTE),
                api.toggle(EnumSet.of(Permissions.READ, Permissions.WRITE), EnumSet.of(Permissions.WRITE,
                        Permissions.EXECUTE)));
        assertEquals(EnumSet.noneOf(Permissions.class), api.toggle(Set.of(), Set.of()));
    }

    @Test
    void variantsWithAndWithoutPayloads() {
        assertEquals(Math.PI * 4, api.area(new Shape.Circle(2)), 1e-12);
        assertEquals(6.0, api.area(new Shape.Rectangle(new Pair<>(2.0, 3.0))));
        assertEquals(12.0, api.area(new Shape.Polygon(List.of(new Point(0, 0), new Point(4, 0), new Point(4, 3),
                new Point(0, 3)))));
        assertEquals(0.0, api.area(new Shape.Empty()));
        assertEquals(dynamic("area", new WitVariant("rectangle", List.of(2.0, 3.0))),
                api.area(new Shape.Rectangle(new Pair<>(2.0, 3.0))));
    }

    @Test
    void everythingComesBackUnchanged() {
        Everything e = new Everything(true, Byte.MIN_VALUE, Short.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
                (byte) 0xFF, (short) 0xFFFF, 0xFFFF_FFFF, -1L, Float.NaN, -0.0, 0x1F40D, "tëxt", new byte[] {0, 1, -1},
                List.of("a", ""), Color.DARK_MAGENTA, EnumSet.of(Permissions.EXECUTE),
                new Shape.Polygon(List.of(new Point(-1, 1))), Optional.of(Optional.empty()), Result.err("bad"),
                new Pair<>("p", Long.MIN_VALUE), "keyword");
        Everything back = api.echo(e);
        assertNotSame(e, back);
        assertArrayEquals(e.raw(), back.raw());
        assertEquals(withoutRaw(e), withoutRaw(back));
        // The dynamic API's view of the same value: u8 255, u64 as its bits.
        Everything other = new Everything(false, (byte) 0, (short) 0, 0, 0, (byte) 0, (short) 0, 0, 0, 0f, 0.0, 'x',
                "", new byte[0], List.of(), Color.RED, EnumSet.noneOf(Permissions.class), new Shape.Empty(),
                Optional.empty(), Result.ok(42), new Pair<>("", 0L), "");
        assertEquals(withoutRaw(other), withoutRaw(api.echo(other)));
    }

    /** The record with its byte[] (compared by reference in equals) emptied. */
    static Everything withoutRaw(Everything e) {
        return new Everything(e.flag(), e.tiny(), e.small(), e.medium(), e.big(), e.ubyte(), e.ushort(), e.uint(),
                e.ulong(), e.single(), e.double_(), e.letter(), e.text(), null, e.words(), e.color(), e.perms(),
                e.shape(), e.maybe(), e.outcome(), e.pair(), e.default_());
    }

    @Test
    void resultsAsExceptionsAndAsResultValues() throws Exception {
        assertEquals(3, api.divide(10, 3));
        assertEquals(ErrorCode.DIVISION_BY_ZERO, assertThrows(DivideException.class, () -> api.divide(1, 0)).error());
        assertEquals(ErrorCode.TOO_BIG, assertThrows(DivideException.class, () -> api.divide(5000, 2)).error());
        api.checkEven(4);
        MessageException odd = assertThrows(MessageException.class, () -> api.checkEven(3));
        assertTrue(odd.getMessage().contains("3"), odd.getMessage());
        assertEquals(((Result.Err<?, ?>) dynamic("check-even", 3L)).error(), odd.getMessage());
        api.succeedIf(true);
        assertThrows(Failed.class, () -> api.succeedIf(false));
        assertEquals(Result.ok(Optional.empty()), api.nested(Optional.empty()));
        assertEquals(Result.ok(Optional.of(Optional.of(5))), api.nested(Optional.of(Result.ok(Optional.of(5)))));
        assertEquals(Result.ok(Optional.of(Optional.empty())), api.nested(Optional.of(Result.ok(Optional.empty()))));
        assertEquals(Result.err(List.of("e", "e")), api.nested(Optional.of(Result.err("e"))));
        assertEquals(List.of(new Pair<>(2, 1), new Pair<>(-4, 3)),
                api.swapAll(List.of(new Point(1, 2), new Point(3, -4))));
    }

    @Test
    void theGuestCallsTheJavaImplementation() {
        assertEquals(Optional.of("v"), api.storeAndLoad("b1", "k", "v"));
        assertTrue(calls.contains("new b1") && calls.contains("put b1 k=v") && calls.contains("log put k")
                && calls.contains("get b1 k"), calls.toString());
        assertEquals(1, destroyed.size(), "the guest dropped its bucket: the destructor ran");
        assertEquals("b1", destroyed.get(0).name);
        assertEquals(Result.ok(8), api.lookupPlusOne("seven"));
        Result<Integer, String> unknown = api.lookupPlusOne("eleven");
        assertEquals(Result.err("no number for eleven"), unknown, "the host's exception became the err");
        Bucket b = new Bucket("mine");
        assertEquals("mine", api.bucketLabel(b));
        assertTrue(calls.contains("name mine"), calls.toString());
        assertEquals(new Point(11, 22), api.translateTwice(new Point(0, 0)));
        assertTrue(calls.contains("translate (1, 2) by (10, 20)"), calls.toString());
    }

    @Test
    void guestResourcesAsHandles() {
        ResourceHandle a = api.newCounter(5);
        ResourceHandle b = api.newCounter(-2);
        assertEquals(7, api.increment(a, 2));
        assertEquals(7, api.value(a));
        ResourceHandle sum = api.merge(a, b);
        assertEquals(5, api.value(sum));
        assertEquals(7, api.value(a), "borrowed, not moved");
        a.close();
        b.close();
        sum.close();
        assertThrows(IllegalStateException.class, () -> api.value(a));
    }
}
