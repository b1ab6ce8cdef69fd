package com.example.checksum;

import static dev.wasmbridge.junit.WasmAssertions.assertMemoryEquals;
import static dev.wasmbridge.junit.WasmAssertions.assertTrap;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasmbridge.Instance;
import dev.wasmbridge.Memory;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.junit.WasmModule;
import dev.wasmbridge.junit.WasmTest;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.Adler32;
import org.junit.jupiter.api.Test;

/** The application's class, and its WebAssembly module on its own through wasmbridge-junit. */
@WasmTest
@WasmModule("adler32.wat")
class WasmAdler32Test {
    private static int javaAdler32(byte[] data) {
        Adler32 a = new Adler32();
        a.update(data);
        return (int) a.getValue();
    }

    @Test
    void theApplicationAgreesWithJavaUtilZip() {
        byte[] big = new byte[200_000]; // more than the module's one page of memory
        new Random(42).nextBytes(big);
        try (WasmAdler32 adler = new WasmAdler32()) {
            assertEquals(0x11E60398, adler.checksum("Wikipedia".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(javaAdler32(big), adler.checksum(big));
            assertEquals(1, adler.checksum(new byte[0]));
        }
    }

    @Test
    void theModuleReadsWhatIsInItsMemory(Instance instance) {
        Memory memory = instance.memory("memory");
        byte[] text = "WebAssembly".getBytes(StandardCharsets.UTF_8);
        memory.write(100, text);
        assertMemoryEquals("WebAssembly", memory, 100);
        assertEquals(javaAdler32(text), instance.function("adler32").call(100, text.length)[0]);
    }

    @Test
    void readingPastTheMemoryTraps(Instance instance) {
        assertTrap(TrapCode.MEMORY_OUT_OF_BOUNDS, () -> instance.function("adler32").call(65_530, 10));
    }
}
