package dev.wasmbridge.junit;

import static dev.wasmbridge.junit.WasmAssertions.assertExitCode;
import static dev.wasmbridge.junit.WasmAssertions.assertMemoryEquals;
import static dev.wasmbridge.junit.WasmAssertions.assertTrap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmbridge.Instance;
import dev.wasmbridge.Memory;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.wasi.WasiExitException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** WasmAssertions, used the way a test writer would: in a {@link WasmTest} class. */
@WasmTest
@WasmModule("traps.wat")
class WasmAssertionsTest {
    @Test
    void assertTrapReturnsTheTrap(Instance instance) {
        TrapException trap = assertTrap(TrapCode.INTEGER_DIVISION_BY_ZERO, () -> instance.function("div").call(1, 0));
        assertThat(trap.frames()).isNotEmpty();
        assertTrap(TrapCode.UNREACHABLE_CODE_REACHED, () -> instance.function("boom").call(), "boom");
    }

    @Test
    void assertTrapFailsOnAnotherCode(Instance instance) {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertTrap(TrapCode.INTEGER_OVERFLOW, () -> instance.function("div").call(1, 0), "dividing"));
        assertThat(e.getMessage()).startsWith("dividing ==> expected a trap INTEGER_OVERFLOW but the call trapped with "
                + "INTEGER_DIVISION_BY_ZERO");
        assertEquals(TrapCode.INTEGER_OVERFLOW, e.getExpected().getValue());
        assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, e.getActual().getValue());
        assertThat(e.getCause()).isInstanceOf(TrapException.class);
    }

    @Test
    void assertTrapFailsWhenNothingTraps(Instance instance) {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertTrap(TrapCode.INTEGER_DIVISION_BY_ZERO, () -> instance.function("div").call(6, 3)));
        assertThat(e.getMessage()).isEqualTo("expected a trap INTEGER_DIVISION_BY_ZERO but the call returned normally");
    }

    @Test
    void assertTrapFailsOnAnotherException() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertTrap(TrapCode.UNREACHABLE_CODE_REACHED, () -> {
                    throw new IllegalStateException("not wasm");
                }));
        assertThat(e.getMessage()).contains("but the call threw java.lang.IllegalStateException: not wasm");
        assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void assertExitCodeTakesANormalReturnAsZero() {
        assertEquals(0, assertExitCode(0, () -> { }));
        assertEquals(3, assertExitCode(3, () -> {
            throw new WasiExitException(3);
        }));
    }

    @Test
    void assertExitCodeFailsOnAnotherCodeOrATrap(Instance instance) {
        AssertionFailedError other = assertThrows(AssertionFailedError.class, () -> assertExitCode(0, () -> {
            throw new WasiExitException(2);
        }));
        assertThat(other.getMessage()).isEqualTo("expected exit code 0 but the program exited with 2");
        AssertionFailedError trapped = assertThrows(AssertionFailedError.class,
                () -> assertExitCode(0, () -> instance.function("boom").call()));
        assertThat(trapped.getMessage()).startsWith("expected exit code 0 but the program trapped: UNREACHABLE_CODE_REACHED");
    }

    @Test
    @WasmModule("add.wat")
    void assertMemoryEqualsComparesBytes(Instance instance) {
        Memory memory = instance.memory("memory");
        assertMemoryEquals("hello", memory, 16);
        assertMemoryEquals("hello".getBytes(StandardCharsets.US_ASCII), memory, 16);
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertMemoryEquals("help", memory, 16));
        assertThat(e.getMessage()).isEqualTo("memory differs at address 19 (offset 3): expected 0x70 but was 0x6c");
        assertEquals("68 65 6c 70", e.getExpected().getStringRepresentation());
        assertEquals("68 65 6c 6c", e.getActual().getStringRepresentation());
    }

    @Test
    @WasmModule("add.wat")
    void assertMemoryEqualsFailsPastTheEnd(Instance instance) {
        Memory memory = instance.memory("memory");
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertMemoryEquals(new byte[8], memory, memory.byteSize() - 4));
        assertThat(e.getMessage()).isEqualTo("expected 8 bytes at address 65532 but the memory has only 65536 bytes");
    }
}
