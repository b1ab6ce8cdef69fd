package dev.wasmbridge.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes requests and fields cross JNI in (Rust's home and the format: {@code native/src/http/codec.rs}):
 * little-endian u32 counts and lengths, fields as count then name and value per entry, a request head
 * as method, scheme, authority, path with query, then its fields. Names and values are ISO-8859-1 (one
 * byte per char); method, scheme, authority and path are UTF-8.
 */
final class HttpCodec {
    private HttpCodec() {
    }

    static byte[] head(String method, String scheme, String authority, String pathWithQuery, List<HttpField> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        put(out, method.getBytes(StandardCharsets.UTF_8));
        put(out, scheme == null ? new byte[0] : scheme.getBytes(StandardCharsets.UTF_8));
        put(out, authority == null ? new byte[0] : authority.getBytes(StandardCharsets.UTF_8));
        put(out, pathWithQuery.getBytes(StandardCharsets.UTF_8));
        writeFields(out, fields);
        return out.toByteArray();
    }

    static byte[] fields(List<HttpField> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        writeFields(out, fields);
        return out.toByteArray();
    }

    private static void writeFields(ByteArrayOutputStream out, List<HttpField> fields) {
        u32(out, fields.size());
        for (HttpField f : fields) {
            put(out, f.name().getBytes(StandardCharsets.ISO_8859_1));
            put(out, f.value().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static void put(ByteArrayOutputStream out, byte[] bytes) {
        u32(out, bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    private static void u32(ByteArrayOutputStream out, int n) {
        out.write(n);
        out.write(n >>> 8);
        out.write(n >>> 16);
        out.write(n >>> 24);
    }

    static List<HttpField> readFields(byte[] bytes) {
        return readFields(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** A request head as {@link #head} writes it (the native side writes a guest's outgoing requests so). */
    record Head(String method, String scheme, String authority, String pathWithQuery, List<HttpField> fields) {
    }

    static Head readHead(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return new Head(string(b, StandardCharsets.UTF_8), string(b, StandardCharsets.UTF_8),
                string(b, StandardCharsets.UTF_8), string(b, StandardCharsets.UTF_8), readFields(b));
    }

    private static List<HttpField> readFields(ByteBuffer b) {
        int n = b.getInt();
        List<HttpField> fields = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            fields.add(new HttpField(string(b, StandardCharsets.ISO_8859_1), string(b, StandardCharsets.ISO_8859_1)));
        }
        return List.copyOf(fields);
    }

    private static String string(ByteBuffer b, java.nio.charset.Charset charset) {
        int n = b.getInt();
        String s = new String(b.array(), b.arrayOffset() + b.position(), n, charset);
        b.position(b.position() + n);
        return s;
    }
}
