package dev.wasmbridge.bindgen;

import dev.wasmbridge.internal.NativeLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A JVM that only generates sources, as the Maven plugin does: prints how many files the generator wrote,
 * which wasmbridge libraries the loader loaded, and whether the runtime's library is mapped into the process.
 * Run by {@link JavaBindgenTest#generatingNeverLoadsTheRuntimeLibrary}.
 */
final class GeneratorAlone {
    private GeneratorAlone() {
    }

    /**
     * Generates the bindings of {@code args[0]} (world {@code args[1]}) and reports.
     *
     * @param args the WIT input and the world
     * @throws Exception if generating or reading the process's maps fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> files = JavaBindgen.generate(Path.of(args[0]), args[1], "com.example.alone");
        System.out.println("files " + files.size());
        System.out.println("bindgen " + NativeLoader.loadedLibrary("wasmbridge_bindgen_jni").isPresent());
        System.out.println("runtime " + NativeLoader.loadedLibrary().isPresent());
        System.out.println("mapped " + Files.readString(Path.of("/proc/self/maps")).contains("libwasmbridge_jni"));
    }
}
