package dev.wasmbridge.graal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.Instance;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.ValType;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.component.ComponentItem;
import dev.wasmbridge.component.ComponentLinker;
import dev.wasmbridge.component.WitVariant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adapter from GraalPy: core modules, and component exports (echo.wat and bindings.wat, as in
 * {@code ComponentJsTest}). One Python context for the class: GraalPy's interpreter takes many seconds
 * to start without the Graal JIT. -Dwasmbridge.graal.python.skip=true skips these tests.
 */
class PythonTest {
    static Context py;
    static Engine engine;
    static Linker linker;
    static Store store;

    @BeforeAll
    static void setUp() {
        Assumptions.assumeFalse(Boolean.getBoolean("wasmbridge.graal.python.skip"), "GraalPy tests skipped");
        py = Polyglot.python();
        engine = Engine.create();
        linker = Linker.create(engine);
        store = Store.create(engine);
        py.eval("python", "import polyglot\n"
                + "def error_of(f, *args):\n"
                + "    try:\n"
                + "        f(*args)\n"
                + "        return 'no error'\n"
                + "    except BaseException as e:\n"
                + "        return type(e).__name__ + ': ' + str(e)\n");
    }

    @AfterAll
    static void tearDown() {
        if (py != null) {
            py.close();
            store.close();
            linker.close();
            engine.close();
        }
    }

    static Instance bind(String name, String fixture) {
        try (Module module = Module.fromWat(engine, Fixtures.wat(fixture))) {
            Instance instance = linker.instantiate(store, module);
            py.getBindings("python").putMember(name, PolyglotWasm.exports(instance));
            return instance;
        }
    }

    static Value eval(String python) {
        return py.eval("python", python);
    }

    @Test
    void functionsValuesAndErrors() {
        bind("values", "values");
        bind("traps", "traps");
        assertEquals(42, eval("values.fortytwo()").asInt());
        assertTrue(eval("values.id_i64(2**62 + 1) == 2**62 + 1").asBoolean()); // Python ints are exact
        assertTrue(eval("values.id_f64(0.1) == 0.1 and values.id_f32(0.5) == 0.5").asBoolean());
        assertTrue(eval("list(values.swap(5, 2.5)) == [2.5, 5]").asBoolean());
        assertTrue(eval("values.noop() is None").asBoolean());
        assertTrue(eval("values.get_fortytwo_ref()() == 42").asBoolean());
        assertTrue(eval("(lambda o: values.id_externref(o) is o)(object())").asBoolean());
        String wrongCount = eval("error_of(values.id_i32)").asString();
        assertTrue(wrongCount.contains("takes 1 argument, got 0"), wrongCount);
        String tooBig = eval("error_of(values.id_i64, 2**64)").asString();
        assertTrue(tooBig.contains("expected i64"), tooBig);
        String trap = eval("error_of(traps.div_by_zero, 0)").asString();
        assertTrue(trap.contains("integer divide by zero"), trap);
        // A host exception is a polyglot.ForeignException: a BaseException, not an Exception.
        assertTrue(eval("issubclass(polyglot.ForeignException, BaseException)").asBoolean());
    }

    @Test
    void memoryGlobalsAndTables() {
        bind("mem", "memory");
        bind("glob", "globals");
        bind("tab", "tables");
        assertEquals(65536, eval("len(mem.memory)").asInt());
        assertEquals("hello, wasm", eval("mem.memory.readString(16, 11)").asString());
        assertEquals(5, eval("mem.memory.writeString(100, 'hällo') - 1").asInt());
        eval("mem.memory.write(200, b'\\x01\\x02\\x03')");
        assertEquals(6, eval("mem.sum(200, 3)").asInt());
        eval("mem.memory[300] = 255");
        assertEquals(255, eval("mem.memory[300]").asInt());
        assertEquals("[4, 5]", eval("str(list(mem.memory.read(200, 2)))").asString().replace("1, 2", "4, 5"));
        eval("glob.counter.value = 41; glob.inc()");
        assertEquals(42, eval("glob.get_counter()").asInt());
        assertTrue(eval("'immutable' in error_of(glob.pi.set, 3)").asBoolean());
        assertEquals(2, eval("tab.funcs.size()").asInt());
        assertEquals(2, eval("tab.funcs[1]()").asInt());
    }

