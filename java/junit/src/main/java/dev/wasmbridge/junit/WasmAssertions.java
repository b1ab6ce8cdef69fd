package dev.wasmbridge.junit;

import dev.wasmbridge.Memory;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.wasi.WasiExitException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.api.AssertionFailureBuilder;
import org.junit.jupiter.api.function.Executable;

/**
 * Assertions for WebAssembly tests: a call traps with a given {@link TrapCode}, a WASI program exits with a
 * given code, linear memory holds given bytes. Failures are JUnit's {@code AssertionFailedError}, with the
 * expected and actual values for an IDE's comparison view.
 */
public final class WasmAssertions {
    private WasmAssertions() {
    }

    /**
     * Asserts that {@code call} traps with {@code expected}.
     *
     * @param expected the trap code
     * @param call the code that calls into wasm
     * @return the trap, for further checks (its message, its wasm frames)
     */
    public static TrapException assertTrap(TrapCode expected, Executable call) {
        return assertTrap(expected, call, null);
    }

    /**
     * Asserts that {@code call} traps with {@code expected}.
     *
     * @param expected the trap code
     * @param call the code that calls into wasm
     * @param message what the failure message starts with, or null
     * @return the trap, for further checks (its message, its wasm frames)
     */
    public static TrapException assertTrap(TrapCode expected, Executable call, String message) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(call, "call");
        try {
            call.execute();
        } catch (TrapException e) {
            if (e.code() != expected) {
                throw AssertionFailureBuilder.assertionFailure().message(message)
                        .reason("expected a trap " + expected + " but the call trapped with " + e.code() + " ("
                                + firstLine(e.getMessage()) + ")")
                        .expected(expected).actual(e.code()).includeValuesInMessage(false).cause(e).build();
            }
            return e;
        } catch (Throwable t) {
            throw AssertionFailureBuilder.assertionFailure().message(message)
                    .reason("expected a trap " + expected + " but the call threw " + t).cause(t).build();
        }
        throw AssertionFailureBuilder.assertionFailure().message(message)
                .reason("expected a trap " + expected + " but the call returned normally").build();
    }

    /**
     * Asserts that a WASI program's run ends with the exit code {@code expected}: {@code call} (typically
     * {@code instance.function("_start").call()}) either throws {@link WasiExitException} with that code, or
     * returns normally, which is exit code 0 (wasi-libc's {@code _start} returns when {@code main} returns 0).
     *
     * @param expected the exit code
     * @param call the code that runs the program
     * @return the exit code
     */
    public static int assertExitCode(int expected, Executable call) {
        return assertExitCode(expected, call, null);
    }

    /**
     * Asserts that a WASI program's run ends with the exit code {@code expected}; see
     * {@link #assertExitCode(int, Executable)}.
     *
     * @param expected the exit code
     * @param call the code that runs the program
     * @param message what the failure message starts with, or null
     * @return the exit code
     */
    public static int assertExitCode(int expected, Executable call, String message) {
        Objects.requireNonNull(call, "call");
        int actual;
        try {
            call.execute();
            actual = 0;
        } catch (WasiExitException e) {
            actual = e.exitCode();
        } catch (TrapException e) {
            throw AssertionFailureBuilder.assertionFailure().message(message)
                    .reason("expected exit code " + expected + " but the program trapped: " + e.code() + " ("
                            + firstLine(e.getMessage()) + ")")
                    .cause(e).build();
        } catch (Throwable t) {
            throw AssertionFailureBuilder.assertionFailure().message(message)
                    .reason("expected exit code " + expected + " but the call threw " + t).cause(t).build();
        }
        if (actual != expected) {
            throw AssertionFailureBuilder.assertionFailure().message(message)
                    .reason("expected exit code " + expected + " but the program exited with " + actual)
                    .expected(expected).actual(actual).includeValuesInMessage(false).build();
        }
        return actual;
    }

    /**
     * Asserts that linear memory holds {@code expected} from {@code address} on.
     *
     * @param expected the bytes
     * @param memory the memory
     * @param address where the bytes start
     */
    public static void assertMemoryEquals(byte[] expected, Memory memory, long address) {
        assertMemoryEquals(expected, memory, address, null);
    }

    /**
     * Asserts that linear memory holds {@code expected} from {@code address} on.
     *
     * @param expected the bytes
     * @param memory the memory
     * @param address where the bytes start
     * @param message what the failure message starts with, or null
     */
    public static void assertMemoryEquals(byte[] expected, Memory memory, long address, String message) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(memory, "memory");
        byte[] actual;
        try {
            actual = memory.read(address, expected.length);
        } catch (IndexOutOfBoundsException e) {
            throw AssertionFailureBuilder.assertionFailure().message(message)
                    .reason("expected " + expected.length + " bytes at address " + address + " but the memory has only "
                            + memory.byteSize() + " bytes")
                    .cause(e).build();
        }
        for (int i = 0; i < expected.length; i++) {
            if (actual[i] != expected[i]) {
                throw AssertionFailureBuilder.assertionFailure().message(message)
                        .reason(String.format("memory differs at address %d (offset %d): expected 0x%02x but was 0x%02x",
                                address + i, i, expected[i] & 0xFF, actual[i] & 0xFF))
                        .expected(hex(expected)).actual(hex(actual)).includeValuesInMessage(false).build();
            }
        }
    }

    /**
     * Asserts that linear memory holds the UTF-8 encoding of {@code expected} from {@code address} on.
     *
     * @param expected the text
     * @param memory the memory
     * @param address where the text starts
     */
    public static void assertMemoryEquals(String expected, Memory memory, long address) {
        assertMemoryEquals(expected.getBytes(StandardCharsets.UTF_8), memory, address, null);
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                sb.append(i % 16 == 0 ? '\n' : ' ');
            }
            sb.append(String.format("%02x", bytes[i] & 0xFF));
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
