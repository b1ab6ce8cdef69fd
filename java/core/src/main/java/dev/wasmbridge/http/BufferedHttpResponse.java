package dev.wasmbridge.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A whole response held in memory ({@link WasiHttpHandler#handle(HttpRequest)}).
 *
 * <p>Thread safety: immutable.
 *
 * @param status the status code (0 if none was sent: the client went away first)
 * @param headers the header fields, in order
 * @param body the body
 * @param trailers the trailer fields (empty when none)
 * @param result how the exchange ended ({@link HttpResult.Outcome#BODY_INCOMPLETE} and other failures
 *     after the head mean the body is cut short)
 */
public record BufferedHttpResponse(int status, List<HttpField> headers, byte[] body, List<HttpField> trailers,
        HttpResult result) {
    /**
     * A response.
     *
     * @param status the record component status
     * @param headers the record component headers
     * @param body the record component body
     * @param trailers the record component trailers
     * @param result the record component result
     * @throws NullPointerException if a list, the body or the result is null
     */
    public BufferedHttpResponse {
        headers = List.copyOf(headers);
        trailers = List.copyOf(trailers);
        java.util.Objects.requireNonNull(body, "body");
        java.util.Objects.requireNonNull(result, "result");
    }

    /**
     * The body as UTF-8 text.
     *
     * @return the text
     */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The value of the first header field named {@code name} (ignoring case).
     *
     * @param name the field name
     * @return its value, if there is such a field
     */
    public Optional<String> header(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return headers.stream().filter(f -> f.name().toLowerCase(Locale.ROOT).equals(n)).map(HttpField::value)
                .findFirst();
    }

    /** Collects a response. */
    static final class Collector implements HttpResponseSink {
        private int status;
        private List<HttpField> headers = List.of();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private List<HttpField> trailers = List.of();

        @Override
        public void head(int status, List<HttpField> headers) {
            this.status = status;
            this.headers = headers;
        }

        @Override
        public void body(byte[] bytes, int offset, int length) {
            body.write(bytes, offset, length);
        }

        @Override
        public void trailers(List<HttpField> trailers) {
            this.trailers = trailers;
        }

        BufferedHttpResponse response(HttpResult result) {
            return new BufferedHttpResponse(status, headers, body.toByteArray(), trailers, result);
        }
    }
}
