package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StoreTest {
    Engine engine;

    @BeforeEach
    void setUp() {
        engine = Engine.create();
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    @Test
    void closeIsIdempotentAndKillsViews() {
        Fixtures.Loaded l = new Fixtures.Loaded(engine, "add");
        Function add = l.instance.function("add");
        Memory memory = l.instance.memory("memory");
        l.store.close();
        l.store.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> add.call(1, 2));
        assertEquals("Store is closed", e.getMessage());
        assertThrows(IllegalStateException.class, memory::byteSize);
        assertThrows(IllegalStateException.class, () -> l.linker.instantiate(l.store, l.module));
        l.close();
    }

    @Test
    void aStoreMayMoveBetweenThreads() throws Exception {
        try (Fixtures.Loaded l = new Fixtures.Loaded(engine, "add")) {
            Function add = l.instance.function("add");
            assertEquals(3, add.call(1, 2)[0]);
            assertEquals(7, CompletableFuture.supplyAsync(() -> add.call(3, 4)[0]).get(10, TimeUnit.SECONDS));
            assertEquals(11, add.call(5, 6)[0]);
        }
    }

    @Test
    @Timeout(30)
    void secondThreadIsRefusedWhileAStoreIsInUse() throws Exception {
        // Wasm sets memory[4] = 1 on entry, then loops until memory[0] becomes non-zero. The main thread
        // watches memory[4] through the buffer (no store entry), so it knows the other thread is inside wasm.
        String wat = "(module (memory (export \"m\") 1)"
                + " (func (export \"wait\") (i32.store (i32.const 4) (i32.const 1))"
                + "   (loop $l (br_if $l (i32.eqz (i32.load (i32.const 0))))))"
                + " (func (export \"f\") (result i32) i32.const 1))";
        try (Module module = Module.fromWat(engine, wat); Store store = Store.create(engine);
                Linker linker = Linker.create(engine)) {
            Instance instance = linker.instantiate(store, module);
            Function f = instance.function("f");
            Function wait = instance.function("wait");
            Memory m = instance.memory("m");
            java.nio.ByteBuffer flag = m.buffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
            CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> wait.call(), r -> new Thread(r, "wait").start());
            while (flag.getInt(4) == 0) {
                assertFalse(waiting.isDone(), () -> "wait ended early: " + waiting);
                Thread.onSpinWait();
            }
            IllegalStateException refused = assertThrows(IllegalStateException.class, f::call);
            assertTrue(refused.getMessage().contains("another thread"), refused.getMessage());
            assertThrows(IllegalStateException.class, store::close);
            assertThrows(IllegalStateException.class, () -> m.read(0, 1));
            flag.putInt(0, 1);
            waiting.get(10, TimeUnit.SECONDS);
            assertEquals(1, f.call()[0]);
        }
    }

    @Test
    void engineIsKept() {
        try (Store store = Store.create(engine)) {
            assertSame(engine, store.engine());
        }
        assertThrows(NullPointerException.class, () -> Store.create(null));
    }

    @Test
    void storesDroppedWithoutCloseAreCleanedUp() {
        for (int i = 0; i < 2000; i++) {
            Store s = Store.create(engine);
            Linker linker = Linker.create(engine);
            try (Module m = Module.fromWat(engine, "(module (memory 1))")) {
                linker.instantiate(s, m);
            }
        }
        System.gc();
        // Nothing to assert directly: the Cleaner frees them; -Xcheck:jni and the absence of a crash or
        // OutOfMemoryError over 2000 one-page memories is the check. A live store still works:
        try (Fixtures.Loaded l = new Fixtures.Loaded(engine, "add")) {
            assertEquals(2, l.instance.function("add").call(1, 1)[0]);
        }
    }

    @Test
    void storesOfAClosedEngineAreRefusedAndTakeNoStoreId() {
        Engine closed = Engine.create();
        closed.close();
        int inUse = StoreIds.inUse();
        for (int i = 0; i < 100; i++) {
            assertThrows(IllegalStateException.class, () -> Store.create(closed));
        }
        // At most as many as before: the Cleaner may meanwhile free ids of stores earlier tests left to it.
        assertTrue(StoreIds.inUse() <= inUse, "failed creations left ids behind");
    }
}
