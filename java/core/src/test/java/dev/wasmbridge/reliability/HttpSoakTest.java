package dev.wasmbridge.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.http.BufferedHttpResponse;
import dev.wasmbridge.http.HttpRequest;
import dev.wasmbridge.http.HttpResult;
import dev.wasmbridge.http.WasiHttpHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 64 clients at once on one {@link WasiHttpHandler} (the C guest of {@code tests/http}) for a while: every
 * response is its own request's (a unique header echoed by {@code /info}, a unique body by {@code /echo}), a
 * looping guest among them now and then ends at its deadline (2 s, wall-clock on a loaded machine), and resident memory stays flat after a warm-up.
 *
 * <p>How long: {@code -Dwasmbridge.soak.httpSeconds=N} (default 10; the soak is 60).
 */
@Tag("reliability")
class HttpSoakTest {
    private static final int CLIENTS = 64;
    /** The most RSS may grow between the end of the warm-up and the end, in MiB. */
    private static final long BOUND_MIB = 64;

    @Test
    void sixtyFourClientsGetTheirOwnResponsesInFlatMemory() throws Exception {
        long seconds = Rel.longProp("wasmbridge.soak.httpSeconds", 10);
        Path guest = Path.of(System.getProperty("wasmbridge.httpGuests", "target/test-wasm/http")).resolve(
                "http-guest.wasm");
        try (Engine engine = Engine.create(EngineConfig.builder().epochInterruption(true).build());
                Component component = Component.fromPath(engine, guest);
                WasiHttpHandler handler = WasiHttpHandler.builder(component).deadline(Duration.ofSeconds(2)).build()) {
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            AtomicLong served = new AtomicLong();
            long[] rss = new long[2];
            try {
                long start = System.nanoTime();
                long warm = start + Duration.ofSeconds(Math.max(1, seconds / 5)).toNanos();
                long end = start + Duration.ofSeconds(seconds).toNanos();
                List<Future<Long>> results = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    Callable<Long> work = () -> {
                        long n = 0;
                        while (System.nanoTime() < end) {
                            String id = client + "-" + n;
                            switch ((int) (n % 10)) {
                                case 0 -> {
                                    byte[] body = ("body of " + id).repeat(1 + (int) (n % 5000)).getBytes();
                                    BufferedHttpResponse r = handler.handle(HttpRequest.builder("POST", "/echo")
                                            .body(new java.io.ByteArrayInputStream(body), n % 2 == 0 ? -1 : body.length)
                                            .build());
                                    assertEquals(200, r.status(), id);
                                    assertTrue(java.util.Arrays.equals(body, r.body()), "echo of " + id);
                                }
                                case 1 -> {
                                    if (client == 0 && n % 50 == 1) {
                                        BufferedHttpResponse r = handler.handle(HttpRequest.builder("GET", "/loop").build());
                                        assertEquals(503, r.status(), id);
                                    }
                                }
                                default -> {
                                    BufferedHttpResponse r = handler.handle(HttpRequest.builder("GET", "/info?id=" + id)
                                            .header("x-id", id).build());
                                    assertEquals(HttpResult.Outcome.COMPLETE, r.result().outcome(), id);
                                    String text = r.bodyText();
                                    assertTrue(text.contains("path: /info?id=" + id + "\n")
                                            && text.contains("header: x-id: " + id + "\n"), id + ": " + text);
                                }
                            }
                            n++;
                            if (client == 0 && rss[0] == 0 && System.nanoTime() > warm) {
                                Rel.settle();
                                rss[0] = Rel.rss();
                            }
                        }
                        return n;
                    };
                    results.add(clients.submit(work));
                }
                for (Future<Long> f : results) {
                    served.addAndGet(f.get());
                }
                Rel.settle();
                rss[1] = Rel.rss();
            } finally {
                clients.shutdownNow();
            }
            long growth = rss[1] - rss[0];
            Rel.report("http soak: %d clients, %d requests in %d s (%.0f/s); RSS after warm-up %s, end %s, growth %s",
                    CLIENTS, served.get(), seconds, served.get() / (double) seconds, Rel.mib(rss[0]), Rel.mib(rss[1]),
                    Rel.mib(growth));
            assertTrue(served.get() > CLIENTS, "requests were served: " + served.get());
            assertTrue(rss[0] < 0 || growth < BOUND_MIB << 20, "RSS grew by " + Rel.mib(growth) + " after the warm-up");
        }
    }
}
