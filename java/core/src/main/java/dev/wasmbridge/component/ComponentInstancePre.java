package dev.wasmbridge.component;

import dev.wasmbridge.Store;
import dev.wasmbridge.internal.CoreAccess;
import dev.wasmbridge.internal.Handle;
import java.util.Map;
import java.util.Objects;

/**
 * A component with its imports resolved and type-checked once ({@link ComponentLinker#prepare}),
 * instantiated cheaply per request, into a new store each time if need be.
 *
 * <p>Thread safety: thread-safe; share it across threads.
 */
public final class ComponentInstancePre implements AutoCloseable {
    private final Component component;
    private final Handle handle;
    private final Map<String, ComponentHostResource> hostTypes;

    static {
        dev.wasmbridge.internal.ComponentAccess.register(new dev.wasmbridge.internal.ComponentAccess.Components() {
            @Override
            public long acquire(ComponentInstancePre pre) {
                return pre.handle.acquire();
            }

            @Override
            public void release(ComponentInstancePre pre) {
                pre.handle.release();
            }

            @Override
            public void checkOpen(Component component) {
                component.acquire();
                component.release();
            }
        });
    }

    ComponentInstancePre(Component component, long pointer, Map<String, ComponentHostResource> hostTypes) {
        this.component = component;
        this.hostTypes = hostTypes;
        this.handle = new Handle(this, pointer, ComponentNative::preFree, "ComponentInstancePre");
    }

    /**
     * Instantiates the component in {@code store}.
     *
     * @param store the store, of the same engine
     * @return the instance
     * @throws dev.wasmbridge.TrapException if a start function traps
     * @throws dev.wasmbridge.LinkException if instantiation fails otherwise (limits, for example)
     * @throws IllegalArgumentException if the store belongs to another engine
     * @throws IllegalStateException if this or the store is closed, or the store is in use by another
     *     thread
     * @throws NullPointerException if {@code store} is null
     */
    public ComponentInstance instantiate(Store store) {
        Objects.requireNonNull(store, "store");
        if (store.engine() != component.engine()) {
            throw new IllegalArgumentException("the store belongs to a different engine than the component");
        }
        long p = handle.acquire();
        try {
            long s = CoreAccess.get().enter(store);
            try {
                return new ComponentInstance(store, component, ComponentNative.preInstantiate(p, store, s), hostTypes);
            } finally {
                CoreAccess.get().exit(store);
            }
        } finally {
            handle.release();
        }
    }

    /**
     * The component.
     *
     * @return the component
     */
    public Component component() {
        return component;
    }

    /**
     * Releases it. Idempotent. Instances already created are unaffected.
     */
    @Override
    public void close() {
        handle.close();
    }
}
