package dev.wasmbridge.graal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Instance;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Wasm exports used from GraalJS: functions, memories, globals, tables, errors and traps. */
class JsExportsTest {
    static Engine engine;
    static Linker linker;

    @BeforeAll
    static void setUp() {
        engine = Engine.create();
        linker = Linker.create(engine);
    }

    @AfterAll
    static void tearDown() {
        linker.close();
        engine.close();
    }

    /** A JS context with {@code wasm} bound to the exports of a fresh instance of tests/wat/NAME.wat. */
    static final class Js implements AutoCloseable {
        final Store store = Store.create(engine);
        final Context ctx;
        final Instance instance;

        Js(String fixture) {
            this(fixture, Polyglot.js());
        }

        Js(String fixture, Context ctx) {
            this.ctx = ctx;
            try (Module module = Module.fromWat(engine, Fixtures.wat(fixture))) {
                instance = linker.instantiate(store, module);
            }
            ctx.getBindings("js").putMember("wasm", PolyglotWasm.exports(instance));
        }

        Value eval(String js) {
            return ctx.eval("js", js);
        }

        /** Asserts that a JS expression is true. */
        void check(String js) {
            Value v = eval(js);
            assertTrue(v.isBoolean() && v.asBoolean(), () -> js + " gave " + v);
        }

        /** The message of the error a JS statement throws, caught in JS. */
        String error(String js) {
            Value v = eval("(() => { try { " + js + "; return 'no error'; } catch (e) { "
                    + "if (!(e instanceof Error)) return 'not an Error: ' + e; return e.message; } })()");
            return v.asString();
        }

        @Override
        public void close() {
            ctx.close();
            store.close();
        }
    }

    @Test
    void readmeExample() {
        try (Js js = new Js("add")) {
            assertEquals(42, js.eval("wasm.add(40, 2)").asInt());
            js.check("typeof wasm.add === 'function'");
            js.check("wasm.add.length === 2");
            js.check("wasm.add.name === 'add'");
            js.check("wasm.add.type === '(func (param i32 i32) (result i32))'");
            js.check("JSON.stringify(Object.keys(wasm)) === '[\"memory\",\"add\"]'");
            js.check("wasm.nothing === undefined");
        }
    }

    @Test
    void argumentsAreCheckedAgainstTheSignature() {
        try (Js js = new Js("add")) {
            assertTrue(js.error("wasm.add(1)").contains("takes 2 arguments, got 1"), js.error("wasm.add(1)"));
            assertTrue(js.error("wasm.add(1, 2, 3)").contains("takes 2 arguments, got 3"));
            assertTrue(js.error("wasm.add(2 ** 31, 1)").contains("argument 0 of wasm function 'add': expected i32"));
            assertTrue(js.error("wasm.add(1, 1.5)").contains("argument 1"));
            assertTrue(js.error("wasm.add('1', 2)").contains("expected i32"));
            assertTrue(js.error("wasm.add(null, 2)").contains("expected i32"));
            js.check("wasm.add(-(2 ** 31), -1) === 2 ** 31 - 1"); // i32 wraps
            js.check("wasm.add(true, true) === 2");
            js.check("wasm.add(2n, 3) === 5");
            // Uncaught, the Java side sees a PolyglotException around the IllegalArgumentException.
            PolyglotException e = assertThrows(PolyglotException.class, () -> js.eval("wasm.add(1)"));
            assertTrue(e.isHostException());
            assertInstanceOf(IllegalArgumentException.class, e.asHostException());
        }
    }

    @Test
    void numbersOfEveryWidth() {
        try (Js js = new Js("values")) {
            js.check("wasm.id_i32(-7) === -7");
            js.check("wasm.id_i64(5) == 5");
            Value big = js.eval("wasm.id_i64(2n ** 62n + 1n)");
            assertEquals((1L << 62) + 1, big.asLong()); // exact through interop
            js.check("wasm.id_i64(-(2n ** 63n)) == -(2 ** 63)");
            assertTrue(js.error("wasm.id_i64(2n ** 64n)").contains("expected i64"));
            assertTrue(js.error("wasm.id_i64(0.5)").contains("expected i64"));
            js.check("wasm.id_f32(0.1) === Math.fround(0.1)"); // rounded like WebAssembly's JS API
            js.check("wasm.id_f32(1e40) === Infinity");
            js.check("Number.isNaN(wasm.id_f32(NaN))");
            js.check("wasm.id_f64(Math.PI) === Math.PI");
            js.check("Object.is(wasm.id_f64(-0), -0)");
            js.check("wasm.id_f64(-Infinity) === -Infinity");
            js.check("Number.isNaN(wasm.id_f64(NaN))");
            js.check("wasm.mixed(1, 2n, 0.5, 0.25) === 3.75");
        }
    }

