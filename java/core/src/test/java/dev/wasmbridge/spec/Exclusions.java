package dev.wasmbridge.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one list of spec commands that are known not to pass, {@code tests/spec/exclusions.txt}: one entry a
 * line, {@code <suite>/<file>.wast} (the whole script, not run), {@code <suite>/<file>.wast:<line>} or
 * {@code <suite>/<file>.wast:<from>-<to>} (the commands starting on those lines: still run, and expected
 * to fail), then white space and the reason, which is required. {@code #} starts a comment line.
 */
final class Exclusions {
    /** One line of the file. */
    record Entry(String script, int from, int to, String reason, int sourceLine) {
        boolean wholeFile() {
            return from < 0;
        }

        boolean covers(String script, int line) {
            return this.script.equals(script) && (wholeFile() || (line >= from && line <= to));
        }

        @Override
        public String toString() {
            return script + (wholeFile() ? "" : ":" + from + (to != from ? "-" + to : "")) + "  " + reason;
        }
    }

    private final List<Entry> entries;
    private final Set<Entry> used = ConcurrentHashMap.newKeySet();

    private Exclusions(List<Entry> entries) {
        this.entries = entries;
    }

    static Exclusions none() {
        return new Exclusions(List.of());
    }

    static Exclusions load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spec exclusions " + file, e);
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            if (parts.length < 2 || parts[1].isBlank()) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": an exclusion needs a reason: " + line);
            }
            String key = parts[0];
            int colon = key.indexOf(".wast:");
            int from = -1;
            int to = -1;
            String script = key;
            if (colon >= 0) {
                script = key.substring(0, colon + 5);
                String range = key.substring(colon + 6);
                int dash = range.indexOf('-');
                try {
                    from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                    to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": bad line range: " + key, e);
                }
            }
            if (!script.endsWith(".wast") || script.indexOf('/') < 0) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected <suite>/<file>.wast: " + key);
            }
            entries.add(new Entry(script, from, to, parts[1].strip(), i + 1));
        }
        return new Exclusions(Collections.unmodifiableList(entries));
    }

    /** The whole-file exclusion of a script, if any (marked as used). */
    Optional<Entry> wholeFile(String script) {
        for (Entry e : entries) {
            if (e.wholeFile() && e.script.equals(script)) {
                used.add(e);
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The exclusion covering the command of {@code script} at {@code line}, if any (not marked). */
    Optional<Entry> find(String script, int line) {
        for (Entry e : entries) {
            if (!e.wholeFile() && e.covers(script, line)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Records that an entry excused a failure. */
    void markUsed(Entry e) {
        used.add(e);
    }

    /** Entries of the given scripts that excused nothing: stale, to be removed from the file. */
    List<Entry> unused(Set<String> scriptsRun) {
        List<Entry> stale = new ArrayList<>();
        for (Entry e : entries) {
            if (scriptsRun.contains(e.script) && !used.contains(e)) {
                stale.add(e);
            }
        }
        return stale;
    }

    List<Entry> entries() {
        return entries;
    }
}
