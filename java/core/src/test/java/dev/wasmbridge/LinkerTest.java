package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LinkerTest {
    Engine engine;
    Store store;
    Linker linker;
    Module provider;
    Module consumer;

    @BeforeEach
    void setUp() {
        engine = Engine.create();
        store = Store.create(engine);
        linker = Linker.create(engine);
        provider = Module.fromWat(engine, Fixtures.wat("add"));
        consumer = Module.fromWat(engine, Fixtures.wat("imports"));
    }

    @AfterEach
    void tearDown() {
        consumer.close();
        provider.close();
        linker.close();
        store.close();
        engine.close();
    }

    Instance limitInstance(int limit) {
        try (Module g = Module.fromWat(engine, "(module (global (export \"limit\") i32 (i32.const " + limit + ")))")) {
            return linker.instantiate(store, g);
        }
    }

    @Test
    void definesExternsFromOtherInstances() {
        Instance p = linker.instantiate(store, provider);
        linker.defineInstance(store, "provider", p);
        linker.define(store, "env", "limit", limitInstance(100).global("limit"));
        Instance c = linker.instantiate(store, consumer);
        p.memory("memory").writeInt(16, 23);
        assertEquals(123, c.function("add_at").call(16)[0]);
    }

    @Test
    void defineSingleItems() {
        Instance p = linker.instantiate(store, provider);
        linker.define(store, "provider", "memory", p.memory("memory"));
        linker.define(store, "provider", "add", p.function("add"));
        linker.define(store, "env", "limit", limitInstance(1).global("limit"));
        assertEquals(1, linker.instantiate(store, consumer).function("add_at").call(0)[0]);
    }

    @Test
    void missingImportIsALinkException() {
        LinkException e = assertThrows(LinkException.class, () -> linker.instantiate(store, consumer));
        assertTrue(e.getMessage().contains("provider"), e.getMessage());
    }

    @Test
    void wrongImportTypeIsALinkException() {
        Instance p = linker.instantiate(store, provider);
        linker.defineInstance(store, "provider", p);
        linker.define(store, "env", "limit", p.function("add"));
        LinkException e = assertThrows(LinkException.class, () -> linker.instantiate(store, consumer));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void redefinitionNeedsShadowing() {
        Instance p = linker.instantiate(store, provider);
        linker.define(store, "x", "f", p.function("add"));
        assertThrows(LinkException.class, () -> linker.define(store, "x", "f", p.function("add")));
        linker.allowShadowing(true).define(store, "x", "f", p.function("add"));
    }

    @Test
    void externOfAnotherStoreIsRefused() {
        try (Store other = Store.create(engine)) {
            Instance p = linker.instantiate(other, provider);
            assertThrows(IllegalArgumentException.class, () -> linker.define(store, "a", "b", p.function("add")));
            assertThrows(IllegalArgumentException.class, () -> linker.defineInstance(store, "a", p));
        }
    }

    @Test
    void useAfterCloseIsIllegalState() {
        linker.close();
        linker.close();
        assertThrows(IllegalStateException.class, () -> linker.instantiate(store, provider));
        assertThrows(IllegalStateException.class, () -> linker.allowShadowing(true));
    }

    @Test
    void nullsAreRefused() {
        assertThrows(NullPointerException.class, () -> linker.instantiate(null, provider));
        assertThrows(NullPointerException.class, () -> linker.instantiate(store, null));
        assertThrows(NullPointerException.class, () -> linker.define(store, "a", "b", null));
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aStartFunctionsHostFunctionMayDefineOnTheSameLinker() {
        // The start function calls env.setup, which defines env.later on the linker that is
        // instantiating: no lock is held across the start function, so this neither deadlocks nor
        // changes the instantiation in progress.
        String wat = "(module (import \"env\" \"setup\" (func $setup)) (func $start call $setup) (start $start))";
        String user = "(module (import \"env\" \"later\" (func $later (result i32)))"
                + " (func (export \"f\") (result i32) call $later))";
        linker.define("env", "setup", Runnable.class,
                () -> linker.define("env", "later", java.util.function.IntSupplier.class, () -> 42));
        try (Module m = Module.fromWat(engine, wat); Module u = Module.fromWat(engine, user)) {
            linker.instantiate(store, m);
            assertEquals(42, linker.instantiate(store, u).function("f").call()[0]);
            // And the same through an InstancePre: the definition exists now, so it is a redefinition.
            try (InstancePre pre = linker.prepare(m)) {
                assertThrows(LinkException.class, () -> pre.instantiate(store));
            }
        }
    }

    /** A module with a function and a global import nothing defines, and one env.known the linker has. */
    private static final String UNKNOWN_IMPORTS = "(module"
            + " (import \"env\" \"missing\" (func $missing (param i32) (result i32 i64)))"
            + " (import \"env\" \"known\" (func $known (result i32)))"
            + " (func (export \"call-missing\") (result i32) (call $missing (i32.const 7)) (drop))"
            + " (func (export \"call-known\") (result i32) (call $known)))";

    @Test
    void unknownImportsCanBeDefinedAsTraps() {
        try (Module m = Module.fromWat(engine, UNKNOWN_IMPORTS)) {
            linker.define("env", "known", java.util.function.IntSupplier.class, () -> 5);
            assertThrows(LinkException.class, () -> linker.instantiate(store, m));
            Instance i = linker.defineUnknownImportsAsTraps(m).instantiate(store, m);
            assertEquals(5, i.function("call-known").call()[0]); // what the linker had stays
            TrapException t = assertThrows(TrapException.class, () -> i.function("call-missing").call());
            assertTrue(t.getMessage().contains("env") && t.getMessage().contains("missing"), t.getMessage());
        }
        try (Module global = Module.fromWat(engine, "(module (import \"env\" \"g\" (global i32)))")) {
            linker.defineUnknownImportsAsTraps(global); // only functions are made up
            assertThrows(LinkException.class, () -> linker.instantiate(store, global));
        }
    }

    @Test
    void unknownImportsCanBeDefinedAsDefaultValues() {
        try (Module m = Module.fromWat(engine, UNKNOWN_IMPORTS + "");
                Module global = Module.fromWat(engine, "(module (import \"env\" \"g\" (global i64))"
                        + " (import \"env\" \"mem\" (memory 1)) (func (export \"get\") (result i64) (global.get 0))"
                        + " (func (export \"size\") (result i32) (memory.size)))")) {
            linker.define("env", "known", java.util.function.IntSupplier.class, () -> 5);
            Instance i = linker.defineUnknownImportsAsDefaultValues(store, m).instantiate(store, m);
            assertEquals(0, i.function("call-missing").call()[0]);
            assertEquals(5, i.function("call-known").call()[0]);
            Instance g = linker.defineUnknownImportsAsDefaultValues(store, global).instantiate(store, global);
            assertEquals(0L, g.function("get").call()[0]);
            assertEquals(1, g.function("size").call()[0]);
        }
    }
}
