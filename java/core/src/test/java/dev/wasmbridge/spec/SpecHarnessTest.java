package dev.wasmbridge.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.TrapCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spec runner's own parts: the JSON reader, the exclusion list, the trap message table. */
class SpecHarnessTest {
    @Test
    void jsonReadsWhatSpecConvertWrites() {
        Object doc = Json.parse("{\"a\": [1, -2, 3.5, \"x\\u00e9\\n\\\"\", true, false, null], \"b\": {}}");
        Map<?, ?> m = (Map<?, ?>) doc;
        List<?> a = (List<?>) m.get("a");
        assertEquals(1L, a.get(0));
        assertEquals(-2L, a.get(1));
        assertEquals(3.5, a.get(2));
        assertEquals("x\u00e9\n\"", a.get(3));
        assertEquals(Boolean.TRUE, a.get(4));
        assertEquals(null, a.get(6));
        assertEquals(Map.of(), m.get("b"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
    }

    @Test
    void exclusionsTakeFilesLinesAndRangesWithAReason(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("exclusions.txt");
        Files.writeString(file, "# comment\n\ncore/a.wast  whole file\ncore/b.wast:7   one line\ngc/c.wast:10-20 a range\n");
        Exclusions ex = Exclusions.load(file);
        assertEquals(3, ex.entries().size());
        assertTrue(ex.wholeFile("core/a.wast").isPresent());
        assertTrue(ex.wholeFile("core/b.wast").isEmpty());
        assertEquals("one line", ex.find("core/b.wast", 7).orElseThrow().reason());
        assertTrue(ex.find("core/b.wast", 8).isEmpty());
        assertTrue(ex.find("gc/c.wast", 15).isPresent());
        assertTrue(ex.find("gc/c.wast", 21).isEmpty());
        ex.markUsed(ex.find("gc/c.wast", 10).orElseThrow());
        List<Exclusions.Entry> stale = ex.unused(Set.of("core/a.wast", "core/b.wast", "gc/c.wast"));
        assertEquals(1, stale.size());
        assertEquals("core/b.wast:7  one line", stale.get(0).toString());

        Files.writeString(file, "core/a.wast:3\n");
        IllegalArgumentException noReason = assertThrows(IllegalArgumentException.class, () -> Exclusions.load(file));
        assertTrue(noReason.getMessage().contains("needs a reason"));
    }

    @Test
    void theRealExclusionListParses() {
        String fixtures = System.getProperty("wasmbridge.fixtures");
        if (fixtures != null) {
            assertTrue(Exclusions.load(Path.of(fixtures, "spec", "exclusions.txt")).entries().size() > 0);
        }
    }

    @Test
    void trapMessagesMapToCodes() {
        assertEquals(Set.of(TrapCode.INDIRECT_CALL_TO_NULL), TrapMessages.codesFor("uninitialized element 2"));
        assertEquals(Set.of(TrapCode.STACK_OVERFLOW), TrapMessages.codesFor("call stack exhausted"));
        assertTrue(TrapMessages.codesFor("out of bounds").contains(TrapCode.TABLE_OUT_OF_BOUNDS));
        assertEquals(Set.of(TrapCode.OUT_OF_FUEL), TrapMessages.codesFor("all fuel consumed"));
        assertTrue(TrapMessages.codesFor("no such message").isEmpty());
    }
}
