package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Store limits, the pooling allocator and the compilation cache. */
class LimitsTest {
    @Test
    void memoryLimitMakesGrowReturnMinusOneAndBigModulesFail() {
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, Fixtures.wat("memory"));
                Module big = Module.fromWat(engine, "(module (memory 4))");
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            store.setLimits(StoreLimits.builder().memorySize(2 * 65536).build());
            Instance i = linker.instantiate(store, m);
            assertEquals(1, i.function("grow").call(1)[0]);
            assertEquals(-1, i.function("grow").call(1)[0]);
            assertThrows(WasmException.class, () -> i.memory("memory").grow(1));
            assertThrows(LinkException.class, () -> linker.instantiate(store, big));
        }
    }

    @Test
    void tableAndCountLimits() {
        String tables = "(module (table (export \"t\") 1 funcref) (func (export \"grow\") (param i32) (result i32)"
                + " ref.null func local.get 0 table.grow 0))";
        try (Engine engine = Engine.create(); Module t = Module.fromWat(engine, tables);
                Module empty = Module.fromWat(engine, "(module)");
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            store.setLimits(StoreLimits.builder().tableElements(5).instances(2).build());
            Instance i = linker.instantiate(store, t);
            assertEquals(1, i.function("grow").call(4)[0]);
            assertEquals(-1, i.function("grow").call(1)[0]);
            linker.instantiate(store, empty);
            LinkException e = assertThrows(LinkException.class, () -> linker.instantiate(store, empty));
            assertTrue(e.getMessage().contains("instance"), e.getMessage());
        }
        try (Engine engine = Engine.create(); Module mem = Module.fromWat(engine, "(module (memory 1))");
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            store.setLimits(StoreLimits.builder().memories(1).build());
            linker.instantiate(store, mem);
            assertThrows(LinkException.class, () -> linker.instantiate(store, mem));
        }
        assertThrows(IllegalArgumentException.class, () -> StoreLimits.builder().memorySize(-1));
    }

    @Test
    void poolingAllocatorHasAFixedNumberOfSlots() {
        PoolingConfig pool = PoolingConfig.builder().totalInstances(3).totalMemories(3).totalTables(3)
                .maxMemorySize(1 << 20).build();
        try (Engine engine = Engine.create(EngineConfig.builder().pooling(pool).build());
                Module m = Module.fromWat(engine, Fixtures.wat("add")); Linker linker = Linker.create(engine)) {
            assertTrue(engine.config().pooling().isPresent());
            List<Store> stores = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                Store s = Store.create(engine);
                stores.add(s);
                assertEquals(3, linker.instantiate(s, m).function("add").call(1, 2)[0]);
            }
            try (Store fourth = Store.create(engine)) {
                assertThrows(LinkException.class, () -> linker.instantiate(fourth, m));
            }
            stores.forEach(Store::close);
            // Slots are reused once stores are closed.
            for (int n = 0; n < 20; n++) {
                try (Store s = Store.create(engine)) {
                    assertEquals(2, linker.instantiate(s, m).function("add").call(1, 1)[0]);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PoolingConfig.builder().totalInstances(0));
    }

    @Test
    void slotsKeptResidentComeBackAsNew() {
        // One slot, reused by every store: kept resident and reset in place (only the pages written, where
        // the kernel has PAGEMAP_SCAN), each instance must still see the module's initial memory.
        PoolingConfig pool = PoolingConfig.forServing().totalInstances(1).totalMemories(1).totalTables(1)
                .maxMemorySize(1 << 20).build();
        String wat = "(module (memory 2) (data (i32.const 8) \"\\2a\")"
                + " (func (export \"run\") (result i32) (local $old i32)"
                + "  (local.set $old (i32.add (i32.load8_u (i32.const 8)) (i32.load (i32.const 70000))))"
                + "  (i32.store8 (i32.const 8) (i32.const 7)) (i32.store (i32.const 70000) (i32.const 99))"
                + "  (local.get $old)))";
        try (Engine engine = Engine.create(EngineConfig.builder().pooling(pool).build());
                Module m = Module.fromWat(engine, wat); Linker linker = Linker.create(engine)) {
            for (int n = 0; n < 5; n++) {
                try (Store s = Store.create(engine)) {
                    assertEquals(42, linker.instantiate(s, m).function("run").call()[0]);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PoolingConfig.builder().memoryKeepResident(-1));
        assertThrows(NullPointerException.class, () -> PoolingConfig.builder().pagemapScan(null));
    }

    @Test
    void compilationCacheFillsTheDirectory() throws Exception {
        // Not @TempDir: Wasmtime's cache worker thread (low priority, one per cache) still writes usage
        // statistics after the engine is closed, and JUnit's one-shot delete then finds a new file.
        Path dir = Files.createTempDirectory("wasmbridge-cache");
        try {
            EngineConfig c = EngineConfig.builder().cacheDirectory(dir).build();
            for (int round = 0; round < 2; round++) {
                try (Engine engine = Engine.create(c); Module m = Module.fromWat(engine, Fixtures.wat("traps"))) {
                    assertFalse(m.exports().isEmpty());
                }
            }
            assertFalse(moduleEntries(dir).isEmpty(), "the cache directory holds compiled code");
        } finally {
            deleteWhileTheCacheWorkerFinishes(dir);
        }
    }

    /**
     * A cache configured by a Wasmtime cache configuration file; entries damaged on disk (cut short,
     * overwritten with other bytes) are not loaded but compiled again, and the module still works.
     */
    @Test
    void aCacheConfigFileAndDamagedEntries() throws Exception {
        Path dir = Files.createTempDirectory("wasmbridge-cache");
        Path config = Files.createTempFile("wasmbridge-cache", ".toml");
        try {
            Files.writeString(config, "[cache]\ndirectory = \"" + dir + "\"\n");
            EngineConfig c = EngineConfig.builder().cacheConfigFile(config).build();
            assertEquals(java.util.Optional.of(config), c.cacheConfigFile());
            assertTrue(c.cacheDirectory().isEmpty() && !c.defaultCache());
            java.util.Map<Path, byte[]> damaged = new java.util.HashMap<>();
            for (int round = 0; round < 3; round++) {
                try (Engine engine = Engine.create(c); Module m = Module.fromWat(engine, Fixtures.wat("add"));
                        Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
                    assertEquals(42, linker.instantiate(store, m).function("add").call(40, 2)[0]);
                }
                // The damaged entry was read, refused and written again by the compilation.
                for (var d : damaged.entrySet()) {
                    assertFalse(java.util.Arrays.equals(d.getValue(), Files.readAllBytes(d.getKey())), d.getKey().toString());
                }
                List<Path> entries = moduleEntries(dir);
                assertFalse(entries.isEmpty(), "the cache directory holds compiled code");
                damaged.clear();
                for (Path entry : entries) { // round 0: cut short; round 1: other bytes of the same length
                    byte[] bytes = Files.readAllBytes(entry);
                    if (round == 0) {
                        bytes = java.util.Arrays.copyOf(bytes, bytes.length / 2);
                    } else {
                        java.util.Arrays.fill(bytes, (byte) 0x5a);
                    }
                    Files.write(entry, bytes);
                    damaged.put(entry, bytes);
                }
            }
            EngineConfig missing = EngineConfig.builder().cacheConfigFile(dir.resolve("none.toml")).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Engine.create(missing));
            assertTrue(e.getMessage().contains("none.toml"), e.getMessage());
            assertTrue(EngineConfig.builder().cacheConfigFile(config).defaultCache().build().defaultCache());
            assertTrue(EngineConfig.builder().defaultCache().cacheDirectory(null).build().cacheConfigFile().isEmpty());
        } finally {
            Files.deleteIfExists(config);
            deleteWhileTheCacheWorkerFinishes(dir);
        }
    }

    /**
     * A foreign entry (compiled by an engine with other settings, here with fuel metering) put where
     * this engine's entry for the same module lives is not loaded: Wasmtime checks the settings it
     * was made with, and the module is compiled again and its entry rewritten.
     */
    @Test
    void aForeignCacheEntryIsCompiledAgain() throws Exception {
        Path dir = Files.createTempDirectory("wasmbridge-cache");
        try {
            EngineConfig plain = EngineConfig.builder().cacheDirectory(dir).build();
            EngineConfig fuel = EngineConfig.builder().cacheDirectory(dir).fuel(true).build();
            Path plainEntry = compileAndFindNewEntry(plain, dir);
            Path fuelEntry = compileAndFindNewEntry(fuel, dir);
            // A hit leaves the entry as it is (so a rewritten entry below means a refused one).
            java.nio.file.attribute.FileTime marker = java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L);
            Files.setLastModifiedTime(plainEntry, marker);
            try (Engine engine = Engine.create(plain); Module m = Module.fromWat(engine, Fixtures.wat("add"))) {
                assertFalse(m.exports().isEmpty());
            }
            assertEquals(marker, Files.getLastModifiedTime(plainEntry));
            byte[] foreign = Files.readAllBytes(fuelEntry);
            Files.write(plainEntry, foreign);
            try (Engine engine = Engine.create(plain); Module m = Module.fromWat(engine, Fixtures.wat("add"));
                    Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
                assertEquals(42, linker.instantiate(store, m).function("add").call(40, 2)[0]);
            }
            // Refused and compiled again: a loaded entry would have been left as it was.
            assertFalse(java.util.Arrays.equals(foreign, Files.readAllBytes(plainEntry)), "the entry is rewritten");
        } finally {
            deleteWhileTheCacheWorkerFinishes(dir);
        }
    }

    /** Compiles the add fixture with {@code config} and returns the module entry it added to the cache. */
    private static Path compileAndFindNewEntry(EngineConfig config, Path dir) throws IOException {
        List<Path> before = moduleEntries(dir);
        try (Engine engine = Engine.create(config); Module m = Module.fromWat(engine, Fixtures.wat("add"))) {
            assertFalse(m.exports().isEmpty());
        }
        List<Path> added = new ArrayList<>(moduleEntries(dir));
        added.removeAll(before);
        assertEquals(1, added.size(), added.toString());
        return added.get(0);
    }

    /**
     * The module entries under {@code dir}/modules/VERSION/, by name only: Wasmtime's cache worker writes
     * and removes its {@code *.wip-*} and {@code *.stats} files meanwhile, so a walk that reads each
     * file's attributes can find one gone (NoSuchFileException, seen in CI).
     */
    private static List<Path> moduleEntries(Path dir) throws IOException {
        Path modules = dir.resolve("modules");
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(modules)) {
            return out;
        }
        try (java.nio.file.DirectoryStream<Path> versions = Files.newDirectoryStream(modules)) {
            for (Path version : versions) {
                try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(version)) {
                    for (Path e : entries) {
                        String name = e.getFileName().toString();
                        if (!name.endsWith(".stats") && !name.contains(".wip-")) {
                            out.add(e);
                        }
                    }
                } catch (java.nio.file.NotDirectoryException | java.nio.file.NoSuchFileException e) {
                    // a file beside the version directories, or one going away
                }
            }
        }
        return out;
    }

    /** Deletes {@code dir} recursively, retrying for up to 10 s while files still appear in it. */
    private static void deleteWhileTheCacheWorkerFinishes(Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                try (var paths = Files.walk(dir)) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                return;
            } catch (DirectoryNotEmptyException | NoSuchFileException | UncheckedIOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void memoryReservationSettingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().memoryReservation(-1));
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().memoryGuardSize(-1));
        EngineConfig c = EngineConfig.builder().memoryReservation(1 << 24).memoryGuardSize(1 << 16).build();
        try (Engine engine = Engine.create(c); Fixtures.Loaded l = new Fixtures.Loaded(engine, "memory")) {
            assertEquals(1L, l.instance.memory("memory").grow(1));
            l.instance.memory("memory").writeInt(65536, 42);
            assertEquals(42, l.instance.function("load_i32").call(65536)[0]);
        }
    }
}
