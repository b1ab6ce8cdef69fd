package dev.wasmbridge.bench;

import java.util.function.IntBinaryOperator;
import dev.wasmbridge.Engine;
import dev.wasmbridge.InstancePre;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.internal.JniFloor;
import java.util.Locale;

/**
 * Runs one wasmbridge call path in a loop for a while, for a native profiler:
 *
 * <pre>perf record -g -e cpu-clock -- java -cp benchmarks.jar dev.wasmbridge.bench.Profile PATH [SECONDS]</pre>
 *
 * PATH: {@code noop}, {@code generic}, {@code raw}, {@code typed}, {@code host-generic}, {@code host-typed},
 * {@code instantiate-pre}, {@code instantiate-pooling}, or a component call ({@link ComponentCall}):
 * {@code component-WORKLOAD-PATH} with WORKLOAD {@code add}, {@code string}, {@code record} or {@code bytes}
 * and PATH {@code call} or {@code values}. Prints the mean time per operation at the end.
 */
public final class Profile {
    private Profile() {
    }

    /**
     * Runs the loop.
     *
     * @param args the call path and the duration in seconds (default 10)
     */
    public static void main(String[] args) {
        String path = args.length > 0 ? args[0] : "typed";
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 10;
        try (Wasmbridge w = new Wasmbridge(); Components c = new Components()) {
            Runnable op = path.startsWith("component-") ? componentOp(path, c) : op(path, w);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long ops = 0;
            long t0 = System.nanoTime();
            while (System.nanoTime() < end) {
                for (int i = 0; i < 1000; i++) {
                    op.run();
                }
                ops += 1000;
            }
            long ns = System.nanoTime() - t0;
            int per = path.startsWith("host") ? Kernels.HOST_CALLS : 1;
            System.out.printf(Locale.ROOT, "%s: %.1f ns/op over %d ops%n", path, ns / (double) ops / per, ops * per);
        }
    }

    private static Runnable componentOp(String path, Components c) {
        switch (path) {
            case "component-add-call":
                return () -> c.add.call(c.addA, c.addB);
            case "component-add-values":
                return () -> c.add.callValues(c.addAValue, c.addBValue);
            case "component-string-call":
                return () -> c.echoString.call(Components.STRING_1K);
            case "component-string-values":
                return () -> c.echoString.callValues(c.stringValue);
            case "component-record-call":
                return () -> c.echoRecord.call(c.record);
            case "component-record-values":
                return () -> c.echoRecord.callValues(c.recordValue);
            case "component-bytes-call":
                return () -> c.echoBytes.call((Object) c.bytes);
            case "component-bytes-values":
                return () -> c.echoBytes.callValues(c.bytesValue);
            default:
                throw new IllegalArgumentException("unknown path " + path);
        }
    }

    private static Runnable op(String path, Wasmbridge w) {
        switch (path) {
            case "noop":
                return JniFloor::noop;
            case "generic":
                return () -> w.add.call(40, 2);
            case "raw":
                return () -> w.add.callRaw(40, 2);
            case "typed":
                return () -> w.addTyped.applyAsInt(40, 2);
            case "host-generic":
                return () -> w.hostLoopGeneric.applyAsInt(Kernels.HOST_CALLS);
            case "host-typed":
                return () -> w.hostLoopTyped.applyAsInt(Kernels.HOST_CALLS);
            case "instantiate-pre":
            case "instantiate-pooling": {
                Engine engine = path.endsWith("pooling") ? Wasmbridge.pooledEngine() : w.engine;
                Module calls = Module.fromBytes(engine, Kernels.wasm("calls"));
                InstancePre pre = Wasmbridge.prepare(engine, calls);
                return () -> {
                    try (Store store = Store.create(engine)) {
                        pre.instantiate(store).function("add").as(IntBinaryOperator.class).applyAsInt(1, 2);
                    }
                };
            }
            default:
                throw new IllegalArgumentException("unknown path " + path);
        }
    }
}
