package dev.wasmbridge.http;

/**
 * The numbers that cross JNI for HTTP (Rust's home: {@code native/src/http/mod.rs}; a test in {@code http/codec.rs}
 * fails when the two disagree).
 */
final class HttpAbi {
    private HttpAbi() {
    }

    /** The guest returned and its whole response reached the exchange. */
    static final int OUTCOME_COMPLETE = 0;
    /** The guest returned without setting a response. */
    static final int OUTCOME_NO_RESPONSE = 1;
    /** The guest set an error code instead of a response. */
    static final int OUTCOME_ERROR_RESPONSE = 2;
    /** The guest's response body was not finished, was aborted, or broke its content-length. */
    static final int OUTCOME_BODY_INCOMPLETE = 3;
    /** The client went away while the response was being sent. */
    static final int OUTCOME_CLIENT_GONE = 4;
}
