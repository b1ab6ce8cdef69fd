package dev.wasmbridge.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.component.WitValue;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Smoke test of the benchmark harness (no timing): every kernel gives the expected answer through every
 * wasmbridge call path and on the pure-Java peers (Endive and Chicory, interpreter and compiler), and every
 * component-call benchmark its expected result. wasmtime-java is left out: a second Wasmtime in the same JVM as wasmbridge's is not something to test here
 * (JMH gives each runtime its own fork).
 */
class KernelsTest {
    private static final int SHORT = 4096;

    static byte[] sha256(byte[] in, int len) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(in, len));
    }

    /** The C kernel's arithmetic in Java, in the same order: the same double rounding. */
    static int matmul(int n) {
        double[] a = new double[n * n];
        double[] b = new double[n * n];
        double[] c = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            a[i] = (i % 17) * 0.5 - 3.0;
            b[i] = (i % 13) * 0.25 + 1.0;
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += a[i * n + k] * b[k * n + j];
                }
            }
        }
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += c[i * n + i];
        }
        return (int) trace;
    }

    @Test
    void wasmbridgeEveryPath() throws Exception {
        try (Wasmbridge w = new Wasmbridge()) {
            assertEquals(42, w.add.call(40, 2)[0]);
            assertEquals(42L, w.add.callRaw(40, 2)[0]);
            assertEquals(42, w.addTyped.applyAsInt(40, 2));
            // The in-library floor chains add(sum, i) over 0..n-1.
            assertEquals(45, dev.wasmbridge.internal.JniFloor.wasmtimeTypedLoop(10));
            assertEquals(TrivialCall.LOOP * (TrivialCall.LOOP - 1) / 2,
                    dev.wasmbridge.internal.JniFloor.wasmtimeTypedLoop(TrivialCall.LOOP));
            assertThrows(IllegalArgumentException.class, () -> dev.wasmbridge.internal.JniFloor.wasmtimeTypedLoop(-1));
            assertEquals(6765, w.fib.applyAsInt(Kernels.FIB_N));
            int digest = w.sha256.applyAsInt(Kernels.MIB);
            assertArrayEquals(sha256(Kernels.input(), Kernels.MIB), w.shaMemory.read(digest, 32));
            assertEquals(matmul(Kernels.MATMUL_N), w.matmul.applyAsInt(Kernels.MATMUL_N));
            assertEquals(499500, w.hostLoopGeneric.applyAsInt(Kernels.HOST_CALLS));
            assertEquals(499500, w.hostLoopTyped.applyAsInt(Kernels.HOST_CALLS));

            // The copy paths round-trip the bytes.
            byte[] out = new byte[Kernels.MIB];
            w.shaMemory.read(w.inputPtr, out, 0, out.length);
            assertArrayEquals(Kernels.input(), out);
            ByteBuffer direct = ByteBuffer.allocateDirect(Kernels.MIB);
            w.shaMemory.read(w.inputPtr, direct);
            direct.flip();
            assertEquals(ByteBuffer.wrap(Kernels.input()), direct);
            ByteBuffer view = w.shaMemory.buffer();
            byte[] viaView = new byte[Kernels.MIB];
            view.get(w.inputPtr, viaView);
            assertArrayEquals(Kernels.input(), viaView);
        }
    }

    /** Every {@link ComponentCall} benchmark, called as JMH calls it, twice (the guest's heap resets). */
    @Test
    void wasmbridgeComponentCalls() {
        Runtimes.ComponentState s = new Runtimes.ComponentState();
        s.setup();
        try {
            ComponentCall b = new ComponentCall();
            for (int round = 0; round < 2; round++) {
                assertEquals(42L, b.wasmbridgeAddCall(s));
                assertEquals(new WitValue.U32(42), b.wasmbridgeAddValues(s));
                assertEquals(42, b.wasmbridgeAddBound(s));
                assertEquals(Components.STRING_1K, b.wasmbridgeStringBound(s));
                assertEquals(s.c.rec, b.wasmbridgeRecordBound(s));
                assertArrayEquals(Components.bytes64k(), b.wasmbridgeBytesBound(s));

                assertEquals(1024, Components.STRING_1K.length());
                assertEquals(Components.STRING_1K, b.wasmbridgeStringCall(s));
                assertEquals(new WitValue.Str(Components.STRING_1K), b.wasmbridgeStringValues(s));

                Object record = b.wasmbridgeRecordCall(s);
                assertEquals(Components.record(), record);
                assertEquals(List.of("a", "b", "c", "d", "e"),
                        List.copyOf(((Map<?, ?>) record).keySet()));
                assertEquals(Components.recordValue(), b.wasmbridgeRecordValues(s));

                byte[] bytes = (byte[]) b.wasmbridgeBytesCall(s);
                assertEquals(Components.BYTES_LEN, bytes.length);
                assertArrayEquals(Components.bytes64k(), bytes);
                assertEquals(new WitValue.Bytes(Components.bytes64k()), b.wasmbridgeBytesValues(s));
            }
        } finally {
            s.tearDown();
        }
    }

    @Test
    void endiveCompilerAndInterpreter() throws Exception {
        Endive c = new Endive(true);
        assertEquals(42, c.add.apply(40, 2)[0]);
        assertEquals(6765, c.fib.apply(Kernels.FIB_N)[0]);
        int digest = (int) c.sha256.apply(Kernels.MIB)[0];
        assertArrayEquals(sha256(Kernels.input(), Kernels.MIB), c.shaMemory.readBytes(digest, 32));
        assertEquals(matmul(Kernels.MATMUL_N), c.matmul.apply(Kernels.MATMUL_N)[0]);
        assertEquals(499500, c.hostLoop.apply(Kernels.HOST_CALLS)[0]);

        Endive i = new Endive(false);
        assertEquals(42, i.add.apply(40, 2)[0]);
        assertEquals(55, i.fib.apply(10)[0]);
        digest = (int) i.sha256.apply(SHORT)[0];
        assertArrayEquals(sha256(Kernels.input(), SHORT), i.shaMemory.readBytes(digest, 32));
        assertEquals(matmul(8), i.matmul.apply(8)[0]);
        assertEquals(499500, i.hostLoop.apply(Kernels.HOST_CALLS)[0]);
    }

    @Test
    void chicoryCompilerAndInterpreter() throws Exception {
        Chicory c = new Chicory(true);
        assertEquals(42, c.add.apply(40, 2)[0]);
        assertEquals(6765, c.fib.apply(Kernels.FIB_N)[0]);
        int digest = (int) c.sha256.apply(Kernels.MIB)[0];
        assertArrayEquals(sha256(Kernels.input(), Kernels.MIB), c.shaMemory.readBytes(digest, 32));
        assertEquals(matmul(Kernels.MATMUL_N), c.matmul.apply(Kernels.MATMUL_N)[0]);
        assertEquals(499500, c.hostLoop.apply(Kernels.HOST_CALLS)[0]);
        assertEquals(42, c.newCalls().export("add").apply(40, 2)[0]);

        Chicory i = new Chicory(false);
        assertEquals(42, i.add.apply(40, 2)[0]);
        assertEquals(55, i.fib.apply(10)[0]);
        digest = (int) i.sha256.apply(SHORT)[0];
        assertArrayEquals(sha256(Kernels.input(), SHORT), i.shaMemory.readBytes(digest, 32));
        assertEquals(matmul(8), i.matmul.apply(8)[0]);
        assertEquals(499500, i.hostLoop.apply(Kernels.HOST_CALLS)[0]);
        assertEquals(42, i.newCalls().export("add").apply(40, 2)[0]);
    }

    /** The Chicory and Endive compilers are two builds of one compiler: same inputs, same outputs. */
    @Test
    void chicoryAndEndiveAgree() {
        Chicory c = new Chicory(true);
        Endive e = new Endive(true);
        for (int n = 0; n <= 15; n++) {
            assertEquals(e.fib.apply(n)[0], c.fib.apply(n)[0], "fib(" + n + ")");
        }
        for (int len : new int[] {0, 1, 55, 56, 64, 1000}) {
            int dc = (int) c.sha256.apply(len)[0];
            int de = (int) e.sha256.apply(len)[0];
            assertArrayEquals(e.shaMemory.readBytes(de, 32), c.shaMemory.readBytes(dc, 32), "sha256 of " + len);
        }
        assertEquals(e.matmul.apply(16)[0], c.matmul.apply(16)[0]);
        assertEquals(e.hostLoop.apply(7)[0], c.hostLoop.apply(7)[0]);
    }

    @Test
    void graalwasm() throws Exception {
        try (Graal g = new Graal()) {
            assertEquals(42, g.add.execute(40, 2).asInt());
            assertEquals(55, g.fib.execute(10).asInt());
            int digest = g.sha256.execute(SHORT).asInt();
            byte[] d = new byte[32];
            for (int k = 0; k < 32; k++) {
                d[k] = g.shaMemory.readBufferByte(digest + k);
            }
            assertArrayEquals(sha256(Kernels.input(), SHORT), d);
            assertEquals(matmul(8), g.matmul.execute(8).asInt());
        }
    }

    @Test
    void theJitRowsRefuseToRunInterpreted() {
        // Surefire's JVM has no Graal compiler: the JIT state must say so rather than measure the interpreter.
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Graal(true));
        assertTrue(e.getMessage().contains("--upgrade-module-path=" + Graal.COMPILER_DIR), e.getMessage());
    }
}
