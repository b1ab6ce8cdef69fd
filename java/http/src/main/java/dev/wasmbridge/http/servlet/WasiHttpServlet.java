package dev.wasmbridge.http.servlet;

import dev.wasmbridge.http.HttpField;
import dev.wasmbridge.http.HttpRequest;
import dev.wasmbridge.http.HttpResponseSink;
import dev.wasmbridge.http.HttpResult;
import dev.wasmbridge.http.WasiHttpHandler;
import dev.wasmbridge.http.server.internal.Fields;
import dev.wasmbridge.http.server.internal.ResponseBody;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Serves a {@code wasi:http} component from a Jakarta Servlet container: each request becomes an {@link
 * HttpRequest} for a {@link WasiHttpHandler}, whose response streams back through the servlet response
 * as the guest writes it.
 *
 * <pre>{@code
 * ServletContextHandler context = new ServletContextHandler();     // Jetty 12, ee10
 * context.addServlet(new ServletHolder(new WasiHttpServlet(handler)), "/*");
 * }</pre>
 *
 * <p>The request: method; scheme ({@link HttpServletRequest#getScheme()}); authority from the {@code
 * Host} header, else the server's name and port; the request URI as sent (still percent-encoded, context
 * and servlet path included) with its query; the headers in the container's order (names in the order
 * they first came, each name's values in order); the body as it arrives, of the length in {@code
 * Content-Length} or unknown; the request's trailer fields once its body has been read.
 *
 * <p>The response: the guest's status and fields, except those the container writes itself ({@code
 * content-length}, passed as {@link HttpServletResponse#setContentLengthLong}, and {@code
 * transfer-encoding}, {@code connection} and the like); the head is committed as soon as the guest sends
 * it and each piece of the body is flushed as it comes. A body without a length may carry trailers:
 * those the guest sends go out through {@link HttpServletResponse#setTrailerFields} where the protocol
 * allows them (HTTP/1.1 chunked, HTTP/2); HTTP/1.1 clients that want them say {@code TE: trailers}, and
 * the guest should announce them in a {@code trailer} field. A response that cannot be completed after
 * its head went out (the guest failed, left its body unfinished or broke its {@code content-length}, or
 * the client went away) is aborted: {@link #service} throws after the response is committed, which a
 * container answers by closing the connection (HTTP/1.1) or resetting the stream (HTTP/2) without ending
 * the body.
 *
 * <p>The servlet does not own the handler: closing it is the application's, after the container has
 * stopped. Thread safety: thread-safe, as the {@link WasiHttpHandler} is; the guest runs on the
 * container's request thread.
 */
public final class WasiHttpServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** Not serialised: a servlet container that restores servlets from bytes has no handler to give. */
    private final transient WasiHttpHandler handler;

    /**
     * Serves {@code handler}'s component.
     *
     * @param handler the component's handler
     * @throws NullPointerException if {@code handler} is null
     */
    public WasiHttpServlet(WasiHttpHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Serves one request, whatever its method: runs the guest on this thread and streams its response.
     *
     * @param req the request
     * @param resp the response
     * @throws IOException if the response was aborted or the client went away (thrown after the response
     *     is committed, so that the container abandons the connection or stream)
     * @throws IllegalStateException if the {@link WasiHttpHandler} is closed
     */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ServletSink sink = new ServletSink(req, resp);
        HttpResult result = handler.handle(request(req), sink);
        sink.finish(result);
    }

    private static HttpRequest request(HttpServletRequest req) throws IOException {
        String query = req.getQueryString();
        String host = req.getHeader("Host");
        HttpRequest.Builder b = HttpRequest.builder(req.getMethod(), query == null ? req.getRequestURI()
                : req.getRequestURI() + "?" + query)
                .scheme(req.getScheme())
                .authority(host != null && !host.isBlank() ? host.trim()
                        : Fields.authority(req.getServerName(), req.getServerPort()));
        for (Enumeration<String> names = req.getHeaderNames(); names.hasMoreElements();) {
            String name = names.nextElement();
            for (Enumeration<String> values = req.getHeaders(name); values.hasMoreElements();) {
                b.header(name, values.nextElement());
            }
        }
        long length = req.getContentLengthLong();
        // HTTP/1.x without Content-Length or Transfer-Encoding: no body (HTTP/2 may have one all the same).
        if (length < 0 && req.getHeader("Transfer-Encoding") == null && req.getProtocol().startsWith("HTTP/1.")) {
            length = 0;
        }
        return b.body(req.getInputStream(), length).trailers(() -> trailers(req)).build();
    }

    private static List<HttpField> trailers(HttpServletRequest req) {
        if (!req.isTrailerFieldsReady()) {
            return List.of();
        }
        List<HttpField> fields = new ArrayList<>();
        for (Map.Entry<String, String> e : req.getTrailerFields().entrySet()) {
            fields.add(new HttpField(e.getKey(), e.getValue()));
        }
        return fields;
    }

    /** The response, through the servlet response. */
    private static final class ServletSink implements HttpResponseSink {
        private final HttpServletRequest req;
        private final HttpServletResponse resp;
        private ResponseBody body;
        /** What the server's stream threw (the client went away), or null. */
        private IOException failure;
        private volatile Map<String, String> trailers = Map.of();
        private boolean aborted;

        ServletSink(HttpServletRequest req, HttpServletResponse resp) {
            this.req = req;
            this.resp = resp;
        }

        @Override
        public void head(int status, List<HttpField> fields) throws IOException {
            String method = req.getMethod();
            boolean hasBody = Fields.hasBody(method, status);
            long length = Fields.contentLength(fields);
            resp.setStatus(status);
            for (HttpField f : fields) {
                if (!Fields.isConnectionField(f.name()) && !Fields.isContentLength(f.name())) {
                    resp.addHeader(f.name(), f.value());
                }
            }
            if (length >= 0 && (hasBody || status == 304 || method.equals("HEAD"))) {
                resp.setContentLengthLong(length);
            }
            if (hasBody && length < 0) {
                try {
                    // Asked for when the response ends, after the guest has sent its trailers (if any).
                    resp.setTrailerFields(() -> trailers);
                } catch (IllegalStateException e) {
                    // HTTP/1.0: no trailers.
                }
            }
            try {
                body = hasBody ? ResponseBody.of(resp.getOutputStream(), length) : ResponseBody.none();
                resp.flushBuffer();
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
        public void trailers(List<HttpField> fields) {
            Map<String, String> map = new LinkedHashMap<>();
            for (HttpField f : fields) {
                map.merge(f.name(), f.value(), (a, b) -> a + ", " + b);
            }
            trailers = map;
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
