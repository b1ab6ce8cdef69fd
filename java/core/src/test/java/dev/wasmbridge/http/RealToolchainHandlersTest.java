package dev.wasmbridge.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.component.Component;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP handlers other toolchains made: {@code tests/http-python} (componentize-py) and {@code tests/http-js} (a
 * Hono app, componentize-js), served through {@link WasiHttpHandler} as {@code wasmtime serve} serves them.
 *
 * <p>Heavy (pip and npm installs, components of 13-22 MB): {@code -Dwasmbridge.python.skip=true} (and {@code
 * -Pquick}) skips it. Otherwise a missing component is a failure, not a skip.
 */
class RealToolchainHandlersTest {
    static Engine engine;

    @BeforeAll
    static void engine() {
        Assumptions.assumeFalse(Boolean.getBoolean("wasmbridge.python.skip"),
                "the components of other toolchains are skipped (wasmbridge.python.skip)");
        engine = Engine.create();
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    static WasiHttpHandler handler(String language, OutgoingHttp outgoing) {
        Path path = WasiHttpHandlerTest.guest("http-" + language + ".wasm");
        assertTrue(Files.isRegularFile(path), "missing " + path + ": the build makes it (scripts/build-http-"
                + language + ".sh)");
        try (Component c = Component.fromPath(engine, path)) {
            return WasiHttpHandler.builder(c).outgoing(outgoing).build();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "js"})
    void servesTheirRoutes(String language) {
        OutgoingHttp stub = OutgoingHttp.builder().allow("backend.test")
                .sender(req -> OutgoingHttp.OutgoingResponse.of(200, "from the stub for " + req.pathWithQuery()))
                .build();
        try (WasiHttpHandler h = handler(language, stub)) {
            BufferedHttpResponse r = h.handle(HttpRequest.builder("GET", "/").build());
            assertEquals(200, r.status(), r.result().toString());
            assertEquals("hello from " + language + "\n", r.bodyText());

            byte[] body = new byte[5 * 1024 * 1024 + 3];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) (i ^ (i >> 9));
            }
            r = h.handle(HttpRequest.builder("POST", "/echo").header("content-type", "application/x-bytes")
                    .body(new ByteArrayInputStream(body), -1).build());
            assertEquals(200, r.status(), r.result().toString());
            assertEquals("application/x-bytes", r.header("content-type").orElseThrow());
            assertArrayEquals(body, r.body());

            r = h.handle(HttpRequest.builder("GET", "/headers").header("x-one", "1").header("x-two", "two").build());
            List<String> lines = r.bodyText().lines().toList();
            assertTrue(lines.contains("x-one: 1") && lines.contains("x-two: two"), lines.toString());

            r = h.handle(HttpRequest.builder("GET", "/fetch?url=" + URLEncoder.encode("http://backend.test/x?y=1",
                    StandardCharsets.UTF_8)).build());
            assertEquals(200, r.status(), r.bodyText());
            assertEquals("from the stub for /x?y=1", r.bodyText());

            r = h.handle(HttpRequest.builder("GET", "/fetch?url=" + URLEncoder.encode("http://elsewhere.test/",
                    StandardCharsets.UTF_8)).build());
            assertEquals(502, r.status());
            assertEquals("error: HTTP-request-denied", r.bodyText().trim());

            assertEquals(404, h.handle(HttpRequest.builder("GET", "/nowhere").build()).status());
        }
    }
}
