package dev.wasmbridge.graal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.Instance;
import dev.wasmbridge.LinkException;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.ValType;
import java.util.List;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JavaScript functions as wasm imports (tests/wat/host.wat), called from Java and from JavaScript. */
class JsImportsTest {
    static final String IMPORTS = "({ env: {"
            + "  add: (a, b) => a + b,"
            + "  swap: (x, y) => [y, x],"
            + "  fail: () => { throw failure; },"
            + "  reenter: (n) => wasm.countdown(n - 1),"
            + "  ref: (r) => r,"
            + "} })";

    Engine engine;
    Module module;
    Store store;
    Linker linker;
    Context ctx;

    @BeforeEach
    void setUp() {
        engine = Engine.create();
        module = Module.fromWat(engine, Fixtures.wat("host"));
        store = Store.create(engine);
        linker = Linker.create(engine);
        ctx = Polyglot.js();
        ctx.eval("js", "var failure = new Error('boom from js'); var logged = [];");
    }

    @AfterEach
    void tearDown() {
        ctx.close();
        linker.close();
        store.close();
        module.close();
        engine.close();
    }

    /** Defines host.wat's imports from JavaScript, instantiates, and binds the exports as {@code wasm}. */
    Instance instantiate() {
        PolyglotWasm.defineImports(linker, module, ctx.eval("js", IMPORTS));
        PolyglotWasm.defineFunctionWithCaller(linker, "env", "log", FuncType.of(List.of(ValType.I32, ValType.I32), List.of()),
                ctx.eval("js", "(caller, ptr, len) => { logged.push(caller.memory().readString(ptr, len)); }"));
        Instance instance = linker.instantiate(store, module);
        ctx.getBindings("js").putMember("wasm", PolyglotWasm.exports(instance));
        return instance;
    }

    @Test
    void importsFromJavaScriptCalledFromJava() {
        Instance instance = instantiate();
        assertArrayEquals(new Object[] {5}, instance.function("call_add").call(2, 3));
        assertArrayEquals(new Object[] {2.5, 7L}, instance.function("call_swap").call(7L, 2.5));
        instance.function("call_log").call();
        assertEquals("hello from wasm", ctx.eval("js", "logged[0]").asString());
        assertArrayEquals(new Object[] {6}, instance.function("countdown").call(5)); // Java → wasm → JS → wasm → ...
        Object o = new Object();
        assertSame(o, instance.function("call_ref").call(o)[0]); // a host object goes through JS as itself
    }

    @Test
    void aJavaScriptErrorReachesTheJavaCallerAsThePolyglotException() {
        Instance instance = instantiate();
        PolyglotException e = assertThrows(PolyglotException.class, () -> instance.function("call_fail").call());
        assertTrue(e.isGuestException());
        assertTrue(e.getMessage().contains("boom from js"), e.getMessage());
        assertTrue(e.getGuestObject().getMember("message").asString().equals("boom from js"));
        // The store is usable afterwards.
        assertArrayEquals(new Object[] {3}, instance.function("call_add").call(1, 2));
    }

    @Test
    void aJavaScriptErrorThroughWasmIsTheSameErrorInJavaScript() {
        instantiate();
        assertTrue(ctx.eval("js", "(() => { try { wasm.call_fail(); return false; } catch (e) { return e === failure; } })()")
                .asBoolean());
        assertEquals(6, ctx.eval("js", "wasm.countdown(5)").asInt()); // JS → wasm → JS → wasm ...
        assertEquals(9, ctx.eval("js", "wasm.call_add(4, 5)").asInt());
        assertTrue(ctx.eval("js", "(() => { const o = {}; return wasm.call_ref(o) === o; })()").asBoolean());
        assertTrue(ctx.eval("js", "JSON.stringify(wasm.call_swap(3n, 0.5)) === '[0.5,3]'").asBoolean());
    }

    @Test
    void resultsAreCheckedAgainstTheImportType() {
        linker.allowShadowing(true);
        instantiate();
        Store second = Store.create(engine);
        try {
            PolyglotWasm.defineFunction(linker, "env", "add", FuncType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32)),
                    ctx.eval("js", "(a, b) => 'not a number'"));
            PolyglotWasm.defineFunction(linker, "env", "swap",
                    FuncType.of(List.of(ValType.I64, ValType.F64), List.of(ValType.F64, ValType.I64)),
                    ctx.eval("js", "(x, y) => [y]"));
            Instance instance = linker.instantiate(second, module);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> instance.function("call_add").call(1, 2));
            assertTrue(e.getMessage().contains("result of guest function env.add: expected i32"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> instance.function("call_swap").call(1L, 2.0));
            assertTrue(e.getMessage().contains("expected an array of 2 values"), e.getMessage());
        } finally {
            second.close();
        }
    }

    @Test
    void importsMustBeExecutable() {
        Value notAFunction = ctx.eval("js", "({ env: { add: 42 } })");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PolyglotWasm.defineImports(linker, module, notAFunction));
        assertTrue(e.getMessage().contains("env.add"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PolyglotWasm.defineFunction(linker, "env", "x",
                FuncType.of(List.of(), List.of()), ctx.eval("js", "'text'")));
        // Imports the object does not provide stay undefined: instantiation names them.
        PolyglotWasm.defineImports(linker, module, ctx.eval("js", "({ env: { add: (a, b) => a + b } })"));
        LinkException link = assertThrows(LinkException.class, () -> linker.instantiate(store, module));
        assertTrue(link.getMessage().contains("env"), link.getMessage());
    }

    @Test
    void aClosedContextIsAnErrorForTheWasmCaller() {
        Instance instance = instantiate();
        ctx.close();
        assertThrows(IllegalStateException.class, () -> instance.function("call_add").call(1, 2));
    }
}
