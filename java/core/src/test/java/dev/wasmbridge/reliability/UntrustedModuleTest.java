package dev.wasmbridge.reliability;

import java.util.function.IntUnaryOperator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.CompileException;
import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.Function;
import dev.wasmbridge.Instance;
import dev.wasmbridge.InstancePre;
import dev.wasmbridge.LinkException;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Memory;
import dev.wasmbridge.Module;
import dev.wasmbridge.PoolingConfig;
import dev.wasmbridge.Store;
import dev.wasmbridge.StoreLimits;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.ValType;
import dev.wasmbridge.WasmException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a service meets when it runs a module it did not write: loops, memory and table bombs, deep
 * recursion, host functions that throw, traps under host calls. Each is stopped with the documented
 * exception, the JVM's memory stays bounded and the store (or at least the JVM) stays usable.
 */
@Tag("reliability")
@Timeout(120)
class UntrustedModuleTest {
    private static final long MIB = 1024 * 1024;

    static Engine guarded(boolean signals) {
        return Engine.create(EngineConfig.builder().fuel(true).epochInterruption(true).signalsBasedTraps(signals)
                .parallelCompilation(false).build());
    }

    static Instance load(Engine engine, Store store, String wat) {
        try (Module m = Module.fromWat(engine, wat); Linker linker = Linker.create(engine)) {
            return linker.instantiate(store, m);
        }
    }

    static TrapException trap(Runnable r) {
        return assertThrows(TrapException.class, r::run);
    }

    // ---------------------------------------------------------------- loops

    @ParameterizedTest(name = "signals={0}")
    @ValueSource(booleans = {true, false})
    void infiniteLoopIsStoppedByTheDeadline(boolean signals) {
        try (Engine engine = guarded(signals); Store store = Store.create(engine)) {
            store.setFuel(Long.MAX_VALUE);
            Instance i = load(engine, store, Rel.wat("loop"));
            store.setDeadline(Duration.ofMillis(100));
            long t0 = System.nanoTime();
            TrapException e = trap(() -> i.function("forever").call());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(TrapCode.INTERRUPT, e.code());
            assertTrue(ms >= 90 && ms < 3_000, "stopped after " + ms + " ms");
            Rel.report("infinite loop, 100 ms deadline (signals=%s): INTERRUPT after %d ms", signals, ms);
            store.clearDeadline();
            assertEquals(1000, i.function("count").call(1000)[0]);
        }
    }

    @ParameterizedTest(name = "signals={0}")
    @ValueSource(booleans = {true, false})
    void infiniteLoopIsStoppedByFuel(boolean signals) {
        try (Engine engine = guarded(signals); Store store = Store.create(engine)) {
            store.setFuel(1_000);
            Instance i = load(engine, store, Rel.wat("loop"));
            store.setFuel(100_000_000);
            long t0 = System.nanoTime();
            TrapException e = trap(() -> i.function("forever").call());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(TrapCode.OUT_OF_FUEL, e.code());
            assertEquals(0, store.getFuel());
            Rel.report("infinite loop, 100M fuel (signals=%s): OUT_OF_FUEL after %d ms", signals, ms);
            store.setFuel(100_000);
            assertEquals(1000, i.function("count").call(1000)[0]);
        }
    }

    @Test
    void loopingStartFunctionIsStoppedDuringInstantiation() {
        String wat = "(module (func $start (loop $l (br $l))) (start $start))";
        try (Engine engine = guarded(true); Module m = Module.fromWat(engine, wat); Linker linker = Linker.create(engine)) {
            try (Store store = Store.create(engine)) {
                store.setFuel(Long.MAX_VALUE);
                store.setDeadline(Duration.ofMillis(50));
                assertEquals(TrapCode.INTERRUPT, trap(() -> linker.instantiate(store, m)).code());
            }
            try (InstancePre pre = linker.prepare(m); Store store = Store.create(engine)) {
                store.setFuel(1_000_000);
                assertEquals(TrapCode.OUT_OF_FUEL, trap(() -> pre.instantiate(store)).code());
            }
        }
    }

