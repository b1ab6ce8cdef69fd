package dev.wasmbridge.http.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.http.WasiHttpHandler;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What both adapters must do, checked against a real server on a loopback port with the JDK's HttpClient
 * (HTTP/1.1) and, where it cannot, a raw socket. The guest is tests/http/http-guest.c (its README lists
 * the routes); one {@link WasiHttpHandler} serves all of a class's tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
abstract class ServerAdapterContract {
    static final long MIB = 1024 * 1024;

    private Engine engine;
    private Component component;
    private WasiHttpHandler handler;
    private HttpClient client;
    private URI base;

    /** Starts a server on 127.0.0.1, port 0, serving {@code handler} at {@code /}; returns its port. */
    abstract int start(WasiHttpHandler handler) throws Exception;

    /** Stops the server. */
    abstract void stop() throws Exception;

    static Path guest() {
        return Path.of(System.getProperty("wasmbridge.httpGuest", "target/test-wasm/http/http-guest.wasm"));
    }

    @BeforeAll
    void startServer() throws Exception {
        engine = Engine.create();
        component = Component.fromPath(engine, guest());
        handler = WasiHttpHandler.builder(component).build();
        base = URI.create("http://127.0.0.1:" + start(handler) + "/");
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    void stopServer() throws Exception {
        try {
            stop();
        } finally {
            handler.close();
            component.close();
            engine.close();
        }
    }

    int port() {
        return base.getPort();
    }

    HttpRequest.Builder request(String target) {
        return HttpRequest.newBuilder(base.resolve(target)).timeout(Duration.ofSeconds(60));
    }

    HttpResponse<String> get(String target) throws Exception {
        return client.send(request(target).build(), BodyHandlers.ofString());
    }

    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws Exception {
        return client.send(request, body);
    }

    static List<String> lines(HttpResponse<String> r) {
        return r.body().lines().toList();
    }

    @Test
    void hello() throws Exception {
        HttpResponse<String> r = get("/hello");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("hello from wasm\n", r.body());
    }

    @Test
    void headHasNoBody() throws Exception {
        HttpResponse<String> r = send(request("/hello").method("HEAD", BodyPublishers.noBody()).build(),
                BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("text/plain", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("", r.body());
        // The connection is still good for the next request (nothing of the guest's body leaked into it).
        assertEquals("hello from wasm\n", get("/hello").body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
    void methodsReachTheGuest(String method) throws Exception {
        HttpResponse<String> r = send(request("/info").method(method, BodyPublishers.ofString("body")).build(),
                BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        List<String> lines = lines(r);
        assertTrue(lines.contains("method: " + method), lines.toString());
        assertTrue(lines.contains("body-bytes: 4"), lines.toString());
    }

    @Test
    void requestLineAndHeadersReachTheGuest() throws Exception {
        HttpResponse<String> r = send(request("/info").header("x-a", "1").header("x-b", "two words")
                .header("x-a", "3").build(), BodyHandlers.ofString());
        List<String> lines = lines(r);
        assertTrue(lines.contains("method: GET"), lines.toString());
        assertTrue(lines.contains("scheme: http"), lines.toString());
        assertTrue(lines.contains("authority: 127.0.0.1:" + port()), lines.toString());
        assertTrue(lines.contains("path: /info"), lines.toString());
        assertTrue(lines.contains("header: x-b: two words"), lines.toString());
        int first = lines.indexOf("header: x-a: 1");
        int second = lines.indexOf("header: x-a: 3");
        assertTrue(first >= 0 && second > first, "x-a's values in order: " + lines);
        assertTrue(lines.contains("body-bytes: 0"), lines.toString());
    }

    @Test
    void queryStringsArriveAsSent() throws Exception {
        List<String> lines = lines(get("/info?x=1&y=a%20b&z=%C3%A9&x=2&empty="));
        assertTrue(lines.contains("path: /info?x=1&y=a%20b&z=%C3%A9&x=2&empty="), lines.toString());
        // The path is not decoded either: /%69nfo is not /info to the guest.
        assertEquals(404, get("/%69nfo").statusCode());
    }

    @Test
    void headerValuesAreBytes() throws Exception {
        // HttpClient refuses bytes above 0x7f in header values; a socket does not. Each char below is a byte:
        // UTF-8 (c3 a9, e2 82 ac) and ISO-8859-1 (e9, ff) arrive unchanged, not decoded.
        String value = "caf\u00c3\u00a9 \u00e2\u0082\u00ac caf\u00e9 \u00ff";
        RawHttp.Response r = RawHttp.exchange(port(), "GET /info HTTP/1.1\r\nHost: raw\r\nX-Bytes: " + value
                + "\r\nConnection: close\r\n\r\n");
        assertEquals(200, r.status());
        assertTrue(r.text().lines().toList().contains("header: x-bytes: " + value), r.text());
    }

    @Test
    void echoesAKnownLengthBody() throws Exception {
        byte[] body = new byte[(int) MIB];
        new Random(1).nextBytes(body);
        HttpResponse<byte[]> r = send(request("/echo").header("content-type", "application/x-test")
                .POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("application/x-test", r.headers().firstValue("content-type").orElseThrow());
        assertArrayEquals(body, r.body());
    }

    @Test
    void echoesAChunkedBody() throws Exception {
        byte[] body = new byte[300_001];
        new Random(2).nextBytes(body);
        HttpResponse<byte[]> r = send(request("/echo")
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertArrayEquals(body, r.body());
    }

    @Test
    void echoesAChunkedBodyOf64MiBInBoundedMemory() throws Exception {
        long length = 64 * MIB;
        Bodies.Digest sent = Bodies.sha256(Bodies.generated(length, Bodies::noise));
        // Full duplex: the echo starts coming back while the request body is still going out.
        Bodies.Digest echoed = RawHttp.duplex(port(), "POST /echo HTTP/1.1\r\nHost: raw\r\nConnection: close\r\n",
                Bodies.generated(length, Bodies::noise), (status, body) -> {
                    assertEquals(200, status);
                    return Bodies.sha256(body);
                });
        assertEquals(sent, echoed);
    }

    @Test
    void streamsALargeResponse() throws Exception {
        long length = 64 * MIB;
        HttpResponse<InputStream> r = send(request("/big?n=" + length).build(), BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertEquals(Bodies.sha256(Bodies.generated(length, i -> 'a' + i % 26)), Bodies.sha256(r.body()));
    }

    @Test
    void statusCodes() throws Exception {
        HttpResponse<String> teapot = get("/status?code=418");
        assertEquals(418, teapot.statusCode());
        assertEquals("", teapot.body());
        HttpResponse<String> noContent = get("/status?code=204");
        assertEquals(204, noContent.statusCode());
        assertEquals("", noContent.body());
        assertEquals("hello from wasm\n", get("/hello").body());
    }

    @Test
    void aResponseStreamsAsTheGuestWritesIt() throws Exception {
        HttpResponse<InputStream> r = send(request("/stream?chunks=3&ms=300").build(), BodyHandlers.ofInputStream());
        List<String> lines = new ArrayList<>();
        long first;
        long last;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            lines.add(in.readLine());
            first = System.nanoTime();
            for (String l; (l = in.readLine()) != null;) {
                lines.add(l);
            }
            last = System.nanoTime();
        }
        assertEquals(List.of("chunk 0", "chunk 1", "chunk 2"), lines);
        // The guest waits 2 x 300 ms after the first line: a server that held the body back until the end
        // would hand both over at once.
        long apartMs = (last - first) / 1_000_000;
        assertTrue(apartMs >= 300, "the first line came only " + apartMs + " ms before the end");
    }

    @Test
    void aTrapBeforeTheHeadIs500WithoutDetails() throws Exception {
        HttpResponse<String> r = get("/trap");
        assertEquals(500, r.statusCode());
        assertEquals("500 Internal Server Error\n", r.body());
    }

    @Test
    void aTrapAfterTheHeadAbortsTheResponse() {
        assertThrows(IOException.class, () -> get("/trap-after-head"));
    }

    @Test
    void noResponseIs500() throws Exception {
        HttpResponse<String> r = get("/noresponse");
        assertEquals(500, r.statusCode());
        assertEquals("500 Internal Server Error\n", r.body());
    }

    @Test
    void aBodyLongerThanItsContentLengthIsAborted() throws Exception {
        assertThrows(IOException.class, () -> get("/overlength"));
        RawHttp.Response r;
        try {
            r = RawHttp.exchange(port(), "GET /overlength HTTP/1.1\r\nHost: raw\r\nConnection: close\r\n\r\n");
        } catch (IOException e) {
            return;
        }
        throw new AssertionError("a complete response: " + r.status() + " " + r.text());
    }

    @Test
    void requestsRunConcurrently() throws Exception {
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.add(client.sendAsync(request("/sleep?ms=500").build(), BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : all) {
            assertEquals("slept", f.get().body());
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 4 * 500, "4 requests of 500 ms took " + ms + " ms: one after the other");
    }
}
