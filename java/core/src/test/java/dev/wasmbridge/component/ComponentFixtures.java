package dev.wasmbridge.component;

import java.nio.file.Path;

/** The component fixtures under the repository's {@code tests/components} folder. */
final class ComponentFixtures {
    private ComponentFixtures() {
    }

    static Path path(String name) {
        return Path.of(System.getProperty("wasmbridge.fixtures", "../../tests")).toAbsolutePath().normalize()
                .resolve("components").resolve(name + ".wat");
    }
}