    @Test
    void loopInAHostCallbackIsStoppedTooAndTheOuterCallerSeesIt() {
        // wasm -> host -> wasm "forever": the deadline stops the inner loop; the trap unwinds through the host.
        String wat = "(module (import \"env\" \"cb\" (func $cb))"
                + " (func (export \"outer\") call $cb) (func (export \"forever\") (loop $l (br $l))))";
        try (Engine engine = guarded(true); Module m = Module.fromWat(engine, wat); Linker linker = Linker.create(engine);
                Store store = Store.create(engine)) {
            linker.defineFunction("env", "cb", FuncType.of(List.of(), List.of()), (caller, args) -> {
                caller.function("forever").call();
                return null;
            });
            store.setFuel(Long.MAX_VALUE);
            Instance i = linker.instantiate(store, m);
            store.setDeadline(Duration.ofMillis(50));
            assertEquals(TrapCode.INTERRUPT, trap(() -> i.function("outer").call()).code());
        }
    }

    // ---------------------------------------------------------------- memory bombs

    /** Grows its memory one page at a time until memory.grow fails, filling every new page; returns the pages. */
    static final String MEMORY_BOMB = "(module (memory (export \"memory\") 1)"
            + " (func (export \"bomb\") (result i32) (local $old i32)"
            + "  (block $full (loop $more"
            + "   (local.set $old (memory.grow (i32.const 1)))"
            + "   (br_if $full (i32.eq (local.get $old) (i32.const -1)))"
            + "   (memory.fill (i32.mul (local.get $old) (i32.const 65536)) (local.get $old) (i32.const 65536))"
            + "   (br $more)))"
            + "  (memory.size))"
            + " (func (export \"big_steps\") (result i32) (memory.grow (i32.const 65535))))";

    @ParameterizedTest(name = "signals={0}")
    @ValueSource(booleans = {true, false})
    void memoryBombHitsTheStoreLimit(boolean signals) {
        long limit = 32 * MIB;
        try (Engine engine = guarded(signals); Module m = Module.fromWat(engine, MEMORY_BOMB);
                Linker linker = Linker.create(engine); InstancePre pre = linker.prepare(m)) {
            Rel.settle();
            long before = Rel.rss();
            long heapBefore = heapUsed();
            long peak = before;
            for (int round = 0; round < 10; round++) {
                try (Store store = Store.create(engine)) {
                    store.setFuel(100_000_000);
                    store.setLimits(StoreLimits.builder().memorySize(limit).build());
                    Instance i = pre.instantiate(store);
                    assertEquals(limit / 65536, ((Number) i.function("bomb").call()[0]).longValue());
                    assertEquals(-1, i.function("big_steps").call()[0]);
                    Memory memory = i.memory("memory");
                    assertEquals(limit, memory.byteSize());
                    assertThrows(WasmException.class, () -> memory.grow(1));
                    assertEquals(0x07070707, memory.readInt(7 * 65536L));
                    peak = Math.max(peak, Rel.rss());
                }
            }
            Rel.settle();
            long after = Rel.rss();
            long heapAfter = heapUsed();
            Rel.report("memory bomb x10, limit %s (signals=%s): RSS before %s, peak %s (+%s), after close %s (+%s);"
                    + " Java heap used %s -> %s", Rel.mib(limit), signals, Rel.mib(before), Rel.mib(peak), Rel.mib(peak - before),
                    Rel.mib(after), Rel.mib(after - before), Rel.mib(heapBefore), Rel.mib(heapAfter));
            // Linear memory is native: the Java heap does not grow with the guest's memory.
            assertTrue(heapAfter - heapBefore < 32 * MIB, "Java heap grew by " + Rel.mib(heapAfter - heapBefore));
            assertTrue(peak - before < limit + 64 * MIB, "peak RSS grew by " + Rel.mib(peak - before));
            assertTrue(after - before < 48 * MIB, "RSS after the bombs grew by " + Rel.mib(after - before));
        }
    }

    static long heapUsed() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void hugeDeclaredMemoryFailsToInstantiateUnderLimits() {
        try (Engine engine = guarded(true); Linker linker = Linker.create(engine)) {
            for (String wat : List.of("(module (memory 65536))", "(module (memory 1000 65536) (data (i32.const 0) \"x\"))",
                    "(module (memory i64 1000000000))")) {
                try (Module m = Module.fromWat(engine, wat); Store store = Store.create(engine)) {
                    store.setFuel(1_000);
                    store.setLimits(StoreLimits.builder().memorySize(16 * MIB).build());
                    LinkException e = assertThrows(LinkException.class, () -> linker.instantiate(store, m), wat);
                    assertNotNull(e.getMessage());
                    // The refused store still works.
                    try (Module ok = Module.fromWat(engine, "(module (memory 1) (func (export \"f\") (result i32) i32.const 5))")) {
                        assertEquals(5, linker.instantiate(store, ok).function("f").call()[0]);
                    }
                }
            }
        }
    }

