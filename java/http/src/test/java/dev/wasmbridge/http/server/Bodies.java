package dev.wasmbridge.http.server;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongUnaryOperator;

/** Long bodies made on the fly and checked by hash, never held in memory whole. */
final class Bodies {
    private Bodies() {
    }

    /** A stream of {@code length} bytes, byte i being {@code pattern(i)}. */
    static InputStream generated(long length, LongUnaryOperator pattern) {
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position == length) {
                    return -1;
                }
                int n = (int) Math.min(len, length - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) pattern.applyAsLong(position++);
                }
                return n;
            }
        };
    }

    /** Bytes that repeat only after a long while (an echo that drops or repeats a piece shows). */
    static long noise(long i) {
        return i * 31 + (i >>> 11) + (i >>> 19);
    }

    /** What {@link #sha256} says about a stream, with how many bytes it had. */
    record Digest(long length, String sha256) {
    }

    /** Reads {@code in} to its end (and closes it), hashing as it goes. */
    static Digest sha256(InputStream in) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0;) {
                digest.update(buffer, 0, n);
                total += n;
            }
        }
        return new Digest(total, HexFormat.of().formatHex(digest.digest()));
    }
}
