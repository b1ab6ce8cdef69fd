package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class InstancePreTest {
    static final FuncType I32_I32_TO_I32 = FuncType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32));

    @Test
    void preparedModulesInstantiatePerStoreAcrossThreads() throws Exception {
        try (Engine engine = Engine.create(); Module module = Module.fromWat(engine, Fixtures.wat("host"));
                Linker linker = Linker.create(engine)) {
            linker.defineFunction("env", "add", I32_I32_TO_I32, (c, a) -> new Object[] {(int) a[0] + (int) a[1]});
            for (String name : List.of("log", "swap", "fail", "reenter", "ref")) {
                ImportType imp = module.imports().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
                linker.defineFunction("env", name, (FuncType) imp.type(), (c, a) -> {
                    throw new UnsupportedOperationException(name);
                });
            }
            try (InstancePre pre = linker.prepare(module)) {
                List<Throwable> failures = new CopyOnWriteArrayList<>();
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    Thread th = new Thread(() -> {
                        try {
                            for (int n = 0; n < 300; n++) {
                                try (Store store = Store.create(engine)) {
                                    assertEquals(n + 1, pre.instantiate(store).function("call_add").call(n, 1)[0]);
                                }
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    });
                    threads.add(th);
                    th.start();
                }
                for (Thread th : threads) {
                    th.join();
                }
                assertEquals(List.of(), failures);
                assertEquals(module, pre.module());
            }
        }
    }

    @Test
    void missingImportsFailAtPrepare() {
        try (Engine engine = Engine.create(); Module module = Module.fromWat(engine, Fixtures.wat("host"));
                Linker linker = Linker.create(engine)) {
            assertThrows(LinkException.class, () -> linker.prepare(module));
        }
    }

    @Test
    void closedOrForeignIsRefused() {
        try (Engine engine = Engine.create(); Engine other = Engine.create();
                Module module = Module.fromWat(engine, Fixtures.wat("add")); Linker linker = Linker.create(engine);
                Store foreign = Store.create(other); Store store = Store.create(engine)) {
            InstancePre pre = linker.prepare(module);
            assertThrows(IllegalArgumentException.class, () -> pre.instantiate(foreign));
            pre.close();
            pre.close();
            assertThrows(IllegalStateException.class, () -> pre.instantiate(store));
            try (Module m2 = Module.fromWat(other, "(module)")) {
                assertThrows(IllegalArgumentException.class, () -> linker.prepare(m2));
            }
        }
    }
}
