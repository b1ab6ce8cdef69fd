package dev.wasmbridge.cli;

import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A {@code --dir HOST[::GUEST]} preopened directory, spelled as in the Wasmtime CLI: the host
 * directory, and the path the guest sees it under (the host path as written, when no {@code ::GUEST}
 * is given).
 *
 * @param host the directory on this machine
 * @param guest the path the WebAssembly program opens it by
 */
record DirMapping(Path host, String guest) {
    /** The separator between host and guest path. */
    static final String SEPARATOR = "::";

    /**
     * Parses {@code HOST} or {@code HOST::GUEST} (split at the first {@code ::}).
     *
     * @throws IllegalArgumentException if either side is empty
     */
    static DirMapping parse(String spec) {
        int sep = spec.indexOf(SEPARATOR);
        String host = sep < 0 ? spec : spec.substring(0, sep);
        String guest = sep < 0 ? spec : spec.substring(sep + SEPARATOR.length());
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + spec + "' has no host directory: use HOST or HOST::GUEST");
        }
        if (guest.isEmpty()) {
            throw new IllegalArgumentException("'" + spec + "' has an empty guest path: use HOST or HOST::GUEST");
        }
        return new DirMapping(Path.of(host), guest);
    }

    /** The picocli converter for {@code --dir}. */
    static final class Converter implements ITypeConverter<DirMapping> {
        @Override
        public DirMapping convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
