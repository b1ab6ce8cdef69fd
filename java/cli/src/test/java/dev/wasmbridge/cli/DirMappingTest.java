package dev.wasmbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DirMappingTest {
    @Test
    void hostAloneIsAlsoTheGuestPath() {
        assertEquals(new DirMapping(Path.of("/srv/data"), "/srv/data"), DirMapping.parse("/srv/data"));
        assertEquals(new DirMapping(Path.of("."), "."), DirMapping.parse("."));
    }

    @Test
    void hostAndGuestAreSplitAtTheFirstDoubleColon() {
        assertEquals(new DirMapping(Path.of("/tmp/x"), "/data"), DirMapping.parse("/tmp/x::/data"));
        assertEquals(new DirMapping(Path.of("build"), "."), DirMapping.parse("build::."));
        assertEquals(new DirMapping(Path.of("a"), "b::c"), DirMapping.parse("a::b::c"));
        assertEquals(new DirMapping(Path.of("a:b"), "c"), DirMapping.parse("a:b::c"));
    }

    @Test
    void emptySidesAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DirMapping.parse("::/data"))
                .getMessage().contains("no host directory"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DirMapping.parse("/tmp::"))
                .getMessage().contains("empty guest path"));
        assertThrows(IllegalArgumentException.class, () -> DirMapping.parse(""));
    }
}
