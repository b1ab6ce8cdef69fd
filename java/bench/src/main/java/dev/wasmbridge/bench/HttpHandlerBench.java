package dev.wasmbridge.bench;

import dev.wasmbridge.Engine;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.http.HttpField;
import dev.wasmbridge.http.HttpRequest;
import dev.wasmbridge.http.HttpResponseSink;
import dev.wasmbridge.http.HttpResult;
import dev.wasmbridge.http.WasiHttpHandler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request cost of the HTTP handler API, without a server or a socket: {@code
 * WasiHttpHandler.handle(request, sink)} on the C test guest ({@code tests/http/http-guest.c}, {@link
 * Kernels#httpGuest()}), one call per operation, each in a new store instantiated from the handler's
 * pre-instantiated component (what the handler always does), the response's head and body handed to a sink
 * that only counts them. The handler has its defaults ({@code Engine.create()}, no deadline, no fuel, the
 * default WASI configuration, outgoing requests denied), as the Rust floor has Wasmtime's
 * ({@code tools/bench-rust/src/wasi_http.rs}: {@code http.hello}, {@code http.echo64k}).
 *
 * <ul>
 *   <li>{@code hello}: {@code GET /hello}, no body; 200 with {@code hello from wasm\n};
 *   <li>{@code echo64k}: {@code POST /echo} of 64 KiB (a known length up to 64 KiB is read before the guest
 *       runs), streamed back by the guest in writes of at most 4 KiB.
 * </ul>
 *
 * A request is built per operation (its body is a stream), as the Rust floor builds its {@code
 * http::Request}. {@code bench/http.sh} runs this class beside the servers' load test and prints both in
 * BENCHMARKS.md's "Serving HTTP" section; {@code bench/run.sh} runs it with everything else.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xss4m"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class HttpHandlerBench {
    /** The request body of {@code echo64k}: 64 KiB, as {@code bench/http.sh} and the Rust floor send. */
    static final int ECHO_BYTES = 64 * 1024;
    private static final String HELLO = "hello from wasm\n";

    /** {@code GET /hello} through the handler. */
    @Benchmark
    public HttpResult hello(HandlerState s) {
        return s.handler.handle(HttpRequest.builder("GET", "/hello").build(), s.sink);
    }

    /** {@code POST /echo} of 64 KiB through the handler. */
    @Benchmark
    public HttpResult echo64k(HandlerState s) {
        return s.handler.handle(echo(s.body), s.sink);
    }

    static HttpRequest echo(byte[] body) {
        return HttpRequest.builder("POST", "/echo").header("content-type", "application/octet-stream")
                .header("content-length", Integer.toString(body.length)).body(body).build();
    }

    /** A response sink that keeps only the status and counts the body's bytes. */
    static final class Discard implements HttpResponseSink {
        int status;
        long bytes;

        @Override
        public void head(int status, List<HttpField> headers) {
            this.status = status;
        }

        @Override
        public void body(byte[] b, int offset, int length) {
            bytes += length;
        }
    }

    /** The engine, the guest compiled once and its handler. */
    @State(Scope.Thread)
    public static class HandlerState {
        Engine engine;
        Component component;
        WasiHttpHandler handler;
        final Discard sink = new Discard();
        final byte[] body = new byte[ECHO_BYTES];

        /** Compiles the guest, builds the handler and checks both routes once. */
        @Setup(Level.Trial)
        public void setup() {
            engine = Engine.create();
            component = Component.fromBytes(engine, Kernels.httpGuest());
            handler = WasiHttpHandler.builder(component).build();
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) (i * 31 + 7);
            }
            check(handler.handle(HttpRequest.builder("GET", "/hello").build(), sink), HELLO.length());
            check(handler.handle(echo(body), sink), ECHO_BYTES);
        }

        private void check(HttpResult r, int bytes) {
            if (r.outcome() != HttpResult.Outcome.COMPLETE || sink.status != 200 || sink.bytes != bytes) {
                throw new IllegalStateException("the guest answered " + r + ", status " + sink.status + ", "
                        + sink.bytes + " bytes; expected 200 with " + bytes);
            }
            sink.bytes = 0;
        }

        /** Frees the handler, the component and the engine. */
        @TearDown(Level.Trial)
        public void tearDown() {
            handler.close();
            component.close();
            engine.close();
        }
    }
}
