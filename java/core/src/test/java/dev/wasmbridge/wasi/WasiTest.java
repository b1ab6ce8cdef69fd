package dev.wasmbridge.wasi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Instance;
import dev.wasmbridge.LinkException;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.TrapException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WASI preview 1 end to end: the C programs of tests/c (compiled by scripts/build-wasm-tests.sh into
 * the directory named by the system property wasmbridge.testWasm) and the WAT probes of tests/wat.
 */
@Timeout(60)
class WasiTest {
    static Engine engine;
    static final Map<String, Module> MODULES = new ConcurrentHashMap<>();

    @BeforeAll
    static void setUp() {
        engine = Engine.create();
    }

    @AfterAll
    static void tearDown() {
        MODULES.values().forEach(Module::close);
        MODULES.clear();
        engine.close();
    }

    static Path wasmDir() {
        return Path.of(System.getProperty("wasmbridge.testWasm", "target/test-wasm")).toAbsolutePath();
    }

    static Path watDir() {
        return Path.of(System.getProperty("wasmbridge.fixtures", "../../tests")).toAbsolutePath().resolve("wat");
    }

    /** A compiled C program of tests/c, compiled once per test class. */
    static Module program(String name) {
        return MODULES.computeIfAbsent(name, n -> {
            Path path = wasmDir().resolve(n + ".wasm");
            assertTrue(Files.isRegularFile(path), "missing " + path + ": run scripts/build-wasm-tests.sh");
            return Module.fromPath(engine, path);
        });
    }

    static Module wat(String name) {
        return MODULES.computeIfAbsent("wat:" + name, n -> Module.fromPath(engine, watDir().resolve(name + ".wat")));
    }

    /** How a program ended and what it wrote (captured streams only; null otherwise). */
    record Run(Integer exitCode, String stdout, String stderr) {
        /** The exit code: 0 when {@code _start} returned without proc_exit. */
        int code() {
            return exitCode == null ? 0 : exitCode;
        }

        List<String> lines() {
            return stdout.lines().collect(Collectors.toList());
        }
    }

    /** Runs a program's {@code _start} in a fresh store with {@code config}. */
    static Run run(String program, WasiConfig config) {
        try (Store store = Store.create(engine); Linker linker = Linker.create(engine).defineWasi()) {
            store.setWasi(config);
            Instance instance = linker.instantiate(store, program(program));
            Integer exit = null;
            try {
                Object[] results = instance.function("_start").call();
                assertEquals(0, results.length);
            } catch (WasiExitException e) {
                exit = e.exitCode();
            }
            String out = config.stdoutMode() == WasiConfig.StreamMode.MEMORY
                    ? new String(store.capturedStdout(), UTF_8) : null;
            String err = config.stderrMode() == WasiConfig.StreamMode.MEMORY
                    ? new String(store.capturedStderr(), UTF_8) : null;
            return new Run(exit, out, err);
        }
    }

    static WasiConfig.Builder captured(String... args) {
        return WasiConfig.builder().args(args).captureStdout().captureStderr();
    }

    // Arguments and environment

    @Test
    void argumentsReachTheProgramExactly() {
        Run r = run("args", captured("args.wasm", "one", "two words", "", "ünïcødé ✓").build());
        assertEquals(0, r.code());
        assertEquals(List.of("argc=5", "argv[0]=args.wasm", "argv[1]=one", "argv[2]=two words", "argv[3]=",
                "argv[4]=ünïcødé ✓"), r.lines());
    }

    @Test
    void noArgumentsMeansArgcZero() {
        Run r = run("args", WasiConfig.builder().captureStdout().build());
        assertEquals("argc=0\n", r.stdout());
    }

    @Test
    void explicitEnvironmentIsAllTheProgramSees() {
        WasiConfig config = captured("env").env("A", "1").env("B", "two words=x").env("A", "replaced").build();
        Run r = run("env", config);
        assertEquals(List.of("A=replaced", "B=two words=x"), r.lines());
        assertEquals("2 variables\n", r.stderr());
        assertEquals(Map.of("A", "replaced", "B", "two words=x"), config.env());
    }

