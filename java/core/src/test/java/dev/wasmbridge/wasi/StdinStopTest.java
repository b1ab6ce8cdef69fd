package dev.wasmbridge.wasi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.Function;
import dev.wasmbridge.Instance;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A guest blocked reading a Java {@link InputStream} that does not answer still stops at its deadline
 * and at {@link Store#interrupt()} (the read runs on a pump thread; the guest's call waits for it in
 * slices). Bytes the stream delivers afterwards are not lost: the next read gets them.
 */
@Timeout(60)
class StdinStopTest {
    /** "read" reads up to 64 bytes of stdin to address 100 and returns the count (or -errno). */
    static final String WAT = "(module"
            + " (import \"wasi_snapshot_preview1\" \"fd_read\" (func $read (param i32 i32 i32 i32) (result i32)))"
            + " (memory (export \"memory\") 1)"
            + " (func (export \"read\") (result i32) (local $errno i32)"
            + "   (i32.store (i32.const 0) (i32.const 100)) (i32.store (i32.const 4) (i32.const 64))"
            + "   (local.set $errno (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))"
            + "   (if (result i32) (local.get $errno) (then (i32.sub (i32.const 0) (local.get $errno)))"
            + "     (else (i32.load (i32.const 8))))))";

    /** An input stream that blocks until a chunk is offered; reports each read it enters. */
    static final class Gate extends InputStream {
        final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(4);
        final BlockingQueue<Thread> entered = new ArrayBlockingQueue<>(16);

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            entered.add(Thread.currentThread());
            byte[] chunk;
            try {
                chunk = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            int n = Math.min(len, chunk.length);
            System.arraycopy(chunk, 0, b, off, n);
            return n;
        }
    }

    static Engine engine() {
        return Engine.create(EngineConfig.builder().epochInterruption(true).build());
    }

    @Test
    void aBlockedReadEndsAtTheDeadlineAndItsBytesReachTheNextRead() throws Exception {
        Gate gate = new Gate();
        try (Engine engine = engine(); Module m = Module.fromWat(engine, WAT); Store store = Store.create(engine);
                Linker linker = Linker.create(engine).defineWasi()) {
            store.setWasi(WasiConfig.builder().stdin(gate).build());
            Instance instance = linker.instantiate(store, m);
            Function read = instance.function("read");
            store.setDeadline(Duration.ofMillis(100));
            long start = System.nanoTime();
            TrapException e = assertThrows(TrapException.class, read::call);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(TrapCode.INTERRUPT, e.code());
            assertTrue(ms >= 90 && ms < 10_000, "stopped after " + ms + " ms");
            Thread pump = gate.entered.take();
            assertTrue(pump != Thread.currentThread() && pump.isDaemon(), "read on " + pump);
            // The stream answers late: its bytes are kept for the guest's next read.
            gate.chunks.add("late".getBytes(UTF_8));
            store.clearDeadline();
            assertEquals(4, read.call()[0]);
            assertEquals("late", new String(instance.memory("memory").read(100, 4), UTF_8));
        }
    }

    @Test
    void anotherThreadInterruptsAGuestBlockedInARead() throws Exception {
        Gate gate = new Gate();
        try (Engine engine = engine(); Module m = Module.fromWat(engine, WAT); Store store = Store.create(engine);
                Linker linker = Linker.create(engine).defineWasi()) {
            store.setWasi(WasiConfig.builder().stdin(gate).build());
            Function read = linker.instantiate(store, m).function("read");
            CompletableFuture<Throwable> call = CompletableFuture.supplyAsync(() -> {
                try {
                    read.call();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            // The pump has entered the Java read: the guest's call is waiting for it, in progress.
            gate.entered.take();
            store.interrupt();
            Throwable t = call.get(10, TimeUnit.SECONDS);
            assertTrue(t instanceof TrapException && ((TrapException) t).code() == TrapCode.INTERRUPT, String.valueOf(t));
            gate.chunks.add("x".getBytes(UTF_8));
            assertEquals(1, read.call()[0]);
        }
    }
}
