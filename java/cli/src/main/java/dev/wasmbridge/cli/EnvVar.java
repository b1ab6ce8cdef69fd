package dev.wasmbridge.cli;

import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A {@code --env NAME=VALUE} environment variable for the guest, spelled as in the Wasmtime CLI:
 * {@code --env NAME} alone passes the variable's value from this process's environment, and is
 * skipped when the variable is not set there (as Wasmtime does).
 *
 * @param name the variable's name
 * @param value its value; null for {@code NAME} alone when this process does not have it (skipped)
 */
record EnvVar(String name, String value) {
    /**
     * Parses {@code NAME=VALUE} (split at the first {@code =}) or {@code NAME}, looked up in {@code
     * hostEnv}.
     *
     * @throws IllegalArgumentException if the name is empty
     */
    static EnvVar parse(String spec, Map<String, String> hostEnv) {
        int eq = spec.indexOf('=');
        String name = eq < 0 ? spec : spec.substring(0, eq);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("'" + spec + "' has no variable name: use NAME=VALUE or NAME");
        }
        if (eq >= 0) {
            return new EnvVar(name, spec.substring(eq + 1));
        }
        return new EnvVar(name, hostEnv.get(name));
    }

    /** The picocli converter for {@code --env}, reading the process environment. */
    static final class Converter implements ITypeConverter<EnvVar> {
        @Override
        public EnvVar convert(String value) {
            try {
                return parse(value, System.getenv());
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