    @Test
    void poolingAllocatorRefusesMemoriesLargerThanItsSlots() {
        PoolingConfig pool = PoolingConfig.builder().totalInstances(4).totalMemories(4).totalTables(4)
                .maxMemorySize(16 * MIB).build();
        try (Engine engine = Engine.create(EngineConfig.builder().fuel(true).pooling(pool).build());
                Module bomb = Module.fromWat(engine, MEMORY_BOMB); Linker linker = Linker.create(engine)) {
            // A module whose memory cannot fit a slot is refused when compiled for this engine.
            assertThrows(CompileException.class, () -> Module.fromWat(engine, "(module (memory 1024))"));
            try (Store store = Store.create(engine)) {
                store.setFuel(100_000_000);
                Instance i = linker.instantiate(store, bomb);
                assertEquals(16 * MIB / 65536, ((Number) i.function("bomb").call()[0]).longValue());
            }
        }
    }

    @Test
    void pooledSlotsDoNotLeakOneStoresDataToTheNext() {
        // One memory slot, reused store after store: what one tenant wrote (and grew) must not be visible to the next.
        PoolingConfig pool = PoolingConfig.builder().totalInstances(1).totalMemories(1).totalTables(1).maxMemorySize(4 * MIB).build();
        String wat = "(module (memory (export \"memory\") 1 64) (table (export \"t\") 1 10 funcref)"
                + " (func (export \"sum\") (result i64) (local $i i32) (local $acc i64)"
                + "  (block $done (loop $l (br_if $done (i32.ge_u (local.get $i) (i32.mul (memory.size) (i32.const 65536))))"
                + "   (local.set $acc (i64.add (local.get $acc) (i64.load8_u (local.get $i))))"
                + "   (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)))"
                + "  (local.get $acc)))";
        try (Engine engine = Engine.create(EngineConfig.builder().pooling(pool).build()); Module m = Module.fromWat(engine, wat);
                Linker linker = Linker.create(engine); InstancePre pre = linker.prepare(m)) {
            for (int tenant = 0; tenant < 5; tenant++) {
                try (Store store = Store.create(engine)) {
                    Instance i = pre.instantiate(store);
                    Memory memory = i.memory("memory");
                    assertEquals(65536, memory.byteSize(), "tenant " + tenant + " starts with the declared size");
                    assertEquals(0L, i.function("sum").call()[0], "tenant " + tenant + " sees only zeros");
                    assertEquals(1L, i.table("t").size());
                    assertEquals(null, i.table("t").get(0));
                    // leave something behind: grown memory full of secrets, a grown table with a function in it
                    memory.grow(3);
                    byte[] secret = new byte[4 * 65536];
                    java.util.Arrays.fill(secret, (byte) 0x5A);
                    memory.write(0, secret);
                    i.table("t").grow(2, i.function("sum"));
                    i.table("t").set(0, i.function("sum"));
                }
            }
        }
    }

    // ---------------------------------------------------------------- table bombs

    static final String TABLE_BOMB = "(module (table (export \"t\") 0 funcref)"
            + " (func (export \"bomb\") (result i32)"
            + "  (block $full (loop $more"
            + "   (br_if $full (i32.eq (table.grow (ref.null func) (i32.const 1000)) (i32.const -1)))"
            + "   (br $more)))"
            + "  (table.size))"
            + " (func (export \"huge\") (result i32) (table.grow (ref.null func) (i32.const 0x7fffffff))))";

