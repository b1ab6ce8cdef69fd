package dev.wasmbridge.component;

import dev.wasmbridge.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Converts the resources of one call (see {@code native/src/component/resources.rs}): handles go by
 * key, Java objects behind host resources by rep in the store's {@link ComponentStoreState.HostObjects}.
 * Owned handles passed as {@code own} are remembered so the caller can mark them moved; objects lent
 * as {@code borrow} leave the table when the call ends ({@link #endCall()}).
 *
 * <p>Thread safety: one call, on the store's owning thread.
 */
final class ResourceContext {
    private final Store store;
    private final ComponentStoreState state;
    /** The linker's host resource types, by qualified name. */
    private final Map<String, ComponentHostResource> hostTypes;
    final List<ResourceHandle> moved = new ArrayList<>(0);
    private final List<Integer> lent = new ArrayList<>(0);

    ResourceContext(Store store, Map<String, ComponentHostResource> hostTypes) {
        this(store, ComponentStoreState.of(store), hostTypes);
    }

    /** With the store's {@link ComponentStoreState} at hand. */
    ResourceContext(Store store, ComponentStoreState state, Map<String, ComponentHostResource> hostTypes) {
        this.store = store;
        this.state = state;
        this.hostTypes = hostTypes;
    }

    ComponentStoreState state() {
        return state;
    }

    /** The key of {@code handle}, passed as a value of {@code type}. */
    long key(ResourceHandle handle, WitType type, Object where) {
        boolean own = type.kind() == WitType.Kind.OWN;
        if (handle.store() != store) {
            throw new IllegalArgumentException(where + ": the resource handle belongs to another store");
        }
        long key = handle.key();
        if (own) {
            if (!handle.isOwned()) {
                throw new IllegalArgumentException(where + ": a borrowed handle (" + handle.type()
                        + ") cannot be passed as own");
            }
            for (ResourceHandle m : moved) {
                if (m == handle) {
                    throw new IllegalArgumentException(where + ": the same owned handle is passed twice");
                }
            }
            moved.add(handle);
        }
        return key;
    }

    /** The rep of the Java object {@code value}, passed as a value of {@code type}. */
    int rep(Object value, WitType type, Object where) {
        String name = type instanceof WitType.Own o ? o.resource() : ((WitType.Borrow) type).resource();
        ComponentHostResource def = hostTypes.get(name);
        if (def == null) {
            throw new IllegalArgumentException(where + ": " + name + " is not a resource the linker implements in"
                    + " Java, so it takes a ResourceHandle, not " + value.getClass().getName());
        }
        if (!def.type().isInstance(value)) {
            throw new IllegalArgumentException(where + ": " + name + " is implemented by "
                    + def.type().getName() + ", got " + value.getClass().getName());
        }
        int rep = state.objects.add(value);
        if (type.kind() == WitType.Kind.BORROW) {
            lent.add(rep);
        }
        return rep;
    }

    /** A handle the component hands to Java. */
    WitValue handle(long key, WitType type) {
        return new WitValue.Resource(new ResourceHandle(store, state, key, type.kind() == WitType.Kind.OWN,
                type.toString()));
    }

    /** A host resource's object the component hands to Java: an {@code own} leaves the table. */
    WitValue host(int rep, WitType type) {
        return new WitValue.HostResource(type.kind() == WitType.Kind.OWN ? state.objects.remove(rep)
                : state.objects.get(rep));
    }

    /**
     * The call is over: the objects lent as borrows leave the table, and the handles passed as
     * {@code own} are gone: all of them if the call {@code returned}, else those the native table no
     * longer holds (the call failed before or after moving them).
     */
    void endCall(boolean returned, long store) {
        for (int rep : lent) {
            state.objects.remove(rep);
        }
        lent.clear();
        for (ResourceHandle h : moved) {
            if (returned || !ComponentNative.resourceLive(store, h.rawKey())) {
                h.moved();
            }
        }
        moved.clear();
    }
}
