package dev.wasmbridge.graal;

import dev.wasmbridge.Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.ByteSequence;

/** Test fixtures: the shared WAT files, the C programs compiled by the POM, and GraalWasm loading. */
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

    /** A GraalWasm instance's exports, in {@code context} (which must permit "wasm"). */
    static Value graalWasmExports(Context context, String name, byte[] binary) {
        Source source = Source.newBuilder("wasm", ByteSequence.create(binary), name).buildLiteral();
        Value module = context.eval(source);
        return module.newInstance().getMember("exports");
    }
}
