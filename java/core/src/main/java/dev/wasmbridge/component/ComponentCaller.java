package dev.wasmbridge.component;

import dev.wasmbridge.Store;

/**
 * What a {@link ComponentHostFunction} sees of its call: the store and its data. Calls into other
 * component instances and modules of the same store are allowed from here; calling back into the
 * instance that called this function traps (the component model forbids re-entering an instance).
 *
 * <p>Thread safety: valid only during the host call it was given to, on that call's thread.
 */
public final class ComponentCaller {
    private final Store store;
    private boolean active = true;

    ComponentCaller(Store store) {
        this.store = store;
    }

    void end() {
        active = false;
    }

    private void check() {
        if (!active) {
            throw new IllegalStateException("a ComponentCaller is only valid while its host function runs");
        }
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
     * The store's user data ({@link Store#create(dev.wasmbridge.Engine, Object)}).
     *
     * @return the data, or null
     * @throws IllegalStateException if the host call has returned
     */
    public Object data() {
        check();
        return store.data();
    }
}
