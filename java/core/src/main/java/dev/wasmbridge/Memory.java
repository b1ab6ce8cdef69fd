package dev.wasmbridge;

import dev.wasmbridge.internal.Handle;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A linear memory of a store. Addresses are {@code long} byte offsets; every access is bounds-checked
 * and an access outside the memory is an {@link IndexOutOfBoundsException}. Multi-byte values are
 * little-endian, as in WebAssembly.
 *
 * <p>Thread safety: like its store, one thread at a time.
 */
public final class Memory extends Extern {
    private static final Cleaner BUFFER_CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "wasmbridge-buffer-cleaner");
        t.setDaemon(true);
        return t;
    });

    Memory(Store store, int index) {
        super(store, index);
    }

    @Override
    int kind() {
        return Abi.KIND_MEMORY;
    }

    /**
     * The memory's type as declared (its minimum is the declared minimum, not the current size).
     *
     * @return the type
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    @Override
    public MemoryType type() {
        Store store = store();
        long s = store.enter();
        try {
            return TypeCodec.memoryType(Native.memoryType(s, index()));
        } finally {
            store.exit();
        }
    }

    /**
     * The current size in bytes.
     *
     * @return the size in bytes
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public long byteSize() {
        Store store = store();
        long s = store.enter();
        try {
            return Native.memorySize(s, index());
        } finally {
            store.exit();
        }
    }

    /**
     * The current size in pages.
     *
     * @return the size in pages
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public long pages() {
        return byteSize() / type().pageSize();
    }

    /**
     * Grows the memory by {@code deltaPages} pages, zero-filled.
     *
     * @param deltaPages the number of pages to add, not negative
     * @return the size in pages before growing
     * @throws IllegalArgumentException if {@code deltaPages} is negative
     * @throws WasmException if the memory cannot grow that far (its maximum, or a store limit)
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public long grow(long deltaPages) {
        if (deltaPages < 0) {
            throw new IllegalArgumentException("cannot grow by a negative number of pages: " + deltaPages);
        }
        Store store = store();
        long s = store.enter();
        try {
            return Native.memoryGrow(s, index(), deltaPages);
        } finally {
            store.exit();
        }
    }

    /**
     * Copies {@code length} bytes starting at {@code address} into {@code dst[offset..]}.
     *
     * @param address the first byte's address
     * @param dst the destination
     * @param offset the first index written in {@code dst}
     * @param length the number of bytes
     * @throws IndexOutOfBoundsException if the range is outside the memory or outside {@code dst}
     * @throws NullPointerException if {@code dst} is null
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public void read(long address, byte[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, dst.length);
        Store store = store();
        long s = store.enter();
        try {
            Native.memoryRead(s, index(), address, dst, offset, length);
        } finally {
            store.exit();
        }
    }

    /**
     * Reads {@code length} bytes starting at {@code address}.
     *
     * @param address the first byte's address
     * @param length the number of bytes, not negative
     * @return a new array with the bytes
     * @throws IndexOutOfBoundsException if the range is outside the memory
     * @throws IllegalArgumentException if {@code length} is negative
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public byte[] read(long address, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        // Check before allocating: a length the guest controls must not become a huge Java array. Memory only
        // grows, so a range inside now is still inside when the copy runs (which checks again).
        long size = byteSize();
        if (address < 0 || address > size || length > size - address) {
            throw new IndexOutOfBoundsException("range [" + address + ", " + address + " + " + length
                    + ") is outside the memory of " + size + " bytes");
        }
        byte[] out = new byte[length];
        read(address, out, 0, length);
        return out;
    }

    /**
     * Copies {@code src[offset..offset+length]} to the memory at {@code address}.
     *
     * @param address the first byte's address
     * @param src the source
     * @param offset the first index read from {@code src}
     * @param length the number of bytes
     * @throws IndexOutOfBoundsException if the range is outside the memory or outside {@code src}
     * @throws NullPointerException if {@code src} is null
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public void write(long address, byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        Store store = store();
        long s = store.enter();
        try {
            Native.memoryWrite(s, index(), address, src, offset, length);
        } finally {
            store.exit();
        }
    }

    /**
     * Copies all of {@code src} to the memory at {@code address}.
     *
     * @param address the first byte's address
     * @param src the bytes
     * @throws IndexOutOfBoundsException if the range is outside the memory
     * @throws NullPointerException if {@code src} is null
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public void write(long address, byte[] src) {
        write(address, src, 0, src.length);
    }

    /**
     * Copies {@code dst.remaining()} bytes starting at {@code address} into {@code dst}, advancing its
     * position. A direct buffer is filled with one memcpy; a heap buffer through its array.
     *
     * @param address the first byte's address
     * @param dst the destination
     * @throws IndexOutOfBoundsException if the range is outside the memory
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only
     * @throws NullPointerException if {@code dst} is null
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public void read(long address, ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        int pos = dst.position();
        int len = dst.remaining();
        if (dst.isDirect()) {
            Store store = store();
            long s = store.enter();
            try {
                Native.memoryReadDirect(s, index(), address, dst, pos, len);
            } finally {
                store.exit();
            }
        } else {
            read(address, dst.array(), dst.arrayOffset() + pos, len);
        }
        dst.position(pos + len);
    }

    /**
     * Copies {@code src.remaining()} bytes of {@code src} to the memory at {@code address}, advancing
     * its position. A direct buffer is copied with one memcpy; a heap buffer through its array.
     *
     * @param address the first byte's address
     * @param src the source
     * @throws IndexOutOfBoundsException if the range is outside the memory
     * @throws NullPointerException if {@code src} is null
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public void write(long address, ByteBuffer src) {
        int pos = src.position();
        int len = src.remaining();
        if (src.isDirect()) {
            Store store = store();
            long s = store.enter();
            try {
                Native.memoryWriteDirect(s, index(), address, src, pos, len);
            } finally {
                store.exit();
            }
        } else if (src.hasArray()) {
            write(address, src.array(), src.arrayOffset() + pos, len);
        } else {
            byte[] copy = new byte[len];
            src.duplicate().get(copy);
            write(address, copy);
        }
        src.position(pos + len);
    }

    private long load(long address, int width) {
        Store store = store();
        long s = store.enter();
        try {
            return Native.memoryLoad(s, index(), address, width);
        } finally {
            store.exit();
        }
    }

    private void store(long address, int width, long bits) {
        Store store = store();
        long s = store.enter();
        try {
            Native.memoryStore(s, index(), address, width, bits);
        } finally {
            store.exit();
        }
    }

    /**
     * Reads one byte.
     *
     * @param address the address
     * @return the byte
     * @throws IndexOutOfBoundsException if the address is outside the memory
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public byte readByte(long address) {
        return (byte) load(address, 1);
    }

    /**
     * Reads a little-endian 16-bit value.
     *
     * @param address the address of its first byte
     * @return the value
     * @throws IndexOutOfBoundsException if any byte is outside the memory
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public short readShort(long address) {
        return (short) load(address, 2);
    }

    /**
     * Reads a little-endian 32-bit value.
     *
     * @param address the address of its first byte
     * @return the value
     * @throws IndexOutOfBoundsException if any byte is outside the memory
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public int readInt(long address) {
        return (int) load(address, 4);
    }

    /**
     * Reads a little-endian 64-bit value.
     *
     * @param address the address of its first byte
     * @return the value
     * @throws IndexOutOfBoundsException if any byte is outside the memory
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public long readLong(long address) {
        return load(address, 8);
    }

    /**
     * Reads a little-endian IEEE 754 single (bits kept exactly).
     *
     * @param address the address of its first byte
     * @return the value
     * @throws IndexOutOfBoundsException if any byte is outside the memory
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public float readFloat(long address) {
        return Float.intBitsToFloat(readInt(address));
    }

    /**
     * Reads a little-endian IEEE 754 double (bits kept exactly).
     *
     * @param address the address of its first byte
     * @return the value
     * @throws IndexOutOfBoundsException if any byte is outside the memory
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public double readDouble(long address) {
        return Double.longBitsToDouble(readLong(address));
    }

    /**
     * Writes one byte.
     *
     * @param address the address
     * @param value the byte
     * @throws IndexOutOfBoundsException if the address is outside the memory
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public void writeByte(long address, byte value) {
        store(address, 1, value);
    }

    /**
     * Writes a little-endian 16-bit value.
     *
     * @param address the address of its first byte
     * @param value the value
     * @throws IndexOutOfBoundsException if any byte is outside the memory
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public void writeShort(long address, short value) {
        store(address, 2, value);
    }

    /**
     * Writes a little-endian 32-bit value.
     *
     * @param address the address of its first byte
     * @param value the value
     * @throws IndexOutOfBoundsException if any byte is outside the memory
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public void writeInt(long address, int value) {
        store(address, 4, value);
    }

    /**
     * Writes a little-endian 64-bit value.
     *
     * @param address the address of its first byte
     * @param value the value
     * @throws IndexOutOfBoundsException if any byte is outside the memory
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public void writeLong(long address, long value) {
        store(address, 8, value);
    }

    /**
     * Writes a little-endian IEEE 754 single (bits kept exactly).
     *
     * @param address the address of its first byte
     * @param value the value
     * @throws IndexOutOfBoundsException if any byte is outside the memory
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public void writeFloat(long address, float value) {
        writeInt(address, Float.floatToRawIntBits(value));
    }

    /**
     * Writes a little-endian IEEE 754 double (bits kept exactly).
     *
     * @param address the address of its first byte
     * @param value the value
     * @throws IndexOutOfBoundsException if any byte is outside the memory
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public void writeDouble(long address, double value) {
        writeLong(address, Double.doubleToRawLongBits(value));
    }

    /**
     * A direct, little-endian {@link ByteBuffer} over the whole memory, without copying: reads and
     * writes go straight to linear memory.
     *
     * <p>The buffer covers the memory's size at the time of the call. Linear memory never moves, so
     * after the memory grows an older buffer still shows the right bytes for the range it covers, and
     * any access past its capacity throws {@link IndexOutOfBoundsException}; call {@code buffer()}
     * again to see the new pages ({@link #isCurrent(ByteBuffer)} tells whether a buffer still covers
     * the whole memory). The buffer keeps the store's native memory mapped while it is reachable, so
     * using it after the store is closed never crashes the JVM; it then shows the memory as it was
     * when the store was closed.
     *
     * <p>The buffer is not bound to the store's thread rule: reading it while wasm runs on another
     * thread gives torn, racy values, as with any shared memory.
     *
     * @return a new buffer over the memory
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public ByteBuffer buffer() {
        Store store = store();
        long s = store.enter();
        try {
            ByteBuffer b = Native.memoryBuffer(s, index()).order(ByteOrder.LITTLE_ENDIAN);
            Handle pinned = store.handle();
            pinned.acquire();
            BUFFER_CLEANER.register(b, pinned::release);
            return b;
        } finally {
            store.exit();
        }
    }

    /**
     * Whether {@code buffer} still covers the whole memory (no growth since it was obtained).
     *
     * @param buffer a buffer from {@link #buffer()}
     * @return true if its capacity equals the memory's current size
     * @throws IllegalStateException if the store is closed or in use by another thread
     * @throws NullPointerException if {@code buffer} is null
     */
    public boolean isCurrent(ByteBuffer buffer) {
        return buffer.capacity() == byteSize();
    }
}
