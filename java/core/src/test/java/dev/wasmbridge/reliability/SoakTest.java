package dev.wasmbridge.reliability;

import java.util.function.IntBinaryOperator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.Instance;
import dev.wasmbridge.InstancePre;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Memory;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.StoreLimits;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Instantiate, call, close, many times over: resident memory must level off after a warm-up, both when
 * everything is closed and when stores, modules and linkers are dropped for the {@code Cleaner}.
 *
 * <p>Each cycle makes a store with fuel, a deadline and limits, instantiates {@code host.wat} with host
 * functions, calls through the generic, raw and typed paths (with a host round trip and an externref),
 * writes and reads memory, and every so often traps, has a host function throw, or exits a
 * re-entrant call with a trap, since error paths are where leaks hide.
 */
@Tag("reliability")
@Timeout(1800)
class SoakTest {
    static final int CYCLES = Rel.intProp("wasmbridge.soak.cycles", 100_000);
    /** Allowed RSS growth from the end of the warm-up to the end, in MiB. */
    static final long BOUND_MIB = Rel.longProp("wasmbridge.soak.boundMiB", 64);

    static Engine engine() {
        return Engine.create(EngineConfig.builder().fuel(true).epochInterruption(true).parallelCompilation(false).build());
    }

    static final StoreLimits LIMITS = StoreLimits.builder().memorySize(1 << 20).tableElements(1000).instances(4).build();

    /** One cycle's work on a fresh instance; {@code n} picks the error path now and then. */
    static void exercise(Store store, Instance i, int n) {
        store.setFuel(1_000_000);
        store.setLimits(LIMITS);
        store.setDeadline(Duration.ofSeconds(30));
        assertEquals(n + 1, i.function("call_add").call(n, 1)[0]);
        assertEquals(2 * n, i.function("call_add").as(IntBinaryOperator.class).applyAsInt(n, n));
        Object ref = n % 3 == 0 ? null : Integer.valueOf(n);
        assertSame(ref, i.function("call_ref").call(ref)[0]);
        assertEquals(11, i.function("countdown").call(10)[0]);
        Memory memory = i.memory("memory");
        memory.writeInt(1024, n);
        assertEquals(n, memory.readInt(1024));
        long[] raw = i.function("call_swap").callRaw(n, Double.doubleToRawLongBits(0.5));
        assertEquals(Double.doubleToRawLongBits(0.5), raw[0]);
        assertEquals(n, raw[1]);
        if (n % 10 == 0) {
            assertThrows(HostLinker.HostFailure.class, () -> i.function("call_fail").call());
        }
        if (n % 10 == 3) {
            store.setFuel(5);
            assertEquals(TrapCode.OUT_OF_FUEL, assertThrows(TrapException.class, () -> i.function("countdown").call(10)).code());
            store.setFuel(1_000_000);
        }
        if (n % 50 == 5) {
            // Re-entrant recursion wasm -> host -> wasm ... until the wasm stack overflows, unwinding through Java.
            store.setFuel(Long.MAX_VALUE);
            TrapException e = assertThrows(TrapException.class, () -> i.function("countdown").call(-1 >>> 1));
            assertEquals(TrapCode.STACK_OVERFLOW, e.code());
        }
        if (n % 10 == 7) {
            assertThrows(IllegalArgumentException.class, () -> i.function("call_add").call(1));
        }
    }

