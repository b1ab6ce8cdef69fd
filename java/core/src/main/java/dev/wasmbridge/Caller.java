package dev.wasmbridge;

import java.util.Optional;

/**
 * What a {@link HostFunction} sees of the code that called it: the calling instance's exports (its
 * memory, typically), the store, and the store's data. Calls back into the same store from here are
 * allowed (re-entrancy): Java → wasm → Java host → wasm → ...
 *
 * <p>Thread safety: valid only during the host call it was given to, on that call's thread; using it
 * afterwards is an {@link IllegalStateException}.
 */
public final class Caller {
    private final Store store;
    private boolean active = true;

    Caller(Store store) {
        this.store = store;
    }

    void end() {
        active = false;
    }

    /**
     * The store the call runs in.
     *
     * @return the store
     * @throws IllegalStateException if the host call has returned
     */
    public Store store() {
        check();
        return store;
    }

    /**
     * The store's user data ({@link Store#create(Engine, Object)}).
     *
     * @return the data, or null if the store has none
     * @throws IllegalStateException if the host call has returned
     */
    public Object data() {
        check();
        return store.data();
    }

    /**
     * An export of the calling instance.
     *
     * @param name the export's name
     * @return the export, or empty if the caller has none by that name
     * @throws IllegalStateException if the host call has returned, or the store is closed
     * @throws NullPointerException if {@code name} is null
     */
    public Optional<Extern> export(String name) {
        java.util.Objects.requireNonNull(name, "name");
        check();
        long packed;
        long s = store.enter();
        try {
            packed = Native.callerExport(s, name);
        } finally {
            store.exit();
        }
        return packed < 0 ? Optional.empty() : Optional.ofNullable(Instance.view(store, Abi.kind(packed), Abi.index(packed)));
    }

    /**
     * The calling instance's exported memory {@code name}.
     *
     * @param name the export's name, usually {@code "memory"}
     * @return the memory
     * @throws IllegalArgumentException if the caller exports no memory by that name
     * @throws IllegalStateException if the host call has returned, or the store is closed
     * @throws NullPointerException if {@code name} is null
     */
    public Memory memory(String name) {
        return export(name, Memory.class);
    }

    /**
     * The calling instance's exported function {@code name}.
     *
     * @param name the export's name
     * @return the function
     * @throws IllegalArgumentException if the caller exports no function by that name
     * @throws IllegalStateException if the host call has returned, or the store is closed
     * @throws NullPointerException if {@code name} is null
     */
    public Function function(String name) {
        return export(name, Function.class);
    }

    private <T extends Extern> T export(String name, Class<T> kind) {
        Extern e = export(name).orElse(null);
        if (!kind.isInstance(e)) {
            throw new IllegalArgumentException("the calling instance exports no "
                    + kind.getSimpleName().toLowerCase(java.util.Locale.ROOT) + " named '" + name + "'");
        }
        return kind.cast(e);
    }

    private void check() {
        if (!active) {
            throw new IllegalStateException("a Caller is only valid while its host function runs");
        }
    }
}
