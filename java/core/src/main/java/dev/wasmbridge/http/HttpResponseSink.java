package dev.wasmbridge.http;

import java.io.IOException;
import java.util.List;

/**
 * Where {@link WasiHttpHandler#handle(HttpRequest, HttpResponseSink)} sends a response: a server's
 * response object. Called on the thread that called {@code handle}, in order: {@link #head} once, then
 * {@link #body} any number of times as the guest writes, then {@link #trailers} at most once, or {@link
 * #abort} when the response cannot be completed after its head went out.
 *
 * <p>An {@link IOException} from any method means the client has gone away: the guest is stopped and
 * nothing more is sent. Thread safety: called by one thread at a time.
 */
public interface HttpResponseSink {
    /**
     * Starts the response.
     *
     * @param status the status code
     * @param headers the header fields, in the guest's order
     * @throws IOException if the client has gone away
     */
    void head(int status, List<HttpField> headers) throws IOException;

    /**
     * Sends bytes of the body.
     *
     * @param bytes holds the bytes; not kept after the call
     * @param offset where they start
     * @param length how many
     * @throws IOException if the client has gone away
     */
    void body(byte[] bytes, int offset, int length) throws IOException;

    /**
     * Sends the trailers, after the whole body. Servers that cannot send trailers ignore them (the
     * default).
     *
     * @param trailers the trailer fields
     * @throws IOException if the client has gone away
     */
    default void trailers(List<HttpField> trailers) throws IOException {
    }

    /**
     * Ends a response whose head was sent but whose body cannot be completed (the guest failed, or its
     * body was cut short): the client must see an incomplete response, not a complete one, so a server
     * closes the connection without ending the body. The default does nothing.
     *
     * @param reason why, for the log
     */
    default void abort(String reason) {
    }
}
