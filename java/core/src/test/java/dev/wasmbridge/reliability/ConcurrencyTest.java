package dev.wasmbridge.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.Function;
import dev.wasmbridge.Instance;
import dev.wasmbridge.InstancePre;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Memory;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.ValType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many threads on shared engine, module, linker and {@link InstancePre}, each with its own stores; and
 * the one-thread-per-store rule enforced without damage when it is broken.
 */
@Tag("reliability")
@Timeout(300)
class ConcurrencyTest {
    static final int THREADS = Rel.intProp("wasmbridge.concurrency.threads", 8);
    static final int CALLS = Rel.intProp("wasmbridge.concurrency.calls", 100_000);

    /** Exports that check their work: direct arithmetic, a host round trip, memory, a global. */
    static final String SERVICE = "(module"
            + " (import \"env\" \"add\" (func $add (param i32 i32) (result i32)))"
            + " (import \"env\" \"tally\" (func $tally (param i32) (result i32)))"
            + " (memory (export \"memory\") 1)"
            + " (global $calls (export \"calls\") (mut i32) (i32.const 0))"
            + " (func (export \"mul\") (param i32 i32) (result i32)"
            + "  (global.set $calls (i32.add (global.get $calls) (i32.const 1))) (i32.mul (local.get 0) (local.get 1)))"
            + " (func (export \"host_add\") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))"
            + " (func (export \"tally\") (param i32) (result i32) (call $tally (local.get 0)))"
            + " (func (export \"checksum\") (param i32 i32) (result i64) (local $acc i64)"
            + "  (block $done (loop $next"
            + "   (br_if $done (i32.eqz (local.get 1)))"
            + "   (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31)) (i64.load8_u (local.get 0))))"
            + "   (local.set 0 (i32.add (local.get 0) (i32.const 1)))"
            + "   (local.set 1 (i32.sub (local.get 1) (i32.const 1)))"
            + "   (br $next)))"
            + "  (local.get $acc)))";

    static long checksum(byte[] bytes) {
        long acc = 0;
        for (byte b : bytes) {
            acc = acc * 31 + (b & 0xFF);
        }
        return acc;
    }