    @Test
    void inheritedEnvironmentIsTheProcesssWithExplicitVariablesWinning() {
        Map<String, String> expected = new HashMap<>(System.getenv());
        assertTrue(expected.containsKey("PATH"), "the test needs PATH in the environment");
        Run r = run("env", captured("env").inheritEnv().env("PATH", "/override").env("WASMBRIDGE_EXTRA", "x")
                .build());
        expected.put("PATH", "/override");
        expected.put("WASMBRIDGE_EXTRA", "x");
        // Each variable once: the explicit PATH replaced the inherited one instead of being added to it.
        assertEquals(expected.size() + " variables\n", r.stderr());
        Map<String, String> seen = new HashMap<>();
        for (String line : r.lines()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                seen.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        // Values with line breaks cannot be told apart in the output; every other variable must match.
        expected.entrySet().removeIf(e -> e.getValue().contains("\n"));
        seen.keySet().retainAll(expected.keySet());
        assertEquals(expected, seen);
        Run single = run("env", captured("env", "PATH", "NOT_SET_ANYWHERE").inheritEnv().env("PATH", "/override")
                .build());
        assertEquals(List.of("PATH=/override", "NOT_SET_ANYWHERE unset"), single.lines());
    }

    @Test
    void builderRefusesWhatCStringsCannotCarry() {
        WasiConfig.Builder b = WasiConfig.builder();
        assertThrows(IllegalArgumentException.class, () -> b.args("a\0b"));
        assertThrows(IllegalArgumentException.class, () -> b.env("A=B", "x"));
        assertThrows(IllegalArgumentException.class, () -> b.env("", "x"));
        assertThrows(IllegalArgumentException.class, () -> b.env("A", "x\0"));
        assertThrows(NullPointerException.class, () -> b.args((String) null));
        assertThrows(IllegalArgumentException.class, () -> b.preopenDir(Path.of("/tmp"), "", false));
        assertThrows(IllegalArgumentException.class, () -> b.captureStdout(-1));
    }

    // Standard streams

    static byte[] payload(int size) {
        byte[] b = new byte[size];
        new Random(42).nextBytes(b);
        return b;
    }

    @Test
    void stdinFromBytesIsEchoedToCapturedStdout() {
        byte[] input = payload(100_000);
        try (Store store = Store.create(engine); Linker linker = Linker.create(engine).defineWasi()) {
            store.setWasi(WasiConfig.builder().stdin(input).captureStdout().captureStderr().build());
            linker.instantiate(store, program("echo")).function("_start").call();
            assertArrayEquals(input, store.capturedStdout());
            assertEquals("echoed 100000 bytes\n", new String(store.capturedStderr(), UTF_8));
        }
    }

    @Test
    void emptyStdinIsEndOfFile() {
        Run r = run("echo", captured().stdin(new byte[0]).build());
        assertEquals("", r.stdout());
        assertEquals("echoed 0 bytes\n", r.stderr());
        Run none = run("echo", captured().build());
        assertEquals("echoed 0 bytes\n", none.stderr());
    }

    /** An input stream that hands out at most a few bytes per read and notes the reading threads. */
    static final class TrickleInput extends InputStream {
        final ByteArrayInputStream in;
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final AtomicInteger reads = new AtomicInteger();

        TrickleInput(byte[] data) {
            in = new ByteArrayInputStream(data);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            threads.add(Thread.currentThread());
            reads.incrementAndGet();
            return in.read(b, off, Math.min(len, 7));
        }
    }

    /** An output stream that notes its flushes and writing threads. */
    static final class RecordingOutput extends ByteArrayOutputStream {
        final AtomicInteger flushes = new AtomicInteger();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            threads.add(Thread.currentThread());
            super.write(b, off, len);
        }

        @Override
        public void flush() {
            flushes.incrementAndGet();
        }
    }

