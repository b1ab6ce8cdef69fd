package dev.wasmbridge.bench;

import dev.wasmbridge.component.WitValue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Component-model calls from Java: the four root exports of {@code tests/components/bench.wat}, each by
 * both call paths of {@code ComponentFunction}: {@code call(Object...)} with natural Java values
 * ({@code Call}) and {@code callValues(WitValue...)} with the exact value model ({@code Values}), and
 * through a Java interface bound to them ({@code Bound}: {@code ComponentInstance.bind}). The
 * limits are the same calls made by Wasmtime from Rust, dynamically ({@code Func::call} with {@code Val}s)
 * and typed ({@code TypedFunc}), in tools/bench-rust.
 *
 * <ul>
 *   <li>{@code add(a: u32, b: u32) -> u32}: the call overhead;
 *   <li>{@code echo-string(s: string) -> string} of 1 KiB (ASCII): a fresh copy comes back;
 *   <li>{@code echo-record(r: rec) -> rec}, {@code rec { a: u32, b: u64, c: f64, d: string, e: bool }};
 *   <li>{@code echo-bytes(b: list<u8>) -> list<u8>} of 64 KiB.
 * </ul>
 *
 * The arguments are built once (natural values and {@code WitValue}s alike, as the Rust baseline builds
 * its {@code Val}s once); each call converts and lowers them and returns a new result.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xss4m"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class ComponentCall {
    /** {@code add} with boxed {@code Long}s; the result is a {@code Long}. */
    @Benchmark
    public Object wasmbridgeAddCall(Runtimes.ComponentState s) {
        return s.c.add.call(s.c.addA, s.c.addB);
    }

    /** {@code add} with {@code WitValue.U32}s. */
    @Benchmark
    public WitValue wasmbridgeAddValues(Runtimes.ComponentState s) {
        return s.c.add.callValues(s.c.addAValue, s.c.addBValue);
    }

    /** {@code echo-string} of a 1 KiB {@code String}; the result is a new {@code String}. */
    @Benchmark
    public Object wasmbridgeStringCall(Runtimes.ComponentState s) {
        return s.c.echoString.call(Components.STRING_1K);
    }

    /** {@code echo-string} of a 1 KiB {@code WitValue.Str}. */
    @Benchmark
    public WitValue wasmbridgeStringValues(Runtimes.ComponentState s) {
        return s.c.echoString.callValues(s.c.stringValue);
    }

    /** {@code echo-record} of a {@code Map} in field order; the result is a new {@code Map}. */
    @Benchmark
    public Object wasmbridgeRecordCall(Runtimes.ComponentState s) {
        return s.c.echoRecord.call(s.c.record);
    }

    /** {@code echo-record} of a {@code WitValue.Record}. */
    @Benchmark
    public WitValue wasmbridgeRecordValues(Runtimes.ComponentState s) {
        return s.c.echoRecord.callValues(s.c.recordValue);
    }

    /** {@code echo-bytes} of a 64 KiB {@code byte[]}; the result is a new {@code byte[]}. */
    @Benchmark
    public Object wasmbridgeBytesCall(Runtimes.ComponentState s) {
        return s.c.echoBytes.call((Object) s.c.bytes);
    }

    /** {@code echo-bytes} of a 64 KiB {@code WitValue.Bytes}. */
    @Benchmark
    public WitValue wasmbridgeBytesValues(Runtimes.ComponentState s) {
        return s.c.echoBytes.callValues(s.c.bytesValue);
    }

    /** {@code add} through the bound interface, {@code int}s. */
    @Benchmark
    public int wasmbridgeAddBound(Runtimes.ComponentState s) {
        return s.c.bound.add(40, 2);
    }

    /** {@code echo-string} through the bound interface. */
    @Benchmark
    public String wasmbridgeStringBound(Runtimes.ComponentState s) {
        return s.c.bound.echoString(Components.STRING_1K);
    }

    /** {@code echo-record} of a Java record through the bound interface. */
    @Benchmark
    public Components.Rec wasmbridgeRecordBound(Runtimes.ComponentState s) {
        return s.c.bound.echoRecord(s.c.rec);
    }

    /** {@code echo-bytes} through the bound interface. */
    @Benchmark
    public byte[] wasmbridgeBytesBound(Runtimes.ComponentState s) {
        return s.c.bound.echoBytes(s.c.bytes);
    }
}
