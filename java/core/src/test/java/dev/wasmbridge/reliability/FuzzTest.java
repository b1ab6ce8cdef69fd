package dev.wasmbridge.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wasmbridge.CompileException;
import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.ExportType;
import dev.wasmbridge.Extern;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.Function;
import dev.wasmbridge.Global;
import dev.wasmbridge.GlobalType;
import dev.wasmbridge.Instance;
import dev.wasmbridge.InstancePre;
import dev.wasmbridge.LinkException;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Memory;
import dev.wasmbridge.Module;
import dev.wasmbridge.PoolingConfig;
import dev.wasmbridge.Store;
import dev.wasmbridge.StoreLimits;
import dev.wasmbridge.Table;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.V128;
import dev.wasmbridge.ValType;
import dev.wasmbridge.WasmException;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.component.ComponentFuncType;
import dev.wasmbridge.component.ComponentFunction;
import dev.wasmbridge.component.ComponentInstance;
import dev.wasmbridge.component.ComponentItem;
import dev.wasmbridge.component.ComponentLinker;
import dev.wasmbridge.component.RandomValues;
import dev.wasmbridge.component.Result;
import dev.wasmbridge.component.WitType;
import dev.wasmbridge.component.WitValue;
import dev.wasmbridge.component.WitVariant;
import dev.wasmbridge.wasi.WasiConfig;
import dev.wasmbridge.wasi.WasiExitException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random and mutated module bytes through {@code Module.validate}, {@code fromBytes}, instantiation
 * (a linker with WASI and host functions) and calls of every export with random arguments of the
 * right types, under fuel, a deadline and store limits. Only {@link WasmException}s (and, from the
 * embedder's own calls with bad numbers, the documented {@link IndexOutOfBoundsException} and
 * {@link IllegalArgumentException}) may come out; a crash ends the JVM, a hang trips the watchdog.
 *
 * <p>Inputs: the {@code tests/wat} fixtures and generated modules ({@link WatGenerator}), converted
 * with {@code Module.watToBinary} and mutated (bit flips, interesting bytes, LEB128 edge values,
 * inserted, deleted, duplicated and spliced ranges, truncation), plus plain random bytes with and
 * without a valid header. Every case derives its own seed from the run's seed and its number; the
 * run's seed is printed first and with any failure, and {@code -Dwasmbridge.fuzz.seed=S
 * -Dwasmbridge.fuzz.case=N} replays one case. Failing inputs are written to
 * {@code target/fuzz-failures/}; {@code target/fuzz-last-case.txt} names the case in progress (what a
 * JVM crash leaves behind).
 */
@Tag("reliability")
class FuzzTest {
    static final int CASES = Rel.intProp("wasmbridge.fuzz.iterations", 10_000);
    static final long SEED = Rel.longProp("wasmbridge.fuzz.seed", System.nanoTime() ^ 0x5DEECE66DL);
    static final int ONLY_CASE = Rel.intProp("wasmbridge.fuzz.case", -1);
    /** A case taking longer than this (in seconds) is a hang. */
    static final int HANG_SECONDS = Rel.intProp("wasmbridge.fuzz.hangSeconds", 30);

    static final byte[] HEADER = {0, 'a', 's', 'm', 1, 0, 0, 0};
    /** A component's preamble: version 0x0d, layer 1. */
    static final byte[] COMPONENT_HEADER = {0, 'a', 's', 'm', 0x0d, 0, 1, 0};
    /** Mutated component cases, at most; and the seconds they may take together (the cases are cut there). */
    static final int COMPONENT_CASES = Rel.intProp("wasmbridge.fuzz.componentIterations", 3_000);
    static final int COMPONENT_SECONDS = Rel.intProp("wasmbridge.fuzz.componentSeconds", 8);
    /** Random values per echo function (each echoed through callValues and call, plus wrong-typed ones). */
    static final int ECHO_ROUNDS = Rel.intProp("wasmbridge.fuzz.echoRounds", 40);

    private final Map<String, Long> outcomes = new TreeMap<>();
    private final List<byte[]> corpus = new ArrayList<>();
    private final List<String> corpusNames = new ArrayList<>();

    private void count(String outcome) {
        outcomes.merge(outcome, 1L, Long::sum);
    }

    /** A trap's code; for UNKNOWN (a failure without a Wasmtime trap code, e.g. from WASI) its message, digits masked. */
    static String describe(TrapException t) {
        if (t.code() != dev.wasmbridge.TrapCode.UNKNOWN) {
            return t.code().toString();
        }
        String m = String.valueOf(t.getMessage()).lines().findFirst().orElse("").replaceAll("[0-9]+", "#");
        return "UNKNOWN (" + (m.length() > 60 ? m.substring(0, 60) + "..." : m) + ")";
    }

