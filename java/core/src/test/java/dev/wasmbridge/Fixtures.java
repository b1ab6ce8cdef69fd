package dev.wasmbridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared fixtures under the repository's {@code tests/} folder. */
final class Fixtures {
    private Fixtures() {
    }

    static Path root() {
        return Path.of(System.getProperty("wasmbridge.fixtures", "../../tests")).toAbsolutePath().normalize();
    }

    static Path watPath(String name) {
        return root().resolve("wat").resolve(name + ".wat");
    }

    static String wat(String name) {
        try {
            return Files.readString(watPath(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A store and instance of a fixture, closed together. */
    static final class Loaded implements AutoCloseable {
        final Engine engine;
        final Module module;
        final Store store;
        final Linker linker;
        final Instance instance;

        Loaded(Engine engine, String name) {
            this.engine = engine;
            this.module = Module.fromWat(engine, wat(name));
            this.store = Store.create(engine);
            this.linker = Linker.create(engine);
            this.instance = linker.instantiate(store, module);
        }

        @Override
        public void close() {
            linker.close();
            store.close();
            module.close();
        }
    }
}
