package dev.wasmbridge.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An HTTP request as a server received it (or as a guest sends it, for {@link OutgoingHttp}): method,
 * scheme, authority, path with query, headers in order (a repeated name is several fields), and a body
 * that streams.
 *
 * <p>Thread safety: the fields are immutable; the body stream is read by one thread (the one serving
 * the request, or one the handler picks).
 */
public final class HttpRequest {
    private static final InputStream EMPTY = InputStream.nullInputStream();

    private final String method;
    private final String scheme;
    private final String authority;
    private final String pathWithQuery;
    private final List<HttpField> headers;
    private final InputStream body;
    private final long contentLength;
    private final Supplier<List<HttpField>> trailers;

    private HttpRequest(Builder b) {
        this.method = b.method;
        this.scheme = b.scheme;
        this.authority = b.authority;
        this.pathWithQuery = b.pathWithQuery;
        this.headers = List.copyOf(b.headers);
        this.body = b.body;
        this.contentLength = b.contentLength;
        this.trailers = b.trailers;
    }

    /**
     * Starts a request.
     *
     * @param method the method ({@code GET}, {@code POST}, any token)
     * @param pathWithQuery the request target, such as {@code /items?id=3}
     * @return a builder: scheme {@code http}, authority {@code localhost}, no headers, no body
     * @throws NullPointerException if either is null
     */
    public static Builder builder(String method, String pathWithQuery) {
        return new Builder(Objects.requireNonNull(method, "method"), Objects.requireNonNull(pathWithQuery,
                "pathWithQuery"));
    }

    /**
     * The method.
     *
     * @return the method, as sent
     */
    public String method() {
        return method;
    }

    /**
     * The scheme.
     *
     * @return {@code http}, {@code https}, another scheme, or null when unknown
     */
    public String scheme() {
        return scheme;
    }

    /**
     * The authority: host and port the request was sent to (the {@code Host} header's value for a
     * server request).
     *
     * @return the authority, or null when unknown
     */
    public String authority() {
        return authority;
    }

    /**
     * The path and query.
     *
     * @return the request target, such as {@code /items?id=3}
     */
    public String pathWithQuery() {
        return pathWithQuery;
    }

    /**
     * The headers, in the order received.
     *
     * @return an immutable list
     */
    public List<HttpField> headers() {
        return headers;
    }

    /**
     * The body.
     *
     * @return a stream of the body's bytes (empty when there is none)
     */
    public InputStream body() {
        return body;
    }

    /**
     * The body's length when known in advance ({@code Content-Length}).
     *
     * @return the length, or -1 when unknown (a chunked body)
     */
    public long contentLength() {
        return contentLength;
    }

    /**
     * The trailers, once the body has been read to its end.
     *
     * @return the trailer fields; empty when there are none
     */
    public List<HttpField> trailers() {
        List<HttpField> t = trailers.get();
        return t == null ? List.of() : t;
    }

    /**
     * Builds an {@link HttpRequest}.
     *
     * <p>Thread safety: one thread.
     */
    public static final class Builder {
        private final String method;
        private final String pathWithQuery;
        private String scheme = "http";
        private String authority = "localhost";
        private final List<HttpField> headers = new ArrayList<>();
        private InputStream body = EMPTY;
        private long contentLength = 0;
        private Supplier<List<HttpField>> trailers = List::of;

        private Builder(String method, String pathWithQuery) {
            this.method = method;
            this.pathWithQuery = pathWithQuery;
        }

        /**
         * Sets the scheme (default {@code http}).
         *
         * @param scheme {@code http}, {@code https} or another; null for none
         * @return this builder
         */
        public Builder scheme(String scheme) {
            this.scheme = scheme;
            return this;
        }

        /**
         * Sets the authority (default {@code localhost}): what a server request has as its {@code Host}
         * header. {@code wasi:http} needs one to serve a request.
         *
         * @param authority host and port, such as {@code example.com:8080}; null for none
         * @return this builder
         */
        public Builder authority(String authority) {
            this.authority = authority;
            return this;
        }

        /**
         * Adds a header field after those added before.
         *
         * @param name the name
         * @param value the value (one char per byte: ISO-8859-1)
         * @return this builder
         * @throws NullPointerException if either is null
         */
        public Builder header(String name, String value) {
            headers.add(new HttpField(name, value));
            return this;
        }

        /**
         * Adds header fields after those added before.
         *
         * @param fields the fields, in order
         * @return this builder
         * @throws NullPointerException if {@code fields} or one of them is null
         */
        public Builder headers(List<HttpField> fields) {
            for (HttpField f : fields) {
                headers.add(Objects.requireNonNull(f, "field"));
            }
            return this;
        }

        /**
         * Sets a body held in memory.
         *
         * @param bytes the body (not copied)
         * @return this builder
         * @throws NullPointerException if {@code bytes} is null
         */
        public Builder body(byte[] bytes) {
            this.body = new ByteArrayInputStream(Objects.requireNonNull(bytes, "bytes"));
            this.contentLength = bytes.length;
            return this;
        }

        /**
         * Sets a streaming body.
         *
         * @param stream the body's bytes, read once
         * @param contentLength its length, or -1 when unknown
         * @return this builder
         * @throws NullPointerException if {@code stream} is null
         * @throws IllegalArgumentException if {@code contentLength} is below -1
         */
        public Builder body(InputStream stream, long contentLength) {
            if (contentLength < -1) {
                throw new IllegalArgumentException("content length " + contentLength + " is below -1");
            }
            this.body = Objects.requireNonNull(stream, "stream");
            this.contentLength = contentLength;
            return this;
        }

        /**
         * Sets where the trailers come from once the body has been read (a server's trailer fields). Called
         * on the thread that read the body: the one calling {@link WasiHttpHandler#handle} for a body of
         * known length up to 64 KiB (read before the guest starts), a thread of the handler's executor for
         * one streamed while the guest runs.
         *
         * @param trailers called after the body's end; may return null for none
         * @return this builder
         * @throws NullPointerException if {@code trailers} is null
         */
        public Builder trailers(Supplier<List<HttpField>> trailers) {
            this.trailers = Objects.requireNonNull(trailers, "trailers");
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the request
         */
        public HttpRequest build() {
            return new HttpRequest(this);
        }
    }
}
