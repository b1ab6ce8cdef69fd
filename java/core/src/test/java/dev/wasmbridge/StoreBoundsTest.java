package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A long-lived store stays bounded: taking the same export, the caller's memory or a typed view again
 * returns the view registered the first time (the million-call soak is in the reliability suite's
 * {@code SoakTest}); and a Rust panic in the middle of a host call (the
 * store lent to the {@code Caller}, wasm suspended) leaves no dangling state behind.
 */
class StoreBoundsTest {
    static final String WAT = Internals.HOST_LOOP_WAT;

    static Linker linker(Engine engine) {
        return Internals.hostLoopLinker(engine);
    }

    @Test
    void exportsTakenAgainAreTheSameEntries() {
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, WAT); Linker linker = linker(engine);
                Store store = Store.create(engine)) {
            Instance instance = linker.instantiate(store, m);
            instance.memory("memory");
            instance.global("g");
            instance.global("c");
            instance.table("t");
            instance.function("inc").as(IntUnaryOperator.class);
            instance.table("t").get(0);
            long[] sizes = store.registrySizes();
            for (int i = 0; i < 10_000; i++) {
                instance.memory("memory").writeByte(0, (byte) 3);
                assertEquals(5, instance.global("g").get());
                assertEquals(9L, instance.global("c").get());
                assertEquals(2L, instance.table("t").size());
                assertEquals(4, instance.function("inc").as(IntUnaryOperator.class).applyAsInt(3));
                assertEquals(4, ((Function) instance.table("t").get(0)).call(3)[0]);
            }
            assertArrayEquals(sizes, store.registrySizes());
        }
    }

    @Test
    void aPanicInsideAHostCallLeavesTheStoreUsable() {
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, WAT); Linker linker = linker(engine);
                Store store = Store.create(engine)) {
            Instance instance = linker.instantiate(store, m);
            instance.memory("memory").writeByte(0, (byte) 1);
            Function run = instance.function("run");
            IntUnaryOperator typed = run.as(IntUnaryOperator.class);
            for (int round = 0; round < 3; round++) {
                store.panicInNextHostCall();
                WasmException e = assertThrows(WasmException.class, () -> run.call(3));
                assertTrue(e.getMessage().contains("panic"), e.getMessage());
                // The Caller it was lent to is gone; the store is not lent any more, its frame restored.
                assertEquals(6, run.call(3)[0]);
                store.panicInNextHostCall();
                assertThrows(WasmException.class, () -> typed.applyAsInt(2));
                assertEquals(4, typed.applyAsInt(2));
                instance.memory("memory").writeByte(0, (byte) 0);
                assertEquals(3, typed.applyAsInt(3));
                instance.memory("memory").writeByte(0, (byte) 1);
            }
        }
    }

    @Test
    void aPanicOnAThreadWhoseWasmRunsOnThePrivateStackLeavesNoState() throws Exception {
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, WAT); Linker linker = linker(engine)) {
            StackTest.onThread(256 * 1024, () -> {
                try (Store store = Store.create(engine);
                        Module recursive = Module.fromWat(engine, "(module (func $r (export \"r\") call $r))")) {
                    Instance instance = linker.instantiate(store, m);
                    instance.memory("memory").writeByte(0, (byte) 1);
                    IntUnaryOperator run = instance.function("run").as(IntUnaryOperator.class);
                    store.panicInNextHostCall();
                    assertThrows(WasmException.class, () -> run.applyAsInt(5));
                    assertEquals(10, run.applyAsInt(5));
                    Function r = linker.instantiate(store, recursive).function("r");
                    assertEquals(TrapCode.STACK_OVERFLOW, assertThrows(TrapException.class, r::call).code());
                    assertEquals(10, run.applyAsInt(5));
                }
            });
        }
    }
}