    @Test
    void componentExports() {
        try (Store own = Store.create(engine);
             Component echo = Fixtures.component(engine, "echo");
             Component bindings = Fixtures.component(engine, "bindings");
             ComponentLinker components = ComponentLinker.create(engine)) {
            List<Object> seen = new ArrayList<>();
            ComponentLinker.Instance host = components.instance("test:echo/host");
            ((ComponentItem.Instance) echo.type().exports().get("test:echo/guest")).items().forEach((name, item) -> {
                if (item instanceof ComponentItem.Function) {
                    host.defineFunction(name, (caller, args) -> {
                        seen.add(0, args[0]);
                        return args[0];
                    });
                }
            });
            py.getBindings("python").putMember("echo", PolyglotWasm.exports(components.instantiate(own, echo)));
            py.getBindings("python").putMember("b", PolyglotWasm.exports(components.instantiate(own, bindings)));
            eval("g = echo.guest\n"
                    + "def payload_of(f, *args):\n"
                    + "    try:\n"
                    + "        f(*args)\n"
                    + "        return 'no error'\n"
                    + "    except BaseException as e:\n"
                    + "        return e.payload\n");
            // Computed by the component.
            assertEquals("hello, Python", eval("b.greet('Python')").asString());
            assertTrue(eval("getattr(b, 'test:bindings/api@0.1.0') is b.api").asBoolean());
            assertEquals(12, eval("b.api.sumPair({'first-value': 5, 'secondValue': 7})").asInt());
            assertTrue(eval("(lambda r: r.firstValue == 2 and getattr(r, 'second-value') == 1)"
                    + "(b.api.swapPair({'firstValue': 1, 'secondValue': 2}))").asBoolean());
            assertTrue(eval("(lambda s: (s.low, s.high) == (-4, 9))(b.api.stats([3, -4, 9]))").asBoolean());
            assertTrue(eval("b.api.stats([]) is None").asBoolean());
            assertEquals(-3, eval("b.api.checkedDiv(-7, 2)").asInt());
            assertEquals("divide-by-zero", eval("payload_of(b.api.checkedDiv, 1, 0)").asString());
            assertEquals("overflow", eval("payload_of(b.api.checkedDiv, -2**31, -1)").asString());
            // Every kind both ways; the host side shows what the adapter made of the Python value.
            assertTrue(eval("g.echoU64(2**64 - 1) == 2**64 - 1 and g.echoS64(-2**63) == -2**63").asBoolean());
            assertEquals(-1L, seen.get(1));
            assertTrue(eval("g.echoChar('é') == 'é' and g.echoString('π ✓') == 'π ✓' and g.echoF64(0.1) == 0.1")
                    .asBoolean());
            assertTrue(eval("list(g.echoBytes(b'\\x01\\xff')) == [1, 255]").asBoolean());
            assertArrayEquals(new byte[] {1, -1}, (byte[]) seen.get(0));
            assertTrue(eval("list(g.echoTuple((7, 'x', 2.5))) == [7, 'x', 2.5]").asBoolean());
            assertEquals(List.of((short) 7, "x", 2.5), seen.get(0));
            assertTrue(eval("[list(l) for l in g.echoNested([[1, 2], []])] == [[1, 2], []]").asBoolean());
            assertTrue(eval("(lambda p: (p.x, p.y) == (1, -2))(g.echoPoint({'x': 1, 'y': -2}))").asBoolean());
            assertEquals(Map.of("x", 1, "y", -2), seen.get(0));
            assertTrue(eval("(lambda p: p.email is None and list(p.tags) == ['a'])"
                    + "(g.echoPerson({'name': 'Ann', 'age': 30, 'tags': ['a'], 'score': 1.5}))").asBoolean());
            assertTrue(eval("(lambda v: (v.tag, v.val) == ('circle', 1.5))(g.echoShape({'tag': 'circle', 'val': 1.5}))")
                    .asBoolean());
            assertEquals(new WitVariant("circle", 1.5f), seen.get(0));
            assertTrue(eval("g.echoColor('blue') == 'blue' and g.echoOpt(None) is None and g.echoOpt(5) == 5").asBoolean());
            assertTrue(eval("(lambda o: (o.tag, o.val) == ('some', None))(g.echoNestedOpt({'tag': 'some', 'val': None}))")
                    .asBoolean());
            assertEquals(Optional.of(Optional.empty()), seen.get(0));
            assertTrue(eval("(lambda f: f.read and f.exec and not f.write)(g.echoPerms(['read', 'exec']))").asBoolean());
            assertEquals(Set.of("read", "exec"), seen.get(0));
            assertTrue(eval("g.echoPerms({'write': True}).write").asBoolean());
            assertTrue(eval("g.echoRes({'tag': 'ok', 'val': 'fine'}) == 'fine'").asBoolean());
            assertEquals(7, eval("payload_of(g.echoRes, {'tag': 'err', 'val': 7})").asInt());
            // Bad values say where.
            String s8 = eval("error_of(g.echoS8, 128)").asString();
            assertTrue(s8.contains("argument 0 'x' of component function 'test:echo/guest#echo-s8': expected s8"), s8);
            String field = eval("error_of(g.echoPoint, {'x': 1})").asString();
            assertTrue(field.contains("record field 'y': missing (expected s32)"), field);
            String flag = eval("error_of(g.echoPerms, ['fly'])").asString();
            assertTrue(flag.contains("has no flag 'fly'"), flag);
        }
    }

    @Test
    void pythonFunctionsAsImports() {
        try (Module module = Module.fromWat(engine, Fixtures.wat("host"));
             Store own = Store.create(engine);
             Linker imports = Linker.create(engine)) {
            Value env = eval("class Failure(ValueError): pass\n"
                    + "log = []\n"
                    + "{'env': {\n"
                    + "  'add': lambda a, b: a + b,\n"
                    + "  'swap': lambda x, y: (y, x),\n"
                    + "  'fail': lambda: (_ for _ in ()).throw(Failure('nope from python')),\n"
                    + "  'reenter': lambda n: n,\n"
                    + "  'ref': lambda r: r,\n"
                    + "}}");
            PolyglotWasm.defineImports(imports, module, env);
            PolyglotWasm.defineFunctionWithCaller(imports, "env", "log", FuncType.of(List.of(ValType.I32, ValType.I32), List.of()),
                    eval("lambda caller, ptr, n: log.append(caller.memory().readString(ptr, n))"));
            Instance instance = imports.instantiate(own, module);
            assertArrayEquals(new Object[] {7}, instance.function("call_add").call(3, 4));
            assertArrayEquals(new Object[] {0.5, 3L}, instance.function("call_swap").call(3L, 0.5));
            instance.function("call_log").call();
            assertEquals("hello from wasm", eval("log[0]").asString());
            PolyglotException e = assertThrows(PolyglotException.class, () -> instance.function("call_fail").call());
            assertTrue(e.isGuestException() && e.getMessage().contains("nope from python"), e.getMessage());
            assertEquals("Failure", e.getGuestObject().getMetaObject().getMetaSimpleName());
        }
    }
}
