package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EngineTest {
    @Test
    void defaultsMatchWasmtime() {
        EngineConfig c = EngineConfig.defaults();
        assertEquals(OptLevel.SPEED, c.optLevel());
        assertFalse(c.fuel());
        assertFalse(c.epochInterruption());
        assertTrue(c.parallelCompilation());
        assertTrue(c.signalsBasedTraps());
        assertEquals(0, c.maxWasmStack());
    }

    @Test
    void everyOptimizationLevelCompilesAndRuns() {
        for (OptLevel level : OptLevel.values()) {
            try (Engine engine = Engine.create(EngineConfig.builder().optLevel(level).parallelCompilation(false).build());
                    Fixtures.Loaded l = new Fixtures.Loaded(engine, "add")) {
                assertEquals(42, l.instance.function("add").call(40, 2)[0], level.toString());
            }
        }
    }

    @Test
    void configIsKept() {
        EngineConfig c = EngineConfig.builder().fuel(true).epochInterruption(true).maxWasmStack(256 * 1024)
                .signalsBasedTraps(false).build();
        try (Engine engine = Engine.create(c)) {
            assertEquals(c, engine.config());
            assertTrue(engine.config().fuel());
        }
    }

    @Test
    void badStackSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().maxWasmStack(0));
        assertThrows(NullPointerException.class, () -> EngineConfig.builder().optLevel(null));
        assertThrows(NullPointerException.class, () -> Engine.create(null));
    }

    @Test
    void closedEngineRefusesNewObjectsButExistingOnesKeepWorking() {
        Engine engine = Engine.create();
        Module module = Module.fromWat(engine, Fixtures.wat("add"));
        Store store = Store.create(engine);
        Linker linker = Linker.create(engine);
        engine.close();
        engine.close(); // harmless
        assertThrows(IllegalStateException.class, () -> Store.create(engine));
        assertThrows(IllegalStateException.class, () -> Module.fromWat(engine, "(module)"));
        assertThrows(IllegalStateException.class, () -> Linker.create(engine));
        Instance instance = linker.instantiate(store, module);
        assertEquals(5, instance.function("add").call(2, 3)[0]);
        assertDoesNotThrow(() -> {
            linker.close();
            store.close();
            module.close();
        });
    }
}