    @Test
    void tableBombHitsTheStoreLimit() {
        try (Engine engine = guarded(true); Module m = Module.fromWat(engine, TABLE_BOMB);
                Linker linker = Linker.create(engine)) {
            Rel.settle();
            long before = Rel.rss();
            for (int round = 0; round < 10; round++) {
                try (Store store = Store.create(engine)) {
                    store.setFuel(100_000_000);
                    store.setLimits(StoreLimits.builder().tableElements(100_000).build());
                    Instance i = linker.instantiate(store, m);
                    assertEquals(100_000, i.function("bomb").call()[0]);
                    // table.grow charges fuel per element before it checks the limit: either way it is stopped.
                    assertEquals(TrapCode.OUT_OF_FUEL, trap(() -> i.function("huge").call()).code());
                    store.setFuel(Long.MAX_VALUE);
                    assertEquals(-1, i.function("huge").call()[0]);
                    assertThrows(WasmException.class, () -> i.table("t").grow(1, null));
                    assertEquals(100_000L, i.table("t").size());
                }
            }
            try (Module declared = Module.fromWat(engine, "(module (table 100000000 funcref))"); Store store = Store.create(engine)) {
                store.setFuel(1_000);
                store.setLimits(StoreLimits.builder().tableElements(100_000).build());
                assertThrows(LinkException.class, () -> linker.instantiate(store, declared));
            }
            Rel.settle();
            long after = Rel.rss();
            Rel.report("table bomb x10, limit 100000 elements: RSS before %s, after %s (+%s)", Rel.mib(before),
                    Rel.mib(after), Rel.mib(after - before));
            assertTrue(after - before < 48 * MIB, "RSS grew by " + Rel.mib(after - before));
        }
    }

    @Test
    void tableOfFourBillionElementsIsRefusedEvenWithoutLimits() {
        // 2^32-1 funcref elements would need 32 GiB: Wasmtime's allocation fails and instantiation reports it.
        try (Engine engine = guarded(true); Module m = Module.fromWat(engine, "(module (table 4294967295 funcref))");
                Linker linker = Linker.create(engine); Store store = Store.create(engine)) {
            store.setFuel(1_000);
            assertThrows(LinkException.class, () -> linker.instantiate(store, m));
        }
    }

    // ---------------------------------------------------------------- deep recursion

    @ParameterizedTest(name = "signals={0}")
    @ValueSource(booleans = {true, false})
    void deepRecursionOverflowsTheWasmStack(boolean signals) {
        for (long maxStack : new long[] {0, 64 * 1024}) {
            EngineConfig.Builder b = EngineConfig.builder().signalsBasedTraps(signals).parallelCompilation(false);
            if (maxStack > 0) {
                b.maxWasmStack(maxStack);
            }
            try (Engine engine = Engine.create(b.build()); Store store = Store.create(engine)) {
                Instance i = load(engine, store, Rel.wat("traps"));
                for (int round = 0; round < 3; round++) {
                    assertEquals(TrapCode.STACK_OVERFLOW, trap(() -> i.function("recurse").call(0)).code());
                }
                assertEquals(1, i.function("div_by_zero").call(1)[0]);
            }
        }
    }