    /** Samples RSS through a run of {@code cycles} and checks growth after the warm-up. */
    private static void soak(String name, int cycles, java.util.function.IntConsumer cycle, int gcEvery) {
        int warmup = Math.max(2_000, cycles / 10);
        Rel.settle();
        long start = Rel.rss();
        long t0 = System.nanoTime();
        long afterWarmup = -1;
        long peak = start;
        List<String> samples = new ArrayList<>();
        for (int n = 0; n < warmup + cycles; n++) {
            cycle.accept(n);
            if (gcEvery > 0 && n % gcEvery == gcEvery - 1) {
                System.gc();
            }
            if (n == warmup - 1) {
                Rel.settle();
                afterWarmup = Rel.rss();
                t0 = System.nanoTime();
            }
            if (n >= warmup && (n - warmup) % Math.max(1, cycles / 10) == 0) {
                long r = Rel.rss();
                peak = Math.max(peak, r);
                samples.add(String.valueOf(r >> 20));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Rel.settle();
        long end = Rel.rss();
        long growth = end - afterWarmup;
        Rel.report("soak %s: %d cycles after %d warm-up in %.1f s (%.0f cycles/s); RSS start %s, after warm-up %s, end %s,"
                + " growth after warm-up %s (%.1f bytes/cycle), peak %s; samples MiB [%s]", name, cycles, warmup, seconds,
                cycles / seconds, Rel.mib(start), Rel.mib(afterWarmup), Rel.mib(end), Rel.mib(growth),
                (double) growth / cycles, Rel.mib(peak), String.join(" ", samples));
        assertTrue(growth < BOUND_MIB << 20, name + ": RSS grew by " + Rel.mib(growth) + " after the warm-up (bound "
                + BOUND_MIB + " MiB)");
    }

    @Test
    void instantiateCallCloseCyclesKeepMemoryBounded() {
        try (Engine engine = engine(); Module module = Module.fromWat(engine, Rel.wat("host"));
                Linker linker = HostLinker.create(engine); InstancePre pre = linker.prepare(module)) {
            soak("closed", CYCLES, n -> {
                try (Store store = Store.create(engine, n)) {
                    store.setFuel(10_000);
                    Instance i = n % 8 == 0 ? linker.instantiate(store, module) : pre.instantiate(store);
                    exercise(store, i, n);
                }
            }, 0);
        }
    }

    @Test
    void objectsDroppedWithoutCloseAreFreedByTheCleaner() {
        // Stores are never closed; every 200 cycles the module, the linker and the InstancePre are dropped too
        // (a new module compiled), and the GC runs every 1000 cycles.
        try (Engine engine = engine()) {
            String wat = Rel.wat("host");
            Object[] shared = new Object[3];
            soak("dropped", CYCLES, n -> {
                if (n % 200 == 0) {
                    Module module = Module.fromWat(engine, wat);
                    Linker linker = HostLinker.create(engine);
                    shared[0] = module;
                    shared[1] = linker;
                    shared[2] = linker.prepare(module);
                }
                Store store = Store.create(engine, n);
                store.setFuel(10_000);
                Instance i = n % 8 == 0 ? ((Linker) shared[1]).instantiate(store, (Module) shared[0])
                        : ((InstancePre) shared[2]).instantiate(store);
                exercise(store, i, n);
            }, 1000);
        }
    }

    /**
     * One long-lived store, a million host calls, each taking the caller's memory and a typed view of
     * an export (the README's pattern): the store's registries stay the same size, and the process's
     * resident memory outside the Java heap (RSS less the heap the JVM has committed) does not grow
     * with the calls.
     */
    @Test
    void aMillionHostCallsTakingTheCallersMemoryAndATypedViewLeaveTheStoreFlat() {
        int calls = Rel.intProp("wasmbridge.soak.hostCalls", 1_000_000);
        java.util.function.LongSupplier nativeBytes = () -> Rel.rss() - Runtime.getRuntime().totalMemory();
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, dev.wasmbridge.Internals.HOST_LOOP_WAT);
                Linker linker = dev.wasmbridge.Internals.hostLoopLinker(engine); Store store = Store.create(engine)) {
            Instance instance = linker.instantiate(store, m);
            instance.memory("memory").writeByte(0, (byte) 1);
            java.util.function.IntUnaryOperator run = instance.function("run").as(java.util.function.IntUnaryOperator.class);
            for (int i = 0; i < 5; i++) {
                assertEquals(2 * 20_000, run.applyAsInt(20_000)); // warm-up: every view registered, JIT done
            }
            long[] before = dev.wasmbridge.Internals.registrySizes(store);
            // Memory outside the heap after each tenth of the calls: one-time growth (the JIT, the code
            // cache) levels off; a leak per call keeps rising to the end.
            long[] samples = new long[11];
            Rel.settle();
            samples[0] = nativeBytes.getAsLong();
            long rssBefore = Rel.rss();
            long t0 = System.nanoTime();
            int chunk = Math.max(1, calls / 10);
            for (int i = 1; i <= 10; i++) {
                assertEquals(2 * chunk, run.applyAsInt(chunk));
                Rel.settle();
                samples[i] = nativeBytes.getAsLong();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long rssAfter = Rel.rss();
            long[] after = dev.wasmbridge.Internals.registrySizes(store);
            // Medians of three tenths each, early (after 10-30% of the calls) and late (80-100%): a leak
            // raises every late sample, while one sample off by a moment's heap resizing (seen: one
            // tenth 11.5 MiB below the rest, all others equal) moves neither median.
            long lateGrowth = median(samples[8], samples[9], samples[10]) - median(samples[1], samples[2], samples[3]);
            Rel.report("one store, %d host calls taking caller.memory and a typed view in %.1f s (incl. GC pauses):"
                    + " registries (instances, functions, memories, globals, tables, typed) %s -> %s; RSS %s -> %s;"
                    + " outside the heap (RSS less committed heap) per tenth, MiB: %s; over the last 70%% (medians): %s"
                    + " (%.2f bytes/call)", 10 * chunk, seconds, java.util.Arrays.toString(before),
                    java.util.Arrays.toString(after), Rel.mib(rssBefore), Rel.mib(rssAfter),
                    java.util.Arrays.stream(samples).mapToObj(b -> String.format(java.util.Locale.ROOT, "%.1f", b / 1048576.0))
                            .collect(java.util.stream.Collectors.joining(" ")),
                    Rel.mib(lateGrowth), (double) lateGrowth / (7L * chunk));
            org.junit.jupiter.api.Assertions.assertArrayEquals(before, after, "registry sizes");
            // A leak of 6 bytes per call would be over 4 MiB here.
            assertTrue(lateGrowth < 4L << 20, "memory outside the heap grew by " + Rel.mib(lateGrowth)
                    + " over the last 70% of the calls (medians of three tenths)");
        }
    }

    private static long median(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