    @Test
    void javaStreamsServeAsStdinStdoutAndStderr() {
        byte[] input = payload(5_000);
        TrickleInput in = new TrickleInput(input);
        RecordingOutput out = new RecordingOutput();
        RecordingOutput err = new RecordingOutput();
        Run r = run("echo", WasiConfig.builder().stdin(in).stdout(out).stderr(err).build());
        assertEquals(0, r.code());
        assertArrayEquals(input, out.toByteArray());
        assertEquals("echoed 5000 bytes\n", err.toString(UTF_8));
        assertTrue(in.reads.get() > 5_000 / 7, "reads: " + in.reads.get());
        assertTrue(out.flushes.get() > 0);
        // stdin is read on the stream's pump thread (so a deadline can end a blocked read), stdout
        // written on the calling thread.
        assertEquals(1, in.threads.size());
        Thread pump = in.threads.iterator().next();
        assertTrue(pump != Thread.currentThread() && pump.isDaemon() && pump.getName().equals("wasmbridge-stdin"),
                "stdin read on " + pump);
        assertEquals(Set.of(Thread.currentThread()), out.threads);
    }

    static final class FailingOutput extends OutputStream {
        final RuntimeException unchecked;
        int attempts;

        FailingOutput(RuntimeException unchecked) {
            this.unchecked = unchecked;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            attempts++;
            if (unchecked != null) {
                throw unchecked;
            }
            throw new IOException("disk on fire");
        }
    }

    @Test
    void anIOExceptionFromStdoutIsAnIOErrorForTheGuestAndTheJvmCarriesOn() {
        FailingOutput failing = new FailingOutput(null);
        for (int i = 0; i < 3; i++) {
            Run r = run("echo", WasiConfig.builder().stdin("hello".getBytes(UTF_8)).stdout(failing).captureStderr()
                    .build());
            // echo.c reports the failed write (EIO, errno 29) and exits with 3.
            assertEquals(3, r.code());
            assertEquals("stdout write failed: I/O error (errno 29)\n", r.stderr());
        }
        assertEquals(3, failing.attempts);
        // Nothing is left pending: the next call works as usual.
        Run ok = run("echo", captured().stdin("fine".getBytes(UTF_8)).build());
        assertEquals("fine", ok.stdout());
    }