    static void join(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(4));
            assertTrue(!t.isAlive(), t.getName() + " finished");
        }
    }

    @Test
    void eightThreadsShareEngineModuleLinkerAndInstancePre() throws Exception {
        AtomicLong tallied = new AtomicLong();
        try (Engine engine = Engine.create(EngineConfig.builder().fuel(true).epochInterruption(true).build());
                Module module = Module.fromWat(engine, SERVICE); Linker linker = Linker.create(engine)) {
            linker.defineFunction("env", "add", HostLinker.I32_I32_TO_I32, (c, a) -> new Object[] {(Integer) a[0] + (Integer) a[1]});
            linker.defineFunction("env", "tally", FuncType.of(List.of(ValType.I32), List.of(ValType.I32)),
                    (c, a) -> new Object[] {(int) tallied.addAndGet((Integer) a[0])});
            try (InstancePre pre = linker.prepare(module)) {
                List<Throwable> failures = new CopyOnWriteArrayList<>();
                AtomicLong calls = new AtomicLong();
                AtomicInteger stores = new AtomicInteger();
                AtomicLong expectedTally = new AtomicLong();
                int perThread = CALLS / THREADS;
                CyclicBarrier start = new CyclicBarrier(THREADS + 1);
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    final int id = t;
                    Thread th = new Thread(() -> {
                        try {
                            start.await();
                            java.util.Random rnd = new java.util.Random(id);
                            int done = 0;
                            while (done < perThread) {
                                // A fresh store every 100 calls; every fourth through the Linker rather than the InstancePre.
                                try (Store store = Store.create(engine, id)) {
                                    stores.incrementAndGet();
                                    store.setFuel(10_000_000);
                                    Instance i = stores.get() % 4 == 0 ? linker.instantiate(store, module) : pre.instantiate(store);
                                    Function mul = i.function("mul");
                                    Function hostAdd = i.function("host_add");
                                    IntBinaryOperator typedMul = mul.as(IntBinaryOperator.class);
                                    Memory memory = i.memory("memory");
                                    int here = 0;
                                    for (; here < 100 && done < perThread; here++, done++) {
                                        int a = rnd.nextInt();
                                        int b = rnd.nextInt();
                                        switch (done % 5) {
                                            case 0:
                                                assertEquals(a * b, mul.call(a, b)[0]);
                                                break;
                                            case 1:
                                                assertEquals(a * b, typedMul.applyAsInt(a, b));
                                                break;
                                            case 2:
                                                assertEquals(a + b, hostAdd.call(a, b)[0]);
                                                break;
                                            case 3: {
                                                byte[] data = new byte[1 + (a & 255)];
                                                rnd.nextBytes(data);
                                                int at = (b & 0x7fff);
                                                memory.write(at, data);
                                                assertEquals(checksum(data), i.function("checksum").call(at, data.length)[0]);
                                                break;
                                            }
                                            default: {
                                                int n = a & 0xff;
                                                expectedTally.addAndGet(n);
                                                i.function("tally").callRaw(n);
                                                break;
                                            }
                                        }
                                    }
                                    calls.addAndGet(here);
                                    assertEquals(id, store.data());
                                }
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }, "worker-" + t);
                    threads.add(th);
                    th.start();
                }
                start.await();
                long t0 = System.nanoTime();
                join(threads);
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertEquals(List.of(), failures);
                assertEquals((long) perThread * THREADS, calls.get());
                assertEquals(expectedTally.get(), tallied.get());
                Rel.report("concurrency: %d threads, %d checked calls in %d stores: %.2f s, %.0f calls/s", THREADS,
                        calls.get(), stores.get(), seconds, calls.get() / seconds);
            }
        }
    }

    @Test
    void definitionsCompilationAndInstantiationRunSideBySide() throws Exception {
        // Readers instantiate through the linker while a writer keeps adding definitions and another thread compiles.
        try (Engine engine = Engine.create(); Module module = Module.fromWat(engine, Rel.wat("host"));
                Linker linker = HostLinker.create(engine)) {
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicInteger running = new AtomicInteger(4);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    try {
                        for (int n = 0; n < 300; n++) {
                            try (Store store = Store.create(engine)) {
                                assertEquals(n + 1, linker.instantiate(store, module).function("call_add").call(n, 1)[0]);
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    } finally {
                        running.decrementAndGet();
                    }
                });
                threads.add(th);
                th.start();
            }
            Thread writer = new Thread(() -> {
                try {
                    for (int n = 0; running.get() > 0; n++) {
                        linker.defineFunction("extra", "f" + n, FuncType.of(List.of(), List.of()), (c, a) -> null);
                        try (Module m = Module.fromWat(engine, "(module (func (export \"f\") (result i32) i32.const " + n + "))");
                                Store store = Store.create(engine)) {
                            assertEquals(n, linker.instantiate(store, m).function("f").call()[0]);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(writer);
            writer.start();
            join(threads);
            assertEquals(List.of(), failures);
        }
    }

    static final String WAIT = "(module (import \"env\" \"block\" (func $block))"
            + " (memory (export \"memory\") 1) (global (export \"g\") (mut i32) (i32.const 1))"
            + " (table (export \"table\") 1 funcref)"
            + " (func (export \"blocking\") (result i32) call $block i32.const 7)"
            + " (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))";

    @Test
    void secondThreadOnAStoreIsRefusedAndTheStoreStillWorks() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Engine engine = Engine.create(EngineConfig.builder().fuel(true).epochInterruption(true).build());
                Module module = Module.fromWat(engine, WAIT); Linker linker = Linker.create(engine)) {
            linker.defineFunction("env", "block", FuncType.of(List.of(), List.of()), (c, a) -> {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            try (InstancePre pre = linker.prepare(module); Store store = Store.create(engine)) {
                store.setFuel(1_000_000);
                Instance i = linker.instantiate(store, module);
                Function add = i.function("add");
                IntBinaryOperator typedAdd = add.as(IntBinaryOperator.class);
                Memory memory = i.memory("memory");
                List<Object> result = new CopyOnWriteArrayList<>();
                Thread owner = new Thread(() -> {
                    try {
                        result.add(i.function("blocking").call()[0]);
                    } catch (Throwable e) {
                        result.add(e);
                    }
                });
                owner.start();
                assertTrue(inside.await(30, TimeUnit.SECONDS));
                for (int round = 0; round < 100; round++) {
                    assertThrows(IllegalStateException.class, () -> add.call(1, 2));
                    assertThrows(IllegalStateException.class, () -> typedAdd.applyAsInt(1, 2));
                    assertThrows(IllegalStateException.class, () -> add.callRaw(1, 2));
                    assertThrows(IllegalStateException.class, () -> memory.readInt(0));
                    assertThrows(IllegalStateException.class, () -> memory.write(0, new byte[4]));
                    assertThrows(IllegalStateException.class, memory::buffer);
                    assertThrows(IllegalStateException.class, () -> i.global("g").get());
                    assertThrows(IllegalStateException.class, () -> i.function("add"));
                    assertThrows(IllegalStateException.class, () -> store.setFuel(5));
                    assertThrows(IllegalStateException.class, () -> linker.instantiate(store, module));
                    assertThrows(IllegalStateException.class, () -> pre.instantiate(store));
                    assertThrows(IllegalStateException.class, store::close);
                }
                release.countDown();
                owner.join(30_000);
                assertEquals(List.of(7), result);
                // The owner has left: this thread may use the store now.
                assertEquals(3, add.call(1, 2)[0]);
                assertEquals(5, typedAdd.applyAsInt(2, 3));
                memory.writeInt(0, 99);
                assertEquals(99, memory.readInt(0));
                assertEquals(1, i.global("g").get());
                assertTrue(store.getFuel() < 1_000_000);
            }
        }
    }

    @Test
    void threadsRacingForOneStoreGetResultsOrRefusalsNeverCorruption() throws Exception {
        try (Engine engine = Engine.create(); Module module = Module.fromWat(engine, SERVICE); Linker linker = Linker.create(engine)) {
            linker.defineFunction("env", "add", HostLinker.I32_I32_TO_I32, (c, a) -> new Object[] {(Integer) a[0] + (Integer) a[1]});
            linker.defineFunction("env", "tally", FuncType.of(List.of(ValType.I32), List.of(ValType.I32)), (c, a) -> new Object[] {a[0]});
            try (Store store = Store.create(engine)) {
                Instance i = linker.instantiate(store, module);
                Function mul = i.function("mul");
                Function hostAdd = i.function("host_add");
                List<Throwable> failures = new CopyOnWriteArrayList<>();
                AtomicLong ok = new AtomicLong();
                AtomicLong refused = new AtomicLong();
                int perThread = Rel.intProp("wasmbridge.concurrency.race", 20_000);
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    final int id = t;
                    Thread th = new Thread(() -> {
                        for (int n = 0; n < perThread; n++) {
                            int a = id * 1_000_000 + n;
                            try {
                                if (n % 2 == 0) {
                                    assertEquals(a * 3, mul.call(a, 3)[0]);
                                } else {
                                    assertEquals(a + 3, hostAdd.call(a, 3)[0]);
                                }
                                ok.incrementAndGet();
                            } catch (IllegalStateException e) {
                                refused.incrementAndGet();
                            } catch (Throwable e) {
                                failures.add(e);
                                return;
                            }
                        }
                    });
                    threads.add(th);
                    th.start();
                }
                join(threads);
                assertEquals(List.of(), failures);
                assertEquals(4L * perThread, ok.get() + refused.get());
                assertTrue(ok.get() > 0);
                // The store counted exactly the successful mul calls: refused calls never ran.
                int muls = (Integer) i.global("calls").get();
                assertTrue(muls <= ok.get(), muls + " mul calls ran, " + ok.get() + " calls succeeded");
                assertEquals(12, mul.call(4, 3)[0]);
                Rel.report("4 threads racing for one store: %d calls ran, %d refused with IllegalStateException", ok.get(), refused.get());
            }
        }
    }

    @Test
    void closingSharedObjectsWhileOthersUseThemIsSafe() throws Exception {
        for (int round = 0; round < 20; round++) {
            Engine engine = Engine.create();
            Module module = Module.fromWat(engine, Rel.wat("add"));
            Linker linker = Linker.create(engine);
            InstancePre pre = linker.prepare(module);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int id = t;
                Thread th = new Thread(() -> {
                    try {
                        go.await();
                        for (int n = 0; n < 200; n++) {
                            try (Store store = Store.create(engine)) {
                                Instance i = id % 2 == 0 ? pre.instantiate(store) : linker.instantiate(store, module);
                                assertEquals(n + id, i.function("add").call(n, id)[0]);
                            } catch (IllegalStateException closed) {
                                // refused cleanly: something shared was closed under us
                                assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                threads.add(th);
                th.start();
            }
            go.countDown();
            Thread.sleep(round % 5);
            pre.close();
            module.close();
            linker.close();
            engine.close();
            join(threads);
            assertEquals(List.of(), failures);
        }
    }
}
