package dev.wasmbridge.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.CompileException;
import dev.wasmbridge.Engine;
import dev.wasmbridge.LinkException;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.WasmException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Components: loading, types, WIT, calls, host functions, and the errors around them. */
class ComponentTest {
    /** Exports add and twice (which calls the import host-add), and a trap. */
    static final String WAT = "(component"
            + " (import \"host-add\" (func $h (param \"a\" u32) (param \"b\" u32) (result u32)))"
            + " (core func $hl (canon lower (func $h)))"
            + " (core module $m (import \"\" \"h\" (func $h (param i32 i32) (result i32)))"
            + "   (func (export \"twice\") (param i32 i32) (result i32) local.get 0 local.get 1 call $h local.get 0 i32.add)"
            + "   (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)"
            + "   (func (export \"boom\") unreachable))"
            + " (core instance $i (instantiate $m (with \"\" (instance (export \"h\" (func $hl))))))"
            + " (func (export \"twice\") (param \"a\" u32) (param \"b\" u32) (result u32) (canon lift (core func $i \"twice\")))"
            + " (func (export \"add\") (param \"a\" u32) (param \"b\" u32) (result u32) (canon lift (core func $i \"add\")))"
            + " (func (export \"boom\") (canon lift (core func $i \"boom\"))))";

    Engine engine;
    Component component;
    ComponentLinker linker;
    Store store;

    @BeforeEach
    void setUp() {
        engine = Engine.create();
        component = Component.fromWat(engine, WAT);
        linker = ComponentLinker.create(engine);
        store = Store.create(engine);
    }

    @AfterEach
    void tearDown() {
        store.close();
        linker.close();
        component.close();
        engine.close();
    }

    ComponentInstance instance() {
        linker.root().defineFunction("host-add", (caller, args) -> (Long) args[0] + (Long) args[1]);
        return linker.instantiate(store, component);
    }

    @Test
    void typesListImportsAndExportsWithNamedParameters() {
        ComponentType t = component.type();
        assertEquals(List.of("host-add"), List.copyOf(t.imports().keySet()));
        assertEquals(List.of("twice", "add", "boom"), List.copyOf(t.exports().keySet()));
        ComponentFuncType add = ((ComponentItem.Function) t.exports().get("add")).type();
        assertEquals("func(a: u32, b: u32) -> u32", add.toString());
        assertEquals(List.of("a", "b"), add.params().stream().map(ComponentFuncType.Param::name).toList());
        assertEquals(Optional.empty(), ((ComponentItem.Function) t.exports().get("boom")).type().result());
        String wit = component.wit();
        assertTrue(wit.contains("import host-add: func(a: u32, b: u32) -> u32;"), wit);
        assertTrue(wit.contains("export add: func(a: u32, b: u32) -> u32;"), wit);
    }

    @Test
    void anExportedFunctionTypeIsListedAsAFunctionButIsNotOne() {
        // Found by FuzzTest: Wasmtime's types describe an exported type by what it names.
        String wat = "(component (type $f (func (result string))) (export \"f\" (type $f)))";
        try (Component c = Component.fromWat(engine, wat)) {
            assertTrue(c.type().exports().get("f") instanceof ComponentItem.Function, c.type().toString());
            ComponentInstance i = linker.instantiate(store, c);
            assertEquals("the component's export 'f' is not a function (an exported function type is described as a"
                    + " function by Component.type())", assertThrows(IllegalArgumentException.class, () -> i.function("f")).getMessage());
            assertEquals("the component exports no function 'g'",
                    assertThrows(IllegalArgumentException.class, () -> i.function("g")).getMessage());
        }
    }

    @Test
    void callsConvertValuesByTheirWitType() {
        ComponentInstance i = instance();
        assertEquals(42L, i.function("add").call(40L, 2));
        assertEquals(0xFFFF_FFFEL, i.function("add").call(0xFFFF_FFFFL, 0xFFFF_FFFFL));
        assertEquals(25L, i.function("twice").call(10, 5));
        assertEquals(new WitValue.U32(7), i.function("add").callValues(new WitValue.U32(3), new WitValue.U32(4)));
        assertEquals(null, i.function("boom").type().result().orElse(null));
    }

