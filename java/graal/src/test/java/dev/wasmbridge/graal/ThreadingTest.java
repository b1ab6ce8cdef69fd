package dev.wasmbridge.graal;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.junit.jupiter.api.Test;

/** The threading rules of PolyglotWasm's class comment: one thread at a time per context and per store. */
class ThreadingTest {
    @Test
    void aSecondThreadIsRefusedByTheStoreAndByTheContext() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Engine engine = Engine.create();
             Module module = Module.fromWat(engine, Fixtures.wat("host"));
             Store store = Store.create(engine);
             Linker linker = Linker.create(engine);
             Context ctx = Polyglot.js()) {
            ctx.getBindings("js").putMember("hold", (ProxyExecutable) a -> {
                inside.countDown();
                try {
                    assertTrue(release.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            PolyglotWasm.defineFunction(linker, "env", "add", FuncType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32)),
                    ctx.eval("js", "(a, b) => { hold(); return a + b; }"));
            linker.allowShadowing(true);
            for (String name : List.of("log", "fail")) {
                List<ValType> params = name.equals("log") ? List.of(ValType.I32, ValType.I32) : List.of();
                linker.defineFunction("env", name, FuncType.of(params, List.of()), (caller, args) -> null);
            }
            linker.defineFunction("env", "swap", FuncType.of(List.of(ValType.I64, ValType.F64), List.of(ValType.F64, ValType.I64)),
                    (caller, args) -> new Object[] {args[1], args[0]});
            linker.defineFunction("env", "reenter", FuncType.of(List.of(ValType.I32), List.of(ValType.I32)), (caller, args) -> args);
            linker.defineFunction("env", "ref", FuncType.of(List.of(ValType.EXTERNREF), List.of(ValType.EXTERNREF)),
                    (caller, args) -> args);
            Instance instance = linker.instantiate(store, module);
            ctx.getBindings("js").putMember("wasm", PolyglotWasm.exports(instance));

            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> first = pool.submit(() -> ctx.eval("js", "wasm.call_add(1, 2)").asInt());
                assertTrue(inside.await(30, TimeUnit.SECONDS));
                // The store is in use by the pool thread: wasmbridge refuses, it does not race.
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> instance.function("call_add").call(3, 4));
                assertTrue(e.getMessage().contains("thread"), e.getMessage());
                // The JS context is entered by the pool thread: GraalJS refuses a second thread.
                assertThrows(IllegalStateException.class, () -> ctx.eval("js", "1 + 1"));
                release.countDown();
                assertEquals(3, first.get(30, TimeUnit.SECONDS));
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
            // Once the other thread is done, this thread may use both.
            assertEquals(1, ctx.eval("js", "1").asInt());
        }
    }

    @Test
    void oneContextAndOneStorePerThreadRunInParallel() throws Exception {
        int threads = 2;
        try (Engine engine = Engine.create(); Module module = Module.fromWat(engine, Fixtures.wat("add"))) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int seed = t;
                    results.add(pool.submit(() -> {
                        try (Store store = Store.create(engine);
                             Linker linker = Linker.create(engine);
                             Context ctx = Polyglot.js()) {
                            Instance instance = linker.instantiate(store, module);
                            ctx.getBindings("js").putMember("wasm", PolyglotWasm.exports(instance));
                            return ctx.eval("js", "let s = " + seed + "; for (let i = 0; i < 2000; i++) s = wasm.add(s, 1); s")
                                    .asInt();
                        }
                    }));
                }
                for (int t = 0; t < threads; t++) {
                    assertEquals(2000 + t, results.get(t).get(60, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
