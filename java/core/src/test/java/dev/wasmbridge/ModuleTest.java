package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleTest {
    static Engine engine;

    @BeforeAll
    static void setUp() {
        engine = Engine.create();
    }

    @AfterAll
    static void tearDown() {
        engine.close();
    }

    @Test
    void compilesFromTextBytesAndFiles(@TempDir Path dir) throws Exception {
        byte[] wasm = Module.watToBinary(Fixtures.wat("add"));
        assertArrayEquals(new byte[] {0, 'a', 's', 'm'}, java.util.Arrays.copyOf(wasm, 4));
        Path bin = dir.resolve("add.wasm");
        Files.write(bin, wasm);
        try (Module a = Module.fromWat(engine, Fixtures.wat("add"));
                Module b = Module.fromBytes(engine, wasm);
                Module c = Module.fromPath(engine, bin);
                Module d = Module.fromFile(engine, Fixtures.watPath("add").toFile())) {
            for (Module m : List.of(a, b, c, d)) {
                assertEquals(a.exports(), m.exports());
            }
        }
    }

    @Test
    void exportsCarryFullTypes() {
        try (Module m = Module.fromWat(engine, Fixtures.wat("add"))) {
            assertEquals(List.of(
                    new ExportType("memory", new MemoryType(1, OptionalLong.of(4), false, false, 65536)),
                    new ExportType("add", FuncType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32)))),
                    m.exports());
            assertEquals(List.of(), m.imports());
        }
    }

    @Test
    void importsCarryFullTypes() {
        try (Module m = Module.fromWat(engine, Fixtures.wat("imports"))) {
            assertEquals(List.of(
                    new ImportType("provider", "memory", new MemoryType(1, OptionalLong.empty(), false, false, 65536)),
                    new ImportType("provider", "add", FuncType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32))),
                    new ImportType("env", "limit", new GlobalType(ValType.I32, false))),
                    m.imports());
        }
    }

    @Test
    void everyKindOfTypeDecodes() {
        String wat = "(module (import \"a\" \"t\" (table 2 8 externref)) (import \"a\" \"g\" (global (mut f32)))"
                + " (tag (export \"e\") (param i64)) (func (export \"f\") (param v128 funcref) (result f64 i64) unreachable))";
        try (Module m = Module.fromWat(engine, wat)) {
            assertEquals(new TableType(ValType.EXTERNREF, 2, OptionalLong.of(8), false), m.imports().get(0).type());
            assertEquals(new GlobalType(ValType.F32, true), m.imports().get(1).type());
            assertEquals(new TagType(FuncType.of(List.of(ValType.I64), List.of())), m.exports().get(0).type());
            FuncType f = (FuncType) m.exports().get(1).type();
            assertEquals(List.of(ValType.V128, ValType.FUNCREF), f.params());
            assertEquals(List.of(ValType.F64, ValType.I64), f.results());
            assertEquals("(func (param v128 funcref) (result f64 i64))", f.toString());
        }
    }

    @Test
    void nameComesFromTheNameSection() {
        try (Module named = Module.fromWat(engine, "(module $calc)"); Module anon = Module.fromWat(engine, "(module)")) {
            assertEquals("calc", named.name().orElseThrow());
            assertTrue(anon.name().isEmpty());
        }
    }

    @Test
    void invalidBytesAreACompileException() {
        CompileException e = assertThrows(CompileException.class,
                () -> Module.fromBytes(engine, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 1}));
        assertTrue(e.getMessage().length() > 10, e.getMessage());
        // The section header at byte 8 has no size: the parser stops at offset 9.
        assertEquals(java.util.OptionalLong.of(9), e.offset(), e.getMessage());
        assertTrue(e.line().isEmpty() && e.column().isEmpty());
        assertThrows(CompileException.class, () -> Module.fromBytes(engine, new byte[0]));
        assertThrows(CompileException.class, () -> Module.fromBytes(engine, "not wasm".getBytes()));
        assertThrows(CompileException.class, () -> Module.validate(engine, new byte[] {1, 2, 3}));
    }

    @Test
    void textIsNotAcceptedAsBinary() {
        assertThrows(CompileException.class, () -> Module.fromBytes(engine, "(module)".getBytes()));
    }

    @Test
    void invalidWatNamesLineAndColumn() {
        CompileException e = assertThrows(CompileException.class, () -> Module.fromWat(engine, "(module\n  (fnc))"));
        assertTrue(e.getMessage().contains("invalid WAT"), e.getMessage());
        assertTrue(e.getMessage().contains(":2:"), e.getMessage());
        assertEquals(java.util.OptionalInt.of(2), e.line(), e.getMessage());
        assertEquals(java.util.OptionalInt.of(4), e.column(), e.getMessage());
        assertTrue(e.offset().isEmpty());
        // A module that parses but does not validate has no position in the text.
        CompileException invalid = assertThrows(CompileException.class,
                () -> Module.fromWat(engine, "(module (func (result i32) (i32.add)))"));
        assertTrue(invalid.line().isEmpty() && invalid.offset().isEmpty(), invalid.getMessage());
        assertThrows(CompileException.class, () -> Module.watToBinary("(module"));
    }

    @Test
    void illTypedModuleFailsValidation() {
        byte[] bad = Module.watToBinary("(module (func (result i32) (i32.add)))");
        CompileException e = assertThrows(CompileException.class, () -> Module.validate(engine, bad));
        assertTrue(e.getMessage().contains("type mismatch"), e.getMessage());
        // Validation and compilation both say where in the binary: at the i32.add (the body's
        // second-to-last byte).
        assertEquals(java.util.OptionalLong.of(bad.length - 2), e.offset(), e.getMessage());
        CompileException compiled = assertThrows(CompileException.class, () -> Module.fromBytes(engine, bad));
        assertEquals(java.util.OptionalLong.of(bad.length - 2), compiled.offset(), compiled.getMessage());
        Module.validate(engine, Module.watToBinary(Fixtures.wat("add")));
    }

    @Test
    void serializedModulesLoadWithoutCompiling(@TempDir Path dir) throws Exception {
        byte[] precompiled;
        try (Module m = Module.fromWat(engine, Fixtures.wat("add"))) {
            precompiled = m.serialize();
        }
        Path file = dir.resolve("add.cwasm");
        Files.write(file, precompiled);
        try (Module a = Module.deserializeTrusted(engine, precompiled); Module b = Module.deserializeTrustedFile(engine, file);
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            assertEquals(42, linker.instantiate(store, a).function("add").call(40, 2)[0]);
            assertEquals(a.exports(), b.exports());
        }
    }

    @Test
    void precompiledBytesAreCheckedAgainstTheEngine() {
        byte[] precompiled;
        try (Module m = Module.fromWat(engine, Fixtures.wat("add"))) {
            precompiled = m.serialize();
        }
        try (Engine fuel = Engine.create(EngineConfig.builder().fuel(true).build())) {
            CompileException e = assertThrows(CompileException.class, () -> Module.deserializeTrusted(fuel, precompiled));
            assertTrue(e.getMessage().contains("cannot load the precompiled module"), e.getMessage());
        }
        assertThrows(CompileException.class, () -> Module.deserializeTrusted(engine, Module.watToBinary(Fixtures.wat("add"))));
        assertThrows(CompileException.class, () -> Module.deserializeTrusted(engine, new byte[] {1, 2, 3}));
        byte[] truncated = java.util.Arrays.copyOf(precompiled, precompiled.length / 2);
        assertThrows(CompileException.class, () -> Module.deserializeTrusted(engine, truncated));
    }

    /**
     * Precompiled code is machine code: it loads only through the entries that say the caller trusts
     * it, never where WebAssembly is expected, whatever the file is called.
     */
    @Test
    void precompiledCodeLoadsOnlyWhereTheCallerSaysItIsTrusted(@TempDir Path dir) throws Exception {
        byte[] precompiled;
        try (Module m = Module.fromWat(engine, Fixtures.wat("add"))) {
            precompiled = m.serialize();
        }
        Path innocent = Files.write(dir.resolve("innocent.wasm"), precompiled);
        for (org.junit.jupiter.api.function.Executable load : List.<org.junit.jupiter.api.function.Executable>of(
                () -> Module.fromBytes(engine, precompiled), () -> Module.fromPath(engine, innocent),
                () -> Module.validate(engine, precompiled))) {
            CompileException e = assertThrows(CompileException.class, load);
            assertTrue(e.getMessage().contains("precompiled Wasmtime module (machine code), not WebAssembly")
                    && e.getMessage().contains("Module.deserializeTrusted"), e.getMessage());
        }
        try (Module m = Module.deserializeTrustedFile(engine, innocent); Store store = Store.create(engine);
                Linker linker = Linker.create(engine)) {
            assertEquals(42, linker.instantiate(store, m).function("add").call(40, 2)[0]);
        }
        UncheckedIOException missing = assertThrows(UncheckedIOException.class,
                () -> Module.deserializeTrustedFile(engine, dir.resolve("missing.cwasm")));
        assertTrue(missing.getMessage().endsWith("missing.cwasm: no such file"), missing.getMessage());
        assertThrows(UncheckedIOException.class, () -> Module.deserializeTrustedFile(engine, dir));
        Path wasm = Files.write(dir.resolve("add.wasm"), Module.watToBinary(Fixtures.wat("add")));
        CompileException notPrecompiled = assertThrows(CompileException.class,
                () -> Module.deserializeTrustedFile(engine, wasm));
        assertTrue(notPrecompiled.getMessage().contains("use Module.fromBytes"), notPrecompiled.getMessage());
        Path truncated = Files.write(dir.resolve("truncated.cwasm"), Arrays.copyOf(precompiled, precompiled.length / 2));
        assertThrows(CompileException.class, () -> Module.deserializeTrustedFile(engine, truncated));
    }

    @Test
    void textFilesMustBeUtf8(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.wat");
        Files.write(bad, new byte[] {'(', 'm', 'o', 'd', 'u', 'l', 'e', ' ', ';', ';', ' ', (byte) 0xFF, '\n', ')'});
        CompileException e = assertThrows(CompileException.class, () -> Module.fromPath(engine, bad));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void missingFileIsAnUncheckedIoException() {
        assertThrows(UncheckedIOException.class, () -> Module.fromPath(engine, Path.of("/no/such/file.wasm")));
    }

    @Test
    void nullsAreRefused() {
        assertThrows(NullPointerException.class, () -> Module.fromBytes(engine, null));
        assertThrows(NullPointerException.class, () -> Module.fromWat(engine, null));
        assertThrows(NullPointerException.class, () -> Module.fromWat(null, "(module)"));
    }

    @Test
    void useAfterCloseIsIllegalState() {
        Module m = Module.fromWat(engine, Fixtures.wat("add"));
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, m::imports);
        assertThrows(IllegalStateException.class, m::name);
        try (Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            assertThrows(IllegalStateException.class, () -> linker.instantiate(store, m));
        }
    }

    @Test
    void moduleOfAnotherEngineIsRefused() {
        try (Engine other = Engine.create(); Module m = Module.fromWat(other, "(module)");
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            assertThrows(IllegalArgumentException.class, () -> linker.instantiate(store, m));
        }
    }
}
