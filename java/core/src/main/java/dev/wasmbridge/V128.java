package dev.wasmbridge;

/**
 * A 128-bit SIMD value, as two 64-bit halves.
 *
 * @param low the low 64 bits (lanes 0.. in little-endian lane order)
 * @param high the high 64 bits
 *
 * <p>Thread safety: immutable.
 */
public record V128(long low, long high) {
    /**
     * The 16 bytes of the vector in little-endian order (the order of {@code v128.store}).
     *
     * @return a new 16-byte array
     */
    public byte[] toBytes() {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (low >>> (8 * i));
            b[8 + i] = (byte) (high >>> (8 * i));
        }
        return b;
    }

    /**
     * The vector whose little-endian bytes are given.
     *
     * @param bytes exactly 16 bytes
     * @return the vector
     * @throws IllegalArgumentException if {@code bytes} is not 16 bytes long
     */
    public static V128 fromBytes(byte[] bytes) {
        if (bytes.length != 16) {
            throw new IllegalArgumentException("a v128 has 16 bytes, got " + bytes.length);
        }
        long lo = 0;
        long hi = 0;
        for (int i = 7; i >= 0; i--) {
            lo = (lo << 8) | (bytes[i] & 0xFF);
            hi = (hi << 8) | (bytes[8 + i] & 0xFF);
        }
        return new V128(lo, hi);
    }
}
