package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TableTest {
    Engine engine;
    Fixtures.Loaded t;

    @BeforeEach
    void setUp() {
        engine = Engine.create();
        t = new Fixtures.Loaded(engine, "tables");
    }

    @AfterEach
    void tearDown() {
        t.close();
        engine.close();
    }

    @Test
    void funcrefTableGetSetGrow() {
        Table funcs = t.instance.table("funcs");
        assertEquals(new TableType(ValType.FUNCREF, 2, OptionalLong.of(10), false), funcs.type());
        assertEquals(2, funcs.size());
        Function second = (Function) funcs.get(1);
        assertEquals(2, second.call()[0]);
        funcs.set(1, t.instance.function("one"));
        assertEquals(1, t.instance.function("call_at").call(1)[0]);
        assertEquals(2, funcs.grow(3, second));
        assertEquals(5, funcs.size());
        assertEquals(2, t.instance.function("call_at").call(4)[0]);
        funcs.set(0, null);
        assertNull(funcs.get(0));
        assertEquals(TrapCode.INDIRECT_CALL_TO_NULL,
                assertThrows(TrapException.class, () -> t.instance.function("call_at").call(0)).code());
    }

    @Test
    void externrefTableHoldsJavaObjects() {
        Table refs = t.instance.table("refs");
        assertNull(refs.get(0));
        Object o = new Object();
        refs.set(0, o);
        assertSame(o, refs.get(0));
        refs.grow(2, "x");
        assertEquals("x", refs.get(2));
    }

    @Test
    void badIndicesAndValuesAreRefused() {
        Table funcs = t.instance.table("funcs");
        assertThrows(IndexOutOfBoundsException.class, () -> funcs.get(2));
        assertThrows(IndexOutOfBoundsException.class, () -> funcs.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> funcs.set(2, null));
        assertThrows(IllegalArgumentException.class, () -> funcs.set(0, "not a function"));
        assertThrows(IllegalArgumentException.class, () -> funcs.grow(-1, null));
        assertThrows(WasmException.class, () -> funcs.grow(100, null));
        assertEquals(2, funcs.size());
    }

    @Test
    void useAfterCloseIsIllegalState() {
        Table funcs = t.instance.table("funcs");
        t.store.close();
        assertThrows(IllegalStateException.class, funcs::size);
        assertThrows(IllegalStateException.class, () -> funcs.get(0));
    }
}
