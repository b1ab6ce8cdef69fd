package dev.wasmbridge.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.LinkException;
import dev.wasmbridge.PoolingConfig;
import dev.wasmbridge.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One {@link ComponentInstancePre} shared by threads, each instantiating into its own store: with on-demand
 * allocation and with the pooling allocator, whose slots bound the instances alive at once.
 *
 * <p>What {@link PoolingConfig} sets for components (see {@code native/src/engine.rs}): {@code totalInstances} is
 * Wasmtime's {@code total_core_instances}, so it counts the <em>core</em> instances inside component instances (one
 * component instance of a component with k core modules takes k slots); {@code totalMemories}/{@code totalTables}
 * likewise. Wasmtime's own limit on component instances ({@code total_component_instances}, default 1000) and the
 * per-component limits ({@code max_core_instances_per_component}, {@code max_memories_per_component}, {@code
 * component_instance_size}, ...) are not exposed: {@link #componentInstancesHaveAFixedLimitPoolingConfigDoesNotSet()}.
 */
@Timeout(120)
class ComponentScaleTest {
    static final int THREADS = 8;
    static final int CALLS = 2_000;

    /**
     * A component importing {@code host-mul}; exports add, twice (host-mul(a, b) + a), bump (a per-instance counter)
     * and poke (stores its argument at address 0 of the instance's memory and returns what was there).
     */
    static final String WAT = "(component"
            + " (import \"host-mul\" (func $h (param \"a\" u32) (param \"b\" u32) (result u32)))"
            + " (core func $hl (canon lower (func $h)))"
            + " (core module $m (import \"\" \"h\" (func $h (param i32 i32) (result i32)))"
            + "   (memory 1)"
            + "   (global $n (mut i32) (i32.const 0))"
            + "   (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)"
            + "   (func (export \"twice\") (param i32 i32) (result i32) local.get 0 local.get 1 call $h local.get 0 i32.add)"
            + "   (func (export \"bump\") (result i32) (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n))"
            + "   (func (export \"poke\") (param i32) (result i32) (i32.load (i32.const 0)) (i32.store (i32.const 0) (local.get 0))))"
            + " (core instance $i (instantiate $m (with \"\" (instance (export \"h\" (func $hl))))))"
            + " (func (export \"add\") (param \"a\" u32) (param \"b\" u32) (result u32) (canon lift (core func $i \"add\")))"
            + " (func (export \"twice\") (param \"a\" u32) (param \"b\" u32) (result u32) (canon lift (core func $i \"twice\")))"
            + " (func (export \"bump\") (result u32) (canon lift (core func $i \"bump\")))"
            + " (func (export \"poke\") (param \"v\" u32) (result u32) (canon lift (core func $i \"poke\"))))";

    /** Host calls that saw another store's data than the thread's own. */
    final AtomicInteger crossedStores = new AtomicInteger();
    final AtomicLong hostCalls = new AtomicLong();

    ComponentLinker linker(Engine engine) {
        ComponentLinker linker = ComponentLinker.create(engine);
        linker.root().defineFunction("host-mul", (caller, args) -> {
            hostCalls.incrementAndGet();
            if (!(caller.data() instanceof Long) || (Long) caller.data() != Thread.currentThread().getId()) {
                crossedStores.incrementAndGet();
            }
            return (Long) args[0] * (Long) args[1];
        });
        return linker;
    }

    /** One thread's work: a store of its own, an instance from {@code pre}, checked calls. Returns the calls made. */
    static long work(ComponentInstancePre pre, int thread, int calls) {
        try (Store store = Store.create(pre.component().engine(), Thread.currentThread().getId())) {
            ComponentInstance i = pre.instantiate(store);
            return calls(i, thread, calls);
        }
    }

    static long calls(ComponentInstance i, int thread, int calls) {
        ComponentFunction add = i.function("add");
        ComponentFunction twice = i.function("twice");
        ComponentFunction bump = i.function("bump");
        ComponentFunction poke = i.function("poke");
        // A fresh instance: its counter and its memory start at zero (also in a reused pool slot).
        assertEquals(0L, poke.call(thread + 1), "fresh memory");
        Random r = new Random(thread);
        for (int k = 0; k < calls; k++) {
            long a = r.nextInt(1 << 15);
            long b = r.nextInt(1 << 15);
            assertEquals(a + b, add.call(a, b));
            assertEquals(a * b + a, twice.call(a, b));
            assertEquals(new WitValue.U32(a + 1), add.callValues(new WitValue.U32(a), new WitValue.U32(1)));
            assertEquals((long) k + 1, bump.call());
        }
        assertEquals((long) thread + 1, poke.call(0));
        return 4L * calls + 2;
    }

    /** Runs {@code task} on {@code n} threads released together; returns their results. */
    static <T> List<T> onThreads(int n, java.util.function.IntFunction<Callable<T>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                Callable<T> c = task.apply(t);
                futures.add(pool.submit(() -> {
                    start.await();
                    return c.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(100, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void onePreparedComponentServesEightThreadsEachWithItsOwnStore() throws Exception {
        try (Engine engine = Engine.create(); Component component = Component.fromWat(engine, WAT);
                ComponentLinker linker = linker(engine); ComponentInstancePre pre = linker.prepare(component)) {
            List<Long> done = onThreads(THREADS, t -> () -> {
                long calls = 0;
                // several instances per thread, one store each, from the one shared pre
                for (int round = 0; round < 5; round++) {
                    calls += work(pre, t, CALLS / 5);
                }
                return calls;
            });
            assertEquals((long) THREADS * 5 * (4L * (CALLS / 5) + 2), done.stream().mapToLong(Long::longValue).sum());
            assertEquals((long) THREADS * CALLS, hostCalls.get());
            assertEquals(0, crossedStores.get(), "a host function saw another thread's store");
        }
    }

    static PoolingConfig pool(int slots) {
        return PoolingConfig.builder().totalInstances(slots).totalMemories(slots).totalTables(slots).maxMemorySize(1 << 20)
                .build();
    }

    @Test
    void underThePoolingAllocatorEightThreadsFillEightSlotsAndANinthIsRefused() throws Exception {
        // The component has one core instance (one memory, no table): eight component instances fill eight slots.
        try (Engine engine = Engine.create(EngineConfig.builder().pooling(pool(THREADS)).build());
                Component component = Component.fromWat(engine, WAT); ComponentLinker linker = linker(engine);
                ComponentInstancePre pre = linker.prepare(component)) {
            assertTrue(engine.config().pooling().isPresent());
            CountDownLatch allAlive = new CountDownLatch(THREADS);
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            List<Future<Long>> futures = new ArrayList<>();
            try {
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    futures.add(threads.submit(() -> {
                        try (Store store = Store.create(engine, Thread.currentThread().getId())) {
                            ComponentInstance i = pre.instantiate(store);
                            long calls = calls(i, thread, CALLS / 10);
                            allAlive.countDown();
                            // keep the instance (and its slots) alive until the main thread has tried a ninth
                            assertTrue(release.await(60, TimeUnit.SECONDS));
                            return calls;
                        } finally {
                            allAlive.countDown();
                        }
                    }));
                }
                assertTrue(allAlive.await(60, TimeUnit.SECONDS));
                for (Future<Long> f : futures) {
                    assertTrue(!f.isDone() || failure(f) == null, () -> "a thread failed: " + failure(f));
                }
                try (Store ninth = Store.create(engine, Thread.currentThread().getId())) {
                    LinkException e = assertThrows(LinkException.class, () -> pre.instantiate(ninth));
                    assertTrue(e.getMessage().contains("core instances"), e.getMessage());
                    assertThrows(LinkException.class, () -> linker.instantiate(ninth, component));
                }
            } finally {
                release.countDown();
                threads.shutdown();
                assertTrue(threads.awaitTermination(60, TimeUnit.SECONDS));
            }
            long calls = 0;
            for (Future<Long> f : futures) {
                calls += f.get();
            }
            assertEquals((long) THREADS * (4L * (CALLS / 10) + 2), calls);
            assertEquals(0, crossedStores.get());
        }
    }

    private static Throwable failure(Future<?> f) {
        try {
            f.get(0, TimeUnit.SECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void pooledSlotsAreReusedAcrossManyInstantiationsOnEightThreads() throws Exception {
        // 8 threads x 150 store/instantiate/call/close cycles on 8 slots: never more than 8 alive, so every
        // instantiation fits, and the 1200 component instances in all go past Wasmtime's 1000 component-instance slots
        // (so those are released with their stores too).
        int cycles = 150;
        try (Engine engine = Engine.create(EngineConfig.builder().pooling(pool(THREADS)).build());
                Component component = Component.fromWat(engine, WAT); ComponentLinker linker = linker(engine);
                ComponentInstancePre pre = linker.prepare(component)) {
            List<Long> done = onThreads(THREADS, t -> () -> {
                long calls = 0;
                for (int c = 0; c < cycles; c++) {
                    calls += work(pre, t, 5);
                }
                return calls;
            });
            assertEquals((long) THREADS * cycles * (4 * 5 + 2), done.stream().mapToLong(Long::longValue).sum());
            assertEquals(0, crossedStores.get());
            // all slots free again: eight at once still fit
            List<Store> stores = new ArrayList<>();
            try {
                for (int n = 0; n < THREADS; n++) {
                    Store s = Store.create(engine, Thread.currentThread().getId());
                    stores.add(s);
                    assertEquals(3L, pre.instantiate(s).function("add").call(1, 2));
                }
            } finally {
                stores.forEach(Store::close);
            }
        }
    }

    @Test
    void totalInstancesCountsTheCoreInstancesInsideAComponent() {
        // tests/components/echo.wat has two core instances (its module and the one its lowered imports need): with four
        // core-instance slots, two echo instances fit.
        try (Engine engine = Engine.create(EngineConfig.builder().pooling(pool(4)).build());
                Component echo = Component.fromPath(engine, ComponentFixtures.path("echo"));
                ComponentLinker linker = ComponentLinker.create(engine).defineUnknownImportsAsTraps(echo);
                ComponentInstancePre pre = linker.prepare(echo)) {
            List<Store> stores = new ArrayList<>();
            try {
                int fitted = 0;
                LinkException refused = null;
                for (int n = 0; n < 5 && refused == null; n++) {
                    Store s = Store.create(engine);
                    stores.add(s);
                    try {
                        pre.instantiate(s);
                        fitted++;
                    } catch (LinkException e) {
                        refused = e;
                    }
                }
                assertEquals(2, fitted);
                assertTrue(refused != null && refused.getMessage().contains("maximum concurrent limit of 4 for core instances"),
                        String.valueOf(refused));
            } finally {
                stores.forEach(Store::close);
            }
            try (Store s = Store.create(engine)) {
                pre.instantiate(s); // slots freed with the stores
            }
        }
    }

    /**
     * Wasmtime's pool also caps component instances ({@code total_component_instances}, 1000 by default), which
     * {@link PoolingConfig} does not expose: a component without core modules needs no core-instance slot, and still
     * only 1000 of it can be alive at once, whatever {@code totalInstances} says. The refusal is a clear LinkException.
     */
    @Test
    void componentInstancesHaveAFixedLimitPoolingConfigDoesNotSet() {
        try (Engine engine = Engine.create(EngineConfig.builder().pooling(pool(1)).build());
                Component empty = Component.fromWat(engine, "(component)"); ComponentLinker linker = ComponentLinker.create(engine);
                ComponentInstancePre pre = linker.prepare(empty); Store store = Store.create(engine)) {
            int fitted = 0;
            LinkException refused = null;
            for (int n = 0; n < 1100 && refused == null; n++) {
                try {
                    pre.instantiate(store);
                    fitted++;
                } catch (LinkException e) {
                    refused = e;
                }
            }
            assertEquals(1000, fitted);
            assertTrue(refused.getMessage().contains("maximum concurrent limit of 1000 for component instances"),
                    refused.getMessage());
        }
    }
}