    /** Runs {@code body} on a thread with a 256 KiB stack and rethrows what it threw. */
    static void onSmallStack(Runnable body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small", 256 * 1024);
        t.start();
        t.join(60_000);
        assertTrue(!t.isAlive(), "the small-stack thread finished");
        if (failure.get() instanceof Error) {
            throw (Error) failure.get();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    @ParameterizedTest(name = "signals={0}")
    @ValueSource(booleans = {true, false})
    void deepRecursionOnASmallThreadStackTraps(boolean signals) throws Exception {
        EngineConfig c = EngineConfig.builder().signalsBasedTraps(signals).maxWasmStack(64 * 1024).parallelCompilation(false).build();
        try (Engine engine = Engine.create(c); Module m = Module.fromWat(engine, Rel.wat("traps"));
                Linker linker = Linker.create(engine)) {
            onSmallStack(() -> {
                try (Store store = Store.create(engine)) {
                    Instance i = linker.instantiate(store, m);
                    for (int round = 0; round < 5; round++) {
                        assertEquals(TrapCode.STACK_OVERFLOW, trap(() -> i.function("recurse").call(0)).code());
                    }
                    assertEquals(1, i.function("div_by_zero").call(1)[0]);
                }
            });
        }
    }

    @ParameterizedTest(name = "signals={0}")
    @ValueSource(booleans = {true, false})
    void deepReentrantRecursionThroughTheHostOnASmallThreadStackTraps(boolean signals) throws Exception {
        // wasm countdown -> host reenter -> wasm countdown -> ...: Java frames sit between the wasm frames.
        EngineConfig c = EngineConfig.builder().signalsBasedTraps(signals).maxWasmStack(64 * 1024).parallelCompilation(false).build();
        try (Engine engine = Engine.create(c); Module m = Module.fromWat(engine, Rel.wat("host"));
                Linker linker = HostLinker.create(engine)) {
            onSmallStack(() -> {
                try (Store store = Store.create(engine)) {
                    Instance i = linker.instantiate(store, m);
                    assertEquals(11, i.function("countdown").call(10)[0]);
                    Throwable t = assertThrows(Throwable.class, () -> i.function("countdown").call(1_000_000));
                    assertTrue(t instanceof TrapException && ((TrapException) t).code() == TrapCode.STACK_OVERFLOW
                            || t instanceof StackOverflowError, "stopped by " + t);
                    Rel.report("1M nested wasm->Java->wasm calls on a 256 KiB thread, maxWasmStack 64 KiB (signals=%s): %s",
                            signals, t instanceof TrapException ? "STACK_OVERFLOW trap" : t.getClass().getSimpleName());
                    assertEquals(11, i.function("countdown").call(10)[0]);
                }
            });
        }
    }

    // ---------------------------------------------------------------- host functions that fail

    static final class PluginFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PluginFailure(String message) {
            super(message);
        }
    }

    @Test
    void hostExceptionReachesTheCallerAsTheSameObject() {
        String wat = "(module (import \"env\" \"f\" (func $f (param i32) (result i32)))"
                + " (func (export \"call\") (param i32) (result i32) local.get 0 call $f)"
                + " (func (export \"call_nested\") (param i32) (result i32) local.get 0 call $f i32.const 1 i32.add)"
                + " (func $start (drop (call $f (i32.const -1)))) (start $start))";
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (Engine engine = guarded(true); Module m = Module.fromWat(engine, wat); Linker linker = Linker.create(engine)) {
            linker.defineFunction("env", "f", FuncType.of(List.of(ValType.I32), List.of(ValType.I32)), (caller, args) -> {
                int n = (Integer) args[0];
                Throwable t;
                switch (n) {
                    case 1:
                        t = new PluginFailure("plugin failure");
                        break;
                    case 2:
                        t = new OutOfMemoryError("simulated");
                        break;
                    case 3:
                        t = new TrapException(TrapCode.UNREACHABLE_CODE_REACHED, "host trapped on purpose");
                        break;
                    case 4:
                        t = new IllegalStateException("host state");
                        break;
                    default:
                        return new Object[] {n};
                }
                thrown.set(t);
                if (t instanceof Error) {
                    throw (Error) t;
                }
                throw (RuntimeException) t;
            });
            try (Store store = Store.create(engine)) {
                store.setFuel(Long.MAX_VALUE);
                Instance i = linker.instantiate(store, m);
                for (int n = 1; n <= 4; n++) {
                    final int arg = n;
                    for (String export : List.of("call", "call_nested")) {
                        Throwable seen = assertThrows(Throwable.class, () -> i.function(export).call(arg));
                        assertSame(thrown.get(), seen, export + "(" + arg + ")");
                        seen = assertThrows(Throwable.class, () -> i.function(export).as(IntUnaryOperator.class).applyAsInt(arg));
                        assertSame(thrown.get(), seen, export + "(" + arg + ") typed");
                        seen = assertThrows(Throwable.class, () -> i.function(export).callRaw(arg));
                        assertSame(thrown.get(), seen, export + "(" + arg + ") raw");
                    }
                }
                assertEquals(6, i.function("call_nested").call(5)[0]);
            }
            // A host function that throws during the start function: instantiation fails with that object.
            try (Linker throwing = Linker.create(engine); Store store = Store.create(engine)) {
                PluginFailure failure = new PluginFailure("in start");
                throwing.defineFunction("env", "f", FuncType.of(List.of(ValType.I32), List.of(ValType.I32)), (caller, args) -> {
                    throw failure;
                });
                store.setFuel(Long.MAX_VALUE);
                assertSame(failure, assertThrows(PluginFailure.class, () -> throwing.instantiate(store, m)));
            }
        }
    }

    @Test
    void hostFunctionOverflowingTheJavaStackReachesTheCaller() throws Exception {
        String wat = "(module (import \"env\" \"deep\" (func $d)) (func (export \"call\") call $d)"
                + " (func (export \"ok\") (result i32) i32.const 3))";
        try (Engine engine = guarded(true); Module m = Module.fromWat(engine, wat); Linker linker = Linker.create(engine)) {
            linker.defineFunction("env", "deep", FuncType.of(List.of(), List.of()), (caller, args) -> {
                recurseForever(0);
                return null;
            });
            onSmallStack(() -> {
                try (Store store = Store.create(engine)) {
                    store.setFuel(Long.MAX_VALUE);
                    Instance i = linker.instantiate(store, m);
                    for (int round = 0; round < 3; round++) {
                        assertThrows(StackOverflowError.class, () -> i.function("call").call());
                    }
                    assertEquals(3, i.function("ok").call()[0]);
                }
            });
        }
    }

    static int recurseForever(int n) {
        return recurseForever(n + 1) + 1;
    }

    // ---------------------------------------------------------------- traps under host calls

    @ParameterizedTest(name = "signals={0}")
    @ValueSource(booleans = {true, false})
    void trapInsideAHostCallbackReachesTheOuterCallerAndTheStoreStaysUsable(boolean signals) {
        // outer (wasm) -> host "cb" -> inner export that traps (wasm) -> back out through the host.
        String wat = "(module (import \"env\" \"cb\" (func $cb (param i32) (result i32)))"
                + " (memory (export \"memory\") 1)"
                + " (func (export \"outer\") (param i32) (result i32) (i32.add (call $cb (local.get 0)) (i32.const 100)))"
                + " (func (export \"inner\") (param i32) (result i32) (i32.div_s (i32.const 10) (local.get 0)))"
                + " (func (export \"oob\") (result i32) (i32.load (i32.const 70000))))";
        AtomicReference<TrapException> innerTrap = new AtomicReference<>();
        try (Engine engine = guarded(signals); Module m = Module.fromWat(engine, wat); Linker linker = Linker.create(engine)) {
            linker.defineFunction("env", "cb", FuncType.of(List.of(ValType.I32), List.of(ValType.I32)), (caller, args) -> {
                int n = (Integer) args[0];
                Function inner = caller.function(n == 42 ? "oob" : "inner");
                if (n == -7) {
                    // The host catches the inner trap and carries on: the outer call completes normally.
                    try {
                        caller.function("inner").call(0);
                    } catch (TrapException e) {
                        return new Object[] {-1};
                    }
                }
                try {
                    return n == 42 ? inner.call() : inner.call(n);
                } catch (TrapException e) {
                    innerTrap.set(e);
                    throw e;
                }
            });
            try (Store store = Store.create(engine)) {
                store.setFuel(Long.MAX_VALUE);
                Instance i = linker.instantiate(store, m);
                assertEquals(105, i.function("outer").call(2)[0]);
                for (int round = 0; round < 50; round++) {
                    TrapException e = trap(() -> i.function("outer").call(0));
                    assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, e.code());
                    assertSame(innerTrap.get(), e);
                    e = trap(() -> i.function("outer").call(42));
                    assertEquals(TrapCode.MEMORY_OUT_OF_BOUNDS, e.code());
                    assertSame(innerTrap.get(), e);
                    assertEquals(99, i.function("outer").call(-7)[0]);
                    assertEquals(110, i.function("outer").call(1)[0]);
                }
                i.memory("memory").writeInt(0, 1234);
                assertEquals(1234, i.memory("memory").readInt(0));
            }
        }
    }

