package dev.wasmbridge.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --invoke 'NAME(ARGS)'} parsing and telling components from modules (no component is loaded). */
class ComponentsTest {
    @TempDir
    Path tmp;

    @Test
    void parseCall() {
        assertEquals(new Components.Call(null, "add", "1, 2"), Components.parseCall("add(1, 2)", List.of()));
        assertEquals(new Components.Call(null, "f", ""), Components.parseCall(" f() ", List.of()));
        assertEquals(new Components.Call(null, "f", ""), Components.parseCall("f", List.of()));
        assertEquals(new Components.Call("my:pkg/api@1.0.0", "get", "\"a(b)\", [1]"),
                Components.parseCall("my:pkg/api@1.0.0#get(\"a(b)\", [1])", List.of()));
        assertEquals("my:pkg/api#get", Components.parseCall("my:pkg/api#get()", List.of()).qualified());
    }

    @Test
    void parseCallErrors() {
        assertUsage(() -> Components.parseCall("add(1, 2", List.of()), "is not a call");
        assertUsage(() -> Components.parseCall("(1)", List.of()), "names no function");
        assertUsage(() -> Components.parseCall("#f()", List.of()), "INTERFACE#NAME(ARGS)");
        assertUsage(() -> Components.parseCall("add", List.of("1", "2")),
                "arguments go inside --invoke, in WAVE: --invoke 'add(1, 2)'");
    }

    private static void assertUsage(Runnable r, String message) {
        CliException e = assertThrows(CliException.class, r::run);
        assertEquals(CliException.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void isComponent() throws Exception {
        assertTrue(ModuleFiles.isComponent(write("c.wasm", new byte[] {0, 'a', 's', 'm', 0x0d, 0, 1, 0})));
        assertFalse(ModuleFiles.isComponent(write("m.wasm", new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0})));
        assertFalse(ModuleFiles.isComponent(write("short.wasm", new byte[] {0, 'a', 's', 'm'})));
        assertTrue(ModuleFiles.isComponent(text("c.wat", "(component)")));
        assertTrue(ModuleFiles.isComponent(text("c2.wat", ";; comment\n  (; block (; nested ;) ;)\n(component $c\n)")));
        assertFalse(ModuleFiles.isComponent(text("m.wat", "(module (component))")));
        assertFalse(ModuleFiles.isComponent(text("m2.wat", ";; (component\n(module)")));
        assertFalse(ModuleFiles.isComponent(text("m3.wat", "(componentx)")));
        assertFalse(ModuleFiles.isComponent(write("bad.wat", new byte[] {(byte) 0xff, (byte) 0xfe})));
        assertUsage(() -> ModuleFiles.isComponent(tmp.resolve("missing.wasm")), "no such file");
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(tmp.resolve(name), bytes);
    }

    private Path text(String name, String text) throws Exception {
        return write(name, text.getBytes(UTF_8));
    }
}
