package dev.wasmbridge.http;

/**
 * How serving one request ended ({@link WasiHttpHandler#handle(HttpRequest, HttpResponseSink)}).
 *
 * <p>Thread safety: immutable.
 *
 * @param outcome what happened
 * @param status the status the client got (the guest's, or the one the handler sent on its behalf:
 *     500, 503 or 413), or 0 when none was sent
 * @param detail why it did not complete, in WIT and Java terms (null when it did)
 * @param failure the exception behind a failure (a {@link dev.wasmbridge.TrapException}, for
 *     example), or null
 */
public record HttpResult(Outcome outcome, int status, String detail, Throwable failure) {
    /**
     * A result.
     *
     * @param outcome the record component outcome
     * @param status the record component status
     * @param detail the record component detail
     * @param failure the record component failure
     * @throws NullPointerException if {@code outcome} is null
     */
    public HttpResult {
        java.util.Objects.requireNonNull(outcome, "outcome");
    }

    /** What happened to a request. */
    public enum Outcome {
        /** The guest's response reached the client whole. */
        COMPLETE,
        /** The guest failed (trapped, ran out of fuel or time, or threw through a host function). */
        GUEST_FAILED,
        /** The guest returned without setting a response: the client got 500. */
        NO_RESPONSE,
        /** The guest set a {@code wasi:http} error code instead of a response: the client got 500. */
        ERROR_RESPONSE,
        /** The guest's body was not finished, was aborted, or broke its {@code content-length}: the
         *  response was aborted. */
        BODY_INCOMPLETE,
        /** The request was refused before the guest ran (its body is over the limit: 413). */
        REJECTED,
        /** The client went away. */
        CLIENT_GONE
    }
}
