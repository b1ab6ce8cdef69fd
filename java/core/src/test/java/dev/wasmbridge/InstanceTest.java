package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class InstanceTest {
    @Test
    void exportsByNameAndKind() {
        try (Engine engine = Engine.create(); Fixtures.Loaded l = new Fixtures.Loaded(engine, "globals")) {
            Instance i = l.instance;
            assertSame(l.store, i.store());
            assertInstanceOf(Function.class, i.export("inc").orElseThrow());
            assertInstanceOf(Global.class, i.export("counter").orElseThrow());
            assertTrue(i.export("missing").isEmpty());
            assertEquals(i.function("inc"), i.function("inc"));
            List<String> names = i.exports().stream().map(ExportType::name).collect(Collectors.toList());
            assertEquals(List.of("counter", "pi", "big", "vec", "ref", "get_counter", "inc"), names);
            assertEquals(l.module.exports(), i.exports());
        }
    }

    @Test
    void wrongKindOrNameIsAClearError() {
        try (Engine engine = Engine.create(); Fixtures.Loaded l = new Fixtures.Loaded(engine, "add")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.instance.function("memory"));
            assertEquals("export 'memory' is a memory, not a function", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> l.instance.memory("nope"));
            assertEquals("the instance has no export named 'nope' (exports: memory add)", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> l.instance.table("add"));
            assertThrows(NullPointerException.class, () -> l.instance.function(null));
        }
    }

    @Test
    void readmeExample() {
        try (Engine engine = Engine.create();
                Module module = Module.fromWat(engine, Fixtures.wat("add"));
                Store store = Store.create(engine);
                Linker linker = Linker.create(engine)) {
            Instance instance = linker.instantiate(store, module);
            int sum = (int) instance.function("add").call(40, 2)[0];
            assertEquals(42, sum);
            Memory memory = instance.memory("memory");
            memory.write(1024, "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("hello", new String(memory.read(1024, 5), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
