package dev.wasmbridge.examples.httpservice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The service on an ephemeral loopback port, driven by concurrent clients, misbehaving plugins included. */
@Timeout(180)
class PluginServiceTest {
    static final Duration DEADLINE = Duration.ofMillis(200);
    static final int CLIENTS = 8;
    static final int REQUESTS = 50;

    static PluginService start(PluginService.Limits limits, Path plugins) throws IOException {
        return PluginService.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), limits, plugins);
    }

    static PluginService.Limits limits() {
        // fuel high enough that the deadline is what stops the loop
        return new PluginService.Limits(DEADLINE, 10_000_000_000L, 16L << 20, 64 << 10, 1 << 20, 16);
    }

    static HttpResponse<String> post(HttpClient client, PluginService s, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void concurrentClientsGetAnswersWhileMisbehavingPluginsAreStopped() throws Exception {
        try (PluginService service = start(limits(), null)) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<String> failures = new CopyOnWriteArrayList<>();
            Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
            AtomicLong ok = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> clients = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int c = 0; c < CLIENTS; c++) {
                final int id = c;
                clients.add(pool.submit(() -> {
                    start.await();
                    for (int n = 0; n < REQUESTS; n++) {
                        String kind = n % 10 == 3 ? "loop" : n % 10 == 7 ? "bomb" : "greet";
                        String name = "client" + id + "-" + n + "-\u00e9t\u00e9";
                        long begin = System.nanoTime();
                        HttpResponse<String> r;
                        try {
                            r = post(client, service, "/plugins/" + kind, name);
                        } catch (Exception e) {
                            failures.add(kind + " " + name + ": " + e);
                            continue;
                        }
                        long ms = (System.nanoTime() - begin) / 1_000_000;
                        latencies.computeIfAbsent(kind, k -> new CopyOnWriteArrayList<>()).add(ms);
                        switch (kind) {
                            case "greet":
                                if (r.statusCode() != 200 || !r.body().equals("Hello, " + name + "!")) {
                                    failures.add("greet " + name + ": " + r.statusCode() + " " + r.body());
                                } else if (!r.headers().firstValue("X-Plugin-Log").orElse("").contains("greet: answering")) {
                                    failures.add("greet " + name + ": no log header");
                                } else {
                                    ok.incrementAndGet();
                                }
                                break;
                            case "loop":
                                if (r.statusCode() != 503 || !r.body().contains("deadline")) {
                                    failures.add("loop: " + r.statusCode() + " " + r.body());
                                }
                                break;
                            default:
                                if (r.statusCode() != 507 || !r.body().contains("memory limit")) {
                                    failures.add("bomb: " + r.statusCode() + " " + r.body());
                                }
                                break;
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : clients) {
                f.get(150, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            assertEquals(List.of(), failures);
            assertEquals(CLIENTS * REQUESTS * 8 / 10, ok.get());
            long loopMax = latencies.get("loop").stream().mapToLong(Long::longValue).max().orElse(0);
            // The loop answers shortly after its deadline, even with the other clients' work on two cores.
            assertTrue(loopMax < DEADLINE.toMillis() + 5_000, "a looping plugin answered after " + loopMax + " ms");
            System.out.println(String.format(Locale.ROOT, "[http-service] %d clients x %d requests in %.1f s: %d greetings ok;"
                    + " latency ms (median/max): greet %s, loop %s (deadline %d ms), bomb %s", CLIENTS, REQUESTS, seconds, ok.get(),
                    stats(latencies.get("greet")), stats(latencies.get("loop")), DEADLINE.toMillis(), stats(latencies.get("bomb"))));
            // still up, still right
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/health"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals("Hello, again!", post(client, service, "/plugins/greet", "again").body());
        }
    }

    static String stats(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2) + "/" + sorted.get(sorted.size() - 1);
    }

    @Test
    void errorsAreClearAndTheServiceStaysUp() throws Exception {
        try (PluginService service = start(limits(), null)) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> r = post(client, service, "/plugins/nope", "x");
            assertEquals(404, r.statusCode());
            assertTrue(r.body().contains("greet, loop, bomb"), r.body());
            assertEquals(413, post(client, service, "/plugins/greet", "x".repeat(65 << 10)).statusCode());
            HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port()
                    + "/plugins/greet")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, get.statusCode());
            assertEquals(200, post(client, service, "/plugins/greet", "").statusCode());
            assertEquals("Hello, " + "y".repeat(60_000) + "!", post(client, service, "/plugins/greet", "y".repeat(60_000)).body());
        }
    }

    @Test
    void fuelStopsALoopToo() throws Exception {
        PluginService.Limits limits = new PluginService.Limits(Duration.ofSeconds(30), 1_000_000, 16L << 20, 1024, 1024, 2);
        try (PluginService service = start(limits, null)) {
            PluginService.Answer a = service.run("loop", new byte[0]);
            assertEquals(503, a.status());
            assertTrue(new String(a.body(), StandardCharsets.UTF_8).contains("fuel"));
        }
    }

    @Test
    void pluginsThatBreakTheContractAreRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("noexports.wat"), "(module)");
        Files.writeString(dir.resolve("badrange.wat"), "(module (memory (export \"memory\") 1)"
                + " (func (export \"alloc\") (param i32) (result i32) i32.const 16)"
                + " (func (export \"handle\") (param i32 i32) (result i64) i64.const -1))");
        Files.writeString(dir.resolve("trap.wat"), "(module (memory (export \"memory\") 1)"
                + " (func (export \"alloc\") (param i32) (result i32) i32.const 16)"
                + " (func (export \"handle\") (param i32 i32) (result i64) (i64.load (i32.const 70000))))");
        Files.writeString(dir.resolve("huge.wat"), "(module (memory (export \"memory\") 1000))");
        Files.write(dir.resolve("greet2.wasm"), dev.wasmbridge.Module.watToBinary(
                new String(PluginService.class.getResourceAsStream("/plugins/greet.wat").readAllBytes(), StandardCharsets.UTF_8)));
        try (PluginService service = start(limits(), dir)) {
            assertEquals(List.of("greet", "loop", "bomb", "badrange", "greet2", "huge", "noexports", "trap"), service.pluginNames());
            assertEquals(500, service.run("noexports", new byte[1]).status());
            PluginService.Answer bad = service.run("badrange", new byte[1]);
            assertEquals(500, bad.status());
            assertTrue(new String(bad.body(), StandardCharsets.UTF_8).contains("bad response"));
            PluginService.Answer trap = service.run("trap", new byte[1]);
            assertEquals(500, trap.status());
            assertTrue(new String(trap.body(), StandardCharsets.UTF_8).contains("out of bounds"));
            assertEquals(507, service.run("huge", new byte[1]).status());
            assertArrayEquals("Hello, wasm!".getBytes(StandardCharsets.UTF_8), service.run("greet2", "wasm".getBytes(StandardCharsets.UTF_8)).body());
        }
    }
}
