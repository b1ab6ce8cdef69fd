package dev.wasmbridge.examples.httpcomponent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The service on an ephemeral loopback port, driven by the JDK's HttpClient: its Java endpoints, the
 * component (tests/http/http-guest.c) and the component's calls back into Java.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ComponentServiceTest {
    static final Duration DEADLINE = Duration.ofSeconds(1);
    static final int CLIENTS = 16;
    static final int REQUESTS = 20;

    private ComponentService service;
    private HttpClient client;
    private String base;

    @BeforeAll
    void start() throws Exception {
        service = ComponentService.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ComponentService.defaultComponent(), new ComponentService.Limits(DEADLINE, 32L << 20, 32));
        base = "http://127.0.0.1:" + service.port();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    void stop() {
        service.close();
    }

    HttpResponse<String> get(String target) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + target)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The component's {@code /fetch} route: it GETs {@code url} and relays the answer. */
    HttpResponse<String> fetch(String url) throws Exception {
        return get("/fetch?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
    }

    @Test
    void theJavaEndpointsAnswer() throws Exception {
        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("ok\n", health.body());
        HttpResponse<String> time = get("/java/time");
        assertEquals(200, time.statusCode());
        assertEquals("application/json", time.headers().firstValue("content-type").orElseThrow());
        assertTrue(time.body().startsWith("{\"time\":\"") && time.body().contains("\"via\":\"client\""), time.body());
        assertEquals(404, get("/java/nothing").statusCode());
    }

    @Test
    void theComponentAnswersEverythingElse() throws Exception {
        HttpResponse<String> hello = get("/hello");
        assertEquals(200, hello.statusCode());
        assertEquals("hello from wasm\n", hello.body());
        // The guest sees the whole path, and answers what it does not know itself.
        HttpResponse<String> other = get("/no/such/route");
        assertEquals(404, other.statusCode());
        assertEquals("not found\n", other.body());
    }

    @Test
    void theComponentCallsTheJavaEndpointBack() throws Exception {
        long before = System.currentTimeMillis();
        HttpResponse<String> r = fetch(base + "/java/time");
        long after = System.currentTimeMillis();
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        assertTrue(r.body().contains("\"via\":\"component\""), r.body());
        long millis = Long.parseLong(r.body().replaceAll("(?s).*\"epochMillis\":(\\d+).*", "$1"));
        assertTrue(before <= millis && millis <= after, before + " <= " + millis + " <= " + after);
        // localhost is on the list too; a Java 404 comes back as it is.
        assertEquals(200, fetch("http://localhost:" + service.port() + "/java/time").statusCode());
        assertEquals(404, fetch(base + "/java/nothing").statusCode());
    }

    @Test
    void callsOffTheAllowListAreDenied() throws Exception {
        for (String url : List.of(
                "http://example.com/",                                  // another host
                "http://127.0.0.1:9/java/time",                         // another port
                "https://127.0.0.1:" + service.port() + "/java/time",   // another scheme
                base + "/health",                                       // not under /java/
                base + "/hello",                                        // the component itself
                base + "/java/../hello")) {                             // not under /java/ once normalized
            HttpResponse<String> r = fetch(url);
            assertEquals(502, r.statusCode(), url + ": " + r.body());
            assertEquals("error: HTTP-request-denied", r.body().trim(), url);
        }
    }

    @Test
    void aLoopingGuestGets503AtItsDeadlineWhileJavaStillAnswers() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            // The previous test's requests have let go of their turns (a client may see its answer first).
            while (service.runningComponentRequests() != 0) {
                Thread.onSpinWait();
            }
            long t0 = System.nanoTime();
            Future<long[]> loop = other.submit(() -> {
                HttpResponse<String> r = get("/loop");
                return new long[] {r.statusCode(), System.nanoTime()};
            });
            // The loop is in the guest once it holds its turn.
            while (service.runningComponentRequests() == 0 && !loop.isDone()) {
                Thread.onSpinWait();
            }
            HttpResponse<String> health = get("/health");
            long healthDone = System.nanoTime();
            assertEquals(200, health.statusCode());
            long[] looped = loop.get(30, TimeUnit.SECONDS);
            assertEquals(503, looped[0]);
            long loopMillis = (looped[1] - t0) / 1_000_000;
            assertTrue(healthDone < looped[1], "/health answered " + (healthDone - looped[1]) / 1_000_000
                    + " ms after the loop ended");
            assertTrue(loopMillis >= DEADLINE.toMillis() && loopMillis < DEADLINE.toMillis() + 5_000,
                    "the loop ended after " + loopMillis + " ms, with a deadline of " + DEADLINE.toMillis() + " ms");
            System.out.printf(Locale.ROOT, "[http-component] /loop: 503 after %d ms (deadline %d ms); /health"
                    + " answered meanwhile, %d ms after the loop started%n", loopMillis, DEADLINE.toMillis(),
                    (healthDone - t0) / 1_000_000);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aGuestThatTrapsOrRunsOutOfMemoryGets500() throws Exception {
        assertEquals(500, get("/trap").statusCode());
        assertEquals(500, get("/bomb").statusCode());
        assertEquals("hello from wasm\n", get("/hello").body());
    }

    @Test
    void concurrentRequestsEachGetTheirOwnAnswer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<String> failures = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int id = c;
            clients.add(pool.submit(() -> {
                go.await();
                for (int n = 0; n < REQUESTS; n++) {
                    String path = "/info?client=" + id + "&n=" + n;
                    String tag = UUID.randomUUID().toString();
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path))
                            .header("x-request-id", tag).timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    List<String> lines = r.body().lines().toList();
                    if (r.statusCode() != 200 || !lines.contains("path: " + path)
                            || !lines.contains("header: x-request-id: " + tag)) {
                        failures.add(path + " " + tag + ": " + r.statusCode() + " " + lines);
                    }
                }
                return null;
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (Future<?> f : clients) {
            f.get(60, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        assertEquals(List.of(), failures);
        System.out.printf(Locale.ROOT, "[http-component] %d clients x %d requests of /info in %.2f s (%.0f/s)%n",
                CLIENTS, REQUESTS, seconds, CLIENTS * REQUESTS / seconds);
    }
}
