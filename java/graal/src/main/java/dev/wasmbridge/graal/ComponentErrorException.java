package dev.wasmbridge.graal;

import org.graalvm.polyglot.HostAccess;

/**
 * The {@code err} case of a {@code result} that a component function returned to a guest: thrown from
 * the function's proxy ({@link WitFunction}), so that the guest sees the error as an exception, as
 * jco's bindings do. The error value is {@link #payload}, converted for guests like any other value
 * (null for {@code result<T>} and {@code result}), and readable by the guest as {@code e.payload} in
 * contexts with the default {@link HostAccess#EXPLICIT} policy or {@link PolyglotWasm#hostAccess()}.
 * The Java code that evaluated the guest gets a {@link org.graalvm.polyglot.PolyglotException} whose
 * {@link org.graalvm.polyglot.PolyglotException#asHostException()} is this exception.
 *
 * <p>Thread safety: immutable if the payload is.
 */
public final class ComponentErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * The error value, as guests get values from component functions (a string, a number, a record
     * object, ...), or null when the result's error side has no type.
     */
    @HostAccess.Export
    public final transient Object payload;

    ComponentErrorException(String function, Object payload) {
        super("component function " + function + " returned an error"
                + (payload == null ? "" : ": " + abbreviate(payload)));
        this.payload = payload;
    }

    private static String abbreviate(Object payload) {
        String s = payload instanceof String ? "\"" + payload + "\"" : String.valueOf(payload);
        return s.length() > 200 ? s.substring(0, 197) + "..." : s;
    }
}
