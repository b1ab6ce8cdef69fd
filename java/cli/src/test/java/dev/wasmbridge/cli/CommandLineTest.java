package dev.wasmbridge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line parsed in this JVM: options, help, version and usage errors (no module is loaded). */
class CommandLineTest {
    private record Result(int status, String out, String err) {
    }

    private static Result execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    private static RunCommand parseRun(String... args) {
        CommandLine cmd = Main.commandLine();
        CommandLine.ParseResult parsed = cmd.parseArgs(args);
        return (RunCommand) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void runOptions() {
        RunCommand run = parseRun("run", "--dir", "/tmp::/data", "--dir", ".", "--env", "A=1", "--invoke", "add",
                "--fuel", "1000", "--timeout", "500ms", "--verbose", "m.wat", "1", "2");
        assertEquals(List.of(new DirMapping(Path.of("/tmp"), "/data"), new DirMapping(Path.of("."), ".")), run.options.dirs);
        assertEquals(List.of(new EnvVar("A", "1")), run.options.env);
        assertEquals("add", run.invoke);
        assertEquals(1000L, run.options.fuel);
        assertEquals(Duration.ofMillis(500), run.options.timeout);
        assertTrue(run.verbose());
        assertEquals(Path.of("m.wat"), run.file);
        assertEquals(List.of("1", "2"), run.args);
    }

    @Test
    void optionSyntaxWithEqualsSign() {
        RunCommand run = parseRun("run", "--timeout=PT2S", "--fuel=5", "--dir=a::b", "m.wasm");
        assertEquals(Duration.ofSeconds(2), run.options.timeout);
        assertEquals(5L, run.options.fuel);
        assertEquals(List.of(new DirMapping(Path.of("a"), "b")), run.options.dirs);
    }

    @Test
    void everythingAfterTheFileBelongsToTheProgram() {
        RunCommand run = parseRun("run", "--env", "A=1", "prog.wasm", "--env", "B=2", "-x", "--help", "-5", "--");
        assertEquals(List.of(new EnvVar("A", "1")), run.options.env);
        assertEquals(List.of("--env", "B=2", "-x", "--help", "-5", "--"), run.args);
        assertFalse(run.verbose());
        RunCommand negative = parseRun("run", "--invoke", "add", "add.wat", "-5", "-0x10");
        assertEquals(List.of("-5", "-0x10"), negative.args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "run", "inspect", "compile"})
    void helpAndVersionForEveryCommand(String command) {
        String[] prefix = command.isEmpty() ? new String[0] : new String[] {command};
        Result help = execute(concat(prefix, "--help"));
        assertEquals(0, help.status(), help.err());
        assertTrue(help.out().contains("Usage: wasmbridge" + (command.isEmpty() ? "" : " " + command)), help.out());
        assertTrue(help.out().contains("Exit status:"), help.out());
        assertEquals("", help.err());
        Result version = execute(concat(prefix, "--version"));
        assertEquals(0, version.status());
        assertTrue(version.out().startsWith("wasmbridge " + VersionProvider.version() + " (Wasmtime "
                + dev.wasmbridge.Engine.wasmtimeVersion() + ")" + System.lineSeparator()), version.out());
    }

    @Test
    void helpCommand() {
        Result r = execute("help", "inspect");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("import MODULE.NAME: TYPE"), r.out());
    }

    @Test
    void versionComesFromTheBuild() {
        assertFalse(VersionProvider.version().contains("${"), VersionProvider.version());
        assertFalse(VersionProvider.version().equals("unknown"));
    }

    @Test
    void noCommandIsAUsageError() {
        Result r = execute();
        assertEquals(2, r.status());
        assertTrue(r.err().contains("Missing command"), r.err());
        assertTrue(r.err().contains("Try 'wasmbridge --help'"), r.err());
    }

