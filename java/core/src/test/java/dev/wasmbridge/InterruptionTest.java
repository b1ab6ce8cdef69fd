package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Fuel, deadlines and interrupts: ways to stop wasm that does not stop by itself. */
@Timeout(60)
class InterruptionTest {
    static Engine engine(boolean fuel, boolean epochs) {
        return Engine.create(EngineConfig.builder().fuel(fuel).epochInterruption(epochs).build());
    }

    @Test
    void fuelRunsOutWithOutOfFuel() {
        try (Engine engine = engine(true, false); Fixtures.Loaded l = new Fixtures.Loaded(engine, "loop")) {
            l.store.setFuel(10_000);
            assertEquals(100, l.instance.function("count").call(100)[0]);
            long left = l.store.getFuel();
            assertTrue(left > 0 && left < 10_000, "fuel left " + left);
            TrapException e = assertThrows(TrapException.class, () -> l.instance.function("forever").call());
            assertEquals(TrapCode.OUT_OF_FUEL, e.code());
            assertEquals(0, l.store.getFuel());
            l.store.setFuel(1_000_000);
            assertEquals(1000, l.instance.function("count").call(1000)[0]);
        }
    }

    @Test
    void aStoreWithoutFuelCannotRun() {
        try (Engine engine = engine(true, false); Module m = Module.fromWat(engine, Fixtures.wat("loop"));
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            Instance i = linker.instantiate(store, m);
            assertEquals(TrapCode.OUT_OF_FUEL, assertThrows(TrapException.class, () -> i.function("count").call(5)).code());
        }
    }

    @Test
    void deadlineStopsARunawayLoop() {
        try (Engine engine = engine(false, true); Fixtures.Loaded l = new Fixtures.Loaded(engine, "loop")) {
            l.store.setDeadline(Duration.ofMillis(50));
            long start = System.nanoTime();
            TrapException e = assertThrows(TrapException.class, () -> l.instance.function("forever").call());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(TrapCode.INTERRUPT, e.code());
            assertTrue(ms >= 40 && ms < 5_000, "stopped after " + ms + " ms");
            // The deadline has passed: the next call stops at once; clearing it lets code run again.
            assertThrows(TrapException.class, () -> l.instance.function("forever").call());
            l.store.clearDeadline();
            assertEquals(10, l.instance.function("count").call(10)[0]);
        }
    }

    @Test
    void codeWithinTheDeadlineIsUnaffected() {
        try (Engine engine = engine(false, true); Fixtures.Loaded l = new Fixtures.Loaded(engine, "loop")) {
            l.store.setDeadline(Duration.ofSeconds(30));
            for (int i = 0; i < 100; i++) {
                assertEquals(10_000, l.instance.function("count").call(10_000)[0]);
            }
        }
    }

    /** Calls the host function env.started, then loops forever. */
    static final String STARTED_THEN_LOOP = "(module (import \"env\" \"started\" (func $started))"
            + " (func (export \"run\") call $started (loop $l (br $l)))"
            + " (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))";

    @Test
    void anotherThreadCanInterruptARunningCall() throws Exception {
        try (Engine engine = engine(false, true); Module m = Module.fromWat(engine, STARTED_THEN_LOOP);
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            CountDownLatch started = new CountDownLatch(1);
            linker.define("env", "started", Runnable.class, started::countDown);
            Instance i = linker.instantiate(store, m);
            CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
                try {
                    i.function("run").call();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            // The call is running once the guest has called env.started: the interrupt aims at it.
            started.await();
            store.interrupt();
            Throwable t = running.get(10, TimeUnit.SECONDS);
            assertTrue(t instanceof TrapException && ((TrapException) t).code() == TrapCode.INTERRUPT, String.valueOf(t));
            // The interrupt ended that call and nothing else: the store runs again.
            assertEquals(3, i.function("add").call(1, 2)[0]);
        }
    }

    @Test
    void anInterruptWithNoCallRunningDoesNothing() {
        try (Engine engine = engine(false, true); Fixtures.Loaded l = new Fixtures.Loaded(engine, "loop")) {
            l.store.interrupt();
            l.store.interrupt();
            // The next call is not the target: it runs to its end (a loop that counts for a while,
            // crossing many epoch ticks where a pending interrupt would have stopped it).
            assertEquals(200_000_000, l.instance.function("count").call(200_000_000)[0]);
        }
    }

    @Test
    void aHostFunctionCanInterruptTheCallItIsPartOf() {
        try (Engine engine = engine(false, true); Module m = Module.fromWat(engine, STARTED_THEN_LOOP);
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            linker.defineFunction("env", "started", FuncType.of(java.util.List.of(), java.util.List.of()), (caller, args) -> {
                caller.store().interrupt();
                return null;
            });
            Instance i = linker.instantiate(store, m);
            for (int round = 0; round < 3; round++) {
                assertEquals(TrapCode.INTERRUPT, assertThrows(TrapException.class, () -> i.function("run").call()).code());
                assertEquals(5, i.function("add").call(2, 3)[0]);
            }
        }
    }

    @Test
    void featuresMustBeEnabled() {
        try (Engine engine = engine(false, false); Store store = Store.create(engine)) {
            assertThrows(IllegalStateException.class, () -> store.setFuel(1));
            assertThrows(IllegalStateException.class, store::getFuel);
            assertThrows(IllegalStateException.class, () -> store.setDeadline(Duration.ofSeconds(1)));
            assertThrows(IllegalStateException.class, store::interrupt);
        }
        try (Engine engine = engine(true, true); Store store = Store.create(engine)) {
            assertThrows(IllegalArgumentException.class, () -> store.setFuel(-1));
            assertThrows(IllegalArgumentException.class, () -> store.setDeadline(Duration.ofSeconds(-1)));
            assertThrows(NullPointerException.class, () -> store.setDeadline(null));
            store.close();
            assertThrows(IllegalStateException.class, () -> store.setFuel(1));
            assertThrows(IllegalStateException.class, store::interrupt);
        }
    }
}
