package dev.wasmbridge.internal;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Store;
import java.util.Objects;

/**
 * The bridge from the library's other packages (the component model's) to what {@code dev.wasmbridge}
 * keeps package-private: engine handles and a store's ownership protocol. {@code dev.wasmbridge}
 * registers the implementation when {@link Store} is initialized. Not part of the API ({@code
 * dev.wasmbridge.internal} is not exported).
 *
 * <p>Thread safety: the registration happens once; every method follows the rules of the object it
 * is given.
 */
public final class CoreAccess {
    private static volatile Core core;

    private CoreAccess() {
    }

    /**
     * What {@code dev.wasmbridge} offers its sibling packages.
     *
     * <p>Thread safety: see each method.
     */
    public interface Core {
        /**
         * Starts a native call on an engine ({@code Engine.acquire}).
         *
         * @param engine the engine
         * @return its handle
         * @throws IllegalStateException if it is closed
         */
        long acquire(Engine engine);

        /**
         * Ends a native call started with {@link #acquire}.
         *
         * @param engine the engine
         */
        void release(Engine engine);

        /**
         * Starts a call on a store from the current thread ({@code Store.enter}); pair with {@link
         * #exit} in a {@code finally}.
         *
         * @param store the store
         * @return its handle
         * @throws IllegalStateException if it is closed or in use by another thread
         */
        long enter(Store store);

        /**
         * Ends a call started with {@link #enter}.
         *
         * @param store the store
         */
        void exit(Store store);

        /**
         * The component state of a store (created by {@code create} on first use, then the same
         * object for the store's life).
         *
         * @param store the store
         * @param create makes the state
         * @return the state
         */
        Object componentState(Store store, java.util.function.Supplier<Object> create);

        /**
         * Whether the store is closed.
         *
         * @param store the store
         * @return true once closed
         */
        boolean isClosed(Store store);
    }

    /**
     * Registers the implementation (called by {@code dev.wasmbridge.Store}'s initializer).
     *
     * @param implementation the implementation
     * @throws IllegalStateException if one is registered already
     * @throws NullPointerException if {@code implementation} is null
     */
    public static void register(Core implementation) {
        Objects.requireNonNull(implementation, "implementation");
        synchronized (CoreAccess.class) {
            if (core != null) {
                throw new IllegalStateException("CoreAccess is registered already");
            }
            core = implementation;
        }
    }

    /**
     * The implementation.
     *
     * @return the registered implementation
     */
    public static Core get() {
        Core c = core;
        if (c == null) {
            try {
                // Store's initializer registers it.
                Class.forName(Store.class.getName(), true, Store.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            c = core;
        }
        return c;
    }
}