    // ---------------------------------------------------------------- WASI sleeps

    // subscription at 0 (48 bytes): userdata u64 @0, tag u8 @8 (0 = clock), clock id u32 @16 (1 = monotonic),
    // timeout u64 @24 (ns, relative), precision u64 @32, flags u16 @40; the event goes to 256, the count to 512.
    static final String SLEEP_WAT = "(module (import \"wasi_snapshot_preview1\" \"poll_oneoff\""
            + " (func $p (param i32 i32 i32 i32) (result i32)))"
            + " (memory (export \"memory\") 1)"
            + " (func (export \"sleep\") (param i64) (result i32)"
            + "  (i64.store (i32.const 0) (i64.const 42))"
            + "  (i32.store8 (i32.const 8) (i32.const 0)) (i32.store (i32.const 16) (i32.const 1))"
            + "  (i64.store (i32.const 24) (local.get 0))"
            + "  (call $p (i32.const 0) (i32.const 256) (i32.const 1) (i32.const 512))))";

    @Test
    void aWasiSleepWithinTheDeadlineCompletesWithItsEvent() {
        try (Engine engine = guarded(true); Module m = Module.fromWat(engine, SLEEP_WAT); Linker linker = Linker.create(engine);
                Store store = Store.create(engine)) {
            linker.defineWasi();
            store.setFuel(Long.MAX_VALUE);
            Instance i = linker.instantiate(store, m);
            store.setDeadline(Duration.ofSeconds(30));
            long t0 = System.nanoTime();
            assertEquals(0, i.function("sleep").call(20_000_000L)[0], "errno");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 20, "slept only " + ms + " ms of 20");
            Memory memory = i.memory("memory");
            assertEquals(1, memory.readInt(512), "events");
            assertEquals(42, memory.readLong(256), "userdata");
            assertEquals(0, memory.readLong(264), "error and type: success, clock");
        }
    }

    @Test
    void aWasiPollOnStdinGoesToWasmtimeWasiEveryTime() {
        // One fd_read subscription (tag 1) on fd 0: not a plain sleep, so wasmbridge's poll_oneoff delegates it.
        String wat = "(module (import \"wasi_snapshot_preview1\" \"poll_oneoff\""
                + " (func $p (param i32 i32 i32 i32) (result i32)))"
                + " (memory (export \"memory\") 1)"
                + " (func (export \"poll\") (result i32)"
                + "  (i64.store (i32.const 0) (i64.const 7)) (i32.store8 (i32.const 8) (i32.const 1))"
                + "  (i32.store (i32.const 16) (i32.const 0))"
                + "  (call $p (i32.const 0) (i32.const 256) (i32.const 1) (i32.const 512))))";
        try (Engine engine = guarded(true); Module m = Module.fromWat(engine, wat); Linker linker = Linker.create(engine);
                Store store = Store.create(engine)) {
            linker.defineWasi();
            store.setFuel(Long.MAX_VALUE);
            Instance i = linker.instantiate(store, m);
            Memory memory = i.memory("memory");
            for (int n = 0; n < 3; n++) {
                memory.write(256, new byte[16]);
                assertEquals(0, i.function("poll").call()[0], "errno");
                assertEquals(1, memory.readInt(512), "events");
                assertEquals(7, memory.readLong(256), "userdata");
                assertEquals(1, memory.read(266, 1)[0], "event type fd_read");
            }
        }
    }

    @Test
    void interruptStopsAGuestSleepingInWasi() throws Exception {
        try (Engine engine = guarded(true); Module m = Module.fromWat(engine, SLEEP_WAT); Linker linker = Linker.create(engine);
                Store store = Store.create(engine)) {
            linker.defineWasi();
            store.setFuel(Long.MAX_VALUE);
            Instance i = linker.instantiate(store, m);
            java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            try {
                timer.schedule(store::interrupt, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
                long t0 = System.nanoTime();
                assertEquals(TrapCode.INTERRUPT, trap(() -> i.function("sleep").call(10_000_000_000L)).code());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms < 5_000, "the guest slept " + ms + " ms after an interrupt at 100 ms");
            } finally {
                timer.shutdownNow();
            }
        }
    }

    @Test
    void deadlineStopsAGuestSleepingInWasi() {
        String wat = SLEEP_WAT;
        try (Engine engine = guarded(true); Module m = Module.fromWat(engine, wat); Linker linker = Linker.create(engine);
                Store store = Store.create(engine)) {
            linker.defineWasi();
            store.setFuel(Long.MAX_VALUE);
            Instance i = linker.instantiate(store, m);
            store.setDeadline(Duration.ofMillis(100));
            long t0 = System.nanoTime();
            TrapException e = trap(() -> i.function("sleep").call(3_000_000_000L));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(TrapCode.INTERRUPT, e.code());
            assertTrue(ms < 1_000, "the guest slept " + ms + " ms past a 100 ms deadline");
        }
    }
}
