package dev.wasmbridge.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which outgoing requests ({@code wasi:http/outgoing-handler}) a handler's guests may make, and who sends
 * them. The default, {@link #deny()}, refuses all: the guest gets {@code HTTP-request-denied}. Allowed
 * requests go through a {@link java.net.http.HttpClient} (so the JVM's proxy and TLS trust settings apply),
 * or through a {@link Sender} of the application's own, which may route, record, answer or refuse them
 * (a test can stub a guest's backend without a network).
 *
 * <p>A denied or failed request is an error code for the guest, never a failure of the host. Thread
 * safety: immutable; the sender is called from several threads at once.
 */
public final class OutgoingHttp {
    private static final OutgoingHttp DENY = new OutgoingHttp(List.of(), Set.of(), null, null, Long.MAX_VALUE);
    /** Headers {@link HttpClient} sets itself and refuses from callers. */
    private static final Set<String> CLIENT_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    private final List<Pattern> allowed;
    private final Set<String> schemes;
    private final Sender sender;
    private final Duration timeout;
    private final long maxResponseBody;

    private OutgoingHttp(List<Pattern> allowed, Set<String> schemes, Sender sender, Duration timeout,
            long maxResponseBody) {
        this.allowed = allowed;
        this.schemes = schemes;
        this.sender = sender;
        this.timeout = timeout;
        this.maxResponseBody = maxResponseBody;
    }

    /**
     * Refuses every outgoing request ({@code HTTP-request-denied}).
     *
     * @return the policy
     */
    public static OutgoingHttp deny() {
        return DENY;
    }

    /**
     * Starts a policy that allows nothing until told.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends one outgoing request and returns its response, or throws. Called on a thread of the
     * handler's executor, so it may block.
     *
     * <p>Thread safety: called from several threads at once.
     */
    @FunctionalInterface
    public interface Sender {
        /**
         * Sends {@code request}.
         *
         * @param request the guest's request: scheme, authority, path with query, headers, and its body
         *     as the guest writes it
         * @return the response; its body is read to its end (or until the guest lets it go) and closed
         * @throws Refused for an error code of the application's choosing ({@code HTTP-request-denied},
         *     say)
         * @throws IOException if it could not be sent ({@code connection-refused} for a {@link
         *     ConnectException}, a timeout code for a {@link HttpTimeoutException}, {@code
         *     HTTP-protocol-error} otherwise)
         */
        OutgoingResponse send(HttpRequest request) throws IOException;
    }

    /**
     * A response to an outgoing request.
     *
     * <p>Thread safety: the fields are immutable; the body is read by one thread.
     *
     * @param status the status code
     * @param headers the header fields
     * @param body the body's bytes
     */
    public record OutgoingResponse(int status, List<HttpField> headers, InputStream body) {
        /**
         * A response.
         *
         * @param status the record component status
         * @param headers the record component headers
         * @param body the record component body
         * @throws NullPointerException if {@code headers} or {@code body} is null
         * @throws IllegalArgumentException if {@code status} is not between 100 and 999
         */
        public OutgoingResponse {
            headers = List.copyOf(headers);
            Objects.requireNonNull(body, "body");
            if (status < 100 || status > 999) {
                throw new IllegalArgumentException("status " + status + " is not an HTTP status");
            }
        }

        /**
         * A response with a body held in memory.
         *
         * @param status the status code
         * @param body the body, UTF-8
         * @return the response, with {@code content-type: text/plain; charset=utf-8}
         */
        public static OutgoingResponse of(int status, String body) {
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return new OutgoingResponse(status, List.of(new HttpField("content-type", "text/plain; charset=utf-8")),
                    new java.io.ByteArrayInputStream(bytes));
        }
    }

    /**
     * Thrown by a {@link Sender} to give the guest a {@code wasi:http} error code.
     *
     * <p>Thread safety: immutable.
     */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;
        /** The error code. */
        private final HttpErrorCode code;

        /**
         * A refusal.
         *
         * @param code the code the guest gets
         */
        public Refused(HttpErrorCode code) {
            super(Objects.requireNonNull(code, "code").witName());
            this.code = code;
        }

        /**
         * The code the guest gets.
         *
         * @return the error code
         */
        public HttpErrorCode code() {
            return code;
        }
    }

    /** Whether the policy lets a request to {@code scheme://authority} through. */
    boolean allows(String scheme, String authority) {
        if (allowed.isEmpty()) {
            return false;
        }
        String s = scheme == null || scheme.isEmpty() ? "https" : scheme.toLowerCase(Locale.ROOT);
        if (!schemes.contains(s)) {
            return false;
        }
        String host = authority == null ? "" : authority.toLowerCase(Locale.ROOT);
        int port = s.equals("http") ? 80 : 443;
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && host.indexOf(']', colon) < 0) {
            try {
                port = Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
            host = host.substring(0, colon);
        }
        for (Pattern p : allowed) {
            if (p.matches(host, port)) {
                return true;
            }
        }
        return false;
    }

    boolean allowsAny() {
        return !allowed.isEmpty();
    }

    long maxResponseBody() {
        return maxResponseBody;
    }

    /**
     * Sends {@code request} with the application's sender, or with the JDK client, which waits for the
     * response's head no longer than this policy's timeout nor than the guest's {@code request-options}
     * allow: its connect timeout plus its first-byte timeout ({@code guestTimeouts}: connect, first byte,
     * between bytes, in nanoseconds, -1 for none; the JDK client has one timeout for both, and none
     * between bytes).
     */
    OutgoingResponse send(HttpRequest request, long[] guestTimeouts) throws IOException {
        if (sender != null) {
            return sender.send(request);
        }
        return sendWithClient(request, headTimeout(timeout, guestTimeouts));
    }

    /** The shorter of the policy's timeout and the guest's connect plus first-byte timeouts. */
    static Duration headTimeout(Duration policy, long[] guestTimeouts) {
        long connect = guestTimeouts.length > 0 ? guestTimeouts[0] : -1;
        long firstByte = guestTimeouts.length > 1 ? guestTimeouts[1] : -1;
        if (connect < 0 && firstByte < 0) {
            return policy;
        }
        // Either alone bounds the wait when the other is unset (the JDK cannot tell the two phases apart).
        long nanos = Math.max(connect, firstByte);
        if (connect >= 0 && firstByte >= 0) {
            nanos = connect + firstByte < 0 ? Long.MAX_VALUE : connect + firstByte; // both >= 0: < 0 is overflow
        }
        Duration guest = Duration.ofNanos(Math.max(nanos, 1_000_000)); // the JDK refuses a zero timeout
        return policy == null || guest.compareTo(policy) < 0 ? guest : policy;
    }

    /** The error code for a failure of the sender. */
    static HttpErrorCode codeOf(IOException e) {
        if (e instanceof Refused r) {
            return r.code();
        }
        if (e instanceof HttpConnectTimeoutException) {
            return HttpErrorCode.CONNECTION_TIMEOUT;
        }
        if (e instanceof HttpTimeoutException) {
            return HttpErrorCode.HTTP_RESPONSE_TIMEOUT;
        }
        if (e instanceof ConnectException) {
            return HttpErrorCode.CONNECTION_REFUSED;
        }
        return HttpErrorCode.HTTP_PROTOCOL_ERROR;
    }

    private static final class ClientHolder {
        static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** The default sender: the JDK's HTTP client. */
    private OutgoingResponse sendWithClient(HttpRequest request, Duration timeout) throws IOException {
        String scheme = request.scheme() == null ? "https" : request.scheme();
        URI uri;
        try {
            uri = URI.create(scheme + "://" + request.authority() + request.pathWithQuery());
        } catch (IllegalArgumentException e) {
            throw new Refused(HttpErrorCode.HTTP_REQUEST_URI_INVALID);
        }
        java.net.http.HttpRequest.BodyPublisher publisher = request.contentLength() == 0
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : request.contentLength() > 0
                        ? java.net.http.HttpRequest.BodyPublishers.fromPublisher(
                                java.net.http.HttpRequest.BodyPublishers.ofInputStream(request::body),
                                request.contentLength())
                        : java.net.http.HttpRequest.BodyPublishers.ofInputStream(request::body);
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(uri)
                .method(request.method(), publisher);
        if (timeout != null) {
            b.timeout(timeout);
        }
        for (HttpField f : request.headers()) {
            if (!CLIENT_HEADERS.contains(f.name().toLowerCase(Locale.ROOT))) {
                b.header(f.name(), f.value());
            }
        }
        java.net.http.HttpResponse<InputStream> response;
        try {
            response = ClientHolder.CLIENT.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IllegalArgumentException e) {
            throw new Refused(HttpErrorCode.HTTP_REQUEST_URI_INVALID);
        }
        List<HttpField> headers = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : response.headers().map().entrySet()) {
            if (e.getKey().startsWith(":")) {
                continue;
            }
            for (String v : e.getValue()) {
                headers.add(new HttpField(e.getKey(), v));
            }
        }
        return new OutgoingResponse(response.statusCode(), headers, response.body());
    }

    /** An allowed host pattern and port. */
    private record Pattern(String host, int port) {
        boolean matches(String h, int p) {
            if (port >= 0 && port != p) {
                return false;
            }
            if (host.equals("*")) {
                return true;
            }
            if (host.startsWith("*.")) {
                return h.endsWith(host.substring(1));
            }
            return h.equals(host);
        }
    }

    /**
     * Builds an {@link OutgoingHttp}.
     *
     * <p>Thread safety: one thread.
     */
    public static final class Builder {
        private final List<Pattern> allowed = new ArrayList<>();
        private Set<String> schemes = Set.of("http", "https");
        private Sender sender;
        private Duration timeout = Duration.ofSeconds(30);
        private long maxResponseBody = Long.MAX_VALUE;

        private Builder() {
        }

        /**
         * Allows requests to hosts matching {@code host} on any port.
         *
         * @param host a host name or IP address, {@code *.example.com} for its subdomains, or {@code *}
         *     for any host
         * @return this builder
         * @throws IllegalArgumentException if {@code host} is empty
         * @throws NullPointerException if {@code host} is null
         */
        public Builder allow(String host) {
            return allow(host, -1);
        }

        /**
         * Allows requests to hosts matching {@code host} on {@code port}.
         *
         * @param host as for {@link #allow(String)}
         * @param port the port (the scheme's default when the guest names none), or -1 for any
         * @return this builder
         * @throws IllegalArgumentException if {@code host} is empty or the port is out of range
         * @throws NullPointerException if {@code host} is null
         */
        public Builder allow(String host, int port) {
            Objects.requireNonNull(host, "host");
            if (host.isEmpty()) {
                throw new IllegalArgumentException("empty host pattern");
            }
            if (port < -1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range");
            }
            allowed.add(new Pattern(host.toLowerCase(Locale.ROOT), port));
            return this;
        }

        /**
         * Sets the schemes allowed (default {@code http} and {@code https}).
         *
         * @param schemes the schemes
         * @return this builder
         */
        public Builder schemes(String... schemes) {
            Set<String> s = new java.util.HashSet<>();
            for (String x : schemes) {
                s.add(x.toLowerCase(Locale.ROOT));
            }
            this.schemes = Set.copyOf(s);
            return this;
        }

        /**
         * Sends allowed requests through {@code sender} instead of the JDK's HTTP client.
         *
         * @param sender the sender
         * @return this builder
         * @throws NullPointerException if {@code sender} is null
         */
        public Builder sender(Sender sender) {
            this.sender = Objects.requireNonNull(sender, "sender");
            return this;
        }

        /**
         * Sets how long the JDK client waits for a response's head (default 30 s). A guest's {@code
         * request-options} can shorten it: the JDK client then waits no longer than their connect plus
         * first-byte timeouts (it has one timeout for both; a between-bytes timeout is not applied). A
         * {@link #sender(Sender) sender} of the application does not see the guest's options.
         *
         * @param timeout the timeout
         * @return this builder
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the timeout must be positive");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Limits the bytes of one response body the guest gets; past it the body fails with {@code
         * HTTP-response-body-size}.
         *
         * @param bytes the limit
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder maxResponseBody(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("negative limit");
            }
            this.maxResponseBody = bytes;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the policy
         */
        public OutgoingHttp build() {
            return new OutgoingHttp(List.copyOf(allowed), schemes, sender, timeout, maxResponseBody);
        }
    }
}
