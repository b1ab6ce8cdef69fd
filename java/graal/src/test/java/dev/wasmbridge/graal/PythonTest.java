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
import java.util.List;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adapter from GraalPy. One Python context for the class: GraalPy's interpreter takes many seconds
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
