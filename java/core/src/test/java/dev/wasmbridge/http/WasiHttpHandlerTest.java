package dev.wasmbridge.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.component.Component;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WasiHttpHandlerTest {
    static Engine engine;
    static Component component;
    static WasiHttpHandler handler;

    static Path guest() {
        return Path.of(System.getProperty("wasmbridge.httpGuests", "target/test-wasm/http")).resolve("http-guest.wasm");
    }

    @BeforeAll
    static void load() {
        engine = Engine.create();
        component = Component.fromPath(engine, guest());
        handler = WasiHttpHandler.builder(component).build();
    }

    @AfterAll
    static void close() {
        handler.close();
        component.close();
        engine.close();
    }

    @Test
    void hello() {
        BufferedHttpResponse r = handler.handle(HttpRequest.builder("GET", "/hello").scheme("http")
                .authority("localhost:8080").build());
        assertEquals(HttpResult.Outcome.COMPLETE, r.result().outcome(), r.result().toString());
        assertEquals(200, r.status());
        assertEquals("hello from wasm\n", r.bodyText());
        assertEquals("text/plain", r.header("content-type").orElseThrow());
    }

    @Test
    void echoStreamsABodyLongerThanTheInlineLimit() {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        BufferedHttpResponse r = handler.handle(HttpRequest.builder("POST", "/echo").scheme("http")
                .authority("localhost").header("content-type", "application/x-test")
                .body(new java.io.ByteArrayInputStream(body), -1).build());
        assertEquals(HttpResult.Outcome.COMPLETE, r.result().outcome(), r.result().toString());
        assertEquals("application/x-test", r.header("content-type").orElseThrow());
        assertArrayEquals(body, r.body());
    }

    @Test
    void info() {
        BufferedHttpResponse r = handler.handle(HttpRequest.builder("PUT", "/info?x=1&y=2").scheme("http")
                .authority("example.com:81").header("x-a", "1").header("x-b", "2").header("x-a", "3")
                .body("abc".getBytes(StandardCharsets.UTF_8)).build());
        assertEquals(200, r.status(), r.result().toString());
        List<String> lines = r.bodyText().lines().toList();
        assertTrue(lines.contains("method: PUT"), lines.toString());
        assertTrue(lines.contains("path: /info?x=1&y=2"), lines.toString());
        assertTrue(lines.contains("authority: example.com:81"), lines.toString());
        assertTrue(lines.contains("body-bytes: 3"), lines.toString());
    }

    @Test
    void trap() {
        BufferedHttpResponse r = handler.handle(HttpRequest.builder("GET", "/trap").build());
        assertEquals(500, r.status());
        assertEquals(HttpResult.Outcome.GUEST_FAILED, r.result().outcome());
        assertEquals("500 Internal Server Error\n", r.bodyText());
    }
}
