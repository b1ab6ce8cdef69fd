package dev.wasmbridge.http;

/**
 * The error codes of {@code wasi:http/types} ({@code error-code}), by their WIT names: what a guest sees
 * when its request body fails or an outgoing request is refused or fails, and what it may set instead of
 * a response. Their order and names are checked against the native side's ({@code codec.rs}).
 *
 * <p>Thread safety: immutable.
 */
public enum HttpErrorCode {
    /** {@code DNS-timeout}. */
    DNS_TIMEOUT("DNS-timeout"),
    /** {@code DNS-error}. */
    DNS_ERROR("DNS-error"),
    /** {@code destination-not-found}. */
    DESTINATION_NOT_FOUND("destination-not-found"),
    /** {@code destination-unavailable}. */
    DESTINATION_UNAVAILABLE("destination-unavailable"),
    /** {@code destination-IP-prohibited}. */
    DESTINATION_IP_PROHIBITED("destination-IP-prohibited"),
    /** {@code destination-IP-unroutable}. */
    DESTINATION_IP_UNROUTABLE("destination-IP-unroutable"),
    /** {@code connection-refused}. */
    CONNECTION_REFUSED("connection-refused"),
    /** {@code connection-terminated}. */
    CONNECTION_TERMINATED("connection-terminated"),
    /** {@code connection-timeout}. */
    CONNECTION_TIMEOUT("connection-timeout"),
    /** {@code connection-read-timeout}. */
    CONNECTION_READ_TIMEOUT("connection-read-timeout"),
    /** {@code connection-write-timeout}. */
    CONNECTION_WRITE_TIMEOUT("connection-write-timeout"),
    /** {@code connection-limit-reached}. */
    CONNECTION_LIMIT_REACHED("connection-limit-reached"),
    /** {@code TLS-protocol-error}. */
    TLS_PROTOCOL_ERROR("TLS-protocol-error"),
    /** {@code TLS-certificate-error}. */
    TLS_CERTIFICATE_ERROR("TLS-certificate-error"),
    /** {@code TLS-alert-received}. */
    TLS_ALERT_RECEIVED("TLS-alert-received"),
    /** {@code HTTP-request-denied}. */
    HTTP_REQUEST_DENIED("HTTP-request-denied"),
    /** {@code HTTP-request-length-required}. */
    HTTP_REQUEST_LENGTH_REQUIRED("HTTP-request-length-required"),
    /** {@code HTTP-request-body-size}. */
    HTTP_REQUEST_BODY_SIZE("HTTP-request-body-size"),
    /** {@code HTTP-request-method-invalid}. */
    HTTP_REQUEST_METHOD_INVALID("HTTP-request-method-invalid"),
    /** {@code HTTP-request-URI-invalid}. */
    HTTP_REQUEST_URI_INVALID("HTTP-request-URI-invalid"),
    /** {@code HTTP-request-URI-too-long}. */
    HTTP_REQUEST_URI_TOO_LONG("HTTP-request-URI-too-long"),
    /** {@code HTTP-request-header-section-size}. */
    HTTP_REQUEST_HEADER_SECTION_SIZE("HTTP-request-header-section-size"),
    /** {@code HTTP-request-header-size}. */
    HTTP_REQUEST_HEADER_SIZE("HTTP-request-header-size"),
    /** {@code HTTP-request-trailer-section-size}. */
    HTTP_REQUEST_TRAILER_SECTION_SIZE("HTTP-request-trailer-section-size"),
    /** {@code HTTP-request-trailer-size}. */
    HTTP_REQUEST_TRAILER_SIZE("HTTP-request-trailer-size"),
    /** {@code HTTP-response-incomplete}. */
    HTTP_RESPONSE_INCOMPLETE("HTTP-response-incomplete"),
    /** {@code HTTP-response-header-section-size}. */
    HTTP_RESPONSE_HEADER_SECTION_SIZE("HTTP-response-header-section-size"),
    /** {@code HTTP-response-header-size}. */
    HTTP_RESPONSE_HEADER_SIZE("HTTP-response-header-size"),
    /** {@code HTTP-response-body-size}. */
    HTTP_RESPONSE_BODY_SIZE("HTTP-response-body-size"),
    /** {@code HTTP-response-trailer-section-size}. */
    HTTP_RESPONSE_TRAILER_SECTION_SIZE("HTTP-response-trailer-section-size"),
    /** {@code HTTP-response-trailer-size}. */
    HTTP_RESPONSE_TRAILER_SIZE("HTTP-response-trailer-size"),
    /** {@code HTTP-response-transfer-coding}. */
    HTTP_RESPONSE_TRANSFER_CODING("HTTP-response-transfer-coding"),
    /** {@code HTTP-response-content-coding}. */
    HTTP_RESPONSE_CONTENT_CODING("HTTP-response-content-coding"),
    /** {@code HTTP-response-timeout}. */
    HTTP_RESPONSE_TIMEOUT("HTTP-response-timeout"),
    /** {@code HTTP-upgrade-failed}. */
    HTTP_UPGRADE_FAILED("HTTP-upgrade-failed"),
    /** {@code HTTP-protocol-error}. */
    HTTP_PROTOCOL_ERROR("HTTP-protocol-error"),
    /** {@code loop-detected}. */
    LOOP_DETECTED("loop-detected"),
    /** {@code configuration-error}. */
    CONFIGURATION_ERROR("configuration-error"),
    /** {@code internal-error}. */
    INTERNAL_ERROR("internal-error");

    private final String witName;

    HttpErrorCode(String witName) {
        this.witName = witName;
    }

    /**
     * The case's name in WIT ({@code HTTP-request-denied}).
     *
     * @return the WIT name
     */
    public String witName() {
        return witName;
    }

    /**
     * The code of a WIT name.
     *
     * @param witName a case of {@code wasi:http/types.error-code}, as in WIT
     * @return the code
     * @throws IllegalArgumentException if there is no such case
     * @throws NullPointerException if {@code witName} is null
     */
    public static HttpErrorCode ofWitName(String witName) {
        java.util.Objects.requireNonNull(witName, "witName");
        for (HttpErrorCode c : values()) {
            if (c.witName.equals(witName)) {
                return c;
            }
        }
        throw new IllegalArgumentException("'" + witName + "' is not a wasi:http error code");
    }
}
