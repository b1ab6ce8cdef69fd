package dev.wasmbridge.http;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Store;
import dev.wasmbridge.StoreLimits;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.component.ComponentInstancePre;
import dev.wasmbridge.component.ComponentLinker;
import dev.wasmbridge.internal.ComponentAccess;
import dev.wasmbridge.internal.CoreAccess;
import dev.wasmbridge.internal.Handle;
import dev.wasmbridge.wasi.WasiConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An HTTP handler written as a component: a component of the {@code wasi:http/proxy} world (it exports
 * {@code wasi:http/incoming-handler@0.2.x}, as componentize-py, componentize-js, TinyGo, Rust's {@code
 * wasm32-wasip2} and {@code wasmtime serve} know it), prepared once and called for each request a Java
 * server receives.
 *
 * <pre>{@code
 * try (WasiHttpHandler handler = WasiHttpHandler.builder(component)
 *         .deadline(Duration.ofSeconds(5))
 *         .build()) {
 *     HttpResult r = handler.handle(request, sink);      // from any number of threads at once
 * }
 * }</pre>
 *
 * <p>Each request runs in a store of its own, instantiated from the pre-instantiated component (with
 * the pooling allocator when the engine has one), on the thread that calls {@link #handle}: the
 * request's body streams in as the guest reads it (a body of known length up to 64 KiB is read first;
 * a longer or chunked one is read on a thread of the handler's executor while the guest runs), and the
 * response streams out to the {@link HttpResponseSink} as the guest writes it, both in bounded memory.
 * Per request, the store gets the builder's fuel, deadline, {@link StoreLimits} and WASI configuration
 * (by default: no arguments, no environment, no files, and the guest's stdout and stderr as lines in the
 * {@link System.Logger} named after this class). When the guest fails before sending its response's
 * head, the client gets 500 (503 when its deadline or an interrupt stopped it), without the details,
 * which go to the log and the {@link HttpResult}; when it fails later, the response is aborted.
 *
 * <p>Thread safety: thread-safe; one handler serves any number of requests at once.
 */
public final class WasiHttpHandler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WasiHttpHandler.class.getName());
    /** A body of known length up to this is read before the guest starts. */
    static final int INLINE_BODY = 64 * 1024;
    /** How many pushes of a streamed request body wait for the guest at most. */
    private static final int BODY_CHUNKS = 4;

    private final Engine engine;
    private final ComponentLinker linker;
    private final ComponentInstancePre pre;
    private final Handle handle;
    private final Function<HttpRequest, WasiConfig> wasi;
    private final long fuel;
    private final Duration deadline;
    private final StoreLimits limits;
    private final BiConsumer<Store, HttpRequest> configure;
    private final OutgoingHttp outgoing;
    private final long maxRequestBody;
    private final ExecutorService ownExecutor;
    private final java.util.concurrent.Executor executor;

    private WasiHttpHandler(Builder b) {
        this.engine = b.component.engine();
        this.linker = ComponentLinker.create(engine);
        try {
            linker.defineWasi();
            linker.defineWasiHttp();
            if (b.imports != null) {
                b.imports.accept(linker);
            }
            this.pre = linker.prepare(b.component);
            long p = ComponentAccess.get().acquire(pre);
            long h;
            try {
                h = HttpNative.handlerNew(p);
            } catch (RuntimeException | Error e) {
                pre.close();
                throw e;
            } finally {
                ComponentAccess.get().release(pre);
            }
            this.handle = new Handle(this, h, HttpNative::handlerFree, "WasiHttpHandler");
        } catch (RuntimeException | Error e) {
            linker.close();
            throw e;
        }
        this.wasi = b.wasi;
        this.fuel = b.fuel;
        this.deadline = b.deadline;
        this.limits = b.limits;
        this.configure = b.configure;
        this.outgoing = b.outgoing;
        this.maxRequestBody = b.maxRequestBody;
        if (b.executor != null) {
            this.ownExecutor = null;
            this.executor = b.executor;
        } else {
            this.ownExecutor = Executors.newCachedThreadPool(new Daemons());
            this.executor = ownExecutor;
        }
    }

    /**
     * Starts a handler for {@code component}. The handler defines WASI 0.2 and {@code wasi:http} for it
     * ({@link ComponentLinker#defineWasi()}, {@link ComponentLinker#defineWasiHttp()}); {@link
     * Builder#imports} adds anything else it imports.
     *
     * @param component a component exporting {@code wasi:http/incoming-handler@0.2.x}
     * @return a builder
     * @throws NullPointerException if {@code component} is null
     * @throws IllegalStateException if the component is closed
     */
    public static Builder builder(Component component) {
        Objects.requireNonNull(component, "component");
        ComponentAccess.get().checkOpen(component);
        return new Builder(component);
    }

    /**
     * Serves one request: runs the guest on this thread, in a new store, sending its response to {@code
     * sink} as it comes. Returns when the exchange is over: the response sent whole, or the guest failed
     * (the client got 500 or 503, or an aborted response), or the client went away. Never throws for
     * what the guest or the client did; exceptions thrown by the sink's methods other than {@link
     * IOException} (which means the client went away) and by the builder's callbacks reach the caller.
     *
     * @param request the request; its body is read here (or on the handler's executor) to its end or
     *     until the guest lets it go, but not closed
     * @param sink where the response goes
     * @return how it ended
     * @throws NullPointerException if either is null
     * @throws IllegalStateException if the handler is closed
     */
    public HttpResult handle(HttpRequest request, HttpResponseSink sink) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(sink, "sink");
        HttpExchange exchange = new HttpExchange(sink, outgoing, executor);
        long length = request.contentLength();
        if (length > maxRequestBody) {
            return reject(sink, exchange, "the request body of " + length + " bytes is over the limit of "
                    + maxRequestBody);
        }
        byte[] head;
        try {
            head = HttpCodec.head(request.method(), request.scheme(), request.authority(), request.pathWithQuery(),
                    request.headers());
        } catch (RuntimeException e) {
            return failBeforeGuest(sink, exchange, 400, "a malformed request: " + e.getMessage(), e);
        }
        long h = handle.acquire();
        byte[] inline = null;
        byte[] inlineTrailers = null;
        Pump pump = null;
        try {
            if (length >= 0 && length <= INLINE_BODY) {
                inline = new byte[(int) length];
                int read;
                try {
                    // Into one array of the declared length (readNBytes(int) would gather 8 KiB pieces and copy).
                    read = request.body().readNBytes(inline, 0, inline.length);
                } catch (IOException e) {
                    return new HttpResult(HttpResult.Outcome.CLIENT_GONE, 0, "reading the request body: " + e, e);
                }
                if (read < length) {
                    return new HttpResult(HttpResult.Outcome.CLIENT_GONE, 0, "the request body ended after "
                            + read + " of its " + length + " bytes", null);
                }
                List<HttpField> trailers = request.trailers();
                inlineTrailers = trailers.isEmpty() ? null : HttpCodec.fields(trailers);
            } else {
                pump = new Pump(request, maxRequestBody);
            }
            return serve(h, request, exchange, sink, head, inline, inlineTrailers, pump);
        } finally {
            handle.release();
            if (pump != null) {
                pump.close();
            }
        }
    }

    /** {@link #handle(HttpRequest, HttpResponseSink)} once the body is set up: a store, the guest, the outcome. */
    private HttpResult serve(long h, HttpRequest request, HttpExchange exchange, HttpResponseSink sink, byte[] head,
            byte[] inline, byte[] inlineTrailers, Pump pump) {
        try (Store store = Store.create(engine)) {
            prepare(store, request);
            if (pump != null) {
                pump.start(executor);
            }
            int outcome;
            long s = CoreAccess.get().enter(store);
            try {
                outcome = HttpNative.handle(h, store, s, head, inline, inlineTrailers, pump == null ? 0 : pump.channel,
                        exchange, outgoing.allowsAny());
            } catch (IllegalArgumentException e) {
                if (exchange.headSent()) {
                    throw e; // the sink's own, after the guest answered
                }
                // The native side refuses a request HTTP does not allow (a field name or value, the method, the
                // target) before the guest runs.
                return failBeforeGuest(sink, exchange, 400, "a malformed request: " + e.getMessage(), e);
            } finally {
                CoreAccess.get().exit(store);
            }
            return finish(sink, exchange, outcome);
        } catch (TrapException e) {
            return guestFailed(sink, exchange, e, e.code() == TrapCode.INTERRUPT ? 503 : 500);
        } catch (dev.wasmbridge.WasmException e) {
            return guestFailed(sink, exchange, e, 500);
        }
    }

    /**
     * Serves one request and collects the whole response in memory: for tests, and for callers that want
     * no streaming.
     *
     * @param request the request
     * @return the response, with how the exchange ended
     * @throws NullPointerException if {@code request} is null
     * @throws IllegalStateException if the handler is closed
     */
    public BufferedHttpResponse handle(HttpRequest request) {
        BufferedHttpResponse.Collector c = new BufferedHttpResponse.Collector();
        HttpResult r = handle(request, c);
        return c.response(r);
    }

    private void prepare(Store store, HttpRequest request) {
        WasiConfig config = wasi == null ? null : wasi.apply(request);
        store.setWasi(config != null ? config : defaultWasi());
        if (fuel >= 0) {
            store.setFuel(fuel);
        } else if (engine.config().fuel()) {
            store.setFuel(Long.MAX_VALUE);
        }
        if (deadline != null) {
            store.setDeadline(deadline);
        }
        if (limits != null) {
            store.setLimits(limits);
        }
        if (configure != null) {
            configure.accept(store, request);
        }
    }

    private static WasiConfig defaultWasi() {
        return WasiConfig.builder().stdout(new LogStream(System.Logger.Level.INFO, "stdout"))
                .stderr(new LogStream(System.Logger.Level.WARNING, "stderr")).build();
    }

    private static HttpResult finish(HttpResponseSink sink, HttpExchange exchange, int outcome) {
        switch (outcome) {
            case HttpAbi.OUTCOME_COMPLETE:
                return new HttpResult(HttpResult.Outcome.COMPLETE, exchange.status, null, null);
            case HttpAbi.OUTCOME_NO_RESPONSE:
                return failBefore(sink, exchange, HttpResult.Outcome.NO_RESPONSE, 500,
                        "the guest returned without setting a response (response-outparam.set)", null);
            case HttpAbi.OUTCOME_ERROR_RESPONSE:
                return failBefore(sink, exchange, HttpResult.Outcome.ERROR_RESPONSE, 500,
                        "the guest answered with the error code " + exchange.refused, null);
            case HttpAbi.OUTCOME_BODY_INCOMPLETE:
                sink.abort("the guest's response body was not finished, was aborted, or broke its content-length");
                LOG.log(System.Logger.Level.WARNING, "an HTTP response was aborted: the guest's body was not finished,"
                        + " was aborted, or broke its content-length");
                return new HttpResult(HttpResult.Outcome.BODY_INCOMPLETE, exchange.status,
                        "the response body was not finished, was aborted, or broke its content-length", null);
            case HttpAbi.OUTCOME_CLIENT_GONE:
                return new HttpResult(HttpResult.Outcome.CLIENT_GONE, exchange.status, "the client went away", null);
            default:
                throw new IllegalStateException("unknown HTTP outcome " + outcome);
        }
    }

    private static HttpResult guestFailed(HttpResponseSink sink, HttpExchange exchange, RuntimeException e,
            int status) {
        if (exchange.clientGone) { // the sink's IOException stopped the guest
            return new HttpResult(HttpResult.Outcome.CLIENT_GONE, exchange.status, "the client went away", e);
        }
        return failBefore(sink, exchange, HttpResult.Outcome.GUEST_FAILED, status, "the guest failed: "
                + e.getMessage(), e);
    }

    /** The guest failed: a status for the client if its head is not out yet, else an aborted response. */
    private static HttpResult failBefore(HttpResponseSink sink, HttpExchange exchange, HttpResult.Outcome outcome,
            int status, String detail, Throwable failure) {
        // One line per failure (a client can cause one per request); the exception's stack only at DEBUG.
        LOG.log(System.Logger.Level.WARNING, "HTTP request failed: " + detail);
        if (failure != null) {
            LOG.log(System.Logger.Level.DEBUG, "HTTP request failure", failure);
        }
        if (exchange.headSent()) {
            sink.abort(detail);
            return new HttpResult(outcome, exchange.status, detail, failure);
        }
        try {
            plain(sink, status);
        } catch (IOException gone) {
            return new HttpResult(HttpResult.Outcome.CLIENT_GONE, 0, detail, failure);
        }
        return new HttpResult(outcome, status, detail, failure);
    }

    private static HttpResult failBeforeGuest(HttpResponseSink sink, HttpExchange exchange, int status, String detail,
            Throwable failure) {
        return failBefore(sink, exchange, HttpResult.Outcome.REJECTED, status, detail, failure);
    }

    private static HttpResult reject(HttpResponseSink sink, HttpExchange exchange, String detail) {
        return failBeforeGuest(sink, exchange, 413, detail, null);
    }

    /** A short plain-text response saying only the status. */
    private static void plain(HttpResponseSink sink, int status) throws IOException {
        String text = switch (status) {
            case 400 -> "400 Bad Request\n";
            case 413 -> "413 Content Too Large\n";
            case 503 -> "503 Service Unavailable\n";
            default -> "500 Internal Server Error\n";
        };
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        sink.head(status, List.of(new HttpField("content-type", "text/plain; charset=utf-8"),
                new HttpField("content-length", Integer.toString(bytes.length))));
        sink.body(bytes, 0, bytes.length);
    }

    /**
     * The engine the handler's stores belong to.
     *
     * @return the engine
     */
    public Engine engine() {
        return engine;
    }

    /**
     * Releases the handler: its prepared component, its linker and its own executor. Requests running
     * now finish first (their calls hold the native handler). Idempotent.
     */
    @Override
    public void close() {
        handle.close();
        pre.close();
        linker.close();
        if (ownExecutor != null) {
            ownExecutor.shutdown();
        }
    }

    /** A streamed request body: read on the executor into a native channel while the guest runs. */
    private static final class Pump implements Runnable {
        final long channel = HttpNative.bodyNew(BODY_CHUNKS);
        private final HttpRequest request;
        private final long limit;
        private final CountDownLatch done = new CountDownLatch(1);
        private boolean started;

        Pump(HttpRequest request, long limit) {
            this.request = request;
            this.limit = limit;
        }

        void start(java.util.concurrent.Executor executor) {
            executor.execute(this);
            started = true;
        }

        @Override
        public void run() {
            try {
                BodyPump.copy(request.body(), request.contentLength(), channel, limit,
                        HttpErrorCode.HTTP_REQUEST_BODY_SIZE, request::trailers);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "reading an HTTP request body failed", e);
            } finally {
                done.countDown();
            }
        }

        /** Waits for the pump (the store is closed: it stops at its next push) and frees the channel. */
        void close() {
            if (started) {
                boolean interrupted = false;
                for (;;) {
                    try {
                        done.await();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            HttpNative.bodyFree(channel);
        }
    }

    /** Threads of a handler's own executor: daemons, named. */
    private static final class Daemons implements ThreadFactory {
        private static final AtomicInteger COUNT = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "wasmbridge-http-" + COUNT.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    /** A guest's stdout or stderr, a log line per line. */
    private static final class LogStream extends OutputStream {
        private static final System.Logger GUEST = System.getLogger(WasiHttpHandler.class.getName() + ".guest");
        private final System.Logger.Level level;
        private final String name;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LogStream(System.Logger.Level level, String name) {
            this.level = level;
            this.name = name;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                GUEST.log(level, name + ": " + line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else if (line.size() < 16 * 1024) {
                line.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }

    /**
     * Builds a {@link WasiHttpHandler}.
     *
     * <p>Thread safety: one thread.
     */
    public static final class Builder {
        private final Component component;
        private Consumer<ComponentLinker> imports;
        private Function<HttpRequest, WasiConfig> wasi;
        private long fuel = -1;
        private Duration deadline;
        private StoreLimits limits;
        private BiConsumer<Store, HttpRequest> configure;
        private OutgoingHttp outgoing = OutgoingHttp.deny();
        private long maxRequestBody = Long.MAX_VALUE;
        private java.util.concurrent.Executor executor;

        private Builder(Component component) {
            this.component = component;
        }

        /**
         * Defines imports beyond WASI 0.2 and {@code wasi:http} (host functions the component needs), on
         * the handler's linker before it prepares the component.
         *
         * @param imports defines them
         * @return this builder
         */
        public Builder imports(Consumer<ComponentLinker> imports) {
            this.imports = imports;
            return this;
        }

        /**
         * The WASI configuration of each request's store (environment, clocks, stdio, files).
         *
         * @param wasi makes it from the request; null (or returning null) for the default
         * @return this builder
         */
        public Builder wasi(Function<HttpRequest, WasiConfig> wasi) {
            this.wasi = wasi;
            return this;
        }

        /**
         * The fuel each request may use (the engine needs {@code fuel(true)}); running out ends it with
         * 500.
         *
         * @param fuel the fuel, or -1 for no limit (the default)
         * @return this builder
         * @throws IllegalArgumentException if below -1
         */
        public Builder fuel(long fuel) {
            if (fuel < -1) {
                throw new IllegalArgumentException("fuel " + fuel + " is below -1");
            }
            this.fuel = fuel;
            return this;
        }

        /**
         * The time each request's guest may run (the engine needs {@code epochInterruption(true)}); past
         * it the guest stops and the client gets 503 (or an aborted response), and the thread is free.
         *
         * @param deadline the time from the request's start, or null for none
         * @return this builder
         */
        public Builder deadline(Duration deadline) {
            this.deadline = deadline;
            return this;
        }

        /**
         * The limits of each request's store (memory, tables, instances).
         *
         * @param limits the limits, or null for none
         * @return this builder
         */
        public Builder limits(StoreLimits limits) {
            this.limits = limits;
            return this;
        }

        /**
         * Anything else to do to each request's store before the guest runs.
         *
         * @param configure called with the store and the request
         * @return this builder
         */
        public Builder configure(BiConsumer<Store, HttpRequest> configure) {
            this.configure = configure;
            return this;
        }

        /**
         * Which outgoing requests the guest may make (default: none).
         *
         * @param outgoing the policy
         * @return this builder
         * @throws NullPointerException if {@code outgoing} is null
         */
        public Builder outgoing(OutgoingHttp outgoing) {
            this.outgoing = Objects.requireNonNull(outgoing, "outgoing");
            return this;
        }

        /**
         * Limits a request's body: a longer declared length gets 413 before the guest runs, and a longer
         * streamed body fails for the guest with {@code HTTP-request-body-size}.
         *
         * @param bytes the limit
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder maxRequestBody(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("negative limit");
            }
            this.maxRequestBody = bytes;
            return this;
        }

        /**
         * The executor that reads streamed request bodies and sends outgoing requests (each task may
         * block for as long as its client or backend does). Default: a cached pool of daemon threads
         * owned by the handler.
         *
         * @param executor the executor, or null for the default
         * @return this builder
         */
        public Builder executor(java.util.concurrent.Executor executor) {
            this.executor = executor;
            return this;
        }

        /**
         * Prepares the component and builds the handler.
         *
         * @return the handler, to close when done
         * @throws dev.wasmbridge.LinkException if the component imports something not defined
         * @throws IllegalArgumentException if the component does not export {@code
         *     wasi:http/incoming-handler@0.2.x}
         * @throws IllegalStateException if the component or its engine is closed, or fuel or a deadline is
         *     set and the engine was built without fuel or epoch interruption
         */
        public WasiHttpHandler build() {
            dev.wasmbridge.EngineConfig config = component.engine().config();
            if (fuel >= 0 && !config.fuel()) {
                throw new IllegalStateException("fuel(" + fuel + ") needs an engine built with "
                        + "EngineConfig.builder().fuel(true)");
            }
            if (deadline != null && !config.epochInterruption()) {
                throw new IllegalStateException("a deadline needs an engine built with "
                        + "EngineConfig.builder().epochInterruption(true)");
            }
            return new WasiHttpHandler(this);
        }
    }
}
