package dev.wasmbridge.graal;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Module;
import dev.wasmbridge.component.Component;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.ByteSequence;

/** Test fixtures: the shared WAT files, component fixtures, the C programs compiled by the POM, GraalWasm loading. */
final class Fixtures {
    private Fixtures() {
    }

    static Path tests() {
        return Path.of(System.getProperty("wasmbridge.fixtures", "../../tests")).toAbsolutePath().normalize();
    }

    static Path testWasm() {
        return Path.of(System.getProperty("wasmbridge.graal.testWasm", "target/test-wasm")).toAbsolutePath().normalize();
    }

    static Path examples() {
        return Path.of(System.getProperty("wasmbridge.examples", "../../examples")).toAbsolutePath().normalize();
    }

    static String wat(String name) {
        try {
            return Files.readString(tests().resolve("wat").resolve(name + ".wat"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The binary of a fixture: tests/wat/NAME.wat converted by wasmbridge, or a compiled NAME.wasm. */
    static byte[] binary(String name) {
        Path wasm = testWasm().resolve(name + ".wasm");
        try {
            if (Files.exists(wasm)) {
                return Files.readAllBytes(wasm);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Module.watToBinary(wat(name));
    }

    /**
     * A component fixture: {@code src/test/resources/NAME.wat} of this module, else
     * tests/components/NAME.wat.
     */
    static Component component(Engine engine, String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/" + name + ".wat")) {
            if (in != null) {
                return Component.fromWat(engine, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Component.fromPath(engine, tests().resolve("components").resolve(name + ".wat"));
    }

    /** A GraalWasm instance's exports, in {@code context} (which must permit "wasm"). */
    static Value graalWasmExports(Context context, String name, byte[] binary) {
        Source source = Source.newBuilder("wasm", ByteSequence.create(binary), name).buildLiteral();
        Value module = context.eval(source);
        return module.newInstance().getMember("exports");
    }
}
