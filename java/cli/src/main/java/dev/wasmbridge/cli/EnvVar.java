package dev.wasmbridge.cli;

import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A {@code --env NAME=VALUE} environment variable for the guest, spelled as in the Wasmtime CLI:
 * {@code --env NAME} alone passes the variable's value from this process's environment.
 *
 * @param name the variable's name
 * @param value its value
 */
record EnvVar(String name, String value) {
    /**
     * Parses {@code NAME=VALUE} (split at the first {@code =}) or {@code NAME}, looked up in {@code
     * hostEnv}.
     *
     * @throws IllegalArgumentException if the name is empty, or {@code NAME} alone is not set in
     *     {@code hostEnv}
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
        String value = hostEnv.get(name);
        if (value == null) {
            throw new IllegalArgumentException("'" + name + "' is not set in this environment: use NAME=VALUE");
        }
        return new EnvVar(name, value);
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
