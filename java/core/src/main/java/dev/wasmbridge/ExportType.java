package dev.wasmbridge;

/**
 * One export of a module or instance: its name and type.
 *
 * @param name the export's name
 * @param type what is exported
 *
 * <p>Thread safety: immutable.
 */
public record ExportType(String name, ExternType type) {
    /**
     * Creates an export description.
     *
     * @param name the name
     * @param type the type
     * @throws NullPointerException if any argument is null
     */
    public ExportType {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(type, "type");
    }
}