    @Test
    void anIOExceptionFromStdinIsAnIOErrorForTheGuest() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("unplugged");
            }
        };
        Run r = run("echo", captured().stdin(failing).build());
        assertEquals(4, r.code());
        assertEquals("stdin read failed: I/O error (errno 29)\n", r.stderr());
    }

    @Test
    void anUncheckedExceptionFromAStreamReachesTheCallerAsItself() {
        IllegalStateException boom = new IllegalStateException("boom");
        try (Store store = Store.create(engine); Linker linker = Linker.create(engine).defineWasi()) {
            store.setWasi(WasiConfig.builder().stdin("x".getBytes(UTF_8)).stdout(new FailingOutput(boom)).build());
            Instance instance = linker.instantiate(store, program("echo"));
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> instance.function("_start").call());
            assertSame(boom, thrown);
        }
        assertEquals("ok", run("echo", captured().stdin("ok".getBytes(UTF_8)).build()).stdout());
    }

    @Test
    void aStreamCannotUseTheStoreItServes() {
        Store[] holder = new Store[1];
        List<Throwable> seen = new ArrayList<>();
        OutputStream reentrant = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    holder[0].capturedStderr();
                } catch (RuntimeException e) {
                    seen.add(e);
                    throw e;
                }
            }
        };
        try (Store store = Store.create(engine); Linker linker = Linker.create(engine).defineWasi()) {
            holder[0] = store;
            store.setWasi(WasiConfig.builder().stdin("x".getBytes(UTF_8)).stdout(reentrant).captureStderr().build());
            Instance instance = linker.instantiate(store, program("echo"));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> instance.function("_start").call());
            assertTrue(e.getMessage().contains("its own WASI"), e.getMessage());
            assertEquals(1, seen.size());
            // Once the call is over the store is usable again.
            assertEquals("", new String(store.capturedStderr(), UTF_8));
        }
    }

    @Test
    void captureStopsAtItsLimitWithAnIOError() {
        byte[] input = payload(100);
        try (Store store = Store.create(engine); Linker linker = Linker.create(engine).defineWasi()) {
            store.setWasi(WasiConfig.builder().stdin(input).captureStdout(10).captureStderr().build());
            Instance instance = linker.instantiate(store, program("echo"));
            assertEquals(3, assertThrows(WasiExitException.class, () -> instance.function("_start").call())
                    .exitCode());
            assertArrayEquals(java.util.Arrays.copyOf(input, 10), store.capturedStdout());
            String err = new String(store.capturedStderr(), UTF_8);
            assertEquals("stdout write failed: I/O error (errno 29)\n", err);
        }
    }

    @Test
    void capturedOutputIsOnlyForCapturedStreams() {
        try (Store store = Store.create(engine)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, store::capturedStdout);
            assertTrue(e.getMessage().contains("not captured"), e.getMessage());
            store.setWasi(WasiConfig.builder().stdout(new ByteArrayOutputStream()).captureStderr().build());
            assertThrows(IllegalStateException.class, store::capturedStdout);
            assertEquals(0, store.capturedStderr().length);
        }
    }

    // Files

    @Test
    void aReadWritePreopenSupportsEveryFileOperation(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("given.txt"), "from the host\n");
        Run r = run("files", captured("files", "rw", "/data").preopenDir(dir, "/data", false).build());
        assertEquals(0, r.code(), r.stdout());
        assertEquals(List.of(
                "create: ok",
                "exclusive create of an existing file: refused (File exists)",
                "read a.txt: hello, preopen",
                "size: 15, regular: 1",
                "rename: ok",
                "read b.txt: hello, preopen",
                "read sub/c.txt: c",
                "more",
                "list: b.txt given.txt sub",
                "list sub: c.txt",
                "read given.txt: from the host",
                "delete: ok",
                "list: b.txt given.txt"), r.lines());
        // The host sees what the guest did.
        assertEquals("hello, preopen\n", Files.readString(dir.resolve("b.txt")));
        assertEquals(Set.of("b.txt", "given.txt"), names(dir));
    }

    @Test
    void aReadOnlyPreopenRefusesEveryChange(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("given.txt"), "read me\n");
        Run r = run("files", captured("files", "ro", "/data").preopenDir(dir, "/data", true).build());
        assertEquals(0, r.code(), r.stdout());
        List<String> lines = r.lines();
        assertEquals("read given.txt: read me", lines.get(0));
        assertEquals("list: given.txt", lines.get(1));
        List<String> attempts = lines.subList(2, lines.size() - 1);
        assertEquals(8, attempts.size(), r.stdout());
        for (String line : attempts) {
            assertTrue(line.contains(": refused ("), line);
        }
        assertEquals("read given.txt again: read me", lines.get(lines.size() - 1));
        assertEquals(Set.of("given.txt"), names(dir));
        assertEquals("read me\n", Files.readString(dir.resolve("given.txt")));
    }

    @Test
    void aPreopenThatIsNotADirectoryIsRefused(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        try (Store store = Store.create(engine)) {
            assertThrows(IllegalArgumentException.class,
                    () -> store.setWasi(WasiConfig.builder().preopenDir(dir.resolve("missing"), "/m", true).build()));
            assertThrows(IllegalArgumentException.class,
                    () -> store.setWasi(WasiConfig.builder().preopenDir(file, "/f", true).build()));
        }
    }

    static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    // The sandbox

    /**
     * root/outside/secret.txt, and root/sandbox with inside.txt, sub/, and symlinks link-file (to the
     * secret), link-dir (to outside/) and link-up (to ..).
     */
    static Path sandbox(Path root) throws IOException {
        Path outside = Files.createDirectory(root.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "TOP SECRET\n");
        Path sandbox = Files.createDirectory(root.resolve("sandbox"));
        Files.writeString(sandbox.resolve("inside.txt"), "inside\n");
        Files.createDirectory(sandbox.resolve("sub"));
        Files.createSymbolicLink(sandbox.resolve("link-file"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(sandbox.resolve("link-dir"), outside);
        Files.createSymbolicLink(sandbox.resolve("link-up"), Path.of(".."));
        return sandbox;
    }

    void assertNoEscape(Path root, String guestPath) throws IOException {
        Path sandbox = sandbox(root);
        Path secret = root.resolve("outside/secret.txt");
        Run r = run("escape", captured("escape", guestPath, secret.toString())
                .preopenDir(sandbox, guestPath, false).build());
        assertEquals(0, r.code(), r.stdout() + r.stderr());
        List<String> lines = r.lines();
        assertEquals("done", lines.get(lines.size() - 1), r.stdout());
        List<String> attempts = new ArrayList<>();
        for (String line : lines.subList(0, lines.size() - 1)) {
            if (line.startsWith("control ")) {
                assertTrue(line.endsWith(": ok"), line);
            } else {
                attempts.add(line);
                assertTrue(line.contains(": refused (") && !line.contains("ESCAPED"), line);
            }
        }
        assertEquals(20, attempts.size(), r.stdout());
        // Nothing outside changed, nothing was planted, nothing moved out.
        assertEquals(Set.of("outside", "sandbox"), names(root));
        assertEquals(Set.of("secret.txt"), names(root.resolve("outside")));
        assertEquals("TOP SECRET\n", Files.readString(secret));
        assertTrue(Files.exists(sandbox.resolve("inside.txt")));
    }

    @Test
    void theGuestCannotLeaveAPreopenByDotDotAbsolutePathsOrSymlinks(@TempDir Path root) throws IOException {
        assertNoEscape(root, "/sandbox");
    }

    @Test
    void theGuestCannotLeaveAPreopenMountedAsRoot(@TempDir Path root) throws IOException {
        // With the sandbox as "/", the host's absolute paths resolve inside it and find nothing.
        assertNoEscape(root, "/");
    }

    // Clocks and randomness

    @Test
    void clocksAndRandomnessWork() {
        long before = System.currentTimeMillis();
        Run r = run("clock_random", captured().build());
        long after = System.currentTimeMillis();
        assertEquals(0, r.code(), r.stderr());
        Map<String, String> v = new HashMap<>();
        for (String line : r.lines()) {
            String[] kv = line.split("=", 2);
            v.put(kv[0], kv[1]);
        }
        long realtime = Long.parseLong(v.get("realtime_ms"));
        assertTrue(realtime >= before - 1000 && realtime <= after + 1000, realtime + " not in " + before + ".." + after);
        long time = Long.parseLong(v.get("time"));
        assertTrue(Math.abs(time * 1000 - realtime) < 5000, "time() " + time);
        assertEquals("1", v.get("monotonic_ok"));
        long slept = Long.parseLong(v.get("slept_ms"));
        assertTrue(slept >= 20 && slept < 10_000, "slept " + slept + " ms");
        assertTrue(Long.parseLong(v.get("resolution_ns")) > 0);
        String r1 = v.get("random1");
        String r2 = v.get("random2");
        assertTrue(r1.matches("[0-9a-f]{64}") && r2.matches("[0-9a-f]{64}"), r1 + " " + r2);
        assertNotEquals(r1, r2);
        assertFalse(r1.matches("0+"));
        assertNotEquals(r1, run("clock_random", captured().build()).stdout().lines()
                .filter(l -> l.startsWith("random1=")).findFirst().orElseThrow().substring(8));
    }

    // Exit codes

    @Test
    void returningZeroFromMainIsANormalReturn() {
        Run r = run("exit", captured("exit", "return0").build());
        assertEquals(null, r.exitCode());
        assertEquals("bye", r.stdout());
    }

    @Test
    void procExitEndsTheCallWithItsCodeZeroIncluded() {
        Run zero = run("exit", captured("exit", "exit0").build());
        assertEquals(0, zero.exitCode());
        assertEquals("bye", zero.stdout());
        Run nonzero = run("exit", captured("exit", "exit42").build());
        assertEquals(42, nonzero.exitCode());
        assertEquals("bye", nonzero.stdout());
        Run returned = run("exit", captured("exit", "return7").build());
        assertEquals(7, returned.exitCode());
        Run largest = run("exit", captured("exit", "exit125").build());
        assertEquals(125, largest.exitCode());
    }

    @Test
    void exitCodesFrom126OnAreTraps() {
        // wasmtime-wasi's rule: 126 and above are reserved (POSIX shells use them for signals).
        try (Store store = Store.create(engine); Linker linker = Linker.create(engine).defineWasi()) {
            store.setWasi(captured("exit", "exit126").build());
            Instance instance = linker.instantiate(store, program("exit"));
            TrapException e = assertThrows(TrapException.class, () -> instance.function("_start").call());
            assertTrue(e.getMessage().startsWith("the program called proc_exit(126), but WASI exit codes are 0 to 125"),
                    e.getMessage());
        }
    }

    @Test
    void abortIsATrapNotAnExit() {
        try (Store store = Store.create(engine); Linker linker = Linker.create(engine).defineWasi()) {
            store.setWasi(captured("exit", "abort").build());
            Instance instance = linker.instantiate(store, program("exit"));
            assertThrows(TrapException.class, () -> instance.function("_start").call());
        }
    }

    @Test
    void procExitFromAWatFunctionAndAfterwards() {
        try (Store store = Store.create(engine); Linker linker = Linker.create(engine).defineWasi()) {
            Instance probe = linker.instantiate(store, wat("wasi_probe"));
            WasiExitException e = assertThrows(WasiExitException.class, () -> probe.function("exit").call(0));
            assertEquals(0, e.exitCode());
            assertEquals("wasm program exited with code 0", e.getMessage());
            assertEquals(125, assertThrows(WasiExitException.class, () -> probe.function("exit").call(125)).exitCode());
            assertThrows(TrapException.class, () -> probe.function("exit").call(-1));
            // The store stays usable after an exit.
            assertEquals(0, probe.function("argc").call()[0]);
        }
    }

    @Test
    void procExitDuringInstantiationEndsInstantiate() {
        try (Store store = Store.create(engine); Linker linker = Linker.create(engine).defineWasi();
                Module zero = Module.fromWat(engine, "(module (import \"wasi_snapshot_preview1\" \"proc_exit\""
                        + " (func $e (param i32))) (memory (export \"memory\") 1)"
                        + " (func $s (call $e (i32.const 0))) (start $s))")) {
            assertEquals(7, assertThrows(WasiExitException.class,
                    () -> linker.instantiate(store, wat("wasi_start_exit"))).exitCode());
            assertEquals(0, assertThrows(WasiExitException.class, () -> linker.instantiate(store, zero)).exitCode());
        }
    }

    // Stores without a configuration, replacing a configuration, definitions, lifetimes

    @Test
    void aStoreWithoutWasiConfigGetsAnEmptyContext() {
        try (Store store = Store.create(engine); Linker linker = Linker.create(engine).defineWasi()) {
            Instance probe = linker.instantiate(store, wat("wasi_probe"));
            assertEquals(0, probe.function("argc").call()[0]);
            assertEquals(0, probe.function("envc").call()[0]);
            assertEquals(8, probe.function("prestat").call(3)[0], "EBADF: no preopened directory");
            assertEquals(6, probe.function("write_stdout").call()[0], "output is discarded");
            assertEquals(0, probe.function("read_stdin").call()[0], "stdin is at end of file");
            assertEquals(0, probe.function("random").call()[0]);
            assertThrows(IllegalStateException.class, store::capturedStdout);
        }
    }

    @Test
    void setWasiReplacesTheContextOfALiveInstance(@TempDir Path dir) {
        try (Store store = Store.create(engine); Linker linker = Linker.create(engine).defineWasi()) {
            store.setWasi(WasiConfig.builder().args("a", "b", "c").env("X", "1").captureStdout()
                    .preopenDir(dir, "/d", true).build());
            Instance probe = linker.instantiate(store, wat("wasi_probe"));
            assertEquals(3, probe.function("argc").call()[0]);
            assertEquals(1, probe.function("envc").call()[0]);
            assertEquals(0, probe.function("prestat").call(3)[0]);
            assertEquals(6, probe.function("write_stdout").call()[0]);
            assertEquals(6, probe.function("write_stdout").call()[0]);
            assertEquals("probe\nprobe\n", new String(store.capturedStdout(), UTF_8));
            store.setWasi(WasiConfig.builder().args("only").stdin("abc".getBytes(UTF_8)).build());
            assertEquals(1, probe.function("argc").call()[0]);
            assertEquals(0, probe.function("envc").call()[0]);
            assertEquals(8, probe.function("prestat").call(3)[0]);
            assertEquals(3, probe.function("read_stdin").call()[0]);
            assertEquals(0, probe.function("read_stdin").call()[0]);
            assertThrows(IllegalStateException.class, store::capturedStdout);
        }
    }

    @Test
    void wasiMustBeDefinedToLinkAndOnlyOnce() {
        try (Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            assertThrows(LinkException.class, () -> linker.instantiate(store, wat("wasi_probe")));
            linker.defineWasi();
            assertThrows(LinkException.class, linker::defineWasi);
            linker.allowShadowing(true).defineWasi();
            assertEquals(0, linker.instantiate(store, wat("wasi_probe")).function("argc").call()[0]);
        }
    }

    @Test
    void useAfterCloseIsRefused() {
        Store store = Store.create(engine);
        Linker linker = Linker.create(engine);
        store.close();
        linker.close();
        WasiConfig config = WasiConfig.builder().captureStdout().build();
        assertEquals("Store is closed", assertThrows(IllegalStateException.class, () -> store.setWasi(config))
                .getMessage());
        assertThrows(IllegalStateException.class, store::capturedStdout);
        assertThrows(IllegalStateException.class, store::capturedStderr);
        assertThrows(IllegalStateException.class, linker::defineWasi);
    }

    @Test
    void oneConfigServesManyStores() {
        WasiConfig config = captured("args", "shared").build();
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of("argc=2", "argv[0]=args", "argv[1]=shared"), run("args", config).lines());
        }
    }

    // Inherited stdio, in a child JVM so the test JVM's own streams stay clean

    @Test
    @Timeout(120)
    void inheritedStdioIsTheProcesssOwn() throws Exception {
        Process child = new ProcessBuilder(inheritedStdioChild()).start();
        byte[] input = payload(20_000);
        try (OutputStream stdin = child.getOutputStream()) {
            stdin.write(input);
        }
        byte[] out = child.getInputStream().readAllBytes();
        String err = new String(child.getErrorStream().readAllBytes(), UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), err);
        assertArrayEquals(input, out);
        assertTrue(err.contains("echoed 20000 bytes\n"), err);
    }

    /**
     * A standard descriptor closed when the JVM started is reused by a file the JVM opens itself (its
     * {@code lib/modules}, 128 MB, on descriptor 0): inheriting it must give the guest end of file,
     * or discard its output, never that file. The child runs {@code echo} (stdin to stdout, the count
     * on stderr; exit 3 or 5 when a write to stdout or stderr fails) with the descriptor closed by
     * {@code sh}.
     */
    @ParameterizedTest(name = "descriptor {0} closed")
    @ValueSource(ints = {0, 1, 2})
    @Timeout(120)
    void aClosedStandardDescriptorIsNotInheritedAsWhateverTheJvmOpenedThere(int fd) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\" " + fd + ">&-", "sh"));
        command.addAll(inheritedStdioChild());
        Process child = new ProcessBuilder(command).start();
        byte[] input = payload(20_000);
        try (OutputStream stdin = child.getOutputStream()) {
            stdin.write(input);
        } catch (IOException e) {
            // descriptor 0 closed: nobody reads the pipe
        }
        byte[] out = child.getInputStream().readAllBytes();
        String err = new String(child.getErrorStream().readAllBytes(), UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), "exit status; stderr: " + err);
        switch (fd) {
            case 0: // end of file at once, not the JVM's module image
                assertEquals(0, out.length);
                assertEquals("echoed 0 bytes\n", err);
                break;
            case 1: // the output discarded, the write successful
                assertEquals(0, out.length);
                assertEquals("echoed 20000 bytes\n", err);
                break;
            default: // the count written successfully (to nowhere), stdout intact
                assertArrayEquals(input, out);
                assertEquals("", err);
                break;
        }
    }

    /** The command of a child JVM running {@link InheritedStdioMain} on {@code echo.wasm}. */
    private static List<String> inheritedStdioChild() {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        for (String p : List.of("wasmbridge.library.path", "wasmbridge.library.dir")) {
            if (System.getProperty(p) != null) {
                command.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        command.add(InheritedStdioMain.class.getName());
        command.add(wasmDir().resolve("echo.wasm").toString());
        return command;
    }
}