    @Test
    void wrongValuesNameWhereTheyAreWrong() {
        ComponentInstance i = instance();
        ComponentFunction add = i.function("add");
        assertEquals("argument 0 'a': -1 is out of the range of u32",
                assertThrows(IllegalArgumentException.class, () -> add.call(-1, 2)).getMessage());
        assertEquals("argument 1 'b': expected u32, got String x",
                assertThrows(IllegalArgumentException.class, () -> add.call(1, "x")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> add.call(1)).getMessage()
                .contains("takes 2 arguments, got 1"));
        assertThrows(IllegalArgumentException.class, () -> add.callValues(new WitValue.U32(1), new WitValue.S32(2)));
        assertThrows(IllegalArgumentException.class, () -> add.callValues(new WitValue.U32(1), null));
        assertThrows(IllegalArgumentException.class, () -> i.function("nope"));
        // Defining a name twice is refused unless shadowing is allowed.
        assertThrows(LinkException.class, () -> linker.root().defineFunction("host-add", (caller, args) -> 0L));
        linker.allowShadowing(true).root().defineFunction("host-add", (caller, args) -> 0L);
    }

    @Test
    void trapsAndHostExceptionsReachTheCaller() {
        RuntimeException boom = new UnsupportedOperationException("host says no");
        linker.root().defineFunction("host-add", (caller, args) -> {
            if ((Long) args[0] == 13) {
                throw boom;
            }
            return 1L;
        });
        ComponentInstance trapped = linker.instantiate(store, component);
        assertEquals(TrapCode.UNREACHABLE_CODE_REACHED,
                assertThrows(TrapException.class, () -> trapped.function("boom").call()).code());
        // Wasmtime poisons a store's component instances after a trap: none can be entered again.
        assertEquals(TrapCode.CANNOT_ENTER_COMPONENT,
                assertThrows(TrapException.class, () -> trapped.function("add").call(1, 2)).code());
        assertEquals(TrapCode.CANNOT_ENTER_COMPONENT, assertThrows(TrapException.class,
                () -> linker.instantiate(store, component).function("add").call(1, 2)).code());
        try (Store s = Store.create(engine)) {
            ComponentInstance thrown = linker.instantiate(s, component);
            assertEquals(2L, thrown.function("twice").call(1, 0));
            assertSame(boom, assertThrows(UnsupportedOperationException.class,
                    () -> thrown.function("twice").call(13, 0)));
        }
        // A host function returning the wrong type is an error of the host, named.
        try (ComponentLinker other = ComponentLinker.create(engine); Store s = Store.create(engine)) {
            other.root().defineFunction("host-add", (caller, args) -> "not a number");
            ComponentFunction twice = other.instantiate(s, component).function("twice");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> twice.call(1, 2));
            assertTrue(e.getMessage().contains("host function host-add result: expected u32, got String"),
                    e.getMessage());
        }
    }

    @Test
    void missingImportsAreLinkErrorsOrTraps() {
        assertThrows(LinkException.class, () -> linker.instantiate(store, component));
        linker.defineUnknownImportsAsTraps(component);
        ComponentInstance i = linker.instantiate(store, component);
        assertEquals(5L, i.function("add").call(2, 3));
        assertThrows(TrapException.class, () -> i.function("twice").call(2, 3));
    }

    @Test
    void aComponentIsNotAModuleAndTheReverse(@TempDir Path dir) throws Exception {
        byte[] module = Module.watToBinary("(module)");
        CompileException e = assertThrows(CompileException.class, () -> Component.fromBytes(engine, module));
        assertTrue(e.getMessage().contains("core module, not a component"), e.getMessage());
        Path p = dir.resolve("c.wasm");
        Files.write(p, component.serialize());
        byte[] binary = Module.watToBinary(WAT.replace("(component", "(component $c"));
        CompileException e2 = assertThrows(CompileException.class, () -> Module.fromBytes(engine, binary));
        assertTrue(e2.getMessage().contains("component, not a core module"), e2.getMessage());
        assertThrows(CompileException.class, () -> Component.fromWat(engine, "(component (func))"));
        assertThrows(CompileException.class, () -> Component.fromBytes(engine, new byte[] {0, 'a', 's', 'm'}));
    }

    @Test
    void serializedComponentsLoadWithoutCompiling() {
        byte[] precompiled = component.serialize();
        try (Component c = Component.deserializeTrusted(engine, precompiled); Store s = Store.create(engine)) {
            linker.root().defineFunction("host-add", (caller, args) -> 0L);
            assertEquals(9L, linker.instantiate(s, c).function("add").call(4, 5));
            assertEquals(component.type(), c.type());
            assertThrows(IllegalStateException.class, c::wit);
        }
        assertThrows(CompileException.class, () -> Component.deserializeTrusted(engine, Module.watToBinary("(module)")));
        // Precompiled code loads only through deserializeTrusted: refused where a component is expected.
        CompileException e = assertThrows(CompileException.class, () -> Component.fromBytes(engine, precompiled));
        assertTrue(e.getMessage().contains("precompiled Wasmtime component (machine code), not WebAssembly")
                && e.getMessage().contains("Component.deserializeTrusted"), e.getMessage());
        e = assertThrows(CompileException.class, () -> Module.deserializeTrusted(engine, precompiled));
        assertTrue(e.getMessage().contains("a precompiled component, not a module"), e.getMessage());
    }

    @Test
    void preparedComponentsInstantiateIntoManyStores() {
        linker.root().defineFunction("host-add", (caller, args) -> (Long) args[0] * (Long) args[1]);
        try (ComponentInstancePre pre = linker.prepare(component)) {
            for (int n = 0; n < 20; n++) {
                try (Store s = Store.create(engine)) {
                    assertEquals((long) n * 3 + n, pre.instantiate(s).function("twice").call(n, 3));
                }
            }
        }
    }

    @Test
    void useAfterCloseAndForeignEnginesAreRefused() {
        ComponentFunction add = instance().function("add");
        try (Engine other = Engine.create(); Store foreign = Store.create(other)) {
            assertThrows(IllegalArgumentException.class, () -> linker.instantiate(foreign, component));
        }
        store.close();
        assertThrows(IllegalStateException.class, () -> add.call(1, 2));
        component.close();
        component.close();
        assertThrows(IllegalStateException.class, component::type);
        assertThrows(IllegalStateException.class, component::serialize);
    }

    @Test
    void aHostFunctionSeesItsStoreAndData() {
        try (Store s = Store.create(engine, "request-7")) {
            Object[] seen = new Object[2];
            ComponentCaller[] kept = new ComponentCaller[1];
            linker.root().defineFunction("host-add", (caller, args) -> {
                seen[0] = caller.data();
                seen[1] = caller.store();
                kept[0] = caller;
                return 0L;
            });
            linker.instantiate(s, component).function("twice").call(1, 1);
            assertEquals("request-7", seen[0]);
            assertSame(s, seen[1]);
            assertThrows(IllegalStateException.class, kept[0]::data);
        }
    }

    /** {@code tests/components/misc.wat}: values the canonical ABI refuses to lift are exceptions. */
    @Test
    void invalidValuesFromTheGuestAreExceptions() {
        try (Component misc = Component.fromPath(engine, ComponentFixtures.path("misc"))) {
            Map<String, String> expected = Map.of(
                    "bad-utf8", "invalid utf-8",
                    "bad-string-bounds", "out of bounds",
                    "bad-char", "out of range for `char`",
                    "bad-enum", "discriminant 3 out of range",
                    "bad-variant", "discriminant 7 out of range");
            for (Map.Entry<String, String> e : expected.entrySet()) {
                try (Store s = Store.create(engine)) {
                    ComponentInstance i = linker.instantiate(s, misc);
                    WasmException thrown = assertThrows(WasmException.class, () -> i.function(e.getKey()).call());
                    assertTrue(thrown.getMessage().contains(e.getValue()), e.getKey() + ": " + thrown.getMessage());
                }
            }
            try (Store s = Store.create(engine)) {
                // The canonical ABI lifts any non-zero i32 as true.
                assertEquals(true, linker.instantiate(s, misc).function("bool-two").call());
            }
        }
    }

    @Test
    void asyncExportsAreRefusedByName() {
        String wat = "(component (core module $m (func (export \"f\") (result i32) i32.const 0)"
                + " (func (export \"cb\") (param i32 i32 i32) (result i32) i32.const 0))"
                + " (core instance $i (instantiate $m))"
                + " (func (export \"f\") async (canon lift (core func $i \"f\") async (callback (core func $i \"cb\")))))";
        try (Component c = Component.fromWat(engine, wat)) {
            ComponentFuncType t = ((ComponentItem.Function) c.type().exports().get("f")).type();
            assertTrue(t.isAsync());
            assertEquals("async func()", t.toString());
            ComponentInstance i = linker.instantiate(store, c);
            assertEquals("'f' is an async function: wasmbridge calls only synchronous component functions",
                    assertThrows(IllegalArgumentException.class, () -> i.function("f")).getMessage());
        }
    }
}
