package dev.wasmbridge.graal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** examples/graal-js runs as its README says: the single-file launcher on the java of this test JVM. */
class GraalJsExampleTest {
    @Test
    void theExampleRunsAndPrintsTheTitleCasedText() throws IOException, InterruptedException {
        Path dir = Fixtures.examples().resolve("graal-js");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = Files.createTempFile("graal-js-example", ".txt");
        try {
            Process p = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"),
                    dir.resolve("GraalJsExample.java").toString(), dir.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the example did not finish in 120 s");
            String output = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), output);
            List<String> lines = output.lines().filter(l -> !l.startsWith("WARNING")).toList();
            assertEquals(List.of(
                    "wasm says: title_case: done",
                    "7 words, 43 bytes at 1024: Hello From Graal.Js → Running On Wasmtime",
                    "first byte: 72 ('H'), memory size: 65536 bytes"), lines.subList(0, 3), output);
            assertTrue(lines.get(3).startsWith("caught: "), output);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
