package dev.wasmbridge.spec;

import static org.junit.jupiter.api.Assertions.fail;

import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The WebAssembly spec suite through the Java API: one dynamic test per {@code .wast} script, grouped by
 * suite (the core suite and the proposals Wasmtime enables by default), as converted at build time by
 * {@code tools/spec-convert} into {@code target/spec/<suite>/} (java/core's generate-test-resources).
 *
 * <p>A script's test fails when one of its commands fails and no line of {@code tests/spec/exclusions.txt}
 * excuses it; a script excluded as a whole is skipped. The totals per suite are printed at the end and
 * written to {@code target/spec/RESULTS.txt}, with the exclusions that excused nothing (stale).
 *
 * <p>Every suite runs on an engine with the default configuration; the suites named by
 * {@code wasmbridge.spec.noSignals} (default {@code core,memory64,multi-memory,simd}: those that access
 * memory most) run a second time on an engine with
 * {@code signalsBasedTraps(false)} (explicit bounds checks instead of signal handlers).
 *
 * <p>System properties: {@code wasmbridge.spec.dir} (the converted suite; without it the tests are
 * skipped), {@code wasmbridge.spec.skip} ({@code true} skips them too), {@code wasmbridge.spec.exclusions}
 * (default {@code ${wasmbridge.fixtures}/spec/exclusions.txt}), {@code wasmbridge.spec.suites} (a
 * comma-separated subset, e.g. {@code core,simd}), {@code wasmbridge.spec.noSignals} (a comma-separated
 * list, empty for none).
 */
class SpecSuiteTest {
    /** The counts of one suite. */
    static final class Tally {
        int scripts;
        int passed;
        int failed;
        int excluded;
        int skippedScripts;
        long nanos;

        String line(String suite) {
            return String.format("spec suite %-38s %3d scripts: passed %6d, failed %4d, excluded %5d%s (%.1f s)", suite,
                    scripts, passed, failed, excluded,
                    skippedScripts > 0 ? " (" + skippedScripts + " scripts excluded whole)" : "", nanos / 1e9);
        }
    }

    /** An engine and the spectest modules compiled for it. */
    static final class Runtime implements AutoCloseable {
        final Engine engine;
        final Module spectest;
        final Module spectestShared;

        Runtime(EngineConfig config) {
            engine = Engine.create(config);
            spectest = Module.fromWat(engine, WastScript.SPECTEST_WAT);
            spectestShared = Module.fromWat(engine, WastScript.SPECTEST_SHARED_WAT);
        }

        @Override
        public void close() {
            spectest.close();
            spectestShared.close();
            engine.close();
        }
    }

    private static final String NO_SIGNALS = " (signals-based traps off)";

    private static Runtime defaults;
    private static Runtime noSignals;
    private static Exclusions exclusions;
    private static final Map<String, Tally> TALLIES = new LinkedHashMap<>();
    private static final Set<String> SCRIPTS_RUN = new TreeSet<>();

    @BeforeAll
    static void setUp() {
        String dir = System.getProperty("wasmbridge.spec.dir");
        Assumptions.assumeTrue(dir != null, "wasmbridge.spec.dir is not set: the spec suite runs in the Maven build");
        Assumptions.assumeFalse(Boolean.getBoolean("wasmbridge.spec.skip"), "wasmbridge.spec.skip is true");
        defaults = new Runtime(EngineConfig.defaults());
        noSignals = new Runtime(EngineConfig.builder().signalsBasedTraps(false).build());
        String list = System.getProperty("wasmbridge.spec.exclusions");
        String fixtures = System.getProperty("wasmbridge.fixtures");
        if (list == null && fixtures != null) {
            list = Path.of(fixtures, "spec", "exclusions.txt").toString();
        }
        exclusions = list == null ? Exclusions.none() : Exclusions.load(Path.of(list));
    }

    @AfterAll
    static void tearDown() {
        if (defaults != null) {
            defaults.close();
        }
        if (noSignals != null) {
            noSignals.close();
        }
    }

    @TestFactory
    Stream<DynamicNode> spec() throws IOException {
        Path root = Path.of(System.getProperty("wasmbridge.spec.dir"));
        if (!Files.isDirectory(root)) {
            fail("no converted spec suite at " + root + ": java/core's generate-test-resources phase writes it "
                    + "(cargo run -p wasmbridge-spec-convert -- " + root + ")");
        }
        String only = System.getProperty("wasmbridge.spec.suites", "").strip();
        Set<String> wanted = only.isEmpty() ? null : Arrays.stream(only.split(",")).map(String::strip)
                .collect(Collectors.toSet());
        List<Path> suites;
        try (Stream<Path> s = Files.list(root)) {
            suites = s.filter(Files::isDirectory)
                    .filter(p -> wanted == null || wanted.contains(p.getFileName().toString()))
                    .sorted()
                    .collect(Collectors.toList());
        }
        if (suites.isEmpty()) {
            fail("no spec suites under " + root + (wanted == null ? "" : " matching " + wanted));
        }
        Set<String> secondRun = Arrays.stream(System.getProperty("wasmbridge.spec.noSignals", "core,memory64,multi-memory,simd").split(","))
                .map(String::strip).filter(n -> !n.isEmpty()).collect(Collectors.toSet());
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path suite : suites) {
            nodes.add(suite(suite, defaults, ""));
        }
        for (Path suite : suites) {
            if (secondRun.contains(suite.getFileName().toString())) {
                nodes.add(suite(suite, noSignals, NO_SIGNALS));
            }
        }
        nodes.add(DynamicTest.dynamicTest("totals", () -> totals(root)));
        return nodes.stream();
    }

    private static DynamicContainer suite(Path suite, Runtime runtime, String label) throws IOException {
        String name = suite.getFileName().toString();
        List<Path> scripts;
        try (Stream<Path> s = Files.list(suite)) {
            scripts = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
        Tally tally = new Tally();
        TALLIES.put(name + label, tally);
        return DynamicContainer.dynamicContainer(name + label, scripts.stream().map(json -> {
            String file = json.getFileName().toString().replaceFirst("\\.json$", ".wast");
            return DynamicTest.dynamicTest(file, json.toUri(), () -> runScript(runtime, tally, name, file, json));
        }));
    }

    @SuppressWarnings("unchecked")
    private static void runScript(Runtime runtime, Tally tally, String suite, String file, Path json)
            throws IOException {
        String script = suite + "/" + file;
        long start = System.nanoTime();
        Map<String, Object> doc = (Map<String, Object>) Json.parse(Files.readString(json, StandardCharsets.UTF_8));
        List<Map<String, Object>> commands = (List<Map<String, Object>>) doc.get("commands");
        tally.scripts++;
        SCRIPTS_RUN.add(script);
        Optional<Exclusions.Entry> whole = exclusions.wholeFile(script);
        if (whole.isPresent()) {
            tally.excluded += commands.size();
            tally.skippedScripts++;
            Assumptions.abort("excluded (tests/spec/exclusions.txt): " + whole.get().reason());
        }
        List<String> failures = new ArrayList<>();
        int excludedHere = 0;
        try (WastScript runner = new WastScript(runtime.engine, runtime.spectest, runtime.spectestShared, json.getParent())) {
            for (Map<String, Object> c : commands) {
                int line = ((Long) c.get("line")).intValue();
                try {
                    runner.run(c);
                    tally.passed++;
                } catch (OutOfMemoryError | InternalError e) {
                    throw e;
                } catch (Throwable t) {
                    Optional<Exclusions.Entry> excuse = exclusions.find(script, line);
                    if (excuse.isPresent()) {
                        exclusions.markUsed(excuse.get());
                        tally.excluded++;
                        excludedHere++;
                    } else {
                        tally.failed++;
                        failures.add(script + ":" + line + " " + c.get("type") + ": " + describe(t));
                    }
                }
            }
        } finally {
            tally.nanos += System.nanoTime() - start;
        }
        if (!failures.isEmpty()) {
            int shown = Math.min(failures.size(), 40);
            fail(failures.size() + " of " + commands.size() + " commands failed (" + excludedHere + " excluded):\n  "
                    + String.join("\n  ", failures.subList(0, shown))
                    + (shown < failures.size() ? "\n  ... and " + (failures.size() - shown) + " more" : ""));
        }
    }

    private static String describe(Throwable t) {
        String m = t instanceof AssertionError ? t.getMessage() : t.toString();
        if (m == null) {
            m = t.getClass().getName();
        }
        m = m.replace('\n', ' ');
        return m.length() > 400 ? m.substring(0, 400) + "..." : m;
    }

    private static void totals(Path root) {
        StringBuilder sb = new StringBuilder();
        Tally all = new Tally();
        for (Map.Entry<String, Tally> e : TALLIES.entrySet()) {
            Tally t = e.getValue();
            sb.append(t.line(e.getKey())).append('\n');
            all.scripts += t.scripts;
            all.passed += t.passed;
            all.failed += t.failed;
            all.excluded += t.excluded;
            all.skippedScripts += t.skippedScripts;
            all.nanos += t.nanos;
        }
        sb.append(all.line("(all)")).append('\n');
        List<Exclusions.Entry> stale = exclusions.unused(SCRIPTS_RUN);
        if (!stale.isEmpty()) {
            sb.append("stale exclusions (they excused no failure; remove them from tests/spec/exclusions.txt):\n");
            for (Exclusions.Entry e : stale) {
                sb.append("  ").append(e).append('\n');
            }
        }
        System.out.print(sb);
        try {
            Files.writeString(root.resolve("RESULTS.txt"), sb, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
