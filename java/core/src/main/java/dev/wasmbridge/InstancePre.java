package dev.wasmbridge;

import dev.wasmbridge.internal.Handle;
import java.util.Objects;

/**
 * A module whose imports a {@link Linker} has already resolved and type-checked
 * ({@link Linker#prepare(Module)}): instantiating it in a store only allocates and initializes, which
 * makes it the way to create an instance per request.
 *
 * <p>Thread safety: thread-safe; share one across threads, each instantiating into its own stores.
 * Host functions it was linked with serve every store. Imports defined from a particular store's
 * instance can only be used with that store.
 */
public final class InstancePre implements AutoCloseable {
    private final Module module;
    private final Handle handle;

    InstancePre(Module module, long ptr) {
        this.module = module;
        this.handle = new Handle(this, ptr, Native::instancePreFree, "InstancePre");
    }

    /**
     * The module this was prepared from.
     *
     * @return the module
     */
    public Module module() {
        return module;
    }

    /**
     * Creates an instance in {@code store} and runs its start function.
     *
     * @param store the store to instantiate into (of the module's engine)
     * @return the new instance
     * @throws TrapException if the start function traps
     * @throws LinkException if a store limit or the pooling allocator refuses the instance
     * @throws IllegalArgumentException if the store belongs to another engine
     * @throws IllegalStateException if this or the store is closed, or the store is in use by another
     *     thread
     * @throws NullPointerException if {@code store} is null
     */
    public Instance instantiate(Store store) {
        Objects.requireNonNull(store, "store");
        store.checkSameEngine(module.engine(), "the InstancePre");
        long p = handle.acquire();
        try {
            long s = store.enter();
            try {
                return new Instance(store, Native.instancePreInstantiate(p, store, s));
            } finally {
                store.exit();
            }
        } finally {
            handle.release();
        }
    }

    /**
     * Releases the prepared module. Idempotent. Instances already created are unaffected.
     */
    @Override
    public void close() {
        handle.close();
    }
}
