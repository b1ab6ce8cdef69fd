package dev.wasmbridge.graal;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

/** A byte array as a guest array of unsigned bytes (0 to 255), writable with numbers from -128 to 255. */
final class Bytes implements ProxyArray {
    private final byte[] bytes;

    Bytes(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public Object get(long index) {
        if (index < 0 || index >= bytes.length) {
            throw new ArrayIndexOutOfBoundsException("index " + index + " outside 0.." + (bytes.length - 1));
        }
        return bytes[(int) index] & 0xff;
    }

    @Override
    public void set(long index, Value value) {
        if (index < 0 || index >= bytes.length) {
            throw new ArrayIndexOutOfBoundsException("index " + index + " outside 0.." + (bytes.length - 1));
        }
        bytes[(int) index] = toByte(value, "element " + index);
    }

    @Override
    public long getSize() {
        return bytes.length;
    }

    /** A guest number from -128 to 255 as a byte (so both signed and unsigned bytes go in). */
    static byte toByte(Value v, String what) {
        if (v.fitsInInt()) {
            int i = v.asInt();
            if (i >= -128 && i <= 255) {
                return (byte) i;
            }
        }
        throw new IllegalArgumentException(what + ": expected a byte (a number from -128 to 255), got " + Convert.describe(v));
    }

    /**
     * The bytes of a guest value: a buffer (a JavaScript ArrayBuffer, a Java ByteBuffer, ...), an array
     * of bytes (a JavaScript array or typed array, a Python list or bytes), or a host byte[].
     */
    static byte[] of(Value v, String what) {
        if (v.isHostObject() && v.asHostObject() instanceof byte[]) {
            return ((byte[]) v.asHostObject()).clone();
        }
        if (v.hasBufferElements()) {
            long size = v.getBufferSize();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(what + ": buffer too large (" + size + " bytes)");
            }
            byte[] out = new byte[(int) size];
            for (int i = 0; i < out.length; i++) {
                out[i] = v.readBufferByte(i);
            }
            return out;
        }
        if (v.hasArrayElements()) {
            long size = v.getArraySize();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(what + ": array too large (" + size + " elements)");
            }
            byte[] out = new byte[(int) size];
            for (int i = 0; i < out.length; i++) {
                out[i] = toByte(v.getArrayElement(i), what + ", element " + i);
            }
            return out;
        }
        throw new IllegalArgumentException(what + ": expected bytes (an array of numbers or a buffer), got "
                + Convert.describe(v));
    }
}
