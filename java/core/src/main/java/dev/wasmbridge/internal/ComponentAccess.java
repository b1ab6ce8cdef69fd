package dev.wasmbridge.internal;

import dev.wasmbridge.component.ComponentInstancePre;
import java.util.Objects;

/**
 * What {@code dev.wasmbridge.component} offers its sibling packages ({@code dev.wasmbridge.http}), as
 * {@link CoreAccess} does for {@code dev.wasmbridge}. Not exported from the module.
 *
 * <p>Thread safety: thread-safe.
 */
public final class ComponentAccess {
    private static volatile Components components;

    private ComponentAccess() {
    }

    /**
     * What {@code dev.wasmbridge.component} offers.
     *
     * <p>Thread safety: see each method.
     */
    public interface Components {
        /**
         * Starts a native call on a pre-instantiated component (its handle's {@code acquire}); any
         * thread.
         *
         * @param pre the pre-instantiated component
         * @return its native handle
         * @throws IllegalStateException if it is closed
         */
        long acquire(ComponentInstancePre pre);

        /**
         * Ends a native call started with {@link #acquire}.
         *
         * @param pre the pre-instantiated component
         */
        void release(ComponentInstancePre pre);

        /**
         * Refuses a closed component.
         *
         * @param component the component
         * @throws IllegalStateException if it is closed
         */
        void checkOpen(dev.wasmbridge.component.Component component);
    }

    /**
     * Registers the implementation (called by {@code ComponentInstancePre}'s initializer).
     *
     * @param implementation the implementation
     * @throws IllegalStateException if one is registered already
     * @throws NullPointerException if {@code implementation} is null
     */
    public static void register(Components implementation) {
        Objects.requireNonNull(implementation, "implementation");
        synchronized (ComponentAccess.class) {
            if (components != null) {
                throw new IllegalStateException("ComponentAccess is registered already");
            }
            components = implementation;
        }
    }

    /**
     * The implementation.
     *
     * @return the registered implementation
     */
    public static Components get() {
        Components c = components;
        if (c == null) {
            try {
                // ComponentInstancePre's initializer registers it.
                Class.forName(ComponentInstancePre.class.getName(), true, ComponentInstancePre.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            c = components;
        }
        return c;
    }
}
