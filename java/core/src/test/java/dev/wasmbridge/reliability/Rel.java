package dev.wasmbridge.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Shared helpers of the reliability suite: sizes from system properties, fixtures, resident memory, reports. */
final class Rel {
    private Rel() {
    }

    /** An int system property (see README.md in this folder), or {@code def}. */
    static int intProp(String name, int def) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? def : Integer.parseInt(v.strip().replace("_", ""));
    }

    /** A long system property, or {@code def}. */
    static long longProp(String name, long def) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? def : Long.parseLong(v.strip().replace("_", ""));
    }

    /** The repository's {@code tests/} folder. */
    static Path fixtures() {
        return Path.of(System.getProperty("wasmbridge.fixtures", "../../tests")).toAbsolutePath().normalize();
    }

    /** The text of {@code tests/wat/<name>.wat}. */
    static String wat(String name) {
        try {
            return Files.readString(fixtures().resolve("wat").resolve(name + ".wat"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of all {@code tests/wat/*.wat} fixtures, sorted. */
    static List<String> watNames() {
        try (Stream<Path> files = Files.list(fixtures().resolve("wat"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".wat"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This process's resident set size in bytes ({@code VmRSS} of {@code /proc/self/status}), or -1. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return -1;
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /** Runs the GC a few times and waits a little for Cleaner threads to free what it found. */
    static void settle() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Prints one figure line; surefire keeps it in the test's report ({@code target/surefire-reports}). */
    static void report(String format, Object... args) {
        System.out.println("[reliability] " + String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
