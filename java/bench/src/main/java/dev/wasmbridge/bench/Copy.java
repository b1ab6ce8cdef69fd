package dev.wasmbridge.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Copying 1 MiB into linear memory ({@code In}) and out of it ({@code Out}) by every means each runtime
 * offers. The limit is Rust's memcpy of 1 MiB (tools/bench-rust); {@code javaArraycopy} is the JVM's own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xss4m", "-Dpolyglot.engine.WarnInterpreterOnly=false",
        "-Dpolyglotimpl.DisableClassPathIsolation=true"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class Copy {
    byte[] src;
    byte[] dst;
    ByteBuffer directSrc;
    ByteBuffer directDst;

    /** The arrays and direct buffers, allocated once. */
    @Setup
    public void setup() {
        src = Kernels.input();
        dst = new byte[Kernels.MIB];
        directSrc = Wasmbridge.directInput();
        directDst = ByteBuffer.allocateDirect(Kernels.MIB);
    }

    /** JVM reference: {@code System.arraycopy} of 1 MiB between two heap arrays. */
    @Benchmark
    public byte[] javaArraycopy() {
        System.arraycopy(src, 0, dst, 0, Kernels.MIB);
        return dst;
    }

    /** {@code Memory.write(long, byte[])}. */
    @Benchmark
    public void wasmbridgeArrayIn(Runtimes.WasmbridgeState s) {
        s.w.shaMemory.write(s.w.inputPtr, src);
    }

    /** {@code Memory.read(long, byte[], int, int)}. */
    @Benchmark
    public byte[] wasmbridgeArrayOut(Runtimes.WasmbridgeState s) {
        s.w.shaMemory.read(s.w.inputPtr, dst, 0, Kernels.MIB);
        return dst;
    }

    /** {@code Memory.write(long, ByteBuffer)} from a direct buffer: one memcpy. */
    @Benchmark
    public void wasmbridgeDirectIn(Runtimes.WasmbridgeState s) {
        directSrc.clear();
        s.w.shaMemory.write(s.w.inputPtr, directSrc);
    }

    /** {@code Memory.read(long, ByteBuffer)} into a direct buffer: one memcpy. */
    @Benchmark
    public ByteBuffer wasmbridgeDirectOut(Runtimes.WasmbridgeState s) {
        directDst.clear();
        s.w.shaMemory.read(s.w.inputPtr, directDst);
        return directDst;
    }

    /** Through {@code Memory.buffer()} (zero copy view, obtained once): {@code ByteBuffer.put(int, byte[])}. */
    @Benchmark
    public ByteBuffer wasmbridgeBufferIn(BufferState b) {
        return b.view.put(b.ptr, src);
    }

    /** Through {@code Memory.buffer()}: {@code ByteBuffer.get(int, byte[])}. */
    @Benchmark
    public byte[] wasmbridgeBufferOut(BufferState b) {
        b.view.get(b.ptr, dst);
        return dst;
    }

    /** The cost of {@code Memory.buffer()} itself (a new direct buffer over linear memory). */
    @Benchmark
    public ByteBuffer wasmbridgeBufferCall(Runtimes.WasmbridgeState s) {
        return s.w.shaMemory.buffer();
    }

    /** Endive: {@code Memory.write(int, byte[])}. */
    @Benchmark
    public void endiveIn(Runtimes.EndiveCompilerState s) {
        s.e.shaMemory.write(s.e.inputPtr, src);
    }

    /** Endive: {@code Memory.readBytes(int, int)} (its only bulk read: allocates the array). */
    @Benchmark
    public byte[] endiveOut(Runtimes.EndiveCompilerState s) {
        return s.e.shaMemory.readBytes(s.e.inputPtr, Kernels.MIB);
    }

    /** Chicory 1.7.5: {@code Memory.write(int, byte[])}, as {@code endiveIn}. */
    @Benchmark
    public void chicoryIn(Runtimes.ChicoryCompilerState s) {
        s.c.shaMemory.write(s.c.inputPtr, src);
    }

    /** Chicory 1.7.5: {@code Memory.readBytes(int, int)}, as {@code endiveOut}. */
    @Benchmark
    public byte[] chicoryOut(Runtimes.ChicoryCompilerState s) {
        return s.c.shaMemory.readBytes(s.c.inputPtr, Kernels.MIB);
    }

    /** GraalWasm 23.1: no bulk copy in the polyglot API; {@code writeBufferLong}, 8 bytes a call. */
    @Benchmark
    public void graalwasmIn(Runtimes.GraalState s) {
        long base = s.g.inputPtr;
        for (int i = 0; i < Kernels.MIB; i += 8) {
            s.g.shaMemory.writeBufferLong(Graal.LE, base + i, i);
        }
    }

    /** GraalWasm 23.1: {@code readBufferLong}, 8 bytes a call. */
    @Benchmark
    public long graalwasmOut(Runtimes.GraalState s) {
        long base = s.g.inputPtr;
        long sum = 0;
        for (int i = 0; i < Kernels.MIB; i += 8) {
            sum += s.g.shaMemory.readBufferLong(Graal.LE, base + i);
        }
        return sum;
    }

    /** wasmtime-java: its {@code Memory.buffer(store)} view, {@code put(int, byte[])}. */
    @Benchmark
    public ByteBuffer wasmtimeJavaIn(Runtimes.WasmtimeJavaState s) {
        return s.k.shaMemory.put(s.k.inputPtr, src);
    }

    /** wasmtime-java: {@code get(int, byte[])} on its view. */
    @Benchmark
    public byte[] wasmtimeJavaOut(Runtimes.WasmtimeJavaState s) {
        s.k.shaMemory.get(s.k.inputPtr, dst);
        return dst;
    }

    /** wasmbridge's zero-copy view, obtained once per fork. */
    @State(Scope.Thread)
    public static class BufferState {
        ByteBuffer view;
        int ptr;

        /**
         * Takes the view from the wasmbridge state.
         *
         * @param s the instantiated kernels
         */
        @Setup
        public void setup(Runtimes.WasmbridgeState s) {
            view = s.w.shaMemory.buffer();
            ptr = s.w.inputPtr;
        }
    }
}