    @Test
    void usageErrorsAreShortAndPointToHelp() {
        Result r = execute("run", "--timeout", "5x", "m.wasm");
        assertEquals(2, r.status());
        assertEquals(List.of(
                "wasmbridge: error: Invalid value for option '--timeout': '5x' is not a duration: use " + Durations.HELP,
                "Try 'wasmbridge run --help' for more information."), r.err().lines().toList());
        assertEquals("", r.out());
    }

    @Test
    void otherUsageErrors() {
        assertUsageError(execute("run"), "Missing required parameter: 'FILE'");
        assertUsageError(execute("run", "--fuel", "lots", "m.wasm"), "'lots' is not a long");
        assertUsageError(execute("run", "--dir", "::/x", "m.wasm"), "has no host directory");
        assertUsageError(execute("run", "--env", "=1", "m.wasm"), "has no variable name");
        assertUsageError(execute("run", "--nope", "m.wasm"), "Unknown option: '--nope'");
        assertUsageError(execute("compile"), "Missing required parameter: 'FILE'");
        assertUsageError(execute("inspect", "a.wasm", "b.wasm"), "Unmatched argument");
        Result typo = execute("runn", "x.wasm");
        assertUsageError(typo, "unknown command 'runn' (commands: run, serve, inspect, compile, help)");
        assertTrue(typo.err().contains("Did you mean: wasmbridge run?"), typo.err());
    }

    @Test
    void aFileOrRunOptionFirstMeansRun() {
        assertArrayEquals(new String[] {"run", "app.wasm", "x"}, Main.implicitRun(new String[] {"app.wasm", "x"}));
        assertArrayEquals(new String[] {"run", "--dir", ".", "a/b"}, Main.implicitRun(new String[] {"--dir", ".", "a/b"}));
        for (String[] kept : List.of(new String[] {"run", "a.wasm"}, new String[] {"inspect", "a.wasm"},
                new String[] {"--help"}, new String[] {"-V"}, new String[] {"help", "run"}, new String[] {"runn", "x.wasm"},
                new String[0])) {
            assertArrayEquals(kept, Main.implicitRun(kept));
        }
        assertUsageError(execute("no-such-file.wasm"), "no such file: no-such-file.wasm");
        assertUsageError(execute("--fuel", "-1", "m.wasm"), "--fuel must not be negative");
    }

    @Test
    void checksThatNeedNoModule() {
        assertUsageError(execute("run", "--fuel", "-1", "m.wasm"), "--fuel must not be negative");
        assertUsageError(execute("run", "--dir", "/no/such/dir", "m.wasm"), "--dir /no/such/dir: no such directory");
        assertUsageError(execute("run", "no-such-file.wasm"), "no such file: no-such-file.wasm");
        assertUsageError(execute("inspect", "no-such-file.wasm"), "no such file: no-such-file.wasm");
        assertUsageError(execute("compile", "no-such-file.wat"), "no such file: no-such-file.wat");
        assertUsageError(execute("run", "."), ". is a directory, not a module file");
    }

    @Test
    void compileOutputDefaultsToCwasm() {
        assertEquals(Path.of("dir/app.cwasm"), CompileCommand.defaultOutput(Path.of("dir/app.wasm")));
        assertEquals(Path.of("app.cwasm"), CompileCommand.defaultOutput(Path.of("app.wat")));
        assertEquals(Path.of("app.v2.cwasm"), CompileCommand.defaultOutput(Path.of("app.v2.wasm")));
        assertEquals(Path.of("app.cwasm"), CompileCommand.defaultOutput(Path.of("app")));
        assertEquals(Path.of(".hidden.cwasm"), CompileCommand.defaultOutput(Path.of(".hidden")));
    }

    private static void assertUsageError(Result r, String message) {
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().startsWith("wasmbridge: error: "), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    private static String[] concat(String[] prefix, String last) {
        String[] all = java.util.Arrays.copyOf(prefix, prefix.length + 1);
        all[prefix.length] = last;
        return all;
    }
}
