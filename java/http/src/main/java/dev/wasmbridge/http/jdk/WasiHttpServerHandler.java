package dev.wasmbridge.http.jdk;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import dev.wasmbridge.http.HttpField;
import dev.wasmbridge.http.HttpRequest;
import dev.wasmbridge.http.HttpResponseSink;
import dev.wasmbridge.http.HttpResult;
import dev.wasmbridge.http.WasiHttpHandler;
import dev.wasmbridge.http.server.internal.Fields;
import dev.wasmbridge.http.server.internal.ResponseBody;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Serves a {@code wasi:http} component from the JDK's HTTP server ({@code com.sun.net.httpserver}): each
 * exchange becomes an {@link HttpRequest} for a {@link WasiHttpHandler}, whose response streams back
 * through the exchange as the guest writes it.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 8080), 0);
 * server.createContext("/", new WasiHttpServerHandler(handler));
 * server.setExecutor(Executors.newCachedThreadPool());   // the guest runs on the server's thread
 * server.start();
 * }</pre>
 *
 * <p>The request: method; scheme {@code https} on an {@code HttpsServer}, else {@code http}; authority
 * from an absolute request target, else the {@code Host} header, else the server's address; the raw
 * (still percent-encoded) path and query; the headers, each name's values in order (the JDK's {@code
 * Headers} keep no order between names, and spell names with one capital); the body as it arrives,
 * of the length in {@code Content-Length} or unknown when chunked.
 *
 * <p>The response: the guest's status and fields, except those the JDK server writes itself ({@code
 * content-length}, which becomes the length given to {@link HttpExchange#sendResponseHeaders}, and
 * {@code transfer-encoding}, {@code connection} and the like); a body without a length is sent
 * chunked. Limits of the JDK server: it cannot send trailers (the guest's are dropped, with the {@code
 * trailer} field that announces them), and it drops the trailers of a chunked request. A response that
 * cannot be completed after its head went out (the guest failed, left its body unfinished or broke its
 * {@code content-length}, or the client went away) is aborted: {@link #handle} throws, and the server
 * closes the connection without ending the body, so the client sees a truncated response, never a whole
 * one.
 *
 * <p>Run the JDK server with {@code -Dsun.net.httpserver.nodelay=true}: the handler flushes each piece
 * the guest writes, and with Nagle's algorithm on (the JDK's default) the last packet of a response
 * waits for the client's delayed acknowledgement, some 40 ms per response on Linux.
 *
 * <p>Thread safety: thread-safe, as the {@link WasiHttpHandler} is. The guest runs on the thread that
 * calls {@link #handle}: give the server an executor ({@code HttpServer.setExecutor}), or the JDK runs
 * every request on its one dispatcher thread, one after the other.
 */
public final class WasiHttpServerHandler implements HttpHandler {
    private final WasiHttpHandler handler;

    /**
     * Serves {@code handler}'s component. The handler stays the caller's: closing it is theirs, after
     * the server has stopped.
     *
     * @param handler the component's handler
     * @throws NullPointerException if {@code handler} is null
     */
    public WasiHttpServerHandler(WasiHttpHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Serves one exchange: runs the guest on this thread and streams its response; closes the exchange
     * when the response is complete.
     *
     * @param exchange the exchange
     * @throws IOException if the response was aborted or the client went away: the exchange is left
     *     open on purpose, so that the server closes the connection instead of ending the body
     * @throws IllegalStateException if the {@link WasiHttpHandler} is closed (the server closes the
     *     connection too)
     */
    @Override
    public void handle(HttpExchange exchange) throws IOException {
        ExchangeSink sink = new ExchangeSink(exchange);
        HttpResult result = handler.handle(request(exchange), sink);
        sink.finish(result);
        exchange.close();
    }

    private static HttpRequest request(HttpExchange exchange) {
        URI uri = exchange.getRequestURI();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery();
        Headers headers = exchange.getRequestHeaders();
        HttpRequest.Builder b = HttpRequest.builder(exchange.getRequestMethod(), query == null ? path
                : path + "?" + query)
                .scheme(exchange instanceof HttpsExchange ? "https" : "http")
                .authority(authority(exchange, uri, headers));
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            for (String value : e.getValue()) {
                b.header(e.getKey(), value);
            }
        }
        return b.body(exchange.getRequestBody(), bodyLength(headers)).build();
    }

    private static String authority(HttpExchange exchange, URI uri, Headers headers) {
        if (uri.getRawAuthority() != null) {
            return uri.getRawAuthority();
        }
        String host = headers.getFirst("Host");
        if (host != null && !host.isBlank()) {
            return host.trim();
        }
        InetSocketAddress local = exchange.getLocalAddress();
        return Fields.authority(local.getHostString(), local.getPort());
    }

    /** As the JDK server frames a request body: chunked, else Content-Length, else none. */
    private static long bodyLength(Headers headers) {
        if (headers.getFirst("Transfer-Encoding") != null) {
            return -1;
        }
        String length = headers.getFirst("Content-Length");
        return length == null ? 0 : Long.parseLong(length.trim());
    }

    /** The response, through {@link HttpExchange#sendResponseHeaders} and the exchange's body stream. */
    private static final class ExchangeSink implements HttpResponseSink {
        private final HttpExchange exchange;
        private ResponseBody body;
        /** What the server's stream threw (the client went away), or null. */
        private IOException failure;
        private boolean aborted;

        ExchangeSink(HttpExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void head(int status, List<HttpField> fields) throws IOException {
            boolean hasBody = Fields.hasBody(exchange.getRequestMethod(), status);
            long length = Fields.contentLength(fields);
            // Content-Length is the length argument, except where the JDK leaves it to the handler: the
            // response to HEAD and a 304 keep the guest's.
            boolean keepLength = status == 304 || exchange.getRequestMethod().equals("HEAD");
            Headers out = exchange.getResponseHeaders();
            for (HttpField f : fields) {
                String name = f.name();
                if (Fields.isConnectionField(name) || name.equalsIgnoreCase("trailer")
                        || Fields.isContentLength(name) && !keepLength) {
                    continue;
                }
                out.add(name, f.value());
            }
            // sendResponseHeaders: -1 for no body, 0 for chunked, else the exact length.
            long declared = !hasBody || length == 0 ? -1 : length > 0 ? length : 0;
            try {
                exchange.sendResponseHeaders(status, declared);
                if (declared == -1) {
                    // The JDK has sent the head and ended the exchange: nothing may follow (a guest that
                    // declared length 0 and writes more can no longer be cut short).
                    body = ResponseBody.none();
                } else {
                    body = ResponseBody.of(exchange.getResponseBody(), length);
                    // The head goes out now, not with the first bytes of the body.
                    exchange.getResponseBody().flush();
                }
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void body(byte[] bytes, int offset, int length) throws IOException {
            try {
                body.write(bytes, offset, length);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void abort(String reason) {
            aborted = true;
        }

        /**
         * Completes the body if the exchange went well; otherwise throws, so that the server abandons the
         * response: the server's own exception when the client went away (a container knows its own),
         * else one that says how the exchange ended (the details are in the handler's log).
         */
        void finish(HttpResult result) throws IOException {
            if (failure != null) {
                throw failure;
            }
            if (aborted || body == null || result.outcome() == HttpResult.Outcome.CLIENT_GONE
                    || !body.finish()) {
                throw new IOException("the wasi:http response was aborted (" + result.outcome() + ")");
            }
        }
    }
}