    static long caseSeed(long seed, int n) {
        long z = seed + 0x9E3779B97F4A7C15L * (n + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Test
    void randomAndMutatedModulesNeverCrashOrHang() throws Exception {
        Rel.report("fuzz: seed %d, %d cases (replay: -Dwasmbridge.fuzz.seed=%d [-Dwasmbridge.fuzz.case=N])", SEED, CASES, SEED);
        for (String name : Rel.watNames()) {
            corpus.add(Module.watToBinary(Rel.wat(name)));
            corpusNames.add(name);
        }
        Path target = Path.of(System.getProperty("wasmbridge.fuzz.dir", "target"));
        Files.createDirectories(target);
        EngineConfig.Builder base = EngineConfig.builder().fuel(true).epochInterruption(true).parallelCompilation(false)
                .maxWasmStack(256 * 1024);
        AtomicReference<Store> running = new AtomicReference<>();
        AtomicLong caseStarted = new AtomicLong(System.nanoTime());
        AtomicReference<String> current = new AtomicReference<>("starting");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int[] done = {0};
        long t0 = System.nanoTime();
        // The cases run on their own thread, so that a hang (a case past HANG_SECONDS) fails the test with the case's
        // seed instead of blocking the build; a hung thread is a daemon and is left behind.
        Thread fuzz = new Thread(null, () -> {
            try {
                fuzzLoop(base, target, running, caseStarted, current, done, t0);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "fuzz", 8 << 20);
        fuzz.setDaemon(true);
        fuzz.start();
        boolean interrupted = false;
        while (fuzz.isAlive()) {
            fuzz.join(200);
            long seconds = (System.nanoTime() - caseStarted.get()) / 1_000_000_000L;
            if (seconds > HANG_SECONDS && !interrupted) {
                Store s = running.get();
                if (s != null) {
                    try {
                        s.interrupt();
                    } catch (RuntimeException closedMeanwhile) {
                        // the case ended
                    }
                }
                interrupted = true;
            }
            if (seconds > HANG_SECONDS + 10) {
                throw new AssertionError("fuzz hang: " + current.get() + " ran for more than " + seconds + " s (Store.interrupt()"
                        + " did not end it); replay with -Dwasmbridge.fuzz.seed=" + SEED + " -Dwasmbridge.fuzz.case=N as named");
            }
            if (seconds <= HANG_SECONDS) {
                interrupted = false;
            }
        }
        if (failure.get() instanceof Error) {
            throw (Error) failure.get();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Rel.report("fuzz: %d cases in %.1f s (%.0f cases/s), seed %d; outcomes %s", done[0], seconds, done[0] / seconds, SEED, outcomes);
        assertTrue(outcomes.getOrDefault("instantiated", 0L) > done[0] / 20, "too few cases got as far as an instance: " + outcomes);
        assertTrue(outcomes.getOrDefault("call returned", 0L) > 0, "no call ever returned: " + outcomes);
    }

    private void fuzzLoop(EngineConfig.Builder base, Path target, AtomicReference<Store> running, AtomicLong caseStarted,
            AtomicReference<String> current, int[] done, long t0) throws IOException {
        PoolingConfig pool = PoolingConfig.builder().totalInstances(32).totalMemories(32).totalTables(32)
                .maxMemorySize(32 << 20).tableElements(100_000).build();
        try (Engine signals = Engine.create(base.build());
                Engine checks = Engine.create(base.signalsBasedTraps(false).build());
                Engine pooled = Engine.create(base.signalsBasedTraps(true).pooling(pool).build());
                Linker linkerS = HostLinker.create(signals).defineWasi();
                Linker linkerC = HostLinker.create(checks).defineWasi();
                Linker linkerP = HostLinker.create(pooled).defineWasi();
                FileChannel last = FileChannel.open(target.resolve("fuzz-last-case.txt"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int n = 0; n < CASES; n++) {
                int caseNumber = ONLY_CASE >= 0 ? ONLY_CASE : n;
                if (ONLY_CASE >= 0 && n > 0) {
                    break;
                }
                Random rnd = new Random(caseSeed(SEED, caseNumber));
                String origin = "?";
                byte[] bytes = null;
                int which = rnd.nextInt(8);
                String engineName = which == 0 ? "explicit-checks" : which == 1 ? "pooling" : "signals";
                Engine engine = which == 0 ? checks : which == 1 ? pooled : signals;
                Linker linker = which == 0 ? linkerC : which == 1 ? linkerP : linkerS;
                last.write(ByteBuffer.wrap(String.format(Locale.ROOT, "seed=%d case=%d            %n", SEED, caseNumber)
                        .getBytes(StandardCharsets.US_ASCII)), 0);
                current.set("case " + caseNumber);
                caseStarted.set(System.nanoTime());
                try {
                    String[] originHolder = new String[1];
                    bytes = input(rnd, originHolder);
                    origin = originHolder[0];
                    current.set("case " + caseNumber + " (" + origin + ")");
                    runCase(engine, linker, bytes, rnd, running, current.get() + " on the " + engineName + " engine", which == 1);
                } catch (Throwable t) {
                    Path saved = bytes == null ? null : target.resolve("fuzz-failures").resolve("seed" + SEED + "-case" + caseNumber + ".wasm");
                    if (saved != null) {
                        Files.createDirectories(saved.getParent());
                        Files.write(saved, bytes);
                    }
                    StringWriter trace = new StringWriter();
                    t.printStackTrace(new PrintWriter(trace));
                    throw new AssertionError(String.format(Locale.ROOT, "fuzz case %d (%s, %s engine) threw %s; replay with"
                            + " -Dwasmbridge.fuzz.seed=%d -Dwasmbridge.fuzz.case=%d; input saved to %s%n%s", caseNumber, origin,
                            engineName, t, SEED, caseNumber, saved, trace), t);
                }
                done[0]++;
                if (done[0] % 2000 == 0) {
                    Rel.report("fuzz: %d cases, %.1f s", done[0], (System.nanoTime() - t0) / 1e9);
                }
            }
        }
    }

    /** Picks and makes one input. */
    private byte[] input(Random rnd, String[] origin) {
        int kind = rnd.nextInt(100);
        if (kind < 8) {
            origin[0] = "random bytes";
            byte[] b = new byte[rnd.nextInt(200)];
            rnd.nextBytes(b);
            if (rnd.nextBoolean() && b.length >= 8) {
                System.arraycopy(HEADER, 0, b, 0, 8);
                origin[0] = "random bytes after a header";
            }
            return b;
        }
        if (kind < 45) {
            String wat = new WatGenerator(rnd).generate();
            byte[] b;
            try {
                b = Module.watToBinary(wat);
            } catch (CompileException e) {
                throw new AssertionError("the generator wrote text that does not parse: " + e.getMessage() + "\n" + wat, e);
            }
            if (rnd.nextInt(3) == 0) {
                origin[0] = "generated, mutated";
                return mutate(b, rnd);
            }
            origin[0] = "generated";
            return b;
        }
        int i = rnd.nextInt(corpus.size());
        origin[0] = "fixture " + corpusNames.get(i) + ", mutated";
        return mutate(corpus.get(i), rnd);
    }

    /** One to eight mutations, mostly keeping the length (so section sizes stay plausible). */
    byte[] mutate(byte[] in, Random rnd) {
        return mutate(in, rnd, corpus, HEADER);
    }

    /** {@link #mutate(byte[], Random)} with pieces of {@code donors} spliced in, and {@code header} for an emptied input. */
    static byte[] mutate(byte[] in, Random rnd, List<byte[]> donors, byte[] header) {
        byte[] b = in.clone();
        int rounds = 1 + rnd.nextInt(rnd.nextBoolean() ? 2 : 8);
        for (int r = 0; r < rounds; r++) {
            if (b.length == 0) {
                b = header.clone();
            }
            int at = 8 + (b.length > 8 ? rnd.nextInt(b.length - 8) : 0);
            at = Math.min(at, b.length - 1);
            switch (rnd.nextInt(10)) {
                case 0:
                case 1:
                    b[at] ^= (byte) (1 << rnd.nextInt(8));
                    break;
                case 2:
                case 3: {
                    int[] interesting = {0x00, 0x01, 0x7f, 0x80, 0xff, 0x40, 0x41, 0x0b, 0x10, 0x11, 0x20, 0x28, 0x3f, 0x6f, 0x70, 0x7b, 0xfc, 0xfd};
                    b[at] = (byte) interesting[rnd.nextInt(interesting.length)];
                    break;
                }
                case 4: {
                    // an LEB128 edge value over the next bytes: max u32, 2^31, a long zero, ...
                    int[][] lebs = {{0xff, 0xff, 0xff, 0xff, 0x0f}, {0x80, 0x80, 0x80, 0x80, 0x08}, {0x80, 0x80, 0x80, 0x80, 0x00},
                        {0xff, 0xff, 0x03}, {0x80, 0x80, 0x04}, {0x7f}};
                    int[] leb = lebs[rnd.nextInt(lebs.length)];
                    for (int k = 0; k < leb.length && at + k < b.length; k++) {
                        b[at + k] = (byte) leb[k];
                    }
                    break;
                }
                case 5: {
                    byte[] ins = new byte[1 + rnd.nextInt(8)];
                    rnd.nextBytes(ins);
                    b = splice(b, at, 0, ins);
                    break;
                }
                case 6:
                    b = splice(b, at, Math.min(b.length - at, 1 + rnd.nextInt(16)), new byte[0]);
                    break;
                case 7: {
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(32));
                    byte[] copy = java.util.Arrays.copyOfRange(b, at, at + len);
                    // after the header if there is one (an earlier mutation may have cut the module shorter than 8 bytes)
                    b = splice(b, Math.min(b.length, 8 + rnd.nextInt(Math.max(1, b.length - 8))), 0, copy);
                    break;
                }
                case 8: {
                    // a piece of another corpus module
                    byte[] other = donors.get(rnd.nextInt(donors.size()));
                    if (other.length > 8) {
                        int from = 8 + rnd.nextInt(other.length - 8);
                        int len = Math.min(other.length - from, 1 + rnd.nextInt(40));
                        int replace = Math.min(b.length - at, rnd.nextInt(40));
                        b = splice(b, at, replace, java.util.Arrays.copyOfRange(other, from, from + len));
                    }
                    break;
                }
                default:
                    if (rnd.nextInt(3) == 0) {
                        b = java.util.Arrays.copyOf(b, at);
                    } else {
                        b[at] = (byte) rnd.nextInt(256);
                    }
                    break;
            }
        }
        return b;
    }

    static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    /**
     * validate, compile, instantiate and call. Every exception a well-behaved embedding expects is caught and counted
     * where it can occur; anything else (an unexpected exception type, an AssertionError) ends the run.
     */
    private void runCase(Engine engine, Linker linker, byte[] bytes, Random rnd, AtomicReference<Store> running, String current,
            boolean pooling) {
        boolean valid;
        try {
            Module.validate(engine, bytes);
            valid = true;
        } catch (CompileException e) {
            valid = false;
        }
        if (!valid) {
            count("invalid");
            if (rnd.nextInt(10) == 0) {
                // validate and compile agree
                try (Module m = Module.fromBytes(engine, bytes)) {
                    throw new AssertionError("validate refused a module that fromBytes compiled");
                } catch (CompileException expected) {
                    count("invalid, compile agreed");
                }
            }
            return;
        }
        Module module;
        try {
            module = Module.fromBytes(engine, bytes);
        } catch (CompileException e) {
            // allowed (the pooling allocator's slot sizes, an implementation limit), but worth a look: named in the report
            if (pooling) {
                count("does not fit the pool");
                return;
            }
            count("valid but not compiled");
            if (outcomes.get("valid but not compiled") <= 3) {
                Rel.report("fuzz: seed %d %s: validate accepted, fromBytes refused: %s", SEED, current, e.getMessage().lines().findFirst().orElse(""));
            }
            return;
        }
        try (module) {
            count("compiled");
            module.imports();
            List<ExportType> exports = module.exports();
            module.name();
            for (int round = 0; round < (rnd.nextInt(4) == 0 ? 2 : 1); round++) {
                try (Store store = Store.create(engine, "fuzz")) {
                    running.set(store);
                    store.setFuel(2_000_000);
                    store.setDeadline(Duration.ofSeconds(2));
                    store.setLimits(StoreLimits.builder().memorySize(32 << 20).tableElements(100_000).instances(10).tables(10).memories(10).build());
                    if (rnd.nextInt(4) == 0) {
                        store.setWasi(WasiConfig.builder().args("fuzz", "x").env("K", "V").captureStdout(4096).captureStderr(4096).build());
                    }
                    Instance instance;
                    try {
                        if (rnd.nextBoolean()) {
                            instance = linker.instantiate(store, module);
                        } else {
                            try (InstancePre pre = linker.prepare(module)) {
                                instance = pre.instantiate(store);
                            }
                        }
                    } catch (LinkException e) {
                        count("link error");
                        continue;
                    } catch (TrapException e) {
                        count("start trapped: " + describe(e));
                        continue;
                    } catch (WasiExitException e) {
                        count("start exited");
                        continue;
                    } catch (HostLinker.HostFailure e) {
                        count("start: host exception");
                        continue;
                    } catch (WasmException e) {
                        count("instantiate: " + e.getClass().getSimpleName());
                        continue;
                    }
                    count("instantiated");
                    exerciseExports(store, instance, exports, rnd);
                } finally {
                    running.set(null);
                }
            }
        }
    }

    private void exerciseExports(Store store, Instance instance, List<ExportType> exports, Random rnd) {
        instance.exports();
        for (ExportType export : exports) {
            Optional<Extern> found = instance.export(export.name());
            if (found.isEmpty()) {
                continue; // tags
            }
            Extern e = found.get();
            if (e instanceof Function) {
                Function f = (Function) e;
                for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
                    store.setFuel(2_000_000);
                    try {
                        call(f, rnd);
                        count("call returned");
                    } catch (TrapException t) {
                        count("trap: " + describe(t));
                    } catch (WasiExitException t) {
                        count("wasi exit");
                    } catch (HostLinker.HostFailure t) {
                        count("host exception");
                    } catch (WasmException t) {
                        count("call: " + t.getClass().getSimpleName());
                    } catch (IllegalArgumentException t) {
                        // only for reference parameters the fuzzer passes null to (a non-nullable reference type)
                        if (f.type().params().stream().noneMatch(ValType::isReference)) {
                            throw t;
                        }
                        count("null refused for a reference parameter");
                    }
                }
            } else if (e instanceof Memory) {
                Memory m = (Memory) e;
                long size = m.byteSize();
                m.pages();
                m.type();
                long at = rnd.nextBoolean() ? rnd.nextInt(70000) : rnd.nextLong();
                try {
                    m.writeInt(at, rnd.nextInt());
                    m.readLong(at);
                    m.read(at, 16);
                } catch (IndexOutOfBoundsException expected) {
                    count("memory access out of bounds");
                }
                try {
                    m.grow(rnd.nextInt(3));
                } catch (WasmException expected) {
                    count("memory.grow refused");
                }
                if (size > 0) {
                    ByteBuffer buffer = m.buffer();
                    buffer.get((int) Math.min(size - 1, Integer.MAX_VALUE));
                    m.isCurrent(buffer);
                }
            } else if (e instanceof Global) {
                Global g = (Global) e;
                GlobalType type = g.type();
                Object value = g.get();
                if (type.mutable()) {
                    try {
                        g.set(rnd.nextBoolean() ? value : randomValue(type.content(), rnd, g.store()));
                    } catch (IllegalArgumentException refused) {
                        if (!type.content().isReference()) {
                            throw refused;
                        }
                        count("null refused for a reference global");
                    }
                }
            } else if (e instanceof Table) {
                Table t = (Table) e;
                long size = t.size();
                t.type();
                try {
                    t.get(rnd.nextBoolean() ? rnd.nextInt((int) Math.min(size + 2, 1000)) : rnd.nextLong());
                } catch (IndexOutOfBoundsException expected) {
                    count("table access out of bounds");
                } catch (WasmException expected) {
                    count("table element cannot cross");
                }
                try {
                    t.grow(rnd.nextInt(3), null);
                } catch (WasmException expected) {
                    count("table.grow refused");
                } catch (IllegalArgumentException refused) {
                    count("null refused for a table");
                }
            }
        }
        if (rnd.nextInt(10) == 0) {
            try {
                store.capturedStdout();
            } catch (IllegalStateException notCaptured) {
                count("stdout not captured");
            }
        }
    }

    /** Calls with random arguments of the right types, through one of the three call paths. */
    private static void call(Function f, Random rnd) {
        FuncType type = f.type();
        boolean numeric = type.params().stream().noneMatch(ValType::isReference) && type.results().stream().noneMatch(ValType::isReference);
        if (numeric && rnd.nextInt(3) == 0) {
            int slots = type.params().stream().mapToInt(ValType::slots).sum();
            long[] raw = new long[slots];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = randomBits(rnd);
            }
            f.callRaw(raw);
            return;
        }
        if (type.equals(FuncType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32))) && rnd.nextBoolean()) {
            f.as(IntBinaryOperator.class).applyAsInt(rnd.nextInt(), rnd.nextInt());
            return;
        }
        if (type.equals(FuncType.of(List.of(), List.of())) && rnd.nextBoolean()) {
            f.as(Runnable.class).run();
            return;
        }
        Object[] args = new Object[type.params().size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = randomValue(type.params().get(i), rnd, f.store());
        }
        f.call(args);
    }

    static long randomBits(Random rnd) {
        long[] interesting = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 0x7FC00000L,
            0x7FF8000000000001L, 65536, 65535};
        return rnd.nextBoolean() ? interesting[rnd.nextInt(interesting.length)] : rnd.nextLong();
    }

