package dev.wasmbridge;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryTest {
    Engine engine;
    Fixtures.Loaded m;
    Memory memory;

    @BeforeEach
    void setUp() {
        engine = Engine.create();
        m = new Fixtures.Loaded(engine, "memory");
        memory = m.instance.memory("memory");
    }

    @AfterEach
    void tearDown() {
        m.close();
        engine.close();
    }

    @Test
    void sizeAndType() {
        assertEquals(65536, memory.byteSize());
        assertEquals(1, memory.pages());
        assertEquals(new MemoryType(1, OptionalLong.of(3), false, false, 65536), memory.type());
        memory.grow(1);
        assertEquals(2, memory.pages());
        assertEquals(1, memory.type().minimum());
    }

    @Test
    void readsDataSegmentsAndWritesVisibleToWasm() {
        assertEquals("hello, wasm", new String(memory.read(16, 11), UTF_8));
        memory.write(1024, "hello".getBytes(UTF_8));
        assertEquals('h' + 'e' + 'l' + 'l' + 'o', m.instance.function("sum").call(1024, 5)[0]);
        byte[] dst = new byte[8];
        memory.read(1024, dst, 2, 5);
        assertArrayEquals(new byte[] {0, 0, 'h', 'e', 'l', 'l', 'o', 0}, dst);
        memory.write(2048, new byte[] {9, 8, 7, 6}, 1, 2);
        assertArrayEquals(new byte[] {8, 7, 0}, memory.read(2048, 3));
    }

    @Test
    void primitivesAreLittleEndian() {
        memory.writeInt(100, 0x01020304);
        assertArrayEquals(new byte[] {4, 3, 2, 1}, memory.read(100, 4));
        assertEquals(0x01020304, m.instance.function("load_i32").call(100)[0]);
        m.instance.function("store_i64").call(200, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, memory.readLong(200));
        memory.writeShort(300, (short) -2);
        assertEquals((short) -2, memory.readShort(300));
        memory.writeByte(301, (byte) 0x7F);
        assertEquals((byte) 0x7F, memory.readByte(301));
        memory.writeFloat(400, Float.intBitsToFloat(0x7FC0_0001));
        assertEquals(0x7FC0_0001, memory.readInt(400));
        memory.writeDouble(408, Math.PI);
        assertEquals(Math.PI, memory.readDouble(408));
    }

    @Test
    void outOfBoundsAccessIsRefused() {
        long size = memory.byteSize();
        assertThrows(IndexOutOfBoundsException.class, () -> memory.read(size - 3, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.read(-1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.write(size, new byte[1]));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.readLong(size - 7));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.writeInt(Long.MAX_VALUE, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.read(0, new byte[4], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> memory.read(0, -1));
        memory.read(size - 4, 4);
        memory.write(size, new byte[0]);
    }

    @Test
    void growIsVisibleOnBothSides() {
        assertEquals(1L, memory.grow(1));
        assertEquals(2, m.instance.function("size").call()[0]);
        assertEquals(2, m.instance.function("grow").call(1)[0]);
        assertEquals(3, memory.pages());
        assertThrows(WasmException.class, () -> memory.grow(1));
        assertEquals(-1, m.instance.function("grow").call(1)[0]);
        assertThrows(IllegalArgumentException.class, () -> memory.grow(-1));
        memory.writeInt(3 * 65536 - 4, 5);
    }

    @Test
    void bufferIsAZeroCopyView() {
        ByteBuffer b = memory.buffer();
        assertTrue(b.isDirect());
        assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
        assertEquals(65536, b.capacity());
        b.putInt(500, 0xCAFEBABE);
        assertEquals(0xCAFEBABE, m.instance.function("load_i32").call(500)[0]);
        m.instance.function("store_i64").call(600, 77L);
        assertEquals(77L, b.getLong(600));
    }

    @Test
    void byteBuffersCopyInAndOut() {
        ByteBuffer direct = ByteBuffer.allocateDirect(16);
        direct.put(new byte[] {1, 2, 3, 4, 5, 6}).flip();
        direct.position(1);
        memory.write(3000, direct);
        assertEquals(6, direct.position());
        assertArrayEquals(new byte[] {2, 3, 4, 5, 6}, memory.read(3000, 5));
        ByteBuffer heap = ByteBuffer.wrap(new byte[8], 2, 4);
        memory.read(3001, heap);
        assertArrayEquals(new byte[] {0, 0, 3, 4, 5, 6, 0, 0}, heap.array());
        ByteBuffer out = ByteBuffer.allocateDirect(3);
        memory.read(3002, out);
        assertEquals(4, out.get(0));
        memory.write(3100, ByteBuffer.wrap(new byte[] {7, 7}).asReadOnlyBuffer());
        assertEquals(7, memory.readByte(3101));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.read(65535, ByteBuffer.allocateDirect(2)));
        assertThrows(IndexOutOfBoundsException.class, () -> memory.write(-1, ByteBuffer.allocateDirect(1)));
        assertThrows(java.nio.ReadOnlyBufferException.class,
                () -> memory.read(0, ByteBuffer.allocate(1).asReadOnlyBuffer()));
    }

    @Test
    void staleBufferAfterGrowIsDetectedNotGarbage() {
        ByteBuffer before = memory.buffer();
        assertTrue(memory.isCurrent(before));
        m.instance.function("grow").call(1);
        assertFalse(memory.isCurrent(before));
        // Old pages are still right through the old buffer; the new page is out of its reach.
        m.instance.function("store_i64").call(8, 99L);
        assertEquals(99L, before.getLong(8));
        assertThrows(IndexOutOfBoundsException.class, () -> before.get(65536));
        ByteBuffer after = memory.buffer();
        assertEquals(2 * 65536, after.capacity());
        after.put(65536 + 5, (byte) 1);
        assertEquals(1, memory.readByte(65536 + 5));
    }

    @Test
    void bufferOutlivingItsStoreNeverCrashes() {
        ByteBuffer b = memory.buffer();
        b.putInt(0, 1234);
        m.store.close();
        assertEquals(1234, b.getInt(0));
        b.putInt(4, 5);
        assertThrows(IllegalStateException.class, () -> memory.read(0, 1));
        assertThrows(IllegalStateException.class, memory::buffer);
    }

    @Test
    void useAfterCloseIsIllegalState() {
        m.store.close();
        assertThrows(IllegalStateException.class, memory::byteSize);
        assertThrows(IllegalStateException.class, () -> memory.grow(1));
        assertThrows(IllegalStateException.class, () -> memory.writeInt(0, 1));
        assertThrows(IllegalStateException.class, memory::type);
    }
}
