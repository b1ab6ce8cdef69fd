package dev.wasmbridge.component;

import java.util.Objects;

/**
 * A variant value in the natural mapping of {@link ComponentFunction#call(Object...)}: the case's name
 * and its payload as a natural value, or null for a case without one.
 *
 * <p>Thread safety: immutable if the payload is.
 *
 * @param caseName the case
 * @param value the payload (natural mapping), or null
 */
public record WitVariant(String caseName, Object value) {
    /**
     * Checks the case name.
     *
     * @param caseName the case
     * @param value the payload, or null
     * @throws NullPointerException if {@code caseName} is null
     */
    public WitVariant {
        Objects.requireNonNull(caseName, "caseName");
    }

    /**
     * A case without a payload.
     *
     * @param caseName the case
     * @return the variant value
     * @throws NullPointerException if {@code caseName} is null
     */
    public static WitVariant of(String caseName) {
        return new WitVariant(caseName, null);
    }
}
