package dev.wasmbridge.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A component written in Python: tests/python (app.py, api.py; the world {@code app} of
 * tests/python/wit/app.wit) built with componentize-py by scripts/build-python-component.sh into the
 * file named by the system property {@code wasmbridge.python.component} (java/core/pom.xml's execution
 * build-python-component). The component embeds CPython (about 18 MB) and imports WASI 0.2: it is
 * instantiated with {@link ComponentLinker#defineWasi()} and its exports are called with real values
 * of each kind of WIT type.
 *
 * <p>Heavy (pip install, a large component to compile): {@code -Dwasmbridge.python.skip=true} (and
 * {@code -Pquick}) skips it. Otherwise a missing component is a failure, not a skip.
 */
@Tag("heavy")
@Timeout(300)
class PythonComponentTest {
    static final String API = "test:py/api";

    static Engine engine;
    static Component component;
    static ComponentLinker linker;

    Store store;
    ComponentInstance instance;

    @BeforeAll
    static void compile() {
        Assumptions.assumeFalse(Boolean.getBoolean("wasmbridge.python.skip"),
                "the Python component is skipped (wasmbridge.python.skip)");
        String property = System.getProperty("wasmbridge.python.component");
        assertTrue(property != null && !property.isEmpty(),
                "system property wasmbridge.python.component is not set: run through Maven, or build the component"
                        + " with scripts/build-python-component.sh OUT_DIR and pass -Dwasmbridge.python.component="
                        + "OUT_DIR/python-app.wasm");
        Path path = Path.of(property);
        assertTrue(Files.isRegularFile(path), "missing " + path + ": scripts/build-python-component.sh builds it");
        engine = Engine.create();
        component = Component.fromPath(engine, path);
        linker = ComponentLinker.create(engine).defineWasi();
    }

    @AfterAll
    static void close() {
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
    void instantiate() {
        store = Store.create(engine);
        instance = linker.instantiate(store, component);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    Object call(String function, Object... args) {
        return instance.function(API, function).call(args);
    }

    static Map<String, Object> person(String name, long age, List<String> tags) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("age", age);
        p.put("tags", tags);
        return p;
    }

    @Test
    void theComponentExportsTheApiInterfaceAndImportsOnlyWasi02() {
        ComponentType type = component.type();
        // componentize-py 0.25.1 also exports an instance named "exports" (its runtime's own types and an
        // init function); the world's interface is the other one.
        assertTrue(type.exports().containsKey(API), "exports " + type.exports().keySet());
        ComponentItem.Instance api = (ComponentItem.Instance) type.exports().get(API);
        for (String f : List.of("greet", "make-person", "describe", "find", "parse-number", "next-color", "area",
                "[constructor]counter", "[method]counter.increment", "[method]counter.value")) {
            assertTrue(api.items().get(f) instanceof ComponentItem.Function, f + " in " + api.items().keySet());
        }
        for (String name : type.imports().keySet()) {
            assertTrue(name.startsWith("wasi:") && name.contains("@0.2."), "imports " + name);
        }
        String wit = component.wit();
        assertTrue(wit.contains("make-person"), wit);
    }

    @Test
    void stringsGoInAndComeBack() {
        assertEquals("Hello, World!", call("greet", "World"));
        assertEquals("Hello, ünïcødé ✓ 🐍!", call("greet", "ünïcødé ✓ 🐍"));
        assertEquals("Hello, !", call("greet", ""));
        String big = "x".repeat(100_000);
        assertEquals("Hello, " + big + "!", call("greet", big));
    }

    @Test
    void recordsAreMapsInFieldOrder() {
        Object made = call("make-person", "Ada", 36L, List.of("math", "engines"));
        assertEquals(person("Ada", 36L, List.of("math", "engines")), made);
        assertEquals(List.of("name", "age", "tags"), List.copyOf(((Map<?, ?>) made).keySet()));
        assertEquals(person("Max", 0xFFFF_FFFFL, List.of()), call("make-person", "Max", 0xFFFF_FFFFL, List.of()));
        assertEquals("Ada (36): math, engines", call("describe", made));
        assertEquals("Bob (7): ", call("describe", person("Bob", 7L, List.of())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> call("describe", Map.of("name", "no age")));
        assertTrue(e.getMessage().contains("age"), e.getMessage());
    }

    @Test
    void listsAndOptions() {
        assertEquals(Optional.of(2L), call("find", List.of("a", "b", "c", "c"), "c"));
        assertEquals(Optional.of(0L), call("find", List.of("a"), "a"));
        assertEquals(Optional.empty(), call("find", List.of("a", "b"), "z"));
        assertEquals(Optional.empty(), call("find", List.of(), "a"));
    }

    @Test
    void resultsCarryPythonsErr() {
        assertEquals(Result.ok(1234L), call("parse-number", "1234"));
        assertEquals(Result.ok(4_294_967_295L), call("parse-number", "4294967295"));
        assertEquals(Result.err("not a number: '12a'"), call("parse-number", "12a"));
        assertEquals(Result.err("too large: 4294967296"), call("parse-number", "4294967296"));
        // The instance carries on after an err.
        assertEquals(Result.ok(0L), call("parse-number", "0"));
    }

    @Test
    void enumsAreCaseNames() {
        assertEquals("green", call("next-color", "red"));
        assertEquals("blue", call("next-color", "green"));
        assertEquals("red", call("next-color", "blue"));
        assertThrows(IllegalArgumentException.class, () -> call("next-color", "purple"));
    }

    @Test
    void variantsWithAndWithoutPayloads() {
        assertEquals(Math.PI * 4, (Double) call("area", new WitVariant("circle", 2.0)), 1e-12);
        assertEquals(12.0, call("area", new WitVariant("rectangle", List.of(3.0, 4.0))));
        assertEquals(0.0, call("area", WitVariant.of("point")));
    }

    @Test
    void theCounterResourceKeepsItsStateInPython() {
        ResourceHandle a = (ResourceHandle) call("[constructor]counter", 10L);
        ResourceHandle b = (ResourceHandle) call("[constructor]counter", -5L);
        assertTrue(a.isOwned());
        assertEquals(15L, call("[method]counter.increment", a, 5L));
        assertEquals(17L, call("[method]counter.increment", a, 2L));
        assertEquals(-4L, call("[method]counter.increment", b, 1L));
        assertEquals(17L, call("[method]counter.value", a));
        assertEquals(-4L, call("[method]counter.value", b));
        a.close();
        assertTrue(a.isGone());
        assertThrows(IllegalStateException.class, () -> call("[method]counter.value", a));
        assertEquals(-4L, call("[method]counter.value", b));
        b.close();
    }

    @Test
    void eachStoreHasItsOwnPythonInterpreter() {
        ResourceHandle c = (ResourceHandle) call("[constructor]counter", 1L);
        assertEquals(2L, call("[method]counter.increment", c, 1L));
        try (Store other = Store.create(engine)) {
            ComponentInstance second = linker.instantiate(other, component);
            ResourceHandle d = (ResourceHandle) second.function(API, "[constructor]counter").call(100L);
            assertEquals(101L, second.function(API, "[method]counter.increment").call(d, 1L));
            assertEquals("Hello, other!", second.function(API, "greet").call("other"));
        }
        assertEquals(2L, call("[method]counter.value", c));
    }
}