    @Test
    void multiValueResultsAreArrays() {
        try (Js js = new Js("values")) {
            js.check("Array.isArray(wasm.swap(5, 2.5))");
            js.check("JSON.stringify(wasm.swap(5, 2.5)) === '[2.5,5]'");
            js.check("JSON.stringify(wasm.three()) === '[1,2,3.5]'");
            js.check("wasm.noop() === null");
            Value three = js.eval("wasm.three()");
            assertEquals(3, three.getArraySize());
            assertEquals(2L, three.getArrayElement(1).asLong());
        }
    }

    @Test
    void referencesAndVectors() {
        try (Js js = new Js("values")) {
            js.check("wasm.get_fortytwo_ref()() === 42");
            js.check("wasm.call_ref(wasm.fortytwo) === 42");
            js.check("wasm.call_ref(wasm.get_fortytwo_ref()) === 42");
            js.check("wasm.id_funcref(null) === null");
            assertTrue(js.error("wasm.id_funcref(() => 1)").contains("expected funcref"));
            js.check("(() => { const o = {a: 1}; return wasm.id_externref(o) === o; })()");
            js.check("wasm.id_externref('text') === 'text'");
            js.check("wasm.is_null_externref(null) === 1 && wasm.is_null_externref(undefined) === 1");
            js.check("wasm.is_null_externref(0) === 0");
            js.check("JSON.stringify(wasm.id_v128([1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,255])) "
                    + "=== '[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,255]'");
            js.check("wasm.i32x4_add([1,0,0,0, 2,0,0,0, 3,0,0,0, 255,255,255,255], [1,0,0,0, 1,0,0,0, 1,0,0,0, 1,0,0,0])"
                    + ".join() === '2,0,0,0,3,0,0,0,4,0,0,0,0,0,0,0'");
            assertTrue(js.error("wasm.id_v128([1, 2])").contains("expected v128"));
        }
    }

    @Test
    void trapsAreCatchableErrorsAndCarryTheirCode() {
        try (Js js = new Js("traps")) {
            assertTrue(js.error("wasm.div_by_zero(0)").contains("integer divide by zero"), js.error("wasm.div_by_zero(0)"));
            assertTrue(js.error("wasm.unreachable()").contains("unreachable"));
            PolyglotException e = assertThrows(PolyglotException.class, () -> js.eval("wasm.oob_load()"));
            TrapException trap = PolyglotWasm.trap(e).orElseThrow();
            assertEquals(TrapCode.MEMORY_OUT_OF_BOUNDS, trap.code());
            assertEquals(TrapCode.STACK_OVERFLOW, PolyglotWasm.trap(assertThrows(PolyglotException.class,
                    () -> js.eval("wasm.recurse(0)"))).orElseThrow().code());
            // The store stays usable after a trap.
            js.check("wasm.div_by_zero(1) === 1");
            assertTrue(PolyglotWasm.trap(new IllegalStateException()).isEmpty());
        }
    }

    @Test
    void memoryFromJavaScript() {
        try (Js js = new Js("memory")) {
            js.eval("var m = wasm.memory");
            js.check("m.length === 65536 && m.byteLength === 65536 && m.pages === 1");
            js.check("Array.isArray(m)");
            js.check("m[16] === 'h'.charCodeAt(0)");
            js.check("m.readString(16, 11) === 'hello, wasm'");
            js.check("m.readCString(16) === 'hello, wasm'");
            js.check("m.writeString(100, 'héllo') === 6");
            js.check("m.readString(100, 6) === 'héllo'");
            js.check("wasm.sum(100, 6) === [...new TextEncoderLike('héllo')].reduce((a, b) => a + b, 0)"
                    .replace("[...new TextEncoderLike('héllo')]", "[104, 195, 169, 108, 108, 111]"));
            js.eval("m[200] = 255; m[201] = -1; m[202] = 7");
            js.check("m[200] === 255 && m[201] === 255 && m[202] === 7");
            assertTrue(js.error("m[0] = 256").contains("expected a byte"));
            js.check("m.write(300, [1, 2, 3]) === 3 && wasm.sum(300, 3) === 6");
            js.check("m.write(300, new Uint8Array([4, 5])) === 2 && wasm.sum(300, 3) === 12");
            js.check("Array.from(m.read(300, 3)).join() === '4,5,3'");
            js.eval("m.setInt32(8, -2)");
            js.check("wasm.load_i32(8) === -2 && m.getInt32(8) === -2");
            js.eval("m.setInt64(8, 2n ** 40n + 3n)");
            js.check("wasm.load_i32(8) === 3 && m.getInt64(8) == 2 ** 40 + 3");
            js.eval("m.setFloat64(16, 1.5); m.setFloat32(24, 0.25)");
            js.check("m.getFloat64(16) === 1.5 && m.getFloat32(24) === 0.25");
            js.eval("wasm.store_i64(32, -1n)");
            js.check("m.getInt64(32) == -1");
            assertTrue(js.error("m.readString(65530, 10)").length() > 0);
            assertTrue(!js.error("m.readString(65530, 10)").equals("no error"));
            js.check("m[65536] === undefined");
            // grow: the proxy always sees the current size
            js.check("m.grow(1) === 1 && m.length === 131072 && m.pages === 2 && wasm.size() === 2");
            js.eval("m[131071] = 9");
            js.check("m[131071] === 9");
            assertTrue(js.error("m.grow(5)").length() > 0 && !js.error("m.grow(5)").equals("no error"));
            assertTrue(js.error("m.foo()").contains("not a function") || !js.error("m.foo()").equals("no error"));
        }
    }

