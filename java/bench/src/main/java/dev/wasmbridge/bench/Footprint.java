package dev.wasmbridge.bench;

import java.util.function.IntBinaryOperator;
import dev.wasmbridge.Engine;
import dev.wasmbridge.InstancePre;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Memory and time per live instance: creates N instances of the small {@code calls} module (default 1000),
 * each in its own store or context and called once (the per-request shape), keeps them all alive, and
 * prints one JSON line with the growth of the process's resident set (native memory; run with a fixed,
 * pre-touched heap, {@code -Xms1g -Xmx1g -XX:+AlwaysPreTouch}, so that the Java heap is already resident) and
 * of the Java heap in use after a full GC.
 *
 * <pre>java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp benchmarks.jar dev.wasmbridge.bench.Footprint RUNTIME [N]</pre>
 *
 * RUNTIME: {@code wasmbridge}, {@code wasmbridge-pooling}, {@code endive-interpreter}, {@code endive-compiler},
 * {@code chicory-interpreter}, {@code chicory-compiler}, {@code graalwasm} or {@code wasmtime-java}. One runtime per JVM.
 */
public final class Footprint {
    private Footprint() {
    }

    /**
     * Runs the measurement.
     *
     * @param args the runtime and optionally the number of instances
     * @throws Exception if the measurement fails
     */
    public static void main(String[] args) throws Exception {
        String runtime = args.length > 0 ? args[0] : "wasmbridge";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        List<AutoCloseable> live = new ArrayList<>(n);
        Supplier<AutoCloseable> make = factory(runtime);
        // Warm up the code paths (and the JIT) on instances that are dropped again.
        for (int i = 0; i < 50; i++) {
            make.get().close();
        }
        settle();
        long rssBefore = rssKib();
        long heapBefore = heapUsed();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            live.add(make.get());
        }
        long elapsed = System.nanoTime() - t0;
        settle();
        long rssAfter = rssKib();
        long heapAfter = heapUsed();
        System.out.printf(Locale.ROOT,
                "{\"runtime\": \"%s\", \"instances\": %d, \"native_kib_per_instance\": %.2f, \"heap_kib_per_instance\": %.2f,"
                        + " \"us_per_instance\": %.2f}%n",
                runtime, n, (rssAfter - rssBefore) / (double) n, (heapAfter - heapBefore) / 1024.0 / n,
                elapsed / 1000.0 / n);
        Collections.reverse(live);
        for (AutoCloseable c : live) {
            c.close();
        }
    }

    private static Supplier<AutoCloseable> factory(String runtime) {
        switch (runtime) {
            case "wasmbridge":
            case "wasmbridge-pooling": {
                Engine engine = runtime.equals("wasmbridge") ? Engine.create() : Wasmbridge.pooledEngine();
                Module calls = Module.fromBytes(engine, Kernels.wasm("calls"));
                InstancePre pre = Wasmbridge.prepare(engine, calls);
                return () -> {
                    Store store = Store.create(engine);
                    pre.instantiate(store).function("add").as(IntBinaryOperator.class).applyAsInt(1, 2);
                    return store;
                };
            }
            case "endive-interpreter":
            case "endive-compiler": {
                Endive e = new Endive(runtime.equals("endive-compiler"));
                return () -> {
                    run.endive.runtime.Instance i = e.newCalls();
                    i.export("add").apply(1, 2);
                    // The instance lives on the Java heap; the closeable keeps it reachable.
                    return () -> java.util.Objects.requireNonNull(i);
                };
            }
            case "chicory-interpreter":
            case "chicory-compiler": {
                Chicory c = new Chicory(runtime.equals("chicory-compiler"));
                return () -> {
                    com.dylibso.chicory.runtime.Instance i = c.newCalls();
                    i.export("add").apply(1, 2);
                    // The instance lives on the Java heap; the closeable keeps it reachable.
                    return () -> java.util.Objects.requireNonNull(i);
                };
            }
            case "graalwasm": {
                Graal g = new Graal();
                return () -> {
                    org.graalvm.polyglot.Context c = g.newContext();
                    c.eval(g.callsSource).getMember("add").execute(1, 2);
                    return c;
                };
            }
            case "wasmtime-java": {
                WasmtimeJava k = new WasmtimeJava();
                return () -> {
                    io.github.kawamuray.wasmtime.Store<Void> store = new io.github.kawamuray.wasmtime.Store<>(null, k.engine);
                    io.github.kawamuray.wasmtime.Instance i = new io.github.kawamuray.wasmtime.Instance(store, k.calls,
                            Collections.emptyList());
                    io.github.kawamuray.wasmtime.WasmFunctions.func(store, i.getFunc(store, "add").get(),
                            io.github.kawamuray.wasmtime.WasmValType.I32, io.github.kawamuray.wasmtime.WasmValType.I32,
                            io.github.kawamuray.wasmtime.WasmValType.I32).call(1, 2);
                    return () -> {
                        i.close();
                        store.close();
                    };
                };
            }
            default:
                throw new IllegalArgumentException("unknown runtime " + runtime);
        }
    }

    private static void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").trim());
            }
        }
        return 0;
    }
}
