package dev.wasmbridge;

/**
 * One import of a module: the two-level name it is imported by, and its type.
 *
 * @param module the first level of the import's name
 * @param name the second level of the import's name
 * @param type what is imported
 *
 * <p>Thread safety: immutable.
 */
public record ImportType(String module, String name, ExternType type) {
    /**
     * Creates an import description.
     *
     * @param module the module name
     * @param name the field name
     * @param type the type
     * @throws NullPointerException if any argument is null
     */
    public ImportType {
        java.util.Objects.requireNonNull(module, "module");
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(type, "type");
    }
}
