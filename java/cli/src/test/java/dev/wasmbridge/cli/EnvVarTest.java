package dev.wasmbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvVarTest {
    private static final Map<String, String> HOST = Map.of("HOME", "/home/me", "EMPTY", "");

    @Test
    void nameEqualsValue() {
        assertEquals(new EnvVar("A", "1"), EnvVar.parse("A=1", HOST));
        assertEquals(new EnvVar("A", ""), EnvVar.parse("A=", HOST));
        assertEquals(new EnvVar("A", "b=c"), EnvVar.parse("A=b=c", HOST));
        assertEquals(new EnvVar("HOME", "/elsewhere"), EnvVar.parse("HOME=/elsewhere", HOST));
    }

    @Test
    void nameAloneTakesThisProcesssValue() {
        assertEquals(new EnvVar("HOME", "/home/me"), EnvVar.parse("HOME", HOST));
        assertEquals(new EnvVar("EMPTY", ""), EnvVar.parse("EMPTY", HOST));
        assertEquals(new EnvVar("NOT_SET", null), EnvVar.parse("NOT_SET", HOST)); // skipped by run
    }

    @Test
    void anEmptyNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EnvVar.parse("=x", HOST));
        assertThrows(IllegalArgumentException.class, () -> EnvVar.parse("", HOST));
    }
}
