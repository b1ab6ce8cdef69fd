package dev.wasmbridge.component;

import dev.wasmbridge.Store;
import dev.wasmbridge.internal.CoreAccess;
import dev.wasmbridge.internal.Handle;
import java.lang.ref.Cleaner;
import java.util.Queue;

/**
 * A handle to a component resource (WIT {@code own<R>} or {@code borrow<R>}) that Java holds: one a
 * component function returned, or one lent to a host function. Resources the linker implements in
 * Java ({@link ComponentLinker.Instance#defineResource}) cross as their Java objects instead.
 *
 * <p>An owned handle is dropped by {@link #close()} (the resource's destructor runs, in the guest or
 * in the host); passing it as an {@code own} argument moves it into the call, after which it is gone
 * and {@code close()} does nothing. A borrowed handle is valid only until the host call it was lent
 * to returns. Using a handle that is gone (closed, moved, or a borrow past its call) is an {@link
 * IllegalStateException}, never a crash; passing one handle twice as {@code own} in one call is an
 * {@link IllegalArgumentException}. An owned handle that becomes unreachable without being closed is
 * dropped at its store's next component call; any left when the store closes go with it.
 *
 * <p>Thread safety: like its store, one thread at a time.
 */
public final class ResourceHandle implements AutoCloseable {
    private final Store store;
    private final long key;
    private final boolean owned;
    private final String type;
    private final Cleaner.Cleanable cleanable;
    private final Unreachable unreachable;
    private boolean gone;

    /** What the cleaner holds: the key, and the queue it goes to unless the handle was closed. */
    private static final class Unreachable implements Runnable {
        private final Queue<Long> queue;
        private final long key;
        private volatile boolean done;

        Unreachable(Queue<Long> queue, long key) {
            this.queue = queue;
            this.key = key;
        }

        @Override
        public void run() {
            if (!done) {
                queue.add(key);
            }
        }
    }

    ResourceHandle(Store store, ComponentStoreState state, long key, boolean owned, String type) {
        this.store = store;
        this.key = key;
        this.owned = owned;
        this.type = type;
        if (owned) {
            this.unreachable = new Unreachable(state.unreachable, key);
            this.cleanable = Handle.cleaner().register(this, unreachable);
        } else {
            this.unreachable = null;
            this.cleanable = null;
        }
    }

    /**
     * Whether this handle owns its resource ({@code own}) rather than borrowing it.
     *
     * @return true for an owned handle
     */
    public boolean isOwned() {
        return owned;
    }

    /**
     * The type the handle came as, such as {@code own<wasi:io/streams.input-stream>}.
     *
     * @return the type in WIT syntax
     */
    public String type() {
        return type;
    }

    /**
     * The store the resource lives in.
     *
     * @return the store
     */
    public Store store() {
        return store;
    }

    /**
     * Whether the handle can no longer be used as far as this object knows: closed, or moved into a
     * call. (A borrow past its host call is refused when used, but not reported here.)
     *
     * @return true once gone
     */
    public boolean isGone() {
        return gone;
    }

    /** The key, for a call; the native side refuses it if it is stale. */
    long key() {
        if (gone) {
            throw new IllegalStateException("the resource handle " + type + " was dropped or moved");
        }
        return key;
    }

    /** The key, whether or not the handle is gone. */
    long rawKey() {
        return key;
    }

    /** It moved into a call: gone, and the cleaner has nothing to do. */
    void moved() {
        forget();
    }

    private void forget() {
        gone = true;
        if (cleanable != null) {
            unreachable.done = true;
            cleanable.clean();
        }
    }

    /**
     * Drops the handle: an owned resource's destructor runs now; a borrow is just given up. Does
     * nothing if the handle is gone already or its store is closed (the resource went with it).
     *
     * @throws IllegalStateException if the store is in use by another thread
     * @throws dev.wasmbridge.TrapException if the destructor traps
     * @throws RuntimeException what a Java destructor of a host resource throws
     */
    @Override
    public void close() {
        if (gone) {
            return;
        }
        if (CoreAccess.get().isClosed(store)) {
            forget();
            return;
        }
        long s = CoreAccess.get().enter(store);
        try {
            forget();
            if (ComponentNative.resourceLive(s, key)) {
                ComponentNative.resourceDrop(store, s, key);
            }
        } finally {
            CoreAccess.get().exit(store);
        }
    }

    /** Whether the native table still holds this handle (after a failed call that may have moved it). */
    boolean isLive() {
        if (gone) {
            return false;
        }
        long s = CoreAccess.get().enter(store);
        try {
            return ComponentNative.resourceLive(s, key);
        } finally {
            CoreAccess.get().exit(store);
        }
    }

    @Override
    public String toString() {
        return "ResourceHandle[" + type + (gone ? ", gone" : "") + "]";
    }
}
