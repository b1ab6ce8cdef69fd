package dev.wasmbridge.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wasmbridge.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged {@code wasmbridge.jar}, run as a separate process ({@code java -jar}, from this JVM's
 * {@code java.home}) the way a person runs it: stdout, stderr and the exit code.
 *
 * <p>System properties (set by the POM): {@code wasmbridge.cli.jar} (the fat jar), {@code
 * wasmbridge.cli.fixtures} (this module's WAT programs), {@code wasmbridge.examples}.
 */
class CliIT {
    private static final Duration PROCESS_LIMIT = Duration.ofSeconds(120);

    private static Path jar;
    private static Path fixtures;
    private static Path hello;

    @TempDir
    Path tmp;

    /** A finished process. */
    private record Run(int exit, String out, String err, Duration took) {
        /** Asserts that the process succeeded, printed {@code out} and nothing on stderr. */
        void succeeds(String expectedOut) {
            assertEquals("", err, "stderr");
            assertEquals(expectedOut, out, "stdout");
            assertEquals(0, exit, "exit code");
        }

        /** Asserts a failure with exit code {@code code}, a message on stderr, no stack trace. */
        void failsWith(int code, String... messages) {
            assertEquals(code, exit, "exit code; stderr: " + err);
            assertTrue(err.startsWith("wasmbridge: error: "), err);
            for (String m : messages) {
                assertTrue(err.contains(m), "stderr should contain <" + m + ">: " + err);
            }
            assertNoStackTrace();
        }

        void assertNoStackTrace() {
            assertFalse(err.contains("\tat "), err);
            assertFalse(err.contains("Exception"), err);
        }
    }

    @BeforeAll
    static void paths() {
        jar = Path.of(System.getProperty("wasmbridge.cli.jar", "target/wasmbridge.jar"));
        fixtures = Path.of(System.getProperty("wasmbridge.cli.fixtures", "src/test/wat"));
        hello = Path.of(System.getProperty("wasmbridge.examples", "../../examples")).resolve("wasi/hello.wat");
        assertTrue(Files.isRegularFile(jar), "the fat jar must be built first (mvn package): " + jar.toAbsolutePath());
        assertTrue(Files.isRegularFile(hello), hello.toAbsolutePath().toString());
    }

    private static String fixture(String name) {
        return fixtures.resolve(name).toString();
    }

    /** Runs {@code java -jar wasmbridge.jar args...} in {@code tmp}, with stdin at end of file. */
    private Run wasmbridge(String... args) throws IOException, InterruptedException {
        return start(javaJar(args), new java.io.File("/dev/null"), String.join(" ", args));
    }

    /** The command {@code java -jar wasmbridge.jar args...}. */
    private static List<String> javaJar(String... args) {
        List<String> command = new ArrayList<>();
        // No -Xcheck:jni here: it warns on stderr about the signal handlers Wasmtime installs.
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(Arrays.asList(args));
        return command;
    }

    /** Runs {@code command} in {@code tmp}, stdin reading {@code stdin}, stdout and stderr captured. */
    private Run start(List<String> command, java.io.File stdin, String what) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(stdin))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS"); // its "Picked up ..." line would land on stderr
        // Wasmtime's per-user cache and configuration (run caches compiled code by default) in this
        // test's directory, not the user's.
        pb.environment().put("XDG_CACHE_HOME", tmp.resolve("xdg-cache").toString());
        pb.environment().put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(PROCESS_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("wasmbridge " + what + " did not finish within " + PROCESS_LIMIT
                    + "; stderr: " + Files.readString(err, UTF_8));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Run(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8), took);
    }

    // ---- run: WASI commands

    @Test
    void helloWithAnArgument() throws Exception {
        wasmbridge("run", hello.toString(), "Alice").succeeds("Hello, Alice!\n");
    }

    @Test
    void withoutRunAFileRunsAsWithRun() throws Exception {
        wasmbridge(hello.toString(), "Alice").succeeds("Hello, Alice!\n");
        wasmbridge("--env", "GREETING=hi", fixture("echo.wat"), "one").succeeds("echo.wat\none\nGREETING=hi\n");
    }

    @Test
    void helloWithoutAnArgument() throws Exception {
        wasmbridge("run", hello.toString()).succeeds("Hello, world!\n");
    }

    @Test
    void helloAsABinaryModule() throws Exception {
        Path wasm = tmp.resolve("hello.wasm");
        Files.write(wasm, Module.watToBinary(Files.readString(hello, UTF_8)));
        wasmbridge("run", wasm.toString(), "binary").succeeds("Hello, binary!\n");
    }

    @Test
    void theExitCodeIsTheProgramsProcExitCode() throws Exception {
        Run r = wasmbridge("run", fixture("exit3.wat"));
        assertEquals(3, r.exit(), r.err());
        assertEquals("", r.out());
        assertEquals("", r.err());
    }

    @Test
    void anExitCodeWasiRefusesIsReportedByNumber() throws Exception {
        Run r = wasmbridge("run", fixture("exit200.wat"));
        r.failsWith(1, "exit200.wat trapped: the program called proc_exit(200), but WASI exit codes are 0 to 125");
        assertFalse(r.err().contains("trap code"), r.err());
    }

    @Test
    void argumentsAreTheFileNameThenEverythingAfterTheFileAndOnlyTheGivenEnvironment() throws Exception {
        // --env NAME for a variable this process does not have is skipped, as in Wasmtime.
        wasmbridge("run", "--env", "GREETING=hi there", "--env", "WASMBRIDGE_SURELY_UNSET", "--env", "EQ=a=b",
                fixture("echo.wat"), "one", "-two", "--env", "X=1", "")
                .succeeds("echo.wat\none\n-two\n--env\nX=1\n\nGREETING=hi there\nEQ=a=b\n");
    }

    @Test
    void noStartFunctionIsSaidClearly() throws Exception {
        wasmbridge("run", fixture("values.wat"))
                .failsWith(2, "has no _start function", "--invoke NAME", "add, add64");
    }

    // ---- run --dir

    @Test
    void dirLetsTheProgramReadAFileUnderTheGuestPath() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        Files.writeString(data.resolve("input.txt"), "line one\nline two\n");
        wasmbridge("run", "--dir", data + "::/sandbox", fixture("readfile.wat"))
                .succeeds("/sandbox\nline one\nline two\n");
    }

    @Test
    void dirWithoutGuestPathUsesTheHostPathAsWritten() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        Files.writeString(data.resolve("input.txt"), "contents\n");
        wasmbridge("run", "--dir", "data", fixture("readfile.wat")).succeeds("data\ncontents\n");
    }

    @Test
    void withoutDirTheProgramCannotOpenTheFile() throws Exception {
        Files.writeString(tmp.resolve("input.txt"), "secret\n");
        Run r = wasmbridge("run", fixture("readfile.wat"));
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals("cannot open input.txt\n", r.err()); // the program's own message
    }

    @Test
    void aMissingDirIsAUsageError() throws Exception {
        wasmbridge("run", "--dir", "no-such-dir::/x", hello.toString()).failsWith(2, "--dir no-such-dir: no such directory");
    }

    // ---- run --invoke

    @Test
    void invokePrintsTheResult() throws Exception {
        wasmbridge("run", "--invoke", "add", fixture("values.wat"), "40", "2").succeeds("42\n");
    }

    @Test
    void invokeParsesArgumentsByTheSignature() throws Exception {
        wasmbridge("run", "--invoke", "add", fixture("values.wat"), "-50", "0x8").succeeds("-42\n");
        wasmbridge("run", "--invoke", "add64", fixture("values.wat"), "9223372036854775807", "1")
                .succeeds("-9223372036854775808\n");
        wasmbridge("run", "--invoke", "half64", fixture("values.wat"), "-inf").succeeds("-inf\n");
        wasmbridge("run", "--invoke", "half32", fixture("values.wat"), "nan").succeeds("nan\n");
        wasmbridge("run", "--invoke", "swap", fixture("values.wat"), "7", "2.5").succeeds("2.5\n7\n");
        wasmbridge("run", "--invoke", "same128", fixture("values.wat"), "0x1")
                .succeeds("0x00000000000000000000000000000001\n");
        wasmbridge("run", "--invoke", "nothing", fixture("values.wat")).succeeds("");
    }

    @Test
    void invokeWithTheWrongArgumentCount() throws Exception {
        Run r = wasmbridge("run", "--invoke", "add", fixture("values.wat"), "40");
        r.failsWith(2, "function 'add' (func (param i32 i32) (result i32)) takes 2 arguments, got 1");
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void invokeWithAnUnparsableArgument() throws Exception {
        wasmbridge("run", "--invoke", "add", fixture("values.wat"), "40", "two")
                .failsWith(2, "argument 2 of 'add': 'two' is not an i32");
    }

    @Test
    void invokeOfAMissingExportListsTheFunctions() throws Exception {
        wasmbridge("run", "--invoke", "mul", fixture("values.wat"), "1", "2")
                .failsWith(2, "has no exported function 'mul'", "add, add64, half32");
        wasmbridge("run", "--invoke", "counter", fixture("values.wat"))
                .failsWith(2, "export 'counter' of", "is a global, not a function");
    }

    @Test
    void invokeInAModuleThatImportsWasi() throws Exception {
        Run r = wasmbridge("run", "--invoke", "_start", hello.toString());
        r.succeeds("Hello, world!\n"); // WASI is defined; the arguments are just the file name
    }

    // ---- errors

    @Test
    void missingFile() throws Exception {
        Run r = wasmbridge("run", "no-such-file.wasm");
        r.failsWith(2, "no such file: no-such-file.wasm");
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void invalidModule() throws Exception {
        wasmbridge("run", fixture("invalid.wat")).failsWith(2, "invalid module", "invalid.wat", "type mismatch");
        Path bad = tmp.resolve("bad.wasm");
        Files.write(bad, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 1});
        wasmbridge("run", bad.toString()).failsWith(2, "invalid module", "bad.wasm");
        Files.writeString(tmp.resolve("text.wasm"), "not wasm at all");
        wasmbridge("run", "text.wasm").failsWith(2, "text.wasm is neither a binary module");
    }

    @Test
    void missingImport() throws Exception {
        wasmbridge("run", fixture("needs_import.wat"))
                .failsWith(2, "cannot instantiate", "env::log", "wasi_snapshot_preview1");
    }

    @Test
    void aTrapPrintsItsCodeAndWasmFramesButNoJavaStackTrace() throws Exception {
        Run r = wasmbridge("run", fixture("trap.wat"));
        r.failsWith(1, "trap.wat trapped", "unreachable", "UNREACHABLE_CODE_REACHED", "wasm backtrace:",
                "0: trapper!inner", "1: trapper!outer");
        assertEquals("", r.out());
    }

    @Test
    void verboseAddsTheJavaStackTrace() throws Exception {
        Run r = wasmbridge("run", "--verbose", fixture("trap.wat"));
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("wasmbridge: error: "), r.err());
        assertTrue(r.err().contains("UNREACHABLE_CODE_REACHED"), r.err());
        assertTrue(r.err().contains("dev.wasmbridge.TrapException"), r.err());
        assertTrue(r.err().contains("\tat dev.wasmbridge."), r.err());
    }

    @Test
    void aTrapInInvoke() throws Exception {
        Path traps = Path.of(System.getProperty("wasmbridge.fixtures", "../../tests"), "wat", "traps.wat");
        wasmbridge("run", "--invoke", "div_by_zero", traps.toString(), "0")
                .failsWith(1, "INTEGER_DIVISION_BY_ZERO", "traps!");
    }

    @Test
    void fuelStopsAnInfiniteLoop() throws Exception {
        wasmbridge("run", "--fuel", "100000", fixture("forever.wat"))
                .failsWith(1, "ran out of fuel (--fuel 100000)", "OUT_OF_FUEL", "spin");
    }

    @Test
    void enoughFuelLetsAProgramFinish() throws Exception {
        wasmbridge("run", "--fuel", "100000", hello.toString(), "fuel").succeeds("Hello, fuel!\n");
    }

    @Test
    void timeoutStopsAnInfiniteLoopQuickly() throws Exception {
        Run r = wasmbridge("run", "--timeout", "200ms", fixture("forever.wat"));
        r.failsWith(1, "was stopped after --timeout 200ms", "INTERRUPT", "spin");
        // JVM start, compilation and 200 ms of wasm: seconds at most, even on a busy machine.
        assertTrue(r.took().compareTo(Duration.ofSeconds(20)) < 0, "took " + r.took());
    }

    @Test
    void timeoutInIsoNotation() throws Exception {
        wasmbridge("run", "--timeout", "PT0.2S", "--invoke", "spin", fixture("forever.wat"))
                .failsWith(1, "INTERRUPT");
        wasmbridge("run", "--timeout", "PT10S", hello.toString(), "iso").succeeds("Hello, iso!\n");
    }

    @Test
    void aBadOptionValueIsAUsageError() throws Exception {
        Run r = wasmbridge("run", "--timeout", "soon", hello.toString());
        r.failsWith(2, "Invalid value for option '--timeout': 'soon' is not a duration",
                "Try 'wasmbridge run --help'");
        assertEquals(2, r.err().lines().count(), r.err());
    }

    // ---- inspect

    @Test
    void inspectPrintsImportsThenExports() throws Exception {
        wasmbridge("inspect", fixture("kinds.wat")).succeeds(String.join("\n",
                "import env.log: (func (param i32 i32))",
                "import env.memory: memory 1",
                "import env.limit: global i64",
                "import env.table: table 2 externref",
                "export add: (func (param i32 i32) (result i32))",
                "export heap: memory 1 16",
                "export funcs: table 1 10 funcref",
                "export counter: global (mut i32)",
                "export max: global f64",
                "export \"a name with spaces\": (func)",
                ""));
    }

    @Test
    void inspectAWasiCommand() throws Exception {
        wasmbridge("inspect", hello.toString()).succeeds(String.join("\n",
                "import wasi_snapshot_preview1.args_sizes_get: (func (param i32 i32) (result i32))",
                "import wasi_snapshot_preview1.args_get: (func (param i32 i32) (result i32))",
                "import wasi_snapshot_preview1.fd_write: (func (param i32 i32 i32 i32) (result i32))",
                "export memory: memory 1",
                "export _start: (func)",
                ""));
    }

    @Test
    void inspectAnInvalidModule() throws Exception {
        wasmbridge("inspect", fixture("invalid.wat")).failsWith(2, "invalid module");
    }

    // ---- components

    /**
     * The tests/c program {@code name} as java/core's build compiles it: a preview 1 module, or
     * ({@code p2}) the same program as a WASI 0.2 component. Skips the test when they were not built.
     */
    private static Path testProgram(String name, boolean p2) {
        Path dir = Path.of(System.getProperty("wasmbridge.testWasm", "../core/target/test-wasm"));
        Path file = (p2 ? dir.resolve("p2") : dir).resolve(name + ".wasm");
        Assumptions.assumeTrue(Files.isRegularFile(file), "not built (java/core's tests build it): " + file);
        return file.toAbsolutePath();
    }

    /** Runs the preview 1 and the component build of a test program the same way; returns the component's run. */
    private Run runBoth(String program, List<String> options, String... args) throws Exception {
        List<Run> runs = new ArrayList<>();
        for (boolean p2 : new boolean[] {false, true}) {
            List<String> command = new ArrayList<>(List.of("run"));
            command.addAll(options);
            command.add(testProgram(program, p2).toString());
            command.addAll(Arrays.asList(args));
            runs.add(wasmbridge(command.toArray(String[]::new)));
        }
        Run p1 = runs.get(0);
        Run p2 = runs.get(1);
        assertEquals(p1.out(), p2.out(), "stdout of " + program);
        assertEquals(p1.exit(), p2.exit(), "exit code of " + program + "; stderr: " + p2.err());
        return p2;
    }

    @Test
    void aComponentCommandRunsLikeItsPreview1Build() throws Exception {
        Run args = runBoth("args", List.of(), "one", "-two", "three four", "");
        args.succeeds("argc=5\nargv[0]=args.wasm\nargv[1]=one\nargv[2]=-two\nargv[3]=three four\nargv[4]=\n");
        Run env = runBoth("env", List.of("--env", "GREETING=hi there", "--env", "EQ=a=b"));
        assertEquals("GREETING=hi there\nEQ=a=b\n", env.out());
        assertEquals(0, env.exit(), env.err());
        for (String how : List.of("return0", "exit0", "return1", "exit1")) {
            Run r = runBoth("exit", List.of(), how);
            assertEquals("bye", r.out(), how);
        }
    }

    @Test
    void aComponentCommandExitsWithOneForAnyFailure() throws Exception {
        // WASI 0.2's exit takes success or failure only: the preview 1 build's 3 is 1.
        assertEquals(3, wasmbridge("run", testProgram("exit", false).toString(), "exit3").exit());
        Run r = wasmbridge("run", testProgram("exit", true).toString(), "exit3");
        assertEquals(1, r.exit(), r.err());
        assertEquals("bye", r.out());
        assertEquals("", r.err());
    }

    @Test
    void aComponentCommandWithDirFuelAndTrap() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        Files.writeString(data.resolve("given.txt"), "given\n");
        Path p1data = Files.createDirectory(tmp.resolve("p1data"));
        Files.writeString(p1data.resolve("given.txt"), "given\n");
        Run p2 = wasmbridge("run", "--dir", data + "::/sandbox", testProgram("files", true).toString(), "ro", "/sandbox");
        Run p1 = wasmbridge("run", "--dir", p1data + "::/sandbox", testProgram("files", false).toString(), "ro",
                "/sandbox");
        assertEquals(p1.out(), p2.out());
        assertEquals(p1.exit(), p2.exit(), p2.err());
        wasmbridge("run", "--fuel", "1000", testProgram("args", true).toString())
                .failsWith(1, "ran out of fuel (--fuel 1000)", "OUT_OF_FUEL");
        wasmbridge("run", testProgram("exit", true).toString(), "abort")
                .failsWith(1, "trapped", "UNREACHABLE_CODE_REACHED", "wasi:cli/run");
    }

    @Test
    void invokeAComponentFunctionInWave() throws Exception {
        String calc = fixture("calc.wat");
        wasmbridge("run", "--invoke", "add(40, 2)", calc).succeeds("42\n");
        wasmbridge("run", "--invoke", "add(4294967295, 1)", calc).succeeds("0\n");
        wasmbridge("run", "--invoke", "greet(\"Ann \\\"A\\\" \\u{e9}\")", calc).succeeds("\"Hello, Ann \\\"A\\\" é!\"\n");
        wasmbridge("run", "--invoke", "sum([1, -2, 9223372036854775807])", calc).succeeds("9223372036854775806\n");
        wasmbridge("run", "--invoke", "test:cli/math#mul(-6, 7)", calc).succeeds("-42\n");
        wasmbridge("run", "--invoke", "nothing()", calc).succeeds("");
        wasmbridge("run", "--invoke", "nothing", calc).succeeds("");
        Path binary = tmp.resolve("calc.wasm");
        Files.write(binary, Module.watToBinary(Files.readString(Path.of(calc), UTF_8)));
        wasmbridge("run", "--invoke", "add(1, 2)", binary.toString()).succeeds("3\n");
    }

    @Test
    void invokeWithBadWave() throws Exception {
        String calc = fixture("calc.wat");
        wasmbridge("run", "--invoke", "add(1, x)", calc)
                .failsWith(2, "'add': invalid WAVE arguments `1, x`: argument 2 'b' (u32)", "at `x`");
        wasmbridge("run", "--invoke", "add(1)", calc).failsWith(2, "missing required param(s)", "a: u32, b: u32");
        wasmbridge("run", "--invoke", "greet(\"open)", calc).failsWith(2, "invalid WAVE arguments");
        wasmbridge("run", "--invoke", "add(1, 2", calc).failsWith(2, "is not a call", "--invoke 'add(1, 2)'");
        wasmbridge("run", "--invoke", "mul(1, 2)", calc)
                .failsWith(2, "exports no function 'mul'", "test:cli/math#mul, add, greet");
        wasmbridge("run", "--invoke", "add", calc, "1", "2")
                .failsWith(2, "arguments go inside --invoke, in WAVE: --invoke 'add(1, 2)'");
        wasmbridge("run", "--invoke", "trap()", calc).failsWith(1, "calc.wat trapped", "UNREACHABLE_CODE_REACHED");
    }

    @Test
    void aComponentThatIsNoCommand() throws Exception {
        wasmbridge("run", fixture("calc.wat"))
                .failsWith(2, "exports no wasi:cli/run", "--invoke 'NAME(ARGS)'", "add, greet");
    }

    @Test
    void modulesAndComponentsAreToldApart() throws Exception {
        // A WAVE call is for components; a module takes NAME and its arguments after FILE.
        wasmbridge("run", "--invoke", "add(40, 2)", fixture("values.wat"))
                .failsWith(2, "is a core module, not a component", "--invoke add FILE 1 2");
        wasmbridge("compile", fixture("calc.wat")).failsWith(2, "is a component", "core modules only");
        Path text = tmp.resolve("bad.wat");
        Files.writeString(text, ";; a comment\n(; block ;)\n(component (func (export \"f\")))");
        wasmbridge("run", text.toString()).failsWith(2, "invalid component", "bad.wat");
        Path binary = tmp.resolve("bad.wasm");
        Files.write(binary, new byte[] {0, 'a', 's', 'm', 0x0d, 0, 1, 0, 99});
        wasmbridge("run", binary.toString()).failsWith(2, "invalid component", "bad.wasm");
    }

    @Test
    void inspectPrintsAComponentsWit() throws Exception {
        Run r = wasmbridge("inspect", fixture("calc.wat"));
        r.succeeds(r.out());
        assertTrue(r.out().contains("world root {"), r.out());
        assertTrue(r.out().contains("  export add: func(a: u32, b: u32) -> u32;"), r.out());
        assertTrue(r.out().contains("  export test:cli/math;"), r.out());
        assertTrue(r.out().contains("    mul: func(a: s32, b: s32) -> s32;"), r.out());
        Run command = wasmbridge("inspect", testProgram("args", true).toString());
        command.succeeds(command.out());
        assertTrue(command.out().contains("  import wasi:cli/environment@0.2"), command.out());
        assertTrue(command.out().contains("  export wasi:cli/run@0.2"), command.out());
    }

    // ---- Wasmtime's option groups

    /** The compiled modules in a Wasmtime cache directory (not its usage statistics or work files), with their times. */
    private static Map<Path, FileTime> cacheEntries(Path cache) throws IOException {
        Map<Path, FileTime> entries = new TreeMap<>();
        try (var files = Files.walk(cache)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && f.startsWith(cache.resolve("modules"))
                        && !f.getFileName().toString().endsWith(".stats")
                        && !f.getFileName().toString().contains(".wip-")) {
                    entries.put(f, Files.getLastModifiedTime(f));
                }
            }
        }
        return entries;
    }

    /** A module that takes over a second to compile: many functions of arithmetic. */
    private Path slowToCompile() throws IOException {
        StringBuilder wat = new StringBuilder("(module (memory (export \"memory\") 1)\n"
                + " (func (export \"_start\"))\n");
        java.util.Random random = new java.util.Random(1);
        for (int f = 0; f < 8000; f++) {
            wat.append(" (func $f").append(f).append(" (export \"f").append(f).append("\") (param i32) (result i32)");
            for (int k = 0; k < 60; k++) {
                wat.append(" (local.set 0 (i32.").append(k % 3 == 0 ? "mul" : k % 3 == 1 ? "add" : "xor")
                        .append(" (local.get 0) (i32.const ").append(random.nextInt(1 << 30)).append(")))");
            }
            wat.append(" (local.get 0))\n");
        }
        return Files.writeString(tmp.resolve("slow.wat"), wat.append(")").toString());
    }

    /**
     * run keeps compiled code in Wasmtime's cache (here under the test's XDG_CACHE_HOME): a second
     * run of a module that takes over a second to compile reads the entry the first wrote and
     * writes none (Wasmtime writes an entry after each compilation, so a miss would leave a new
     * file or a rewritten one: the entries' times are set back to 2000 in between to tell), and an
     * entry that no longer decodes is compiled again and rewritten. {@code
     * -C cache=n} compiles every time; {@code -C cache-config=FILE} puts the cache where the file
     * says, and a file that cannot be used is a usage error.
     */
    @Test
    void compiledCodeIsCachedByDefault() throws Exception {
        Path slow = slowToCompile();
        Path wasm = tmp.resolve("slow.wasm");
        Files.write(wasm, Module.watToBinary(Files.readString(slow, UTF_8)));
        Path cache = tmp.resolve("xdg-cache/wasmtime");
        Run first = wasmbridge("run", "-W", "fuel=100000000", "--invoke", "f7", wasm.toString(), "3");
        first.succeeds(first.out());
        assertTrue(Files.isDirectory(cache), "the cache lives in ~/.cache/wasmtime");
        Map<Path, FileTime> entries = cacheEntries(cache);
        assertFalse(entries.isEmpty(), "the first run wrote a cache entry");
        FileTime past = FileTime.from(Instant.parse("2000-01-01T00:00:00Z"));
        for (Path entry : entries.keySet()) {
            Files.setLastModifiedTime(entry, past);
        }
        Run second = wasmbridge("run", "-W", "fuel=100000000", "--invoke", "f7", wasm.toString(), "3");
        second.succeeds(first.out());
        Map<Path, FileTime> after = cacheEntries(cache);
        assertEquals(entries.keySet(), after.keySet(), "the second run wrote no entry of its own");
        assertTrue(after.values().stream().allMatch(past::equals), "the second run rewrote no entry: " + after);
        Run uncached = wasmbridge("run", "-C", "cache=n", "-W", "fuel=100000000", "--invoke", "f7", wasm.toString(), "3");
        uncached.succeeds(first.out());
        assertEquals(after, cacheEntries(cache), "-C cache=n leaves the cache alone");
        // And a run does read the entry: one that no longer decodes is compiled again and rewritten.
        for (Path entry : entries.keySet()) {
            Files.write(entry, new byte[] {1, 2, 3});
            Files.setLastModifiedTime(entry, past);
        }
        Run corrupt = wasmbridge("run", "-W", "fuel=100000000", "--invoke", "f7", wasm.toString(), "3");
        corrupt.succeeds(first.out());
        assertTrue(cacheEntries(cache).values().stream().noneMatch(past::equals),
                "an entry that does not decode is written again: " + cacheEntries(cache));
        // The compilation alone: each run minus a trivial run's time (JVM and library start-up); a
        // lower bound, which a busy machine only makes easier to meet.
        Run trivial = wasmbridge("run", "-C", "cache=n", hello.toString());
        Duration compile = first.took().minus(trivial.took());
        assertTrue(compile.compareTo(Duration.ofSeconds(1)) > 0, "the module takes over a second to compile: " + compile);
        assertTrue(uncached.took().minus(trivial.took()).compareTo(Duration.ofSeconds(1)) > 0, "-C cache=n compiles again");

        Path dir = tmp.resolve("my-cache");
        Path config = Files.writeString(tmp.resolve("cache.toml"), "[cache]\ndirectory = \"" + dir + "\"\n");
        wasmbridge("run", "-C", "cache-config=" + config, hello.toString()).succeeds("Hello, world!\n");
        try (var files = Files.walk(dir)) {
            assertTrue(files.anyMatch(f -> Files.isRegularFile(f) && f.startsWith(dir.resolve("modules"))));
        }
        wasmbridge("run", "-C", "cache-config=" + tmp.resolve("none.toml"), hello.toString())
                .failsWith(2, "cannot use cache configuration", "none.toml");
    }

    @Test
    void optionGroupsMapOntoTheApi() throws Exception {
        // -W fuel and timeout as --fuel and --timeout; -O opt-level; -C parallel-compilation
        wasmbridge("run", "-W", "fuel=1000", fixture("forever.wat")).failsWith(1, "OUT_OF_FUEL");
        wasmbridge("run", "-W", "timeout=100ms", "-O", "opt-level=0", "-C", "parallel-compilation=n",
                fixture("forever.wat")).failsWith(1, "INTERRUPT");
        wasmbridge("run", "-O", "opt-level=s", "-C", "cache=n,parallel-compilation", hello.toString(), "O")
                .succeeds("Hello, O!\n");
        // -O pooling-*: the pool's slots kept resident, only with the pooling allocator
        wasmbridge("run", "-O", "pooling-allocator,pooling-memory-keep-resident=1M,pooling-table-keep-resident=64K",
                "-O", "pooling-pagemap-scan=auto", hello.toString(), "P").succeeds("Hello, P!\n");
        wasmbridge("run", "-O", "pooling-memory-keep-resident=1M", hello.toString())
                .failsWith(2, "-O pooling-memory-keep-resident needs the pooling allocator");
        wasmbridge("run", "-O", "pooling-allocator,pooling-pagemap-scan=maybe", hello.toString())
                .failsWith(2, "-O pooling-pagemap-scan=maybe: expected y, n or auto");
        // -W max-memory-size: a memory may not grow past it
        Path grow = Files.writeString(tmp.resolve("grow.wat"), "(module (memory 1)"
                + " (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0))))");
        wasmbridge("run", "-W", "max-memory-size=128K", "--invoke", "grow", grow.toString(), "1").succeeds("1\n");
        wasmbridge("run", "-W", "max-memory-size=128K", "--invoke", "grow", grow.toString(), "2").succeeds("-1\n");
        // -W max-wasm-stack: deep recursion traps sooner
        Path deep = Files.writeString(tmp.resolve("deep.wat"), "(module (func $d (export \"d\") (param i32) (result i32)"
                + " (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))"
                + " (else (i32.add (i32.const 1) (call $d (i32.sub (local.get 0) (i32.const 1))))))))");
        wasmbridge("run", "--invoke", "d", deep.toString(), "20000").succeeds("20000\n");
        wasmbridge("run", "-W", "max-wasm-stack=64K", "--invoke", "d", deep.toString(), "20000")
                .failsWith(1, "STACK_OVERFLOW");
        // unknown imports: refused, made traps, or made defaults
        Path imports = Files.writeString(tmp.resolve("imports.wat"), "(module"
                + " (import \"env\" \"f\" (func $f (result i32)))"
                + " (func (export \"call\") (result i32) (call $f)) (func (export \"ok\") (result i32) (i32.const 7)))");
        wasmbridge("run", "--invoke", "ok", imports.toString()).failsWith(2, "cannot instantiate");
        wasmbridge("run", "-W", "unknown-imports-trap", "--invoke", "ok", imports.toString()).succeeds("7\n");
        wasmbridge("run", "-W", "trap-unknown-imports=y", "--invoke", "call", imports.toString()).failsWith(1, "env");
        wasmbridge("run", "-W", "unknown-imports-default", "--invoke", "call", imports.toString()).succeeds("0\n");
        // mistakes are usage errors that say what the group has
        wasmbridge("run", "-W", "fule=1", hello.toString()).failsWith(2, "-W has no option 'fule'", "-W fuel=N");
        wasmbridge("run", "-C", "cache=maybe", hello.toString()).failsWith(2, "-C cache=maybe: expected y or n");
        wasmbridge("run", "-O", "opt-level=3", hello.toString()).failsWith(2, "expected 0, 1, 2 or s");
        wasmbridge("run", "-W", "fuel=-5", hello.toString()).failsWith(2, "-W fuel=-5: expected a non-negative number");
    }

    @Test
    void wasiOptionsPreloadAndArgv0() throws Exception {
        // -S inherit-env passes this process's environment; --env still wins
        Run env = wasmbridge("run", "-S", "inherit-env", "--env", "PATH=/guest", "--argv0", "custom", fixture("echo.wat"));
        assertEquals(0, env.exit(), env.err());
        assertTrue(env.out().startsWith("custom\n"), env.out());
        assertTrue(env.out().contains("\nPATH=/guest\n"), env.out());
        assertTrue(env.out().contains("\nXDG_CACHE_HOME=" + tmp.resolve("xdg-cache") + "\n"), env.out());
        wasmbridge("run", "-S", "inherit-env=n", fixture("echo.wat")).succeeds("echo.wat\n");
        wasmbridge("run", "-S", "inherit-network,allow-ip-name-lookup,tcp=n,udp=y,preview2", hello.toString())
                .succeeds("Hello, world!\n");
        wasmbridge("run", "-S", "preview2=n", hello.toString()).failsWith(2, "-S preview2=n");
        // --preload NAME=PATH: FILE imports the preloaded module's exports from NAME
        Path lib = Files.writeString(tmp.resolve("lib.wat"),
                "(module (func (export \"twice\") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))");
        Path main = Files.writeString(tmp.resolve("main.wat"), "(module (import \"mylib\" \"twice\" (func $t (param i32) (result i32)))"
                + " (func (export \"quad\") (param i32) (result i32) (call $t (call $t (local.get 0)))))");
        wasmbridge("run", "--preload", "mylib=" + lib, "--invoke", "quad", main.toString(), "5").succeeds("20\n");
        wasmbridge("run", "--invoke", "quad", main.toString(), "5").failsWith(2, "cannot instantiate");
        wasmbridge("run", "--preload", "mylib", "--invoke", "quad", main.toString(), "1")
                .failsWith(2, "--preload mylib: expected NAME=PATH");
        wasmbridge("run", "--preload", "mylib=" + tmp.resolve("none.wat"), "--invoke", "quad", main.toString(), "1")
                .failsWith(2, "no such file");
    }

    // ---- the launcher script

    /**
     * {@code target/wasmbridge}, the script beside the jar: the first run on a Java runtime makes a
     * class-data-sharing archive (in the test's XDG_CACHE_HOME), later runs use it; output and exit
     * status are those of {@code java -jar}, and an archive that does not fit is ignored silently.
     */
    @Test
    void theLauncherRunsTheJarWithAClassDataSharingArchive() throws Exception {
        Path launcher = Path.of(System.getProperty("wasmbridge.cli.launcher", "target/wasmbridge"));
        assertTrue(Files.isExecutable(launcher), launcher.toAbsolutePath().toString());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of("env", "JAVA=" + java, launcher.toAbsolutePath().toString(), "run",
                hello.toString(), "Cds");
        Path archives = tmp.resolve("xdg-cache/wasmbridge");
        start(command, new java.io.File("/dev/null"), "launcher, first run").succeeds("Hello, Cds!\n");
        List<Path> made;
        try (var files = Files.list(archives)) {
            made = files.toList();
        }
        assertEquals(1, made.size(), made.toString());
        assertTrue(made.get(0).getFileName().toString().matches("cds-\\d+\\.jsa"), made.toString());
        start(command, new java.io.File("/dev/null"), "launcher, second run").succeeds("Hello, Cds!\n");
        Run exit = start(List.of("env", "JAVA=" + java, launcher.toAbsolutePath().toString(), fixture("exit3.wat")),
                new java.io.File("/dev/null"), "launcher, exit 3");
        assertEquals(3, exit.exit(), exit.err());
        Files.delete(made.get(0)); // the JVM makes it read-only
        Files.write(made.get(0), new byte[] {1, 2, 3}); // not an archive: ignored
        start(command, new java.io.File("/dev/null"), "launcher, bad archive").succeeds("Hello, Cds!\n");
        start(List.of("env", "JAVA=" + java, "WASMBRIDGE_CDS=0", launcher.toAbsolutePath().toString(), "--version"),
                new java.io.File("/dev/null"), "launcher without archive").succeeds(wasmbridge("--version").out());
    }

    // ---- closed standard descriptors

    /**
     * A standard descriptor closed when {@code wasmbridge} starts is reused by a file the JVM opens
     * (its {@code lib/modules}, 128 MB, or the jar): the guest must find it closed ({@code /dev/null}
     * for Wasmtime's command line), never that file. {@code echo} copies stdin to stdout and writes
     * the count to stderr (exit 3, 4 or 5 when a write or the read fails); the module and its
     * component build alike.
     */
    @ParameterizedTest(name = "descriptor {0} closed")
    @ValueSource(ints = {0, 1, 2})
    void aClosedStandardDescriptorIsClosedForTheGuest(int fd) throws Exception {
        String input = "twelve bytes";
        Path in = Files.writeString(tmp.resolve("in.txt"), input);
        for (boolean p2 : new boolean[] {false, true}) {
            List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\" " + fd + ">&-", "sh"));
            command.addAll(javaJar("run", testProgram("echo", p2).toString()));
            Run r = start(command, in.toFile(), "run echo.wasm with descriptor " + fd + " closed");
            String what = (p2 ? "component" : "module") + ", descriptor " + fd + " closed";
            assertEquals(0, r.exit(), what + "; stderr: " + r.err());
            assertEquals(fd == 2 ? input : "", r.out(), what);
            assertEquals(fd == 0 ? "echoed 0 bytes\n" : fd == 1 ? "echoed 12 bytes\n" : "", r.err(), what);
        }
    }

    // ---- compile

    @Test
    void compileThenRunThePrecompiledModule() throws Exception {
        Path cwasm = tmp.resolve("hello.cwasm");
        wasmbridge("compile", hello.toString(), "-o", cwasm.toString()).succeeds("");
        byte[] head = Arrays.copyOf(Files.readAllBytes(cwasm), 4);
        assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F'}, head);
        wasmbridge("run", "--allow-precompiled", cwasm.toString(), "Bob").succeeds("Hello, Bob!\n");
        assertEquals(wasmbridge("inspect", hello.toString()).out(),
                wasmbridge("inspect", "--allow-precompiled", cwasm.toString()).out());
    }

    /**
     * A precompiled module is machine code: without --allow-precompiled it is refused by run and
     * inspect, whatever the file is called (an {@code innocent.wasm} holding one included), with exit
     * status 2 and before anything of it is loaded.
     */
    @Test
    void precompiledCodeRunsOnlyWithAllowPrecompiled() throws Exception {
        wasmbridge("compile", hello.toString(), "-o", "innocent.wasm").succeeds("");
        String refused = "innocent.wasm is a precompiled module (machine code, not WebAssembly); load precompiled code "
                + "only from a source you trust, with --allow-precompiled";
        Run run = wasmbridge("run", "innocent.wasm", "Eve");
        run.failsWith(2, refused);
        assertEquals("", run.out());
        wasmbridge("run", "--invoke", "_start", "innocent.wasm").failsWith(2, refused);
        wasmbridge("inspect", "innocent.wasm").failsWith(2, refused);
        wasmbridge("run", "--allow-precompiled", "innocent.wasm", "Eve").succeeds("Hello, Eve!\n");
        // The flag allows precompiled files; it does not make anything else load as one.
        wasmbridge("run", "--allow-precompiled", hello.toString(), "Ann").succeeds("Hello, Ann!\n");
    }

    @Test
    void compileWritesNextToTheModuleByDefault() throws Exception {
        Files.copy(fixtures.resolve("values.wat"), tmp.resolve("values.wat"));
        wasmbridge("compile", "values.wat").succeeds("");
        assertTrue(Files.isRegularFile(tmp.resolve("values.cwasm")));
        wasmbridge("run", "--allow-precompiled", "--invoke", "add", "values.cwasm", "1", "2").succeeds("3\n");
    }

    @Test
    void aPrecompiledModuleNeedsTheSettingsItWasCompiledWith() throws Exception {
        wasmbridge("compile", fixture("forever.wat"), "-o", "plain.cwasm").succeeds("");
        wasmbridge("run", "--allow-precompiled", "--fuel", "1000", "plain.cwasm")
                .failsWith(2, "cannot load precompiled module plain.cwasm", "compile --fuel");
        wasmbridge("compile", "--fuel", fixture("forever.wat"), "-o", "fuel.cwasm").succeeds("");
        wasmbridge("run", "--allow-precompiled", "--fuel", "1000", "fuel.cwasm").failsWith(1, "OUT_OF_FUEL");
        wasmbridge("inspect", "--allow-precompiled", "fuel.cwasm").succeeds("export memory: memory 1\nexport spin: (func)\nexport _start: (func)\n");
        wasmbridge("compile", "--epoch-interruption", fixture("forever.wat"), "-o", "epoch.cwasm").succeeds("");
        wasmbridge("run", "--allow-precompiled", "--timeout", "100ms", "epoch.cwasm").failsWith(1, "INTERRUPT");
    }

    @Test
    void compileRefusesAPrecompiledModuleAndAnUnwritableOutput() throws Exception {
        wasmbridge("compile", hello.toString(), "-o", "hello.cwasm").succeeds("");
        wasmbridge("compile", "hello.cwasm").failsWith(2, "hello.cwasm is already precompiled");
        wasmbridge("compile", hello.toString(), "-o", "no/such/dir/x.cwasm").failsWith(1, "cannot write", "no such directory");
    }

    // ---- help and version

    @ParameterizedTest
    @ValueSource(strings = {"", "run", "inspect", "compile"})
    void helpAndVersion(String command) throws Exception {
        String[] prefix = command.isEmpty() ? new String[0] : new String[] {command};
        Run help = wasmbridge(with(prefix, "--help"));
        help.succeeds(help.out());
        assertTrue(help.out().contains("Usage: wasmbridge" + (command.isEmpty() ? "" : " " + command)), help.out());
        Run version = wasmbridge(with(prefix, "--version"));
        version.succeeds(version.out());
        assertTrue(version.out().startsWith("wasmbridge " + System.getProperty("wasmbridge.version", "")), version.out());
        assertTrue(version.out().contains(" (Wasmtime " + dev.wasmbridge.Engine.wasmtimeVersion() + ")\n"), version.out());
        assertFalse(version.out().contains("unknown"), version.out());
    }

    @Test
    void noArguments() throws Exception {
        Run r = wasmbridge();
        r.failsWith(2, "Missing command", "Try 'wasmbridge --help'");
    }

    private static String[] with(String[] prefix, String last) {
        String[] all = Arrays.copyOf(prefix, prefix.length + 1);
        all[prefix.length] = last;
        return all;
    }

    /**
     * {@code wasmbridge serve}: a wasi:http component (the C guest of tests/http, which java/core's build makes)
     * served on a free loopback port, asked by the JDK's HTTP client, stopped by SIGTERM as by Ctrl-C.
     */
    @Test
    void serveAnswersHttpRequestsAndStopsOnASignal() throws Exception {
        Path guest = Path.of(System.getProperty("wasmbridge.testWasm", "../core/target/test-wasm"))
                .resolve("http/http-guest.wasm");
        assertTrue(Files.isRegularFile(guest), "java/core's build makes " + guest);
        Path err = Files.createTempFile(tmp, "serve", ".txt");
        Process p = new ProcessBuilder(javaJar("serve", "--addr", "127.0.0.1:0", "--env", "WHO=cli",
                "-W", "timeout=2s", guest.toString())).directory(tmp.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        try {
            String base = null;
            long until = System.nanoTime() + PROCESS_LIMIT.toNanos();
            java.util.regex.Pattern listening = java.util.regex.Pattern.compile("Serving HTTP on (http://\\S+/)");
            while (base == null && p.isAlive() && System.nanoTime() < until) {
                java.util.regex.Matcher m = listening.matcher(Files.readString(err));
                if (m.find()) {
                    base = m.group(1);
                } else {
                    Thread.onSpinWait();
                }
            }
            assertTrue(base != null, "serve did not start: " + Files.readString(err));
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "hello")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("hello from wasm\n", r.body());
            r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "env?name=WHO")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals("cli", r.body());
            byte[] body = new byte[2_000_000];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) (i * 13);
            }
            java.net.http.HttpResponse<byte[]> echo = client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "echo")).POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertArrayEquals(body, echo.body());
            r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "loop")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode(), "-W timeout applies per request");
            assertEquals(200, client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "hello"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
        } finally {
            p.destroy(); // SIGTERM, as a Ctrl-C's SIGINT: the shutdown hook stops the server
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve stops on a signal");
    }
}
