package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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
        // Wasm loops until memory[0] becomes non-zero; the second thread tries the same store meanwhile.
        String wat = "(module (memory (export \"m\") 1)"
                + " (func (export \"wait\") (loop $l (br_if $l (i32.eqz (i32.load (i32.const 0))))))"
                + " (func (export \"f\") (result i32) i32.const 1))";
        try (Module module = Module.fromWat(engine, wat); Store store = Store.create(engine);
                Linker linker = Linker.create(engine)) {
            Instance instance = linker.instantiate(store, module);
            Function f = instance.function("f");
            Memory m = instance.memory("m");
            java.nio.ByteBuffer flag = m.buffer();
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> {
                started.countDown();
                return instance.function("wait").call();
            });
            started.await();
            // Give the first thread time to be inside wasm; a refusal proves it is.
            IllegalStateException refused = null;
            for (int i = 0; i < 200 && refused == null; i++) {
                try {
                    f.call();
                    Thread.sleep(10);
                } catch (IllegalStateException e) {
                    refused = e;
                }
            }
            assertTrue(refused != null && refused.getMessage().contains("another thread"), String.valueOf(refused));
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
}