    static Object randomValue(ValType t, Random rnd, Store store) {
        long bits = randomBits(rnd);
        switch (t) {
            case I32:
                return (int) bits;
            case I64:
                return bits;
            case F32:
                return Float.intBitsToFloat((int) bits);
            case F64:
                return Double.longBitsToDouble(bits);
            case V128:
                return new V128(bits, randomBits(rnd));
            case EXTERNREF:
                return rnd.nextBoolean() ? null : "extern-" + bits;
            default:
                return null; // funcref and the others: null is always of the right type
        }
    }

    // ---------------------------------------------------------------- components

    /** The {@code tests/components} fixtures, by name, as binaries (one that does not parse is left out, named). */
    static Map<String, byte[]> componentCorpus() throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (java.util.stream.Stream<Path> files = Files.list(Rel.fixtures().resolve("components"))) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".wat")).sorted()::iterator) {
                String name = p.getFileName().toString();
                try {
                    out.put(name.substring(0, name.length() - 4), Module.watToBinary(Files.readString(p)));
                } catch (CompileException e) {
                    // its own tests say so; here it is only one input less
                    Rel.report("component fuzz: fixture %s left out, it does not parse: %s", name,
                            e.getMessage().lines().findFirst().orElse(""));
                }
            }
        }
        assertTrue(out.keySet().containsAll(List.of("echo", "misc", "resources")), out.keySet().toString());
        return out;
    }

    /**
     * Mutated component binaries (the {@code tests/components} fixtures) and random bytes after a component header
     * through {@code Component.validate} and {@code fromBytes}: a {@link CompileException} or a working component, which
     * is then typed, instantiated (unknown imports as traps, WASI) and whose root functions are called with random values
     * of their types. Only {@link WasmException}s may come out (and {@code wit()}'s documented IllegalArgumentException).
     * Each case has its seed from the run's; the cases stop after {@code wasmbridge.fuzz.componentSeconds}.
     */
    @Test
    @Timeout(180)
    void randomAndMutatedComponentsNeverCrash() throws Exception {
        Map<String, byte[]> fixtures = componentCorpus();
        List<String> names = new ArrayList<>(fixtures.keySet());
        List<byte[]> donors = new ArrayList<>(fixtures.values());
        Rel.report("component fuzz: seed %d, up to %d cases in %d s (replay: -Dwasmbridge.fuzz.seed=%d [-Dwasmbridge.fuzz.case=N])",
                SEED, COMPONENT_CASES, COMPONENT_SECONDS, SEED);
        Map<String, Long> seen = new TreeMap<>();
        long t0 = System.nanoTime();
        long budget = COMPONENT_SECONDS * 1_000_000_000L;
        int done = 0;
        PoolingConfig pool = PoolingConfig.builder().totalInstances(16).totalMemories(16).totalTables(16)
                .maxMemorySize(16 << 20).tableElements(10_000).build();
        EngineConfig.Builder base = EngineConfig.builder().fuel(true).epochInterruption(true).parallelCompilation(false)
                .maxWasmStack(256 * 1024);
        try (Engine plain = Engine.create(base.build()); Engine pooled = Engine.create(base.pooling(pool).build())) {
            for (int n = 0; n < COMPONENT_CASES && System.nanoTime() - t0 < budget; n++) {
                int caseNumber = ONLY_CASE >= 0 ? ONLY_CASE : n;
                if (ONLY_CASE >= 0 && n > 0) {
                    break;
                }
                Random rnd = new Random(caseSeed(SEED ^ 0xC0FFEEL, caseNumber));
                byte[] bytes;
                String origin;
                if (rnd.nextInt(10) == 0) {
                    bytes = new byte[8 + rnd.nextInt(200)];
                    rnd.nextBytes(bytes);
                    System.arraycopy(COMPONENT_HEADER, 0, bytes, 0, 8);
                    origin = "random bytes after a component header";
                } else {
                    String name = names.get(rnd.nextInt(names.size()));
                    bytes = mutate(fixtures.get(name), rnd, donors, COMPONENT_HEADER);
                    origin = "fixture " + name + ", mutated";
                }
                boolean pooling = rnd.nextInt(4) == 0;
                try {
                    runComponentCase(pooling ? pooled : plain, bytes, rnd, seen);
                } catch (Throwable t) {
                    Path saved = Path.of(System.getProperty("wasmbridge.fuzz.dir", "target")).resolve("fuzz-failures")
                            .resolve("seed" + SEED + "-component-case" + caseNumber + ".wasm");
                    Files.createDirectories(saved.getParent());
                    Files.write(saved, bytes);
                    throw new AssertionError(String.format(Locale.ROOT, "component fuzz case %d (%s, %s engine) threw %s; replay"
                            + " with -Dwasmbridge.fuzz.seed=%d -Dwasmbridge.fuzz.case=%d; input saved to %s", caseNumber, origin,
                            pooling ? "pooling" : "plain", t, SEED, caseNumber, saved), t);
                }
                done++;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Rel.report("component fuzz: %d cases in %.1f s, seed %d; outcomes %s", done, seconds, SEED, seen);
        if (ONLY_CASE < 0) {
            assertTrue(done >= Math.min(COMPONENT_CASES, 20), "too few cases in the time: " + done);
            assertTrue(seen.getOrDefault("invalid", 0L) > 0 && seen.getOrDefault("compiled", 0L) > 0,
                    "both invalid and compiled components expected: " + seen);
        }
    }

    private static void runComponentCase(Engine engine, byte[] bytes, Random rnd, Map<String, Long> seen) {
        boolean valid;
        try {
            Component.validate(engine, bytes);
            valid = true;
        } catch (CompileException e) {
            valid = false;
        }
        Component component;
        try {
            component = Component.fromBytes(engine, bytes);
        } catch (CompileException e) {
            if (valid) {
                // allowed under the pool (a memory that does not fit a slot); named in the outcomes either way
                seen.merge("valid but not compiled", 1L, Long::sum);
            } else {
                seen.merge("invalid", 1L, Long::sum);
            }
            return;
        }
        try (component) {
            if (!valid) {
                throw new AssertionError("validate refused a component that fromBytes compiled");
            }
            seen.merge("compiled", 1L, Long::sum);
            dev.wasmbridge.component.ComponentType type = component.type();
            try {
                component.wit();
            } catch (IllegalArgumentException documented) {
                seen.merge("wit not decoded", 1L, Long::sum);
            }
            try (ComponentLinker linker = ComponentLinker.create(engine)) {
                linker.defineWasi();
                linker.defineUnknownImportsAsTraps(component);
                try (Store store = Store.create(engine)) {
                    store.setFuel(2_000_000);
                    store.setDeadline(Duration.ofSeconds(2));
                    store.setLimits(StoreLimits.builder().memorySize(16 << 20).tableElements(10_000).instances(20).tables(20)
                            .memories(20).build());
                    ComponentInstance instance;
                    try {
                        instance = rnd.nextBoolean() ? linker.instantiate(store, component)
                                : prepareAndInstantiate(linker, component, store);
                    } catch (WasmException e) {
                        seen.merge("instantiate: " + e.getClass().getSimpleName(), 1L, Long::sum);
                        return;
                    }
                    seen.merge("instantiated", 1L, Long::sum);
                    for (Map.Entry<String, ComponentItem> export : type.exports().entrySet()) {
                        if (!(export.getValue() instanceof ComponentItem.Function)) {
                            continue;
                        }
                        ComponentFuncType ft = ((ComponentItem.Function) export.getValue()).type();
                        if (ft.isAsync() || !ft.params().stream().allMatch(p -> generable(p.type()))) {
                            continue;
                        }
                        ComponentFunction f;
                        try {
                            f = instance.function(export.getKey());
                        } catch (IllegalArgumentException e) {
                            // Wasmtime's types describe an exported function *type* as a function; the lookup says so.
                            if (!e.getMessage().contains("is not a function")) {
                                throw e;
                            }
                            seen.merge("function type exported", 1L, Long::sum);
                            continue;
                        }
                        WitValue[] args = new WitValue[ft.params().size()];
                        for (int i = 0; i < args.length; i++) {
                            args[i] = RandomValues.of(ft.params().get(i).type(), rnd, 2);
                        }
                        try {
                            f.callValues(args);
                            seen.merge("call returned", 1L, Long::sum);
                        } catch (TrapException e) {
                            seen.merge("call trapped", 1L, Long::sum);
                        } catch (WasmException e) {
                            seen.merge("call: " + e.getClass().getSimpleName(), 1L, Long::sum);
                        }
                    }
                }
            }
        }
    }

    private static ComponentInstance prepareAndInstantiate(ComponentLinker linker, Component component, Store store) {
        try (dev.wasmbridge.component.ComponentInstancePre pre = linker.prepare(component)) {
            return pre.instantiate(store);
        }
    }

    /** Whether {@link RandomValues} makes values of {@code t}: everything but resources and unsupported types. */
    static boolean generable(WitType t) {
        switch (t.kind()) {
            case OWN:
            case BORROW:
            case UNSUPPORTED:
                return false;
            case LIST:
                return generable(((WitType.ListOf) t).element());
            case RECORD:
                return ((WitType.Record) t).fields().stream().allMatch(f -> generable(f.type()));
            case TUPLE:
                return ((WitType.Tuple) t).types().stream().allMatch(FuzzTest::generable);
            case VARIANT:
                return ((WitType.Variant) t).cases().stream().allMatch(c -> c.type().map(FuzzTest::generable).orElse(true));
            case OPTION:
                return generable(((WitType.Option) t).type());
            case RESULT:
                return ((WitType.Result) t).ok().map(FuzzTest::generable).orElse(true)
                        && ((WitType.Result) t).err().map(FuzzTest::generable).orElse(true);
            default:
                return true;
        }
    }

    /**
     * Whether the exact value {@code v} is a value of {@code t} (structurally: the value model does not name types, so a
     * value made for one type may fit another, such as an empty list or option).
     */
    static boolean fits(WitValue v, WitType t) {
        switch (t.kind()) {
            case BOOL:
                return v instanceof WitValue.Bool;
            case S8:
                return v instanceof WitValue.S8;
            case U8:
                return v instanceof WitValue.U8;
            case S16:
                return v instanceof WitValue.S16;
            case U16:
                return v instanceof WitValue.U16;
            case S32:
                return v instanceof WitValue.S32;
            case U32:
                return v instanceof WitValue.U32;
            case S64:
                return v instanceof WitValue.S64;
            case U64:
                return v instanceof WitValue.U64;
            case F32:
                return v instanceof WitValue.F32;
            case F64:
                return v instanceof WitValue.F64;
            case CHAR:
                return v instanceof WitValue.Char;
            case STRING:
                return v instanceof WitValue.Str;
            case LIST: {
                WitType element = ((WitType.ListOf) t).element();
                if (v instanceof WitValue.Bytes) {
                    return element.kind() == WitType.Kind.U8;
                }
                return v instanceof WitValue.ListOf && ((WitValue.ListOf) v).elements().stream().allMatch(e -> fits(e, element));
            }
            case RECORD: {
                List<WitType.Field> fields = ((WitType.Record) t).fields();
                if (!(v instanceof WitValue.Record) || ((WitValue.Record) v).fields().size() != fields.size()) {
                    return false;
                }
                List<WitValue.FieldValue> values = ((WitValue.Record) v).fields();
                for (int i = 0; i < fields.size(); i++) {
                    if (!values.get(i).name().equals(fields.get(i).name()) || !fits(values.get(i).value(), fields.get(i).type())) {
                        return false;
                    }
                }
                return true;
            }
            case TUPLE: {
                List<WitType> types = ((WitType.Tuple) t).types();
                if (!(v instanceof WitValue.Tuple) || ((WitValue.Tuple) v).values().size() != types.size()) {
                    return false;
                }
                for (int i = 0; i < types.size(); i++) {
                    if (!fits(((WitValue.Tuple) v).values().get(i), types.get(i))) {
                        return false;
                    }
                }
                return true;
            }
            case VARIANT: {
                if (!(v instanceof WitValue.Variant)) {
                    return false;
                }
                WitValue.Variant x = (WitValue.Variant) v;
                return ((WitType.Variant) t).cases().stream().anyMatch(c -> c.name().equals(x.caseName())
                        && c.type().isPresent() == x.payload().isPresent()
                        && (c.type().isEmpty() || fits(x.payload().get(), c.type().get())));
            }
            case ENUM:
                return v instanceof WitValue.Enum && ((WitType.Enum) t).names().contains(((WitValue.Enum) v).caseName());
            case OPTION:
                return v instanceof WitValue.Option
                        && ((WitValue.Option) v).value().map(x -> fits(x, ((WitType.Option) t).type())).orElse(true);
            case RESULT: {
                if (!(v instanceof WitValue.Result)) {
                    return false;
                }
                WitValue.Result x = (WitValue.Result) v;
                Optional<WitType> side = x.isOk() ? ((WitType.Result) t).ok() : ((WitType.Result) t).err();
                return side.isPresent() == x.value().isPresent() && (side.isEmpty() || fits(x.value().get(), side.get()));
            }
            case FLAGS:
                return v instanceof WitValue.Flags && ((WitType.Flags) t).names().containsAll(((WitValue.Flags) v).names());
            default:
                return false;
        }
    }

    /**
     * The one representation of {@code v} (which {@link #fits} {@code t}) that a call gives back: a {@code list<u8>} as
     * {@link WitValue.Bytes}, whichever way it was passed.
     */
    static WitValue canonical(WitValue v, WitType t) {
        switch (t.kind()) {
            case LIST: {
                WitType element = ((WitType.ListOf) t).element();
                if (v instanceof WitValue.Bytes) {
                    return v;
                }
                List<WitValue> elements = ((WitValue.ListOf) v).elements();
                if (element.kind() == WitType.Kind.U8) {
                    byte[] b = new byte[elements.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = (byte) ((WitValue.U8) elements.get(i)).value();
                    }
                    return new WitValue.Bytes(b);
                }
                List<WitValue> out = new ArrayList<>();
                elements.forEach(e -> out.add(canonical(e, element)));
                return new WitValue.ListOf(out);
            }
            case RECORD: {
                List<WitType.Field> fields = ((WitType.Record) t).fields();
                List<WitValue.FieldValue> out = new ArrayList<>();
                for (int i = 0; i < fields.size(); i++) {
                    WitValue.FieldValue f = ((WitValue.Record) v).fields().get(i);
                    out.add(new WitValue.FieldValue(f.name(), canonical(f.value(), fields.get(i).type())));
                }
                return new WitValue.Record(out);
            }
            case TUPLE: {
                List<WitType> types = ((WitType.Tuple) t).types();
                List<WitValue> out = new ArrayList<>();
                for (int i = 0; i < types.size(); i++) {
                    out.add(canonical(((WitValue.Tuple) v).values().get(i), types.get(i)));
                }
                return new WitValue.Tuple(out);
            }
            case VARIANT: {
                WitValue.Variant x = (WitValue.Variant) v;
                WitType.Case c = ((WitType.Variant) t).cases().stream().filter(k -> k.name().equals(x.caseName())).findFirst()
                        .orElseThrow();
                return new WitValue.Variant(x.caseName(), x.payload().map(p -> canonical(p, c.type().orElseThrow())));
            }
            case OPTION:
                return new WitValue.Option(((WitValue.Option) v).value().map(x -> canonical(x, ((WitType.Option) t).type())));
            case RESULT: {
                WitValue.Result x = (WitValue.Result) v;
                WitType.Result r = (WitType.Result) t;
                return new WitValue.Result(x.isOk(), x.value().map(p -> canonical(p, (x.isOk() ? r.ok() : r.err()).orElseThrow())));
            }
            default:
                return v;
        }
    }

    /** A natural value with its arrays as lists, so that equals compares contents. */
    static Object comparable(Object v) {
        if (v instanceof byte[]) {
            byte[] b = (byte[]) v;
            List<Byte> out = new ArrayList<>(b.length);
            for (byte x : b) {
                out.add(x);
            }
            return List.of("bytes", out);
        }
        if (v instanceof List) {
            List<Object> out = new ArrayList<>();
            ((List<?>) v).forEach(x -> out.add(comparable(x)));
            return out;
        }
        if (v instanceof Map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            ((Map<?, ?>) v).forEach((k, x) -> out.put(k, comparable(x)));
            return out;
        }
        if (v instanceof Optional) {
            return ((Optional<?>) v).map(FuzzTest::comparable);
        }
        if (v instanceof WitVariant) {
            return new WitVariant(((WitVariant) v).caseName(), comparable(((WitVariant) v).value()));
        }
        if (v instanceof Result.Ok<?, ?> ok) {
            return Result.ok(comparable(ok.value()));
        }
        if (v instanceof Result.Err<?, ?> err) {
            return Result.err(comparable(err.error()));
        }
        return v;
    }

    /**
     * Every export of {@code tests/components/echo.wat} called with random values of its type (RandomValues, edge values
     * favoured): through {@code callValues} the echo equals the input exactly; through {@code call} with the natural form
     * (the first echo's) the echo equals it too, and a {@link WitValue} passed to {@code call} comes back as its natural
     * form. A random value of another function's type is an IllegalArgumentException (unless it happens to fit, as an
     * empty list does: then it echoes), after which the store still works. The host side echoes through the natural
     * mapping.
     */
    @Test
    @Timeout(120)
    void randomComponentValuesEchoAndWrongTypesAreRefused() throws Exception {
        long seed = SEED ^ 0xEC40L;
        Rel.report("component echo fuzz: seed %d (-Dwasmbridge.fuzz.seed=%d), %d rounds per function", seed, SEED, ECHO_ROUNDS);
        Random rnd = new Random(seed);
        String guest = "test:echo/guest";
        Map<String, Long> counts = new TreeMap<>();
        try (Engine engine = Engine.create(EngineConfig.builder().parallelCompilation(false).build());
                Component echo = Component.fromPath(engine, Rel.fixtures().resolve("components").resolve("echo.wat"));
                ComponentLinker linker = ComponentLinker.create(engine)) {
            Map<String, ComponentItem> items = ((ComponentItem.Instance) echo.type().exports().get(guest)).items();
            List<String> functions = new ArrayList<>();
            items.forEach((name, item) -> {
                if (item instanceof ComponentItem.Function) {
                    functions.add(name);
                }
            });
            assertEquals(30, functions.size(), functions.toString());
            ComponentLinker.Instance host = linker.instance("test:echo/host");
            for (String name : functions) {
                if (rnd.nextBoolean()) {
                    host.defineFunction(name, (caller, args) -> args[0]);
                } else {
                    host.defineFunctionValues(name, (caller, args) -> args[0]);
                }
            }
            try (Store store = Store.create(engine)) {
                ComponentInstance instance = linker.instantiate(store, echo);
                for (int round = 0; round < ECHO_ROUNDS; round++) {
                    for (String name : functions) {
                        ComponentFunction f = instance.function(guest, name);
                        WitType type = f.type().params().get(0).type();
                        WitValue v = RandomValues.of(type, rnd, 3);
                        String what = name + " round " + round + " (seed " + seed + ") with " + v;
                        assertEquals(v, f.callValues(v), what + " through callValues");
                        Object natural = f.call(v);
                        assertEquals(comparable(natural), comparable(f.call(natural)), what + " through call, natural " + natural);
                        counts.merge("echoed", 3L, Long::sum);
                        // a value of another function's type
                        String otherName = functions.get(rnd.nextInt(functions.size()));
                        WitType otherType = instance.function(guest, otherName).type().params().get(0).type();
                        WitValue wrong = RandomValues.of(otherType, rnd, 3);
                        String wrongWhat = name + " (" + type + ") given a value of " + otherName + " (" + otherType + "): " + wrong
                                + " (seed " + seed + ", round " + round + ")";
                        if (fits(wrong, type)) {
                            assertEquals(canonical(wrong, type), f.callValues(wrong), wrongWhat);
                            counts.merge("other type, fits", 1L, Long::sum);
                        } else {
                            for (int via = 0; via < 2; via++) {
                                try {
                                    if (via == 0) {
                                        f.callValues(wrong);
                                    } else {
                                        f.call(wrong);
                                    }
                                    fail(wrongWhat + ": accepted by " + (via == 0 ? "callValues" : "call"));
                                } catch (IllegalArgumentException expected) {
                                    counts.merge("other type, refused", 1L, Long::sum);
                                }
                            }
                        }
                    }
                }
                // still healthy after all the refusals
                assertEquals(new WitValue.U32(7), instance.function(guest, "echo-u32").callValues(new WitValue.U32(7)));
            }
        }
        Rel.report("component echo fuzz: %s", counts);
        assertTrue(counts.getOrDefault("other type, refused", 0L) > 0, counts.toString());
    }
}