    @Test
    void memoryBufferNeedsBufferAccess() {
        try (Js js = new Js("memory")) {
            assertTrue(js.error("wasm.memory.buffer()").contains("PolyglotWasm.hostAccess()"), js.error("wasm.memory.buffer()"));
        }
        try (Js js = new Js("memory", Polyglot.jsWithBufferAccess())) {
            js.eval("var u = new Uint8Array(wasm.memory.buffer())");
            js.check("u.length === 65536 && u[16] === 'h'.charCodeAt(0)");
            js.eval("u[40] = 1; u[41] = 1");
            js.check("wasm.load_i32(40) === 257"); // zero copy: wasm sees the typed array's writes
            Value buffer = js.eval("wasm.memory.buffer()");
            assertTrue(buffer.hasBufferElements());
            assertEquals('h', buffer.readBufferByte(16));
            assertEquals(65536, buffer.getBufferSize());
        }
    }

    @Test
    void globals() {
        try (Js js = new Js("globals")) {
            js.check("wasm.counter.value === 7 && wasm.counter.type === 'i32' && wasm.counter.mutable");
            js.eval("wasm.counter.value = 9");
            js.check("wasm.get_counter() === 9");
            js.eval("wasm.inc()");
            js.check("wasm.counter.get() === 10");
            js.eval("wasm.counter.set(1n)");
            js.check("wasm.get_counter() === 1");
            assertTrue(js.error("wasm.counter.set(0.5)").contains("expected i32"));
            js.check("wasm.pi.value === Math.PI && !wasm.pi.mutable && wasm.pi.type === 'f64'");
            assertTrue(js.error("wasm.pi.set(3)").contains("immutable"), js.error("wasm.pi.set(3)"));
            js.check("(() => { 'use strict'; try { wasm.pi.value = 3; return false; } catch (e) { return true; } })()");
            js.check("wasm.pi.value === Math.PI");
            js.check("wasm.big.value == -1 && wasm.big.type === 'i64'");
            js.eval("wasm.big.value = 2n ** 62n");
            assertEquals(1L << 62, js.eval("wasm.big.value").asLong());
            js.check("wasm.ref.value === null");
            js.check("(() => { const o = {}; wasm.ref.value = o; return wasm.ref.value === o; })()");
            js.check("wasm.vec.value.length === 16 && wasm.vec.value[0] === 1 && wasm.vec.value[8] === 2");
        }
    }

    @Test
    void tables() {
        try (Js js = new Js("tables")) {
            js.eval("var t = wasm.funcs");
            js.check("t.length === 2 && t.size() === 2 && t.type === 'funcref'");
            js.check("t[0]() === 1 && t.get(1)() === 2");
            js.eval("t.set(1, wasm.one)");
            js.check("wasm.call_at(1) === 1");
            js.eval("t[1] = null");
            assertTrue(js.error("wasm.call_at(1)").contains("uninitialized element"), js.error("wasm.call_at(1)"));
            js.check("t.grow(1, wasm.one) === 2 && t.length === 3 && wasm.call_at(2) === 1");
            js.check("t.grow(1) === 3 && t[3] === null");
            assertTrue(js.error("t.set(0, 5)").contains("expected funcref"));
            js.check("t[10] === undefined");
            js.check("wasm.refs.type === 'externref' && wasm.refs[0] === null");
            js.eval("wasm.refs.set(0, 'str')");
            js.check("wasm.refs.get(0) === 'str'");
        }
    }

    @Test
    void aClosedStoreIsAnErrorNotACrash() {
        try (Js js = new Js("add")) {
            js.store.close();
            assertTrue(js.error("wasm.add(1, 2)").toLowerCase().contains("closed"), js.error("wasm.add(1, 2)"));
            assertTrue(!js.error("wasm.memory[0]").equals("no error") || js.eval("wasm.memory[0] === undefined").asBoolean());
        }
    }
}
