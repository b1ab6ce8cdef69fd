package dev.wasmbridge.http;

import java.util.Objects;

/**
 * One header or trailer field. HTTP field values are bytes; here each byte is one {@code char} of the
 * string (ISO-8859-1), so any value the client sent, UTF-8 or not, survives unchanged.
 *
 * <p>Thread safety: immutable.
 *
 * @param name the field name as sent (HTTP names are case-insensitive; {@code wasi:http} gives them to
 *     the guest in lower case)
 * @param value the value, one char per byte
 */
public record HttpField(String name, String value) {
    /**
     * A field.
     *
     * @param name the record component name
     * @param value the record component value
     * @throws NullPointerException if either is null
     */
    public HttpField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
