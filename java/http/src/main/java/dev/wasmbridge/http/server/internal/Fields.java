package dev.wasmbridge.http.server.internal;

import dev.wasmbridge.http.HttpField;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The HTTP rules both adapters apply the same way: which response fields describe the connection or the
 * framing (the server writes those itself), when a response has a body, how long the guest says it is,
 * and how an authority is written.
 *
 * <p>Not API: this package is not exported. Thread safety: stateless.
 */
public final class Fields {
    /** Connection-specific fields: the server's business, not the guest's (RFC 9110, section 7.6.1). */
    private static final Set<String> CONNECTION = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade", "te");

    private Fields() {
    }

    /**
     * Whether a response field belongs to the connection rather than to the response
     * ({@code connection}, {@code keep-alive}, {@code transfer-encoding} and the like).
     *
     * @param name a field name, any case
     * @return whether the server, not the guest, decides it
     */
    public static boolean isConnectionField(String name) {
        return CONNECTION.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether {@code name} is {@code content-length}, any case.
     *
     * @param name a field name
     * @return whether it is
     */
    public static boolean isContentLength(String name) {
        return name.equalsIgnoreCase("content-length");
    }

    /**
     * Whether a response to {@code method} with {@code status} carries a body: not for {@code HEAD}, not
     * for 1xx, 204 or 304 (RFC 9110, section 6.4.1).
     *
     * @param method the request's method
     * @param status the response's status
     * @return whether body bytes may follow the head
     */
    public static boolean hasBody(String method, int status) {
        return !method.equals("HEAD") && status >= 200 && status != 204 && status != 304;
    }

    /**
     * The length the guest declared for its body.
     *
     * @param headers the response's fields
     * @return the value of its {@code content-length} field, or -1 when it has none or no valid one
     *     (several fields that disagree, or not a number)
     */
    public static long contentLength(List<HttpField> headers) {
        long length = -1;
        for (HttpField f : headers) {
            if (isContentLength(f.name())) {
                long n;
                try {
                    n = Long.parseLong(f.value().trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
                if (n < 0 || length >= 0 && n != length) {
                    return -1;
                }
                length = n;
            }
        }
        return length;
    }

    /**
     * An authority from a host and a port: {@code host:port}, an IPv6 address in brackets.
     *
     * @param host a host name or address
     * @param port the port
     * @return the authority
     */
    public static String authority(String host, int port) {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return h + ":" + port;
    }
}
