package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every trap WAT can provoke, with signal-based traps and with explicit checks. */
class TrapTest {
    static Engine engine(boolean signals) {
        return Engine.create(EngineConfig.builder().signalsBasedTraps(signals).build());
    }

    static TrapException trap(Instance i, String name, Object... args) {
        return assertThrows(TrapException.class, () -> i.function(name).call(args));
    }

    @ParameterizedTest(name = "signals={0}")
    @ValueSource(booleans = {true, false})
    void eachTrapHasItsCode(boolean signals) {
        try (Engine engine = engine(signals); Fixtures.Loaded t = new Fixtures.Loaded(engine, "traps")) {
            Instance i = t.instance;
            assertEquals(TrapCode.UNREACHABLE_CODE_REACHED, trap(i, "unreachable").code());
            assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, trap(i, "div_by_zero", 0).code());
            assertEquals(TrapCode.INTEGER_OVERFLOW, trap(i, "overflow").code());
            assertEquals(TrapCode.BAD_CONVERSION_TO_INTEGER, trap(i, "bad_conversion").code());
            assertEquals(TrapCode.MEMORY_OUT_OF_BOUNDS, trap(i, "oob_load").code());
            assertEquals(TrapCode.TABLE_OUT_OF_BOUNDS, trap(i, "oob_table").code());
            assertEquals(TrapCode.INDIRECT_CALL_TO_NULL, trap(i, "null_call").code());
            assertEquals(TrapCode.BAD_SIGNATURE, trap(i, "bad_signature").code());
            assertEquals(TrapCode.STACK_OVERFLOW, trap(i, "recurse", 0).code());
            // The store stays usable after every trap.
            assertEquals(1, i.function("div_by_zero").call(1)[0]);
        }
    }

    @ParameterizedTest(name = "signals={0}")
    @ValueSource(booleans = {true, false})
    void smallWasmStackOverflowsEarly(boolean signals) {
        EngineConfig c = EngineConfig.builder().signalsBasedTraps(signals).maxWasmStack(64 * 1024).build();
        try (Engine engine = Engine.create(c); Fixtures.Loaded t = new Fixtures.Loaded(engine, "traps")) {
            for (int round = 0; round < 3; round++) {
                assertEquals(TrapCode.STACK_OVERFLOW, trap(t.instance, "recurse", 0).code());
            }
        }
    }

    @ParameterizedTest(name = "signals={0}")
    @ValueSource(booleans = {true, false})
    void framesNameTheWasmFunctions(boolean signals) {
        try (Engine engine = engine(signals); Fixtures.Loaded t = new Fixtures.Loaded(engine, "traps")) {
            TrapException e = trap(t.instance, "nested");
            List<String> names = e.frames().stream().map(f -> f.functionName().orElse("?")).collect(Collectors.toList());
            assertEquals(List.of("unreachable", "inner"), names.subList(0, 2));
            assertEquals("traps", e.frames().get(0).moduleName().orElseThrow());
            assertTrue(e.frames().get(0).moduleOffset().isPresent());
            assertEquals(0, e.frames().get(0).functionIndex());
            assertTrue(e.getMessage().contains("wasm backtrace"), e.getMessage());
            assertTrue(e.getMessage().contains("traps!unreachable"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "signals={0}")
    @ValueSource(booleans = {true, false})
    void startFunctionTrapIsATrapNotALinkError(boolean signals) {
        try (Engine engine = engine(signals); Module m = Module.fromWat(engine, Fixtures.wat("start_trap"));
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            TrapException e = assertThrows(TrapException.class, () -> linker.instantiate(store, m));
            assertEquals(TrapCode.UNREACHABLE_CODE_REACHED, e.code());
        }
    }

    @ParameterizedTest(name = "signals={0}")
    @ValueSource(booleans = {true, false})
    void manyTrapsInARowLeaveTheJvmHealthy(boolean signals) {
        try (Engine engine = engine(signals); Fixtures.Loaded t = new Fixtures.Loaded(engine, "traps")) {
            for (int n = 0; n < 500; n++) {
                if (n % 2 == 0) {
                    trap(t.instance, "oob_load");
                } else {
                    trap(t.instance, "div_by_zero", 0);
                }
            }
            // The JVM's own implicit null checks (SIGSEGV) still work after wasm faults.
            Object nothing = null;
            assertThrows(NullPointerException.class, () -> nothing.hashCode());
        }
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {-1, 1000})
    void unknownNativeCodesMapToUnknown(int code) {
        assertEquals(TrapCode.UNKNOWN, TrapCode.fromNative(code));
        assertFalse(TrapCode.UNKNOWN.description().isEmpty());
    }

    @org.junit.jupiter.api.Test
    void hostCanBuildATrap() {
        TrapException e = new TrapException(TrapCode.INTERRUPT, "stop");
        assertEquals(TrapCode.INTERRUPT, e.code());
        assertTrue(e.frames().isEmpty());
        assertThrows(NullPointerException.class, () -> new TrapException(null, "x"));
    }
}
