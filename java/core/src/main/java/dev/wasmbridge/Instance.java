package dev.wasmbridge;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An instantiated module: its exports, by name. A view owned by its {@link Store}.
 *
 * <p>Thread safety: like its store, one thread at a time.
 */
public final class Instance {
    private final Store store;
    private final int index;
    private final Map<String, Optional<Extern>> exports = new HashMap<>();

    Instance(Store store, int index) {
        this.store = store;
        this.index = index;
    }

    /**
     * The store that owns this instance.
     *
     * @return the store
     */
    public Store store() {
        return store;
    }

    int index() {
        return index;
    }

    /**
     * The export {@code name}, whatever its kind.
     *
     * @param name the export's name
     * @return the export, or empty if there is none by that name (tags are not returned)
     * @throws IllegalStateException if the store is closed or in use by another thread
     * @throws NullPointerException if {@code name} is null
     */
    public Optional<Extern> export(String name) {
        java.util.Objects.requireNonNull(name, "name");
        Optional<Extern> cached = exports.get(name);
        if (cached != null) {
            store.enter();
            store.exit();
            return cached;
        }
        long packed;
        long s = store.enter();
        try {
            packed = Native.instanceExport(s, index, name);
        } finally {
            store.exit();
        }
        Optional<Extern> found = packed < 0 ? Optional.empty() : Optional.ofNullable(view(store, Abi.kind(packed), Abi.index(packed)));
        exports.put(name, found);
        return found;
    }

    static Extern view(Store store, int kind, int i) {
        switch (kind) {
            case Abi.KIND_FUNC:
                return new Function(store, i);
            case Abi.KIND_MEMORY:
                return new Memory(store, i);
            case Abi.KIND_GLOBAL:
                return new Global(store, i);
            case Abi.KIND_TABLE:
                return new Table(store, i);
            default:
                return null;
        }
    }

    private <T extends Extern> T export(String name, Class<T> kind, String what) {
        Extern e = export(name).orElseThrow(() -> new IllegalArgumentException(
                "the instance has no export named '" + name + "'" + exportNames()));
        if (!kind.isInstance(e)) {
            throw new IllegalArgumentException("export '" + name + "' is a " + e.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                    + ", not a " + what);
        }
        return kind.cast(e);
    }

    private String exportNames() {
        List<ExportType> all = exports(); // the instance's own list: valid even if the module was closed
        StringBuilder sb = new StringBuilder(" (exports:");
        for (ExportType e : all) {
            sb.append(' ').append(e.name());
        }
        return sb.append(')').toString();
    }

    /**
     * The exported function {@code name}.
     *
     * @param name the export's name
     * @return the function
     * @throws IllegalArgumentException if there is no such export or it is not a function
     * @throws IllegalStateException if the store is closed or in use by another thread
     * @throws NullPointerException if {@code name} is null
     */
    public Function function(String name) {
        return export(name, Function.class, "function");
    }

    /**
     * The exported memory {@code name}.
     *
     * @param name the export's name
     * @return the memory
     * @throws IllegalArgumentException if there is no such export or it is not a memory
     * @throws IllegalStateException if the store is closed or in use by another thread
     * @throws NullPointerException if {@code name} is null
     */
    public Memory memory(String name) {
        return export(name, Memory.class, "memory");
    }

    /**
     * The exported global {@code name}.
     *
     * @param name the export's name
     * @return the global
     * @throws IllegalArgumentException if there is no such export or it is not a global
     * @throws IllegalStateException if the store is closed or in use by another thread
     * @throws NullPointerException if {@code name} is null
     */
    public Global global(String name) {
        return export(name, Global.class, "global");
    }

    /**
     * The exported table {@code name}.
     *
     * @param name the export's name
     * @return the table
     * @throws IllegalArgumentException if there is no such export or it is not a table
     * @throws IllegalStateException if the store is closed or in use by another thread
     * @throws NullPointerException if {@code name} is null
     */
    public Table table(String name) {
        return export(name, Table.class, "table");
    }

    /**
     * All exports with their types, in the module's order.
     *
     * @return an unmodifiable list
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public List<ExportType> exports() {
        long s = store.enter();
        try {
            return TypeCodec.exports(Native.instanceExports(s, index));
        } finally {
            store.exit();
        }
    }
}
