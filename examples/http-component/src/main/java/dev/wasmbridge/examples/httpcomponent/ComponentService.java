package dev.wasmbridge.examples.httpcomponent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.StoreLimits;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.http.HttpErrorCode;
import dev.wasmbridge.http.HttpField;
import dev.wasmbridge.http.HttpRequest;
import dev.wasmbridge.http.OutgoingHttp;
import dev.wasmbridge.http.WasiHttpHandler;
import dev.wasmbridge.http.jdk.WasiHttpServerHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Java HTTP service (the JDK's {@code com.sun.net.httpserver}) that serves a {@code wasi:http}
 * component next to endpoints written in Java:
 *
 * <ul>
 *   <li>{@code GET /health}: 200 {@code ok}, in Java;
 *   <li>{@code GET /java/time}: a JSON object made in Java;
 *   <li>everything else: the component, through {@link WasiHttpServerHandler}, which passes it the
 *       full path ({@code /hello}, {@code /fetch?url=...}).
 * </ul>
 *
 * <p>The component is prepared once ({@link WasiHttpHandler}) and runs in a fresh store per request,
 * with a deadline (past it the client gets 503) and a memory limit. It may make outgoing requests
 * ({@code wasi:http/outgoing-handler}) only to this service's own {@code /java/} endpoints: the {@link
 * OutgoingHttp} policy lets through {@code http} requests to the loopback address on the service's
 * port, and its sender, the JDK's {@link HttpClient}, sends only {@code GET}s of paths under {@code
 * /java/}. Anything else is {@code HTTP-request-denied} for the guest.
 *
 * <p>Threads: the server runs each request on a thread of a cached pool. A guest calling back into
 * the service holds its thread while the callback needs another, so a small fixed pool could have all
 * its threads waiting for callbacks queued behind them. At most {@link Limits#concurrency()} requests
 * run the component at once (so at most that many times the memory limit); one more waits up to its
 * deadline for a turn, then gets 503.
 *
 * <p>Thread safety: thread-safe; requests run concurrently.
 */
public final class ComponentService implements AutoCloseable {
    /** Headers the JDK's HttpClient writes itself and refuses from callers. */
    private static final Set<String> CLIENT_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");
    /** Marks the requests the component makes, so that {@code /java/time} can say who asked. */
    private static final String CALLER = "X-Wasmbridge-Caller";

    private final Limits limits;
    private final Engine engine;
    private final Component component;
    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient client;
    private final Semaphore turns;
    private final WasiHttpHandler handler;

    /**
     * What each request of the component may use.
     *
     * @param deadline how long the guest may run (503 past it), outgoing requests included
     * @param memoryBytes the most linear memory the guest may have
     * @param concurrency how many requests run the component at once
     */
    public record Limits(Duration deadline, long memoryBytes, int concurrency) {
        /**
         * Checks the values.
         *
         * @param deadline how long the guest may run
         * @param memoryBytes the most linear memory the guest may have
         * @param concurrency how many requests run the component at once
         * @throws NullPointerException if {@code deadline} is null
         * @throws IllegalArgumentException if a value is not positive
         */
        public Limits {
            Objects.requireNonNull(deadline, "deadline");
            if (deadline.isNegative() || deadline.isZero() || memoryBytes <= 0 || concurrency <= 0) {
                throw new IllegalArgumentException("limits must be positive: " + deadline + ", " + memoryBytes + ", "
                        + concurrency);
            }
        }

        /**
         * The defaults: a deadline of 2 s, 32 MiB of memory, 32 requests at once.
         *
         * @return the default limits
         */
        public static Limits defaults() {
            return new Limits(Duration.ofSeconds(2), 32L << 20, 32);
        }
    }

    private ComponentService(InetSocketAddress address, Path componentFile, Limits limits) throws IOException {
        this.limits = limits;
        this.engine = Engine.create(EngineConfig.builder().epochInterruption(true).build());
        try {
            this.component = Component.fromPath(engine, componentFile);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        try {
            this.server = HttpServer.create(address, 128);
        } catch (IOException e) {
            component.close();
            engine.close();
            throw e;
        }
        int port = server.getAddress().getPort();
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(limits.deadline()).build();
        this.turns = new Semaphore(limits.concurrency());
        try {
            this.handler = WasiHttpHandler.builder(component)
                    .deadline(limits.deadline())
                    .limits(StoreLimits.builder().memorySize(limits.memoryBytes()).build())
                    .outgoing(OutgoingHttp.builder()
                            .schemes("http")
                            .allow("127.0.0.1", port)
                            .allow("localhost", port)
                            .sender(this::callJava)
                            .build())
                    .build();
        } catch (RuntimeException e) {
            server.stop(0);
            component.close();
            engine.close();
            throw e;
        }
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "http-component-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/health", exchange -> send(exchange, 200, "text/plain; charset=utf-8", "ok\n"));
        server.createContext("/java/", this::java);
        server.createContext("/", inTurn(new WasiHttpServerHandler(handler)));
        server.start();
    }

    /**
     * Starts the service.
     *
     * @param address where to listen (port 0 for any free port)
     * @param component the component file ({@code .wasm}): a {@code wasi:http/proxy} handler
     * @param limits what each of its requests may use
     * @return the running service; close it to stop
     * @throws IOException if the server cannot listen
     * @throws dev.wasmbridge.WasmException if the file is not a component, or not an HTTP handler
     */
    public static ComponentService start(InetSocketAddress address, Path component, Limits limits) throws IOException {
        return new ComponentService(address, Objects.requireNonNull(component, "component"),
                Objects.requireNonNull(limits, "limits"));
    }

    /**
     * The component this example's build makes ({@code tests/http/http-guest.c}, built by {@code
     * scripts/build-http-guests.sh}): {@code wasm/http-guest.wasm} beside the directory or jar this class
     * was loaded from, that is in the module's {@code target/}.
     *
     * @return the path, which exists once the module has been built
     */
    public static Path defaultComponent() {
        try {
            Path classes = Path.of(ComponentService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.resolveSibling("wasm").resolve("http-guest.wasm");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate " + ComponentService.class, e);
        }
    }

    /**
     * The port the service listens on.
     *
     * @return the port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * How many requests are running the component now.
     *
     * @return the number, at most {@link Limits#concurrency()}
     */
    public int runningComponentRequests() {
        return limits.concurrency() - turns.availablePermits();
    }

    /** The component's handler, run by at most {@code concurrency} requests at once. */
    private HttpHandler inTurn(HttpHandler component) {
        return exchange -> {
            boolean turn;
            try {
                turn = turns.tryAcquire(limits.deadline().toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                turn = false;
            }
            if (!turn) {
                send(exchange, 503, "text/plain; charset=utf-8", "busy: " + limits.concurrency()
                        + " requests are running the component\n");
                return;
            }
            try {
                component.handle(exchange);
            } finally {
                turns.release();
            }
        };
    }

    /** The Java endpoints under {@code /java/}. */
    private void java(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            send(exchange, 405, "application/json", "{\"error\":\"use GET\"}\n");
        } else if (path.equals("/java/time")) {
            Instant now = Instant.now();
            String via = "component".equals(exchange.getRequestHeaders().getFirst(CALLER)) ? "component" : "client";
            send(exchange, 200, "application/json", String.format(Locale.ROOT,
                    "{\"time\":\"%s\",\"epochMillis\":%d,\"java\":\"%s\",\"via\":\"%s\"}\n", now, now.toEpochMilli(),
                    Runtime.version(), via));
        } else {
            send(exchange, 404, "application/json", "{\"error\":\"no such endpoint\"}\n");
        }
    }

    /**
     * Sends the component's outgoing requests, once the policy has let them through (this host and
     * port): {@code GET}s of {@code /java/...} only, through the JDK's HttpClient.
     */
    private OutgoingHttp.OutgoingResponse callJava(HttpRequest request) throws IOException {
        URI uri;
        try {
            // Judged as normalized, so that /java/../hello does not pass for a Java endpoint.
            uri = new URI("http://" + request.authority() + request.pathWithQuery()).normalize();
        } catch (URISyntaxException e) {
            throw new OutgoingHttp.Refused(HttpErrorCode.HTTP_REQUEST_URI_INVALID);
        }
        if (!request.method().equals("GET") || uri.getRawPath() == null || !uri.getRawPath().startsWith("/java/")) {
            throw new OutgoingHttp.Refused(HttpErrorCode.HTTP_REQUEST_DENIED);
        }
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(uri).GET()
                .timeout(limits.deadline()).header(CALLER, "component");
        for (HttpField f : request.headers()) {
            String name = f.name().toLowerCase(Locale.ROOT);
            if (!CLIENT_HEADERS.contains(name) && !name.equals(CALLER.toLowerCase(Locale.ROOT))) {
                b.header(f.name(), f.value());
            }
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while calling " + uri);
        }
        List<HttpField> headers = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : response.headers().map().entrySet()) {
            for (String value : e.getValue()) {
                headers.add(new HttpField(e.getKey(), value));
            }
        }
        return new OutgoingHttp.OutgoingResponse(response.statusCode(), headers, response.body());
    }

    private static void send(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        try (exchange) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * Stops listening, waits up to a second for requests in progress, and frees the component.
     */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdown();
        try {
            threads.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The adapter does not own the handler: it is closed here, after the server.
        handler.close();
        component.close();
        engine.close();
    }

    /**
     * Runs the service until the process is stopped.
     *
     * <p>Arguments: {@code [COMPONENT] [--port N] [--host ADDRESS]}: the component file (default
     * {@link #defaultComponent()}), the port (default 8080) and the address to listen on (default
     * 127.0.0.1; the component's calls back go to 127.0.0.1 or {@code localhost} either way).
     *
     * @param args the command line
     * @throws IOException if the server cannot start
     */
    public static void main(String[] args) throws IOException {
        // Before the first HttpServer: the JDK reads it once. Without it each response's last packet waits
        // for the client's delayed ACK (some 40 ms on Linux), since the handler flushes what the guest writes.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Path component = null;
        int port = 8080;
        String host = "127.0.0.1";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--host") && i + 1 < args.length) {
                host = args[++i];
            } else if (!args[i].startsWith("-") && component == null) {
                component = Path.of(args[i]);
            } else {
                System.err.println("usage: ComponentService [COMPONENT.wasm] [--port N] [--host ADDRESS]");
                System.exit(2);
                return;
            }
        }
        if (component == null) {
            component = defaultComponent();
        }
        ComponentService service = start(new InetSocketAddress(host, port), component, Limits.defaults());
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "shutdown"));
        String base = "http://127.0.0.1:" + service.port();
        System.out.println("wasmbridge: " + component + " on http://" + host + ":" + service.port() + "/");
        System.out.println("  curl " + base + "/health                 # Java: ok");
        System.out.println("  curl " + base + "/java/time              # Java: JSON");
        System.out.println("  curl " + base + "/hello                  # the component");
        System.out.println("  curl '" + base + "/fetch?url=" + base + "/java/time'   # the component calls Java");
        System.out.println("  curl -i " + base + "/loop                # 503 at the 2 s deadline");
    }
}
