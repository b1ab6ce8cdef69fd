package dev.wasmbridge.cli;

import dev.wasmbridge.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: wasmbridge's version (from the {@code version.properties} the build writes, else
 * the jar manifest's {@code Implementation-Version}), the Wasmtime version inside (from the native
 * library, which this loads) and the Java runtime it runs on.
 */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "wasmbridge " + version() + " (Wasmtime " + wasmtimeVersion() + ")",
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                    + System.getProperty("java.vendor") + "), " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch"),
        };
    }

    /** The wasmbridge version, or {@code "unknown"} when neither the resource nor the manifest says. */
    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through to the manifest
        }
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    /** The Wasmtime version inside, or {@code "unknown"} when the native library does not load here. */
    private static String wasmtimeVersion() {
        try {
            return Engine.wasmtimeVersion();
        } catch (UnsatisfiedLinkError e) {
            return "unknown";
        }
    }
}
