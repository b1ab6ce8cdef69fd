package dev.wasmbridge;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HostFunctionTest {
    static final FuncType I32_I32_TO_I32 = FuncType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32));

    Engine engine;
    Module module;
    Linker linker;
    Store store;
    final List<String> logged = new ArrayList<>();
    final AtomicReference<RuntimeException> toThrow = new AtomicReference<>();

    @BeforeEach
    void setUp() {
        engine = Engine.create();
        module = Module.fromWat(engine, Fixtures.wat("host"));
        linker = Linker.create(engine);
        store = Store.create(engine, "the data");
        linker.defineFunction("env", "add", I32_I32_TO_I32, (caller, args) -> new Object[] {(int) args[0] + (int) args[1]});
        linker.defineFunction("env", "log", FuncType.of(List.of(ValType.I32, ValType.I32), List.of()), (caller, args) -> {
            byte[] bytes = caller.memory("memory").read((int) args[0], (int) args[1]);
            logged.add(new String(bytes, UTF_8) + " / " + caller.data());
            return null;
        });
        linker.defineFunction("env", "swap", FuncType.of(List.of(ValType.I64, ValType.F64), List.of(ValType.F64, ValType.I64)),
                (caller, args) -> new Object[] {args[1], args[0]});
        linker.defineFunction("env", "fail", FuncType.of(List.of(), List.of()), (caller, args) -> {
            throw toThrow.get();
        });
        linker.defineFunction("env", "reenter", FuncType.of(List.of(ValType.I32), List.of(ValType.I32)),
                (caller, args) -> caller.function("countdown").call((int) args[0] - 1));
        linker.defineFunction("env", "ref", FuncType.of(List.of(ValType.EXTERNREF), List.of(ValType.EXTERNREF)),
                (caller, args) -> new Object[] {List.of(args[0])});
    }

    @AfterEach
    void tearDown() {
        store.close();
        linker.close();
        module.close();
        engine.close();
    }

    Instance instance() {
        return linker.instantiate(store, module);
    }

    @Test
    void callsJavaWithArgumentsAndResults() {
        Instance i = instance();
        assertEquals(42, i.function("call_add").call(40, 2)[0]);
        assertArrayEquals(new Object[] {2.5, 7L}, i.function("call_swap").call(7L, 2.5));
    }

    @Test
    void callerSeesMemoryAndStoreData() {
        instance().function("call_log").call();
        assertEquals(List.of("hello from wasm / the data"), logged);
    }

    @Test
    void externrefsPassThroughHostFunctions() {
        Object token = new Object();
        Object back = instance().function("call_ref").call(token)[0];
        assertEquals(List.of(token), back);
        assertSame(token, ((List<?>) back).get(0));
    }

    @Test
    void javaExceptionReachesTheCallerAsTheSameObject() {
        Instance i = instance();
        IllegalStateException original = new IllegalStateException("from the host");
        toThrow.set(original);
        IllegalStateException caught = assertThrows(IllegalStateException.class, () -> i.function("call_fail").call());
        assertSame(original, caught);
        // The store is still usable afterwards.
        assertEquals(3, i.function("call_add").call(1, 2)[0]);
    }

    @Test
    void trapExceptionFromTheHostEndsTheCallAsATrap() {
        Instance i = instance();
        TrapException trap = new TrapException(TrapCode.UNREACHABLE_CODE_REACHED, "host says stop");
        toThrow.set(trap);
        TrapException caught = assertThrows(TrapException.class, () -> i.function("call_fail").call());
        assertSame(trap, caught);
        assertEquals(TrapCode.UNREACHABLE_CODE_REACHED, caught.code());
    }

    @Test
    void reentrantCallsWork() {
        // countdown(n) -> host -> countdown(n-1) -> host -> ... : 2n+1 crossings of the JNI boundary.
        assertEquals(11, instance().function("countdown").call(10)[0]);
    }

    @Test
    void exceptionFromADeepReentrantCallUnwindsEverything() {
        linker.allowShadowing(true).defineFunction("env", "reenter", FuncType.of(List.of(ValType.I32), List.of(ValType.I32)),
                (caller, args) -> {
                    if ((int) args[0] == 3) {
                        throw new ArithmeticException("deep");
                    }
                    return caller.function("countdown").call((int) args[0] - 1);
                });
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> instance().function("countdown").call(6));
        assertEquals("deep", e.getMessage());
    }

    @Test
    void wrongResultsAreAClearError() {
        linker.allowShadowing(true).defineFunction("env", "add", I32_I32_TO_I32, (caller, args) -> new Object[] {1L});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> instance().function("call_add").call(1, 2));
        assertTrue(e.getMessage().contains("host function env.add result 0: expected i32"), e.getMessage());
        linker.defineFunction("env", "add", I32_I32_TO_I32, (caller, args) -> null);
        WasmException w = assertThrows(WasmException.class, () -> instance().function("call_add").call(1, 2));
        assertTrue(w.getMessage().contains("returned 0 results"), w.getMessage());
    }

    @Test
    void mismatchedDeclaredTypeIsALinkError() {
        linker.allowShadowing(true).defineFunction("env", "add", FuncType.of(List.of(ValType.I64), List.of()), (c, a) -> null);
        assertThrows(LinkException.class, this::instance);
    }

    @Test
    void callerIsDeadAfterTheCall() {
        AtomicReference<Caller> kept = new AtomicReference<>();
        linker.allowShadowing(true).defineFunction("env", "add", I32_I32_TO_I32, (caller, args) -> {
            kept.set(caller);
            return new Object[] {0};
        });
        instance().function("call_add").call(1, 2);
        assertThrows(IllegalStateException.class, () -> kept.get().memory("memory"));
        assertThrows(IllegalStateException.class, () -> kept.get().data());
    }

    @Test
    void callerReportsMissingExports() {
        linker.allowShadowing(true).defineFunction("env", "add", I32_I32_TO_I32, (caller, args) -> {
            assertTrue(caller.export("nope").isEmpty());
            assertThrows(IllegalArgumentException.class, () -> caller.memory("call_add"));
            return new Object[] {caller.function("call_add") != null ? 1 : 0};
        });
        assertEquals(1, instance().function("call_add").call(1, 2)[0]);
    }

    @Test
    void startFunctionCanCallTheHost() {
        String wat = "(module (import \"env\" \"add\" (func $add (param i32 i32) (result i32)))"
                + " (global (export \"g\") (mut i32) (i32.const 0))"
                + " (func $start (global.set 0 (call $add (i32.const 20) (i32.const 22)))) (start $start))";
        try (Module m = Module.fromWat(engine, wat)) {
            assertEquals(42, linker.instantiate(store, m).global("g").get());
        }
    }

    @Test
    void oneDefinitionServesManyStoresAndThreads() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < 4; t++) {
            final int base = t * 1000;
            Thread th = new Thread(() -> {
                try (Store s = Store.create(engine)) {
                    Function f = linker.instantiate(s, module).function("call_add");
                    for (int n = 0; n < 2000; n++) {
                        assertEquals(base + 2 * n, f.call(base + n, n)[0]);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(List.of(), failures);
    }
}
