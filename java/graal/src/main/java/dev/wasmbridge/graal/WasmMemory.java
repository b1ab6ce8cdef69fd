package dev.wasmbridge.graal;

import dev.wasmbridge.Memory;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * A wasm linear {@link Memory} as a polyglot value: an array of unsigned bytes ({@code mem[i]} reads
 * 0 to 255 and takes -128 to 255, {@code mem.length} is the size in bytes, as with a JavaScript
 * {@code Uint8Array}) with members for bulk and typed access. Every access is bounds-checked by
 * wasmbridge; addresses are byte offsets and multi-byte values are little-endian, as in wasm.
 *
 * <p>Members:
 * <ul>
 *   <li>{@code byteLength}, {@code pages}: the current size in bytes and in pages;</li>
 *   <li>{@code grow(pages)}: grows the memory, returns the old size in pages;</li>
 *   <li>{@code read(address, length)}: a copy of the bytes, as an array of unsigned bytes;</li>
 *   <li>{@code write(address, bytes)}: copies an array of numbers, a typed array, a Python {@code bytes}
 *       or a buffer into the memory, returns the number of bytes written;</li>
 *   <li>{@code readString(address, length)}, {@code writeString(address, string)} (returns the number of
 *       bytes written), {@code readCString(address)} (up to the first zero byte): UTF-8 text;</li>
 *   <li>{@code getInt32}, {@code getInt64}, {@code getFloat32}, {@code getFloat64} {@code (address)}
 *       and their {@code set...(address, value)} counterparts;</li>
 *   <li>{@code buffer()}: the memory itself as a direct, little-endian {@link ByteBuffer} (zero copy; see
 *       {@link Memory#buffer()} for what happens after {@code grow}). A guest sees its bytes through the
 *       polyglot buffer API ({@link Value#readBufferByte(long)}, {@code new Uint8Array(mem.buffer())} in
 *       GraalJS) only if the context's host access allows buffer access: build the context with {@link
 *       PolyglotWasm#hostAccess()}. Without it, {@code buffer()} throws rather than hand out an opaque object.</li>
 * </ul>
 *
 * <p>Errors (an address outside the memory, a value that is not a byte, a grow past the maximum) are
 * host exceptions the guest can catch. An index outside the memory in element access follows the
 * guest's rules for arrays (in JavaScript a read gives {@code undefined}).
 *
 * <p>Thread safety: like the memory's {@link dev.wasmbridge.Store}, one thread at a time; see {@link
 * PolyglotWasm}.
 */
public final class WasmMemory implements ProxyArray, ProxyObject {
    private static final int CSTRING_CHUNK = 256;

    private final Memory memory;
    private final Map<String, ProxyExecutable> functions = new LinkedHashMap<>();

    WasmMemory(Memory memory) {
        this.memory = Objects.requireNonNull(memory, "memory");
        functions.put("grow", a -> {
            Convert.arity(a, 1, 1, "grow");
            return memory.grow(Convert.toLong(a, 0, "grow"));
        });
        functions.put("read", a -> {
            Convert.arity(a, 2, 2, "read");
            return new Bytes(memory.read(Convert.toLong(a, 0, "read"), Convert.toInt(a, 1, "read")));
        });
        functions.put("write", a -> {
            Convert.arity(a, 2, 2, "write");
            byte[] bytes = Bytes.of(a[1], "write");
            memory.write(Convert.toLong(a, 0, "write"), bytes);
            return bytes.length;
        });
        functions.put("readString", a -> {
            Convert.arity(a, 2, 2, "readString");
            return new String(memory.read(Convert.toLong(a, 0, "readString"), Convert.toInt(a, 1, "readString")),
                    StandardCharsets.UTF_8);
        });
        functions.put("writeString", a -> {
            Convert.arity(a, 2, 2, "writeString");
            if (!a[1].isString()) {
                throw new IllegalArgumentException("writeString: argument 1 must be a string, got " + Convert.describe(a[1]));
            }
            byte[] bytes = a[1].asString().getBytes(StandardCharsets.UTF_8);
            memory.write(Convert.toLong(a, 0, "writeString"), bytes);
            return bytes.length;
        });
        functions.put("readCString", a -> {
            Convert.arity(a, 1, 1, "readCString");
            return readCString(Convert.toLong(a, 0, "readCString"));
        });
        functions.put("getInt32", a -> {
            Convert.arity(a, 1, 1, "getInt32");
            return memory.readInt(Convert.toLong(a, 0, "getInt32"));
        });
        functions.put("getInt64", a -> {
            Convert.arity(a, 1, 1, "getInt64");
            return memory.readLong(Convert.toLong(a, 0, "getInt64"));
        });
        functions.put("getFloat32", a -> {
            Convert.arity(a, 1, 1, "getFloat32");
            return memory.readFloat(Convert.toLong(a, 0, "getFloat32"));
        });
        functions.put("getFloat64", a -> {
            Convert.arity(a, 1, 1, "getFloat64");
            return memory.readDouble(Convert.toLong(a, 0, "getFloat64"));
        });
        functions.put("setInt32", a -> {
            Convert.arity(a, 2, 2, "setInt32");
            memory.writeInt(Convert.toLong(a, 0, "setInt32"),
                    (Integer) Convert.toWasm(dev.wasmbridge.ValType.I32, a[1], "setInt32 value"));
            return null;
        });
        functions.put("setInt64", a -> {
            Convert.arity(a, 2, 2, "setInt64");
            memory.writeLong(Convert.toLong(a, 0, "setInt64"),
                    (Long) Convert.toWasm(dev.wasmbridge.ValType.I64, a[1], "setInt64 value"));
            return null;
        });
        functions.put("setFloat32", a -> {
            Convert.arity(a, 2, 2, "setFloat32");
            memory.writeFloat(Convert.toLong(a, 0, "setFloat32"),
                    (Float) Convert.toWasm(dev.wasmbridge.ValType.F32, a[1], "setFloat32 value"));
            return null;
        });
        functions.put("setFloat64", a -> {
            Convert.arity(a, 2, 2, "setFloat64");
            memory.writeDouble(Convert.toLong(a, 0, "setFloat64"),
                    (Double) Convert.toWasm(dev.wasmbridge.ValType.F64, a[1], "setFloat64 value"));
            return null;
        });
        functions.put("buffer", a -> {
            Convert.arity(a, 0, 0, "buffer");
            return buffer();
        });
    }

    /**
     * The wrapped memory.
     *
     * @return the memory
     */
    public Memory memory() {
        return memory;
    }

    private String readCString(long address) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long size = memory.byteSize();
        if (address < 0 || address >= size) {
            throw new IndexOutOfBoundsException("address " + address + " is outside the memory (" + size + " bytes)");
        }
        long at = address;
        while (at < size) {
            int n = (int) Math.min(CSTRING_CHUNK, size - at);
            byte[] chunk = memory.read(at, n);
            for (int i = 0; i < n; i++) {
                if (chunk[i] == 0) {
                    out.write(chunk, 0, i);
                    return out.toString(StandardCharsets.UTF_8);
                }
            }
            out.write(chunk, 0, n);
            at += n;
        }
        throw new IndexOutOfBoundsException("no zero byte between address " + address + " and the end of the memory");
    }

    private ByteBuffer buffer() {
        ByteBuffer b = memory.buffer();
        Context current;
        try {
            current = Context.getCurrent();
        } catch (IllegalStateException notInAGuest) {
            return b;
        }
        if (!current.asValue(b).hasBufferElements()) {
            throw new IllegalStateException("buffer(): this context's host access does not allow buffer access,"
                    + " so the guest could not read the buffer; build the context with allowHostAccess("
                    + "PolyglotWasm.hostAccess()), or use read/write/readString/writeString");
        }
        return b;
    }

    /**
     * The byte at {@code index}, unsigned.
     *
     * @param index the address
     * @return 0 to 255
     * @throws ArrayIndexOutOfBoundsException if {@code index} is outside the memory
     */
    @Override
    public Object get(long index) {
        try {
            return memory.readByte(index) & 0xff;
        } catch (IndexOutOfBoundsException e) {
            throw new ArrayIndexOutOfBoundsException(e.getMessage());
        }
    }

    /**
     * Writes the byte at {@code index}.
     *
     * @param index the address
     * @param value a number from -128 to 255
     * @throws ArrayIndexOutOfBoundsException if {@code index} is outside the memory
     * @throws IllegalArgumentException if {@code value} is not such a number
     */
    @Override
    public void set(long index, Value value) {
        byte b = Bytes.toByte(value, "memory[" + index + "]");
        try {
            memory.writeByte(index, b);
        } catch (IndexOutOfBoundsException e) {
            throw new ArrayIndexOutOfBoundsException(e.getMessage());
        }
    }

    /**
     * The current size in bytes.
     *
     * @return the size
     */
    @Override
    public long getSize() {
        return memory.byteSize();
    }

    /**
     * A member: {@code byteLength}, {@code pages}, or one of the functions listed in the class comment.
     *
     * @param key the member's name
     * @return its value, or null if there is no such member
     */
    @Override
    public Object getMember(String key) {
        switch (key) {
            case "byteLength":
                return memory.byteSize();
            case "pages":
                return memory.pages();
            default:
                return functions.get(key);
        }
    }

    /**
     * The members' names.
     *
     * @return the names
     */
    @Override
    public Object getMemberKeys() {
        List<Object> keys = new ArrayList<>();
        keys.add("byteLength");
        keys.add("pages");
        keys.addAll(functions.keySet());
        return ProxyArray.fromList(keys);
    }

    /**
     * Whether {@code key} is a member.
     *
     * @param key the name
     * @return whether it is one
     */
    @Override
    public boolean hasMember(String key) {
        return key.equals("byteLength") || key.equals("pages") || functions.containsKey(key);
    }

    /**
     * Refused: a memory's members are read-only (write bytes with element access or the functions).
     *
     * @param key the name
     * @param value the value
     * @throws UnsupportedOperationException always
     */
    @Override
    public void putMember(String key, Value value) {
        throw new UnsupportedOperationException("a wasm memory's members are read-only");
    }

    /**
     * The size, for debugging.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "wasm memory (" + memory.byteSize() + " bytes)";
    }
}
