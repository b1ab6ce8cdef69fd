package dev.wasmbridge.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * One request being served: what the native side calls while the guest runs ({@code native/src/http}:
 * {@code head}, {@code data}, {@code trailers}, {@code refused}, {@code send}), on the thread serving the
 * request. Passes the response on to the sink and keeps what Java needs to finish the exchange.
 */
final class HttpExchange {
    private static final System.Logger LOG = System.getLogger(WasiHttpHandler.class.getName());

    private final HttpResponseSink sink;
    private final OutgoingHttp outgoing;
    private final Executor executor;
    int status;
    String refused;
    /** Whether the sink threw an {@code IOException}: the client went away (the guest is stopped). */
    boolean clientGone;

    HttpExchange(HttpResponseSink sink, OutgoingHttp outgoing, Executor executor) {
        this.sink = sink;
        this.outgoing = outgoing;
        this.executor = executor;
    }

    boolean headSent() {
        return status != 0;
    }

    /** Called by native code: the response's head. */
    void head(int status, byte[] fields) throws IOException {
        this.status = status;
        try {
            sink.head(status, HttpCodec.readFields(fields));
        } catch (IOException e) {
            throw gone(e);
        }
    }

    /** Called by native code: bytes of the response's body. */
    void data(byte[] bytes) throws IOException {
        try {
            sink.body(bytes, 0, bytes.length);
        } catch (IOException e) {
            throw gone(e);
        }
    }

    /** Called by native code: the response's trailers. */
    void trailers(byte[] fields) throws IOException {
        try {
            sink.trailers(HttpCodec.readFields(fields));
        } catch (IOException e) {
            throw gone(e);
        }
    }

    private IOException gone(IOException e) {
        clientGone = true;
        return e;
    }

    /** Called by native code: the error code the guest set instead of a response. */
    void refused(byte[] code) {
        this.refused = new String(code, StandardCharsets.UTF_8);
    }

    /**
     * Called by native code, on the guest's thread: an outgoing request. Must not block: the sending
     * runs on the executor. Owns {@code body} and {@code completer} from here on.
     */
    void send(byte[] head, long body, long completer, long[] timeouts) {
        HttpRequest request;
        try {
            request = decodeHead(head, body);
        } catch (RuntimeException e) {
            fail(completer, body, HttpErrorCode.HTTP_REQUEST_URI_INVALID);
            return;
        }
        if (!outgoing.allows(request.scheme(), request.authority())) {
            fail(completer, body, HttpErrorCode.HTTP_REQUEST_DENIED);
            return;
        }
        try {
            executor.execute(() -> sendNow(request, body, completer, timeouts));
        } catch (RuntimeException e) {
            fail(completer, body, HttpErrorCode.CONNECTION_LIMIT_REACHED);
        }
    }

    private static void fail(long completer, long body, HttpErrorCode code) {
        try {
            HttpNative.outgoingFail(completer, code.witName());
        } finally {
            HttpNative.completerFree(completer);
            HttpNative.guestBodyFree(body);
        }
    }

    private void sendNow(HttpRequest request, long body, long completer, long[] timeouts) {
        OutgoingHttp.OutgoingResponse response;
        try {
            response = outgoing.send(request, timeouts);
        } catch (IOException e) {
            fail(completer, body, OutgoingHttp.codeOf(e));
            return;
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "an outgoing HTTP request's sender failed", e);
            fail(completer, body, HttpErrorCode.INTERNAL_ERROR);
            return;
        }
        long channel = HttpNative.bodyNew(4);
        try (InputStream in = response.body()) {
            try {
                HttpNative.outgoingComplete(completer, response.status(), HttpCodec.fields(response.headers()), channel);
            } finally {
                HttpNative.completerFree(completer);
                HttpNative.guestBodyFree(body);
            }
            BodyPump.copy(in, channel, outgoing.maxResponseBody(), HttpErrorCode.HTTP_RESPONSE_BODY_SIZE, List::of);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "an outgoing HTTP response ended early", e);
        } finally {
            HttpNative.bodyFree(channel);
        }
    }

    /** The outgoing request native code encoded (as {@code HttpCodec.head} does), its body read from the guest. */
    private static HttpRequest decodeHead(byte[] bytes, long body) {
        HttpCodec.Head head = HttpCodec.readHead(bytes);
        long length = -1;
        for (HttpField f : head.fields()) {
            if (f.name().equalsIgnoreCase("content-length")) {
                length = Long.parseLong(f.value().trim());
            }
        }
        String method = head.method();
        boolean noBody = length == -1 && (method.equals("GET") || method.equals("HEAD"));
        String path = head.pathWithQuery();
        return HttpRequest.builder(method, path.isEmpty() ? "/" : path)
                .scheme(head.scheme().isEmpty() ? null : head.scheme())
                .authority(head.authority().isEmpty() ? null : head.authority()).headers(head.fields())
                .body(new GuestBodyStream(body), noBody ? 0 : length).build();
    }

    /** The body of a guest's outgoing request, as the guest writes it. Owned by the exchange's sender. */
    private static final class GuestBodyStream extends InputStream {
        private final long body;
        private final byte[] one = new byte[1];

        GuestBodyStream(long body) {
            this.body = body;
        }

        @Override
        public int read() throws IOException {
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            byte[] buffer = off == 0 && len == b.length ? b : new byte[len];
            int n;
            try {
                n = HttpNative.guestBodyRead(body, buffer);
            } catch (IllegalStateException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (n > 0 && buffer != b) {
                System.arraycopy(buffer, 0, b, off, n);
            }
            return n;
        }
    }
}
