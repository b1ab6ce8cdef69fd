package dev.wasmbridge.component;

import java.util.List;

/**
 * A Java interface does not match the component functions it stands for ({@link
 * ComponentInstance#bind(Class)}, {@link ComponentLinker#implement(Class, Object)}). The message lists
 * every mismatch, one per line, each naming the Java method, where in the type it is, the WIT type and
 * the Java type.
 *
 * <p>Thread safety: immutable.
 */
public final class BindException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The mismatches. */
    private final List<String> mismatches;

    BindException(String what, List<String> mismatches) {
        super(what + ": " + mismatches.size() + " mismatch" + (mismatches.size() == 1 ? "" : "es") + "\n  "
                + String.join("\n  ", mismatches));
        this.mismatches = List.copyOf(mismatches);
    }

    /**
     * The mismatches, one line each.
     *
     * @return the mismatches, by method name
     */
    public List<String> mismatches() {
        return mismatches;
    }
}
