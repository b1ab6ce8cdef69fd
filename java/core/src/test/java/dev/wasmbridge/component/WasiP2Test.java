package dev.wasmbridge.component;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.wasi.WasiConfig;
import dev.wasmbridge.wasi.WasiExitException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * WASI 0.2 end to end: the C programs of tests/c as the command components that
 * scripts/build-wasm-tests.sh writes to {@code <wasmbridge.testWasm>/p2/} (tools/componentize: each
 * preview 1 build wrapped with Wasmtime 48's preview-1 adapter), run with {@link
 * ComponentInstance#runCommand()}. Each program also runs as its preview 1 module through {@link
 * Linker#defineWasi()} with the same {@link WasiConfig}; the two runs must print the same and end the
 * same way, and the outputs WasiTest knows are asserted too.
 *
 * <p>The one difference between the builds is the exit status: the adapter implements {@code
 * proc_exit(n)} as {@code wasi:cli/exit.exit(n == 0 ? ok : err)}, which wasmtime-wasi ends with
 * status 1, so every nonzero status of a component is 1 (and preview 1's rule that statuses from 126
 * on are traps never applies to it).
 */
@Timeout(60)
class WasiP2Test {
    static Engine engine;
    static Linker p1Linker;
    static ComponentLinker p2Linker;
    static final Map<String, Module> MODULES = new ConcurrentHashMap<>();
    static final Map<String, Component> COMPONENTS = new ConcurrentHashMap<>();

    @BeforeAll
    static void setUp() {
        engine = Engine.create();
        p1Linker = Linker.create(engine).defineWasi();
        p2Linker = ComponentLinker.create(engine).defineWasi();
    }

    @AfterAll
    static void tearDown() {
        MODULES.values().forEach(Module::close);
        MODULES.clear();
        COMPONENTS.values().forEach(Component::close);
        COMPONENTS.clear();
        p1Linker.close();
        p2Linker.close();
        engine.close();
    }

    static Path wasmDir() {
        return Path.of(System.getProperty("wasmbridge.testWasm", "target/test-wasm")).toAbsolutePath();
    }

    static Path file(Path path) {
        assertTrue(Files.isRegularFile(path), "missing " + path + ": run scripts/build-wasm-tests.sh");
        return path;
    }

    /** The preview 1 build of a tests/c program, compiled once per test class. */
    static Module module(String name) {
        return MODULES.computeIfAbsent(name, n -> Module.fromPath(engine, file(wasmDir().resolve(n + ".wasm"))));
    }

    /** The WASI 0.2 component of a tests/c program for {@code e}, compiled once per test class and engine. */
    static Component component(Engine e, String name) {
        String key = System.identityHashCode(e) + ":" + name;
        return COMPONENTS.computeIfAbsent(key,
                k -> Component.fromPath(e, file(wasmDir().resolve("p2").resolve(name + ".wasm"))));
    }

    /**
     * How a program ended and what it wrote (captured streams only; null otherwise). {@code exitCode} is
     * null when the program returned without calling exit.
     */
    record Run(Integer exitCode, byte[] out, byte[] err) {
        int code() {
            return exitCode == null ? 0 : exitCode;
        }

        String stdout() {
            return out == null ? null : new String(out, UTF_8);
        }

        String stderr() {
            return err == null ? null : new String(err, UTF_8);
        }

        List<String> lines() {
            return stdout().lines().collect(Collectors.toList());
        }
    }

    static Run captured(Store store, WasiConfig config, Integer exit) {
        byte[] out = config.stdoutMode() == WasiConfig.StreamMode.MEMORY ? store.capturedStdout() : null;
        byte[] err = config.stderrMode() == WasiConfig.StreamMode.MEMORY ? store.capturedStderr() : null;
        return new Run(exit, out, err);
    }

    /** Runs the preview 1 module's {@code _start} in a fresh store. */
    static Run p1(String program, WasiConfig config) {
        try (Store store = Store.create(engine)) {
            store.setWasi(config);
            var instance = p1Linker.instantiate(store, module(program));
            Integer exit = null;
            try {
                assertEquals(0, instance.function("_start").call().length);
            } catch (WasiExitException e) {
                exit = e.exitCode();
            }
            return captured(store, config, exit);
        }
    }

    /** Runs the component's {@code wasi:cli/run} in a fresh store. */
    static Run p2(String program, WasiConfig config) {
        try (Store store = Store.create(engine)) {
            store.setWasi(config);
            ComponentInstance instance = p2Linker.instantiate(store, component(engine, program));
            Integer exit = null;
            try {
                // The adapter's run calls _start and returns success; a failure is an exit.
                assertEquals(0, instance.runCommand());
            } catch (WasiExitException e) {
                exit = e.exitCode();
            }
            return captured(store, config, exit);
        }
    }

    /** The exit a component ends with when its preview 1 build ends with {@code p1Exit}. */
    static Integer p2Exit(Integer p1Exit) {
        return p1Exit == null || p1Exit == 0 ? p1Exit : Integer.valueOf(1);
    }

    /**
     * Runs both builds with configurations from {@code config} (called once per build, so streams are
     * not shared), checks they wrote the same and ended the same way, and returns the component's run.
     */
    static Run both(String program, Supplier<WasiConfig> config) {
        Run p1 = p1(program, config.get());
        Run p2 = p2(program, config.get());
        assertSameRun(program, p1, p2);
        return p2;
    }

    static Run both(String program, WasiConfig config) {
        return both(program, () -> config);
    }

    static void assertSameRun(String program, Run p1, Run p2) {
        assertEquals(p1.stdout(), p2.stdout(), program + ": stdout");
        assertEquals(p1.stderr(), p2.stderr(), program + ": stderr");
        assertEquals(p2Exit(p1.exitCode()), p2.exitCode(), program + ": exit (preview 1: " + p1.exitCode() + ")");
    }

    static WasiConfig.Builder capture(String... args) {
        return WasiConfig.builder().args(args).captureStdout().captureStderr();
    }

    static byte[] payload(int size) {
        byte[] b = new byte[size];
        new Random(42).nextBytes(b);
        return b;
    }

    // Every program is a command component

    @Test
    void everyProgramHasAComponentThatExportsOnlyWasiCliRun() throws IOException {
        Path sources = Path.of(System.getProperty("wasmbridge.fixtures", "../../tests")).toAbsolutePath().resolve("c");
        List<String> programs;
        try (Stream<Path> s = Files.list(sources)) {
            programs = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".c"))
                    .map(n -> n.substring(0, n.length() - 2)).sorted().collect(Collectors.toList());
        }
        // The programs this class runs (a new one in tests/c belongs here too).
        assertEquals(List.of("args", "clock_random", "echo", "env", "escape", "exit", "files"), programs);
        for (String program : programs) {
            ComponentType type = component(engine, program).type();
            assertEquals(1, type.exports().size(), program + ": " + type.exports());
            String export = type.exports().keySet().iterator().next();
            assertTrue(export.startsWith("wasi:cli/run@0.2."), program + ": " + export);
            for (String name : type.imports().keySet()) {
                assertTrue(name.startsWith("wasi:") && name.contains("@0.2."), program + " imports " + name);
            }
        }
    }

    // Arguments and environment

    @Test
    void argumentsReachTheProgramExactly() {
        Run r = both("args", capture("args.wasm", "one", "two words", "", "ünïcødé ✓").build());
        assertNull(r.exitCode());
        assertEquals(List.of("argc=5", "argv[0]=args.wasm", "argv[1]=one", "argv[2]=two words", "argv[3]=",
                "argv[4]=ünïcødé ✓"), r.lines());
        assertEquals("argc=0\n", both("args", WasiConfig.builder().captureStdout().build()).stdout());
    }

    @Test
    void explicitEnvironmentIsAllTheProgramSees() {
        Run r = both("env", capture("env").env("A", "1").env("B", "two words=x").env("A", "replaced").build());
        assertEquals(List.of("A=replaced", "B=two words=x"), r.lines());
        assertEquals("2 variables\n", r.stderr());
    }

    @Test
    void inheritedEnvironmentIsTheProcesssWithExplicitVariablesWinning() {
        Map<String, String> expected = new HashMap<>(System.getenv());
        assertTrue(expected.containsKey("PATH"), "the test needs PATH in the environment");
        Run r = both("env", capture("env").inheritEnv().env("PATH", "/override").env("WASMBRIDGE_EXTRA", "x")
                .build());
        expected.put("PATH", "/override");
        expected.put("WASMBRIDGE_EXTRA", "x");
        assertEquals(expected.size() + " variables\n", r.stderr());
        Map<String, String> seen = new HashMap<>();
        for (String line : r.lines()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                seen.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        expected.entrySet().removeIf(e -> e.getValue().contains("\n"));
        seen.keySet().retainAll(expected.keySet());
        assertEquals(expected, seen);
        Run single = both("env", capture("env", "PATH", "NOT_SET_ANYWHERE").inheritEnv().env("PATH", "/override")
                .build());
        assertEquals(List.of("PATH=/override", "NOT_SET_ANYWHERE unset"), single.lines());
    }

    // Standard streams

    @Test
    void stdinFromBytesIsEchoedToCapturedStdout() {
        byte[] input = payload(100_000);
        Run r = both("echo", capture().stdin(input).build());
        assertNull(r.exitCode());
        assertArrayEquals(input, r.out());
        assertEquals("echoed 100000 bytes\n", r.stderr());
    }

    @Test
    void emptyOrMissingStdinIsEndOfFile() {
        Run r = both("echo", capture().stdin(new byte[0]).build());
        assertEquals("", r.stdout());
        assertEquals("echoed 0 bytes\n", r.stderr());
        assertEquals("echoed 0 bytes\n", both("echo", capture().build()).stderr());
    }

    /** An input stream that hands out at most 7 bytes per read. */
    static final class TrickleInput extends InputStream {
        final ByteArrayInputStream in;

        TrickleInput(byte[] data) {
            in = new ByteArrayInputStream(data);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, 7));
        }
    }

    @Test
    void javaStreamsServeAsStdinStdoutAndStderr() {
        byte[] input = payload(5_000);
        List<ByteArrayOutputStream> outs = new ArrayList<>();
        List<ByteArrayOutputStream> errs = new ArrayList<>();
        Run r = both("echo", () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            outs.add(out);
            errs.add(err);
            return WasiConfig.builder().stdin(new TrickleInput(input)).stdout(out).stderr(err).build();
        });
        assertNull(r.exitCode());
        assertEquals(2, outs.size());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(input, outs.get(i).toByteArray(), "build " + (i + 1));
            assertEquals("echoed 5000 bytes\n", errs.get(i).toString(UTF_8), "build " + (i + 1));
        }
    }

    static final class FailingOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("disk on fire");
        }
    }

    @Test
    void anIOExceptionFromStdoutOrStdinIsAnIOErrorForTheGuest() {
        // echo.c reports the failed write (EIO, errno 29) and returns 3; a failed read, 4. The
        // component's status is 1 for both (see the class comment), the guest's view is the same.
        Run out = both("echo", () -> WasiConfig.builder().stdin("hello".getBytes(UTF_8)).stdout(new FailingOutput())
                .captureStderr().build());
        assertEquals(1, out.code());
        assertEquals("stdout write failed: I/O error (errno 29)\n", out.stderr());
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("unplugged");
            }
        };
        Run in = both("echo", capture().stdin(failing).build());
        assertEquals(1, in.code());
        assertEquals("stdin read failed: I/O error (errno 29)\n", in.stderr());
    }

    @Test
    void captureStopsAtItsLimitWithAnIOError() {
        byte[] input = payload(100);
        Run r = both("echo", WasiConfig.builder().stdin(input).captureStdout(10).captureStderr().build());
        assertEquals(1, r.code());
        assertArrayEquals(Arrays.copyOf(input, 10), r.out());
        assertEquals("stdout write failed: I/O error (errno 29)\n", r.stderr());
    }

    // Files

    @Test
    void aReadWritePreopenSupportsEveryFileOperation(@TempDir Path root) throws IOException {
        List<Path> dirs = new ArrayList<>();
        Run r = both("files", () -> {
            Path dir = root.resolve("build" + (dirs.size() + 1));
            try {
                Files.createDirectory(dir);
                Files.writeString(dir.resolve("given.txt"), "from the host\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            dirs.add(dir);
            return capture("files", "rw", "/data").preopenDir(dir, "/data", false).build();
        });
        assertNull(r.exitCode(), r.stdout());
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
        for (Path dir : dirs) {
            assertEquals("hello, preopen\n", Files.readString(dir.resolve("b.txt")));
            assertEquals(Set.of("b.txt", "given.txt"), names(dir));
        }
    }

    @Test
    void aReadOnlyPreopenRefusesEveryChange(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("given.txt"), "read me\n");
        Run r = both("files", capture("files", "ro", "/data").preopenDir(dir, "/data", true).build());
        assertNull(r.exitCode(), r.stdout());
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
        Files.createDirectories(root);
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

    /** Runs escape.c against a fresh sandbox under {@code root} with {@code run}; checks nothing got out. */
    static Run escape(Path root, String guestPath, Function<WasiConfig, Run> run) throws IOException {
        Path sandbox = sandbox(root);
        Path secret = root.resolve("outside/secret.txt");
        Run r = run.apply(capture("escape", guestPath, secret.toString()).preopenDir(sandbox, guestPath, false)
                .build());
        assertNull(r.exitCode(), r.stdout() + r.stderr());
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
        assertEquals(Set.of("outside", "sandbox"), names(root));
        assertEquals(Set.of("secret.txt"), names(root.resolve("outside")));
        assertEquals("TOP SECRET\n", Files.readString(secret));
        assertTrue(Files.exists(sandbox.resolve("inside.txt")));
        return r;
    }

    void assertNoEscapeAndTheSameRefusals(Path root, String guestPath) throws IOException {
        Run p1 = escape(root.resolve("p1"), guestPath, c -> p1("escape", c));
        Run p2 = escape(root.resolve("p2"), guestPath, c -> p2("escape", c));
        // The same attempts are refused for the same reasons (errno text) by both builds. The host
        // paths differ between the two roots, so compare with them taken out.
        assertEquals(p1.stdout().replace(root.resolve("p1").toString(), "ROOT"),
                p2.stdout().replace(root.resolve("p2").toString(), "ROOT"));
        assertEquals(p1.stderr(), p2.stderr());
    }

    @Test
    void theGuestCannotLeaveAPreopenByDotDotAbsolutePathsOrSymlinks(@TempDir Path root) throws IOException {
        assertNoEscapeAndTheSameRefusals(root, "/sandbox");
    }

    @Test
    void theGuestCannotLeaveAPreopenMountedAsRoot(@TempDir Path root) throws IOException {
        assertNoEscapeAndTheSameRefusals(root, "/");
    }

    // Clocks and randomness (each run's values differ: checked for sense, not compared)

    static Map<String, String> values(Run r) {
        Map<String, String> v = new HashMap<>();
        for (String line : r.lines()) {
            String[] kv = line.split("=", 2);
            v.put(kv[0], kv[1]);
        }
        return v;
    }

    @Test
    void clocksAndRandomnessWork() {
        long before = System.currentTimeMillis();
        Run r = p2("clock_random", capture().build());
        long after = System.currentTimeMillis();
        assertNull(r.exitCode(), r.stderr());
        Map<String, String> v = values(r);
        assertEquals(values(p1("clock_random", capture().build())).keySet(), v.keySet());
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
        assertNotEquals(r1, values(p2("clock_random", capture().build())).get("random1"));
    }

    // Exit codes

    @Test
    void returningZeroFromMainIsANormalReturnAndExitZeroAnExit() {
        Run returned = both("exit", capture("exit", "return0").build());
        assertNull(returned.exitCode());
        assertEquals("bye", returned.stdout());
        Run exited = both("exit", capture("exit", "exit0").build());
        assertEquals(0, exited.exitCode());
        assertEquals("bye", exited.stdout());
    }

    @Test
    void aNonzeroStatusIsAWasiExitExceptionWithStatusOne() {
        for (String how : List.of("exit1", "exit42", "return7", "exit125")) {
            WasiConfig config = capture("exit", how).build();
            Run p1 = p1("exit", config);
            Run p2 = p2("exit", config);
            assertEquals(Integer.parseInt(how.replaceAll("[a-z]", "")), p1.exitCode(), how);
            assertEquals(1, p2.exitCode(), how);
            assertEquals("bye", p2.stdout(), how);
            assertSameRun(how, p1, p2);
        }
    }

    @Test
    void status126IsATrapOnlyForPreview1AndAbortATrapForBoth() {
        WasiConfig exit126 = capture("exit", "exit126").build();
        try (Store store = Store.create(engine)) {
            store.setWasi(exit126);
            var instance = p1Linker.instantiate(store, module("exit"));
            TrapException e = assertThrows(TrapException.class, () -> instance.function("_start").call());
            assertTrue(e.getMessage().startsWith("the program called proc_exit(126), but WASI exit codes are 0 to 125"),
                    e.getMessage());
        }
        assertEquals(1, p2("exit", exit126).exitCode());
        try (Store store = Store.create(engine)) {
            store.setWasi(capture("exit", "abort").build());
            ComponentInstance instance = p2Linker.instantiate(store, component(engine, "exit"));
            TrapException e = assertThrows(TrapException.class, instance::runCommand);
            assertEquals(TrapCode.UNREACHABLE_CODE_REACHED, e.code(), e.getMessage());
        }
    }

    @Test
    void oneComponentServesManyStoresOnManyThreads() throws Exception {
        List<CompletableFuture<List<String>>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String arg = "thread " + i;
            runs.add(CompletableFuture.supplyAsync(() -> p2("args", capture("args", arg).build()).lines()));
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(List.of("argc=2", "argv[0]=args", "argv[1]=thread " + i), runs.get(i).get(30, TimeUnit.SECONDS));
        }
    }

    // Fuel, deadlines and interrupts

    /** Endless stdin: echo.c copies it to stdout forever, a loop of reads and writes. */
    static final class EndlessInput extends InputStream {
        @Override
        public int read() {
            return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Arrays.fill(b, off, off + len, (byte) 'x');
            return len;
        }
    }

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
            if (chunk.length == 0) {
                return -1;
            }
            int n = Math.min(len, chunk.length);
            System.arraycopy(chunk, 0, b, off, n);
            return n;
        }
    }

    static Engine epochEngine() {
        return Engine.create(EngineConfig.builder().epochInterruption(true).build());
    }

    static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void fuelEndsAProgramThatLoops() {
        try (Engine fuelEngine = Engine.create(EngineConfig.builder().fuel(true).build());
                ComponentLinker linker = ComponentLinker.create(fuelEngine).defineWasi();
                Store store = Store.create(fuelEngine)) {
            store.setWasi(WasiConfig.builder().stdin(new EndlessInput()).build());
            store.setFuel(50_000_000);
            ComponentInstance instance = linker.instantiate(store, component(fuelEngine, "echo"));
            TrapException e = assertThrows(TrapException.class, instance::runCommand);
            assertEquals(TrapCode.OUT_OF_FUEL, e.code(), e.getMessage());
            assertEquals(0, store.getFuel());
        }
    }

    @Test
    void aDeadlineEndsAProgramThatLoops() {
        try (Engine epochs = epochEngine(); ComponentLinker linker = ComponentLinker.create(epochs).defineWasi();
                Store store = Store.create(epochs)) {
            store.setWasi(WasiConfig.builder().stdin(new EndlessInput()).captureStderr().build());
            ComponentInstance instance = linker.instantiate(store, component(epochs, "echo"));
            store.setDeadline(Duration.ofMillis(200));
            long start = System.nanoTime();
            TrapException e = assertThrows(TrapException.class, instance::runCommand);
            long ms = millisSince(start);
            assertEquals(TrapCode.INTERRUPT, e.code(), e.getMessage());
            assertTrue(ms >= 150 && ms < 10_000, "stopped after " + ms + " ms");
            assertEquals(0, store.capturedStderr().length, "echo never got to its report");
        }
    }

    @Test
    void aDeadlineEndsAProgramBlockedReadingStdin() throws Exception {
        Gate gate = new Gate();
        try (Engine epochs = epochEngine(); ComponentLinker linker = ComponentLinker.create(epochs).defineWasi();
                Store store = Store.create(epochs)) {
            store.setWasi(WasiConfig.builder().stdin(gate).captureStdout().captureStderr().build());
            ComponentInstance instance = linker.instantiate(store, component(epochs, "echo"));
            store.setDeadline(Duration.ofMillis(200));
            long start = System.nanoTime();
            TrapException e = assertThrows(TrapException.class, instance::runCommand);
            long ms = millisSince(start);
            assertEquals(TrapCode.INTERRUPT, e.code(), e.getMessage());
            assertTrue(ms >= 150 && ms < 10_000, "stopped after " + ms + " ms");
            // It was waiting in the stream's read (on the pump thread, not this one).
            Thread pump = gate.entered.poll(10, TimeUnit.SECONDS);
            assertTrue(pump != null && pump != Thread.currentThread(), "read on " + pump);
            assertEquals(0, store.capturedStdout().length);
            gate.chunks.add(new byte[0]);
        }
    }

    @Test
    void anotherThreadInterruptsAProgramBlockedReadingStdin() throws Exception {
        Gate gate = new Gate();
        CompletableFuture<String> written = new CompletableFuture<>();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written.complete(new String(b, off, len, UTF_8));
            }
        };
        try (Engine epochs = epochEngine(); ComponentLinker linker = ComponentLinker.create(epochs).defineWasi();
                Store store = Store.create(epochs)) {
            store.setWasi(WasiConfig.builder().stdin(gate).stdout(out).build());
            ComponentInstance instance = linker.instantiate(store, component(epochs, "echo"));
            // The first chunk is echoed, then the program waits for more.
            gate.chunks.add("first".getBytes(UTF_8));
            CompletableFuture<Throwable> call = CompletableFuture.supplyAsync(() -> {
                try {
                    instance.runCommand();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            assertEquals("first", written.get(10, TimeUnit.SECONDS));
            gate.entered.take();
            gate.entered.take();
            // The chunk is echoed and the pump is in its second read: the call is in progress, waiting.
            store.interrupt();
            Throwable t = call.get(10, TimeUnit.SECONDS);
            assertTrue(t instanceof TrapException && ((TrapException) t).code() == TrapCode.INTERRUPT, String.valueOf(t));
            gate.chunks.add(new byte[0]);
        }
    }

    /**
     * A command component that sleeps {@code nanos} through {@code wasi:clocks/monotonic-clock}'s
     * {@code subscribe-duration} and then {@code wasi:io/poll}'s {@code pollable.block} ({@code
     * usePoll} false) or {@code poll} of a one-element list (true: what the preview-1 adapter's {@code
     * poll_oneoff} does for {@code nanosleep}), then returns success. Before it sleeps it calls the
     * root import {@code started} (see {@link #sleeperLinker}).
     */
    static String sleeper(long nanos, boolean usePoll) {
        String wait = usePoll
                ? "(i32.store (i32.const 16) (local.get $p)) (call $poll (i32.const 16) (i32.const 1) (i32.const 32))"
                : "(call $block (local.get $p))";
        return "(component $sleeper\n"
                + "  (import \"wasi:io/poll@0.2.0\" (instance $io\n"
                + "    (export \"pollable\" (type $pl (sub resource)))\n"
                + "    (export \"[method]pollable.block\" (func (param \"self\" (borrow $pl))))\n"
                + "    (export \"poll\" (func (param \"in\" (list (borrow $pl))) (result (list u32))))))\n"
                + "  (alias export $io \"pollable\" (type $pollable))\n"
                + "  (import \"wasi:clocks/monotonic-clock@0.2.0\" (instance $clock\n"
                + "    (alias outer $sleeper $pollable (type $p))\n"
                + "    (export \"pollable\" (type $pe (eq $p)))\n"
                + "    (export \"subscribe-duration\" (func (param \"when\" u64) (result (own $pe))))))\n"
                + "  (import \"started\" (func $started))\n"
                + "  (core module $Mem\n"
                + "    (memory (export \"memory\") 1)\n"
                + "    (global $next (mut i32) (i32.const 1024))\n"
                + "    (func (export \"realloc\") (param i32 i32 i32 i32) (result i32) (local $at i32)\n"
                + "      (local.set $at (i32.and (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1)))\n"
                + "        (i32.sub (i32.const 0) (local.get 2))))\n"
                + "      (global.set $next (i32.add (local.get $at) (local.get 3)))\n"
                + "      (local.get $at)))\n"
                + "  (core instance $mem (instantiate $Mem))\n"
                + "  (alias core export $mem \"memory\" (core memory $memory))\n"
                + "  (alias core export $mem \"realloc\" (core func $realloc))\n"
                + "  (core func $started (canon lower (func $started)))\n"
                + "  (core func $subscribe (canon lower (func $clock \"subscribe-duration\")))\n"
                + "  (core func $block (canon lower (func $io \"[method]pollable.block\")))\n"
                + "  (core func $poll (canon lower (func $io \"poll\") (memory $memory) (realloc $realloc)))\n"
                + "  (core module $M\n"
                + "    (import \"host\" \"memory\" (memory 1))\n"
                + "    (import \"host\" \"started\" (func $started))\n"
                + "    (import \"host\" \"subscribe\" (func $subscribe (param i64) (result i32)))\n"
                + "    (import \"host\" \"block\" (func $block (param i32)))\n"
                + "    (import \"host\" \"poll\" (func $poll (param i32 i32 i32)))\n"
                + "    (func (export \"run\") (result i32) (local $p i32)\n"
                + "      (call $started)\n"
                + "      (local.set $p (call $subscribe (i64.const " + nanos + ")))\n"
                + "      " + wait + "\n"
                + "      (i32.const 0)))\n"
                + "  (core instance $host\n"
                + "    (export \"memory\" (memory $memory))\n"
                + "    (export \"started\" (func $started))\n"
                + "    (export \"subscribe\" (func $subscribe))\n"
                + "    (export \"block\" (func $block))\n"
                + "    (export \"poll\" (func $poll)))\n"
                + "  (core instance $m (instantiate $M (with \"host\" (instance $host))))\n"
                + "  (func $run (result (result)) (canon lift (core func $m \"run\")))\n"
                + "  (instance $cli (export \"run\" (func $run)))\n"
                + "  (export \"wasi:cli/run@0.2.0\" (instance $cli)))\n";
    }

    /** WASI 0.2 and the sleeper's {@code started}, which hands each call's thread to {@code started}. */
    static ComponentLinker sleeperLinker(Engine e, BlockingQueue<Thread> started) {
        ComponentLinker linker = ComponentLinker.create(e).defineWasi();
        linker.root().defineFunction("started", (caller, args) -> {
            started.add(Thread.currentThread());
            return null;
        });
        return linker;
    }

    @Test
    void theSleepingComponentSleepsAndReturns() {
        BlockingQueue<Thread> started = new ArrayBlockingQueue<>(4);
        try (Engine epochs = epochEngine(); ComponentLinker linker = sleeperLinker(epochs, started)) {
            for (boolean usePoll : new boolean[] {false, true}) {
                try (Component sleeper = Component.fromWat(epochs, sleeper(50_000_000L, usePoll));
                        Store store = Store.create(epochs)) {
                    store.setDeadline(Duration.ofSeconds(30));
                    ComponentInstance instance = linker.instantiate(store, sleeper);
                    long start = System.nanoTime();
                    assertEquals(0, instance.runCommand());
                    long ms = millisSince(start);
                    assertTrue(ms >= 45 && ms < 10_000, "usePoll=" + usePoll + ": slept " + ms + " ms");
                    assertEquals(Thread.currentThread(), started.poll());
                }
            }
        }
    }

    /**
     * A guest waiting in {@code wasi:io/poll} (an hour's sleep) ends at the store's deadline. Run on a
     * separate thread so that a wait the deadline does not end fails the test at its timeout instead of
     * hanging the build.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDeadlineEndsAProgramSleepingInWasiIoPoll() {
        BlockingQueue<Thread> started = new ArrayBlockingQueue<>(4);
        try (Engine epochs = epochEngine(); ComponentLinker linker = sleeperLinker(epochs, started)) {
            for (boolean usePoll : new boolean[] {false, true}) {
                try (Component sleeper = Component.fromWat(epochs, sleeper(3_600_000_000_000L, usePoll));
                        Store store = Store.create(epochs)) {
                    ComponentInstance instance = linker.instantiate(store, sleeper);
                    store.setDeadline(Duration.ofMillis(200));
                    long start = System.nanoTime();
                    TrapException e = assertThrows(TrapException.class, instance::runCommand);
                    long ms = millisSince(start);
                    assertEquals(TrapCode.INTERRUPT, e.code(), "usePoll=" + usePoll + ": " + e.getMessage());
                    assertTrue(ms >= 150 && ms < 10_000, "usePoll=" + usePoll + ": stopped after " + ms + " ms");
                    assertEquals(1, started.size(), "the guest started its sleep");
                    started.clear();
                }
            }
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anotherThreadInterruptsAProgramSleepingInWasiIoPoll() throws Exception {
        BlockingQueue<Thread> started = new ArrayBlockingQueue<>(4);
        try (Engine epochs = epochEngine(); ComponentLinker linker = sleeperLinker(epochs, started);
                Component sleeper = Component.fromWat(epochs, sleeper(3_600_000_000_000L, true));
                Store store = Store.create(epochs)) {
            ComponentInstance instance = linker.instantiate(store, sleeper);
            CompletableFuture<Throwable> call = CompletableFuture.supplyAsync(() -> {
                try {
                    instance.runCommand();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            // The guest has called started: the call is in progress, and about to sleep or asleep.
            started.take();
            store.interrupt();
            Throwable t = call.get(30, TimeUnit.SECONDS);
            assertTrue(t instanceof TrapException && ((TrapException) t).code() == TrapCode.INTERRUPT, String.valueOf(t));
        }
    }
}
