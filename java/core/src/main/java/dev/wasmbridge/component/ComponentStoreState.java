package dev.wasmbridge.component;

import dev.wasmbridge.Store;
import dev.wasmbridge.internal.CoreAccess;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What a store holds for components on the Java side: the buffer calls pass values in, the Java
 * objects behind host resources the guest holds (by rep), and the keys of owned resource handles
 * that became unreachable without being closed (queued by the cleaner, dropped on the store's thread
 * at its next component call). Freed with the store.
 *
 * <p>Thread safety: the call buffer and the object table are used by the store's owning thread only;
 * the queue is concurrent (the cleaner thread adds to it).
 */
final class ComponentStoreState {
    final HostObjects objects = new HostObjects();
    final ConcurrentLinkedQueue<Long> unreachable = new ConcurrentLinkedQueue<>();
    /**
     * The buffer component calls pass their arguments and results in (direct, so native code reads
     * and writes it in place), replaced by a larger one when a call needs more. A call keeps the
     * buffer it started with reachable, so a re-entrant call that replaces it frees nothing in use.
     */
    private ByteBuffer io;
    private long ioAddress;

    /** The call buffer (made on first use). */
    ByteBuffer io() {
        if (io == null) {
            growIo(256);
        }
        return io;
    }

    /** The call buffer's address. */
    long ioAddress() {
        return ioAddress;
    }

    /** A call buffer larger than this is let go after the call that needed it (the store stays small). */
    static final int IO_KEPT = 1 << 20;

    /** Lets go of the call buffer if a large value made it larger than {@link #IO_KEPT}. */
    void trimIo() {
        if (io != null && io.capacity() > IO_KEPT) {
            io = null;
            ioAddress = 0;
        }
    }

    /** Replaces the call buffer by an empty one of at least {@code capacity} bytes, and returns it. */
    ByteBuffer growIo(int capacity) {
        ByteBuffer b = ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
        ioAddress = ComponentNative.bufferAddress(b);
        io = b;
        return b;
    }

    static ComponentStoreState of(Store store) {
        return (ComponentStoreState) CoreAccess.get().componentState(store, ComponentStoreState::new);
    }

    /**
     * The sizes of the store's component registries, for tests of boundedness: instances, functions,
     * live resource handles (native), Java objects behind host resources.
     */
    static long[] sizes(Store store) {
        long s = CoreAccess.get().enter(store);
        try {
            long[] n = ComponentNative.storeComponentSizes(s);
            long[] out = Arrays.copyOf(n, n.length + 1);
            out[n.length] = of(store).objects.size();
            return out;
        } finally {
            CoreAccess.get().exit(store);
        }
    }

    /**
     * Drops the owned handles that became unreachable unclosed. Called on the store's thread inside
     * a call ({@code store} is its native handle); a destructor's failure surfaces here.
     */
    void dropUnreachable(Store storeObject, long store) {
        Long key;
        while ((key = unreachable.poll()) != null) {
            if (ComponentNative.resourceLive(store, key)) {
                ComponentNative.resourceDrop(storeObject, store, key);
            }
        }
    }

    /**
     * The Java objects behind host resources: a slot per object, reused once the object leaves (the
     * guest dropped it or handed it back). Reps are slot indices.
     */
    static final class HostObjects {
        private Object[] slots = new Object[8];
        private int[] free = new int[8];
        private int freeCount;
        private int used;

        int add(Object value) {
            int rep;
            if (freeCount > 0) {
                rep = free[--freeCount];
            } else {
                if (used == slots.length) {
                    slots = Arrays.copyOf(slots, used * 2);
                }
                rep = used++;
            }
            slots[rep] = value;
            return rep;
        }

        Object get(int rep) {
            Object v = rep >= 0 && rep < used ? slots[rep] : null;
            if (v == null) {
                throw new IllegalStateException("no host resource object at rep " + rep);
            }
            return v;
        }

        Object remove(int rep) {
            Object v = get(rep);
            slots[rep] = null;
            if (freeCount == free.length) {
                free = Arrays.copyOf(free, free.length * 2);
            }
            free[freeCount++] = rep;
            return v;
        }

        /** How many objects are held. */
        int size() {
            return used - freeCount;
        }
    }
}
