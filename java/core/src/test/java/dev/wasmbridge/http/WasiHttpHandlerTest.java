package dev.wasmbridge.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.StoreLimits;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.wasi.WasiConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link WasiHttpHandler} with the C guest of {@code tests/http}, without a server: requests in, responses out. */
class WasiHttpHandlerTest {
    static Engine engine;
    static Component component;
    static WasiHttpHandler handler;

    static Path guest(String name) {
        return Path.of(System.getProperty("wasmbridge.httpGuests", "target/test-wasm/http")).resolve(name);
    }

    @BeforeAll
    static void load() {
        engine = Engine.create(EngineConfig.builder().epochInterruption(true).fuel(true).build());
        component = Component.fromPath(engine, guest("http-guest.wasm"));
        handler = WasiHttpHandler.builder(component).deadline(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void close() {
        handler.close();
        component.close();
        engine.close();
    }

    static HttpRequest.Builder get(String path) {
        return HttpRequest.builder("GET", path).scheme("http").authority("localhost:8080");
    }

    @Test
    void hello() {
        BufferedHttpResponse r = handler.handle(get("/hello").build());
        assertEquals(HttpResult.Outcome.COMPLETE, r.result().outcome(), r.result().toString());
        assertEquals(200, r.status());
        assertEquals(200, r.result().status());
        assertEquals("hello from wasm\n", r.bodyText());
        assertEquals("text/plain", r.header("content-type").orElseThrow());
    }

    @Test
    void theRequestReachesTheGuestAsSent() {
        BufferedHttpResponse r = handler.handle(HttpRequest.builder("PATCH", "/info?x=1&y=%20z").scheme("https")
                .authority("example.com:81").header("x-a", "1").header("X-B", "two words").header("x-a", "3")
                .header("x-bytes", "caf\u00e9").body("abc".getBytes(StandardCharsets.UTF_8)).build());
        assertEquals(200, r.status(), r.result().toString());
        List<String> lines = r.bodyText().lines().toList();
        assertEquals("method: PATCH", lines.get(0));
        assertEquals("scheme: https", lines.get(1));
        assertEquals("authority: example.com:81", lines.get(2));
        assertEquals("path: /info?x=1&y=%20z", lines.get(3));
        List<String> headers = lines.stream().filter(l -> l.startsWith("header: x-")).toList();
        // Repeated names keep their values in order; wasi:http gives names in lower case.
        assertEquals(List.of("header: x-a: 1", "header: x-a: 3", "header: x-b: two words",
                "header: x-bytes: caf\u00c3\u00a9".replace("\u00c3\u00a9", "\u00e9")), headers.stream()
                        .map(h -> h.startsWith("header: x-bytes") ? "header: x-bytes: caf\u00e9" : h).toList());
        assertTrue(lines.contains("body-bytes: 3"), lines.toString());
    }

    @Test
    void aBodyOfUnknownLengthStreamsThroughTheGuest() {
        byte[] body = pattern(3 * 1024 * 1024 + 17);
        BufferedHttpResponse r = handler.handle(HttpRequest.builder("POST", "/echo").header("content-type",
                "application/x-test").body(new ByteArrayInputStream(body), -1).build());
        assertEquals(HttpResult.Outcome.COMPLETE, r.result().outcome(), r.result().toString());
        assertEquals("application/x-test", r.header("content-type").orElseThrow());
        assertArrayEquals(body, r.body());
    }

    @Test
    void aGibibyteStreamsBothWaysInBoundedMemory() throws Exception {
        long n = 1L << 30;
        // Upload: generated as it is read; the sink hashes and counts without keeping anything.
        Hashing up = new Hashing();
        HttpResult r = handler.handle(HttpRequest.builder("POST", "/echo").body(new Generated(n), n).build(), up);
        assertEquals(HttpResult.Outcome.COMPLETE, r.outcome(), r.toString());
        assertEquals(n, up.count);
        assertEquals(hashOfGenerated(n), up.hex());
        assertTrue(up.largestChunk <= 64 * 1024, "chunks handed over are bounded: " + up.largestChunk);
        // Download.
        Hashing down = new Hashing();
        r = handler.handle(get("/big?n=" + n).build(), down);
        assertEquals(HttpResult.Outcome.COMPLETE, r.outcome(), r.toString());
        assertEquals(n, down.count);
        assertEquals(hashOfAlphabet(n), down.hex());
    }

    @Test
    void statusCodesPassThrough() {
        for (int code : new int[] {201, 204, 302, 404, 418, 503, 599}) {
            BufferedHttpResponse r = handler.handle(get("/status?code=" + code).build());
            assertEquals(code, r.status());
            assertEquals(HttpResult.Outcome.COMPLETE, r.result().outcome());
        }
        assertEquals(404, handler.handle(get("/nothing-here").build()).status());
    }

    @Test
    void aResponseFlowsBeforeTheGuestEnds() {
        List<Long> chunks = new ArrayList<>();
        HttpResponseSink sink = new HttpResponseSink() {
            @Override
            public void head(int status, List<HttpField> headers) {
            }

            @Override
            public void body(byte[] bytes, int offset, int length) {
                chunks.add(System.nanoTime());
            }
        };
        HttpResult r = handler.handle(get("/stream?chunks=4&ms=200").build(), sink);
        long end = System.nanoTime();
        assertEquals(HttpResult.Outcome.COMPLETE, r.outcome(), r.toString());
        assertTrue(chunks.size() >= 3, "the lines arrive as the guest writes them: " + chunks.size() + " pieces");
        // The first line went out while the guest still had three sleeps of 200 ms ahead of it.
        assertTrue(end - chunks.get(0) > Duration.ofMillis(400).toNanos(), "first chunk at "
                + (end - chunks.get(0)) / 1_000_000 + " ms before the end");
    }

    @Test
    void trailersOfAShortBodyReachTheGuestToo() {
        BufferedHttpResponse r = handler.handle(HttpRequest.builder("POST", "/trailers").body(new byte[3])
                .trailers(() -> List.of(new HttpField("x-t", "1"))).build());
        List<String> lines = r.bodyText().lines().toList();
        assertTrue(lines.contains("body-bytes: 3") && lines.contains("trailer: x-t: 1"), lines.toString());
    }

    @Test
    void trailersBothWays() {
        BufferedHttpResponse r = handler.handle(HttpRequest.builder("POST", "/trailers")
                .body(new ByteArrayInputStream(new byte[100_000]), -1)
                .trailers(() -> List.of(new HttpField("x-checksum", "42"))).build());
        assertEquals(HttpResult.Outcome.COMPLETE, r.result().outcome(), r.result().toString());
        List<String> lines = r.bodyText().lines().toList();
        assertTrue(lines.contains("body-bytes: 100000"), lines.toString());
        assertTrue(lines.contains("trailer: x-checksum: 42"), lines.toString());
        assertTrue(r.trailers().contains(new HttpField("x-body-bytes", "100000")), r.trailers().toString());
        assertTrue(r.trailers().contains(new HttpField("x-trailer", "done")), r.trailers().toString());
    }

    @Test
    void aTrapIs500WithoutItsDetails() {
        BufferedHttpResponse r = handler.handle(get("/trap").build());
        assertEquals(500, r.status());
        assertEquals(HttpResult.Outcome.GUEST_FAILED, r.result().outcome());
        assertEquals("500 Internal Server Error\n", r.bodyText());
        assertTrue(r.result().failure() instanceof dev.wasmbridge.TrapException, r.result().toString());
    }

    @Test
    void aTrapAfterTheHeadAbortsTheResponse() {
        List<String> aborted = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpResult r = handler.handle(get("/trap-after-head").build(), new HttpResponseSink() {
            @Override
            public void head(int status, List<HttpField> headers) {
            }

            @Override
            public void body(byte[] bytes, int offset, int length) {
                body.write(bytes, offset, length);
            }

            @Override
            public void abort(String reason) {
                aborted.add(reason);
            }
        });
        assertEquals(HttpResult.Outcome.GUEST_FAILED, r.outcome());
        assertEquals(200, r.status());
        assertEquals(1, aborted.size(), "the sink is told the response cannot complete");
    }

    @Test
    void noResponseIs500() {
        BufferedHttpResponse r = handler.handle(get("/noresponse").build());
        assertEquals(500, r.status());
        assertEquals(HttpResult.Outcome.NO_RESPONSE, r.result().outcome());
    }

    @Test
    void aBodyLongerThanItsContentLengthIsNotACompleteResponse() {
        BufferedHttpResponse r = handler.handle(get("/overlength").build());
        assertEquals(HttpResult.Outcome.BODY_INCOMPLETE, r.result().outcome(), r.result().toString());
        assertTrue(r.body().length <= 5, "no byte past the declared length: " + r.body().length);
    }

    @Test
    void aLoopingGuestEndsAtItsDeadlineWith503() {
        try (WasiHttpHandler h = WasiHttpHandler.builder(component).deadline(Duration.ofMillis(300)).build()) {
            long start = System.nanoTime();
            BufferedHttpResponse r = h.handle(get("/loop").build());
            assertEquals(503, r.status());
            assertEquals(HttpResult.Outcome.GUEST_FAILED, r.result().outcome());
            // A guest waiting (here: sleeping) ends at the deadline too.
            r = h.handle(get("/sleep?ms=60000").build());
            assertEquals(503, r.status());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
            // The handler still serves.
            assertEquals(200, h.handle(get("/hello").build()).status());
        }
    }

    @Test
    void fuelAndMemoryLimitsApplyPerRequest() {
        try (WasiHttpHandler h = WasiHttpHandler.builder(component).fuel(10_000)
                .limits(StoreLimits.builder().memorySize(32L << 20).build()).build()) {
            BufferedHttpResponse r = h.handle(get("/loop").build());
            assertEquals(500, r.status());
            assertEquals(dev.wasmbridge.TrapCode.OUT_OF_FUEL,
                    ((dev.wasmbridge.TrapException) r.result().failure()).code());
        }
        try (WasiHttpHandler h = WasiHttpHandler.builder(component)
                .limits(StoreLimits.builder().memorySize(32L << 20).build()).build()) {
            BufferedHttpResponse r = h.handle(get("/bomb").build());
            assertEquals(500, r.status());
            assertEquals(HttpResult.Outcome.GUEST_FAILED, r.result().outcome());
            assertEquals(200, h.handle(get("/hello").build()).status());
        }
    }

    @Test
    void aClientThatGoesAwayStopsTheGuest() {
        AtomicLong sent = new AtomicLong();
        HttpResult r = handler.handle(get("/big?n=" + (1L << 34)).build(), new HttpResponseSink() {
            @Override
            public void head(int status, List<HttpField> headers) {
            }

            @Override
            public void body(byte[] bytes, int offset, int length) throws IOException {
                if (sent.addAndGet(length) > (1 << 20)) {
                    throw new IOException("connection reset by peer");
                }
            }
        });
        assertEquals(HttpResult.Outcome.CLIENT_GONE, r.outcome(), r.toString());
        assertTrue(sent.get() < (8 << 20), "the guest stopped soon after: " + sent.get());
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413BeforeTheGuestRuns() {
        try (WasiHttpHandler h = WasiHttpHandler.builder(component).maxRequestBody(1000).build()) {
            BufferedHttpResponse r = h.handle(HttpRequest.builder("POST", "/echo").body(new byte[1001]).build());
            assertEquals(413, r.status());
            assertEquals(HttpResult.Outcome.REJECTED, r.result().outcome());
            r = h.handle(HttpRequest.builder("POST", "/echo").body(new ByteArrayInputStream(new byte[5000]), -1).build());
            assertNotEquals(HttpResult.Outcome.COMPLETE, r.result().outcome(),
                    "a streamed body over the limit fails for the guest: " + r.result());
        }
    }

    @Test
    void wasiConfigurationIsPerRequest() {
        List<String> lines = new ArrayList<>();
        try (WasiHttpHandler h = WasiHttpHandler.builder(component).wasi(req -> WasiConfig.builder()
                .env("WHO", req.pathWithQuery()).stdout(new Lines(lines)).build()).build()) {
            assertEquals("/env?name=WHO", h.handle(get("/env?name=WHO").build()).bodyText());
            assertEquals(404, h.handle(get("/env?name=MISSING").build()).status());
            assertEquals("logged", h.handle(get("/log").build()).bodyText());
            assertEquals(List.of("guest stdout line"), lines);
        }
    }

    @Test
    void outgoingRequestsAreDeniedByDefault() {
        BufferedHttpResponse r = handler.handle(get("/fetch?url=" + enc("http://127.0.0.1:9/x")).build());
        assertEquals(502, r.status());
        assertEquals("error: HTTP-request-denied", r.bodyText().trim());
    }

    @Test
    void anApplicationsSenderRoutesAllowedRequests() {
        List<HttpRequest> seen = new ArrayList<>();
        OutgoingHttp stub = OutgoingHttp.builder().allow("backend.test").sender(req -> {
            synchronized (seen) {
                seen.add(req);
            }
            return OutgoingHttp.OutgoingResponse.of(201, "stubbed " + req.pathWithQuery());
        }).build();
        try (WasiHttpHandler h = WasiHttpHandler.builder(component).outgoing(stub).build()) {
            BufferedHttpResponse r = h.handle(get("/fetch?url=" + enc("http://backend.test/a?b=c")).build());
            assertEquals(201, r.status(), r.bodyText());
            assertEquals("stubbed /a?b=c", r.bodyText());
            assertEquals("backend.test", seen.get(0).authority());
            r = h.handle(get("/fetch?url=" + enc("http://other.test/")).build());
            assertEquals("error: HTTP-request-denied", r.bodyText().trim());
        }
        OutgoingHttp refusing = OutgoingHttp.builder().allow("*").sender(req -> {
            throw new OutgoingHttp.Refused(HttpErrorCode.CONNECTION_LIMIT_REACHED);
        }).build();
        try (WasiHttpHandler h = WasiHttpHandler.builder(component).outgoing(refusing).build()) {
            assertEquals("error: connection-limit-reached",
                    h.handle(get("/fetch?url=" + enc("http://x.test/")).build()).bodyText().trim());
        }
    }

    @Test
    void outgoingRequestsGoThroughTheJdkClient() throws Exception {
        com.sun.net.httpserver.HttpServer backend = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            byte[] out = (ex.getRequestMethod() + " " + ex.getRequestURI() + " " + in.length).getBytes(
                    StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("content-type", "text/x-backend");
            ex.sendResponseHeaders(202, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        backend.start();
        try (WasiHttpHandler h = WasiHttpHandler.builder(component)
                .outgoing(OutgoingHttp.builder().allow("127.0.0.1", backend.getAddress().getPort()).build()).build()) {
            String base = "http://127.0.0.1:" + backend.getAddress().getPort();
            BufferedHttpResponse r = h.handle(get("/fetch?url=" + enc(base + "/data?q=1")).build());
            assertEquals(202, r.status(), r.bodyText());
            assertEquals("GET /data?q=1 0", r.bodyText());
            assertEquals("text/x-backend", r.header("content-type").orElseThrow());
            r = h.handle(HttpRequest.builder("POST", "/post?url=" + enc(base + "/upload"))
                    .body(new ByteArrayInputStream(new byte[300_000]), -1).build());
            assertEquals("POST /upload 300000", r.bodyText());
            // A port the policy does not allow.
            r = h.handle(get("/fetch?url=" + enc("http://127.0.0.1:1/")).build());
            assertEquals("error: HTTP-request-denied", r.bodyText().trim());
        } finally {
            backend.stop(0);
        }
    }

    @Test
    void aGuestsFirstByteTimeoutBoundsTheJdkClientsWait() throws Exception {
        // A backend that answers /slow only when the test lets it: the guest's request-options say 300 ms.
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        com.sun.net.httpserver.HttpServer backend = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        backend.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        backend.createContext("/", ex -> {
            if (ex.getRequestURI().getPath().equals("/slow")) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ex.sendResponseHeaders(200, 2);
            ex.getResponseBody().write("ok".getBytes(StandardCharsets.US_ASCII));
            ex.close();
        });
        backend.start();
        try (WasiHttpHandler h = WasiHttpHandler.builder(component)
                .outgoing(OutgoingHttp.builder().allow("127.0.0.1", backend.getAddress().getPort()).build()).build()) {
            String base = "http://127.0.0.1:" + backend.getAddress().getPort();
            long start = System.nanoTime();
            BufferedHttpResponse r = h.handle(get("/fetch?first-byte-ms=300&url=" + enc(base + "/slow")).build());
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertEquals("error: HTTP-response-timeout", r.bodyText().trim());
            assertTrue(waited >= 300 && waited < 20_000, "the guest's 300 ms, not the policy's 30 s: " + waited + " ms");
            // The same timeout on a backend that answers in time.
            r = h.handle(get("/fetch?first-byte-ms=5000&url=" + enc(base + "/fast")).build());
            assertEquals("ok", r.bodyText());
        } finally {
            release.countDown();
            backend.stop(0);
            ((java.util.concurrent.ExecutorService) backend.getExecutor()).shutdownNow();
        }
        assertEquals(Duration.ofSeconds(30), OutgoingHttp.headTimeout(Duration.ofSeconds(30), new long[] {-1, -1, -1}));
        assertEquals(Duration.ofMillis(300), OutgoingHttp.headTimeout(Duration.ofSeconds(30),
                new long[] {100_000_000, 200_000_000, -1}));
        assertEquals(Duration.ofSeconds(30), OutgoingHttp.headTimeout(Duration.ofSeconds(30),
                new long[] {Long.MAX_VALUE, Long.MAX_VALUE, -1}));
        assertEquals(Duration.ofMillis(1), OutgoingHttp.headTimeout(null, new long[] {-1, 0, -1}));
    }

    @Test
    void badRequestsAreClearExceptionsOrStatuses() {
        BufferedHttpResponse r = handler.handle(HttpRequest.builder("GET", "/hello").header("bad name", "x").build());
        assertEquals(400, r.status());
        assertEquals(HttpResult.Outcome.REJECTED, r.result().outcome());
        r = handler.handle(HttpRequest.builder("GET", "/hello").header("x", "line\nbreak").build());
        assertEquals(400, r.status());
        r = handler.handle(HttpRequest.builder("BAD METHOD", "/hello").build());
        assertEquals(400, r.status());
        assertThrows(NullPointerException.class, () -> handler.handle(null));
    }

    @Test
    void aBodyShorterThanItsDeclaredLengthIsNotTakenForWhole() {
        BufferedHttpResponse r = handler.handle(HttpRequest.builder("POST", "/echo")
                .body(new ByteArrayInputStream(new byte[5]), 10).build());
        assertEquals(HttpResult.Outcome.CLIENT_GONE, r.result().outcome(), r.result().toString());
        r = handler.handle(HttpRequest.builder("POST", "/info")
                .body(new ByteArrayInputStream(new byte[70_000]), 100_000).build());
        // The C guest says "(incomplete)" when its read of the body fails instead of ending.
        assertTrue(r.bodyText().contains("body-bytes: 70000 (incomplete)"), "the guest is told the body ended early: "
                + r.bodyText());
    }

    @Test
    void settingsTheEngineCannotHonourAreRefusedAtBuild() {
        try (Engine plain = Engine.create(); Component c = Component.fromPath(plain, guest("http-guest.wasm"))) {
            assertThrows(IllegalStateException.class, () -> WasiHttpHandler.builder(c).fuel(1000).build());
            assertThrows(IllegalStateException.class, () -> WasiHttpHandler.builder(c).deadline(Duration.ofSeconds(1))
                    .build());
        }
    }

    @Test
    void aComponentThatIsNoHandlerIsRefused() {
        try (Component plain = Component.fromWat(engine, "(component)")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> WasiHttpHandler.builder(plain).build());
            assertTrue(e.getMessage().contains("wasi:http/incoming-handler"), e.getMessage());
        }
    }

    @Test
    void aClosedHandlerIsRefused() {
        WasiHttpHandler h = WasiHttpHandler.builder(component).build();
        h.close();
        h.close();
        assertThrows(IllegalStateException.class, () -> h.handle(get("/hello").build()));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >> 11));
        }
        return b;
    }

    static String hashOfGenerated(long n) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[65536];
        try (Generated g = new Generated(n)) {
            for (int k; (k = g.read(buf)) > 0;) {
                d.update(buf, 0, k);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static String hashOfAlphabet(long n) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[26 * 2521];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) ('a' + i % 26);
        }
        for (long left = n; left > 0;) {
            int k = (int) Math.min(left, block.length);
            d.update(block, 0, k);
            left -= k;
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** n bytes of a pattern, made as they are read. */
    static final class Generated extends InputStream {
        private final long n;
        private long at;

        Generated(long n) {
            this.n = n;
        }

        @Override
        public int read() {
            return at < n ? (int) (at++ * 7 & 0xff) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at >= n) {
                return -1;
            }
            int k = (int) Math.min(len, n - at);
            for (int i = 0; i < k; i++) {
                b[off + i] = (byte) ((at + i) * 7);
            }
            at += k;
            return k;
        }
    }

    /** Hashes and counts what it is sent. */
    static final class Hashing implements HttpResponseSink {
        final MessageDigest digest;
        long count;
        int largestChunk;

        Hashing() throws Exception {
            digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public void head(int status, List<HttpField> headers) {
        }

        @Override
        public void body(byte[] bytes, int offset, int length) {
            digest.update(bytes, offset, length);
            count += length;
            largestChunk = Math.max(largestChunk, length);
        }

        String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    /** Collects the lines written to it. */
    static final class Lines extends java.io.OutputStream {
        private final List<String> lines;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Lines(List<String> lines) {
            this.lines = lines;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                lines.add(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }
}
