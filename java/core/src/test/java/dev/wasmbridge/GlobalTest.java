package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GlobalTest {
    Engine engine;
    Fixtures.Loaded g;

    @BeforeEach
    void setUp() {
        engine = Engine.create();
        g = new Fixtures.Loaded(engine, "globals");
    }

    @AfterEach
    void tearDown() {
        g.close();
        engine.close();
    }

    @Test
    void readsAndWritesEveryType() {
        Global counter = g.instance.global("counter");
        assertEquals(new GlobalType(ValType.I32, true), counter.type());
        assertEquals(7, counter.get());
        g.instance.function("inc").call();
        assertEquals(8, counter.get());
        counter.set(41);
        g.instance.function("inc").call();
        assertEquals(42, g.instance.function("get_counter").call()[0]);

        assertEquals(Math.PI, g.instance.global("pi").get());
        Global big = g.instance.global("big");
        assertEquals(-1L, big.get());
        big.set(Long.MIN_VALUE);
        assertEquals(Long.MIN_VALUE, big.get());
        Global vec = g.instance.global("vec");
        assertEquals(new V128(1, 2), vec.get());
        vec.set(new V128(-1, 3));
        assertEquals(new V128(-1, 3), vec.get());
        Global ref = g.instance.global("ref");
        assertNull(ref.get());
        Object host = new StringBuilder("host");
        ref.set(host);
        assertSame(host, ref.get());
    }

    @Test
    void immutableGlobalCannotBeSet() {
        Global pi = g.instance.global("pi");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pi.set(1.0));
        assertEquals("the global is immutable (f64)", e.getMessage());
        assertEquals(Math.PI, pi.get());
    }

    @Test
    void wrongValueTypeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> g.instance.global("counter").set(1L));
        assertThrows(IllegalArgumentException.class, () -> g.instance.global("counter").set(null));
        assertThrows(IllegalArgumentException.class, () -> g.instance.global("vec").set(1));
    }

    @Test
    void exportOfAnotherKindIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> g.instance.global("inc"));
        assertThrows(IllegalArgumentException.class, () -> g.instance.global("nope"));
    }

    @Test
    void useAfterCloseIsIllegalState() {
        Global counter = g.instance.global("counter");
        g.store.close();
        assertThrows(IllegalStateException.class, counter::get);
        assertThrows(IllegalStateException.class, () -> counter.set(1));
    }
}
