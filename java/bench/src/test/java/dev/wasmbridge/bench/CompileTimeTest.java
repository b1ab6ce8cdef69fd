package dev.wasmbridge.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.ImportType;
import dev.wasmbridge.Module;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Smoke test of the compile-time benchmark (no timing): every runtime of {@link CompileTime} compiles the large
 * module the way the benchmark does, each sees the same exports (names, in the module's order where the runtime
 * keeps it), and wasmbridge's precompiled load gives a module with the same exports and imports. wasmtime-java
 * runs in a child JVM (a second Wasmtime is kept out of this one, as in {@link KernelsTest}); it lists no exports,
 * so its imports are compared.
 */
class CompileTimeTest {
    private static byte[] bytes;
    /** The export names as wasmbridge compiles them: what every other runtime is compared with. */
    private static List<String> exports;
    private static List<String> imports;

    /** Compiles the module once with wasmbridge's default engine, the reference. */
    @BeforeAll
    static void reference() {
        bytes = LargeModule.bytes();
        try (Engine engine = Engine.create(); Module m = Module.fromBytes(engine, bytes)) {
            exports = LargeModule.exportNames(m);
            imports = importNames(m.imports());
        }
    }

    static List<String> importNames(List<ImportType> types) {
        List<String> names = new ArrayList<>();
        for (ImportType i : types) {
            names.add(i.module() + " " + i.name());
        }
        return names;
    }

    @Test
    void theModuleIsTheLargeOne() {
        assertArrayEquals(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, Arrays.copyOf(bytes, 8));
        assertTrue(bytes.length > 3 << 20, "a large module: " + bytes.length + " bytes");
        assertEquals(9, exports.size(), exports.toString());
        assertTrue(exports.contains("memory"), exports.toString());
        assertEquals(14, imports.size(), imports.toString());
        assertTrue(imports.stream().allMatch(i -> i.startsWith("wasi_snapshot_preview1 ")), imports.toString());
    }

    @Test
    void wasmbridgePrecompiledAndSerial() {
        try (Engine engine = Engine.create()) {
            byte[] precompiled;
            try (Module m = Module.fromBytes(engine, bytes)) {
                precompiled = m.serialize();
            }
            try (Module loaded = Module.deserializeTrusted(engine, precompiled)) {
                assertEquals(exports, LargeModule.exportNames(loaded));
                assertEquals(imports, importNames(loaded.imports()));
            }
        }
        try (Engine serial = LargeModule.serialEngine(); Module m = Module.fromBytes(serial, bytes)) {
            assertEquals(exports, LargeModule.exportNames(m));
        }
    }

    @Test
    void endiveParsesAndCompiles() {
        run.endive.wasm.WasmModule parsed = LargeModule.endiveParse(bytes);
        assertEquals(exports, LargeModule.exportNames(parsed));
        assertEquals(imports.size(), parsed.importSection().importCount());
        assertEquals(8207, parsed.functionSection().functionCount());
        assertNotNull(LargeModule.endiveCompile(bytes));
    }

    @Test
    void chicoryParsesAndCompiles() {
        com.dylibso.chicory.wasm.WasmModule parsed = com.dylibso.chicory.wasm.Parser.parse(bytes);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < parsed.exportSection().exportCount(); i++) {
            names.add(parsed.exportSection().getExport(i).name());
        }
        assertEquals(exports, names);
        assertEquals(8207, parsed.functionSection().functionCount());
        assertNotNull(LargeModule.chicoryCompile(bytes));
    }

    @Test
    void graalwasmParsesAndLinks() {
        try (org.graalvm.polyglot.Engine engine = org.graalvm.polyglot.Engine.newBuilder("wasm")
                        .option("engine.WarnInterpreterOnly", "false").build();
                Context context = Context.newBuilder("wasm").engine(engine).build()) {
            // What the benchmark measures: the eval alone, on a new engine.
            assertNotNull(context.eval(LargeModule.graalSource(bytes)));
        }
        try (org.graalvm.polyglot.Engine engine = org.graalvm.polyglot.Engine.newBuilder("wasm")
                        .option("engine.WarnInterpreterOnly", "false").build();
                Context context = Context.newBuilder("wasm").engine(engine).build()) {
            try (Engine wb = Engine.create(); Module m = Module.fromBytes(wb, bytes)) {
                List<String> names = LargeModule.graalExportNames(context, m.imports(), bytes);
                assertEquals(exports.stream().sorted().toList(), names.stream().sorted().toList());
            }
        }
    }

    @Test
    void wasmtimeJavaCompilesInItsOwnJvm() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                WasmtimeJavaImports.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the child JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        assertEquals(imports, out.lines().toList());
    }

    /** The child JVM of {@link #wasmtimeJavaCompilesInItsOwnJvm}: compiles with wasmtime-java, prints the imports. */
    static final class WasmtimeJavaImports {
        private WasmtimeJavaImports() {
        }

        /**
         * Compiles the module as {@link CompileTime#wasmtimeJava} does and prints "module name" per import.
         *
         * @param args none
         */
        public static void main(String[] args) {
            io.github.kawamuray.wasmtime.Engine engine = new io.github.kawamuray.wasmtime.Engine();
            io.github.kawamuray.wasmtime.Module m = new io.github.kawamuray.wasmtime.Module(engine, LargeModule.bytes());
            for (io.github.kawamuray.wasmtime.ImportType i : m.imports()) {
                System.out.println(i.module() + " " + i.name());
            }
            m.dispose();
            engine.dispose();
        }
    }
}
