package dev.wasmbridge.internal;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Owns one native handle: frees it exactly once, when its owner is closed or, failing that, when
 * the owner becomes unreachable ({@link Cleaner}). Users bracket each native call with {@link
 * #acquire()} and {@link #release()} so a concurrent close never frees the handle under a running
 * call: the last user out frees it.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class Handle {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "wasmbridge-cleaner");
        t.setDaemon(true);
        return t;
    });
    private static final int CLOSED = Integer.MIN_VALUE;

    /**
     * The library's cleaner, for other safety nets (its thread must never call into a store).
     *
     * @return the cleaner
     */
    public static Cleaner cleaner() {
        return CLEANER;
    }

    private final long pointer;
    private final String what;
    private final State state;
    private final Cleaner.Cleanable cleanable;

    /** The part the cleaner may hold: everything but the owner. */
    private static final class State implements Runnable {
        private final long pointer;
        private final LongConsumer free;
        /** Bit 31: closed; bits 0-30: calls in progress. */
        private final AtomicInteger word = new AtomicInteger();

        State(long pointer, LongConsumer free) {
            this.pointer = pointer;
            this.free = free;
        }

        @Override
        public void run() {
            int s;
            do {
                s = word.get();
                if ((s & CLOSED) != 0) {
                    return;
                }
            } while (!word.compareAndSet(s, s | CLOSED));
            if (s == 0) {
                free.accept(pointer);
            }
        }

        void release() {
            if (word.decrementAndGet() == CLOSED) {
                free.accept(pointer);
            }
        }
    }

    /**
     * Takes ownership of a native handle on behalf of {@code owner}.
     *
     * @param owner the Java object whose unreachability frees the handle; must not be reachable from
     *     {@code free}
     * @param pointer the native handle, not 0
     * @param free frees the native handle; called exactly once
     * @param what the owner's type name, for error messages
     * @throws IllegalStateException if {@code pointer} is 0
     */
    public Handle(Object owner, long pointer, LongConsumer free, String what) {
        if (pointer == 0) {
            throw new IllegalStateException(what + ": native handle is null");
        }
        this.pointer = pointer;
        this.what = what;
        this.state = new State(pointer, free);
        this.cleanable = CLEANER.register(owner, state);
    }

    /**
     * Marks one call in progress and returns the native handle. Pair with {@link #release()} in a
     * {@code finally}.
     *
     * @return the native handle
     * @throws IllegalStateException if the handle is closed
     */
    public long acquire() {
        AtomicInteger word = state.word;
        for (;;) {
            int s = word.get();
            if ((s & CLOSED) != 0) {
                throw new IllegalStateException(what + " is closed");
            }
            if (word.compareAndSet(s, s + 1)) {
                return pointer;
            }
        }
    }

    /** Ends a call started with {@link #acquire()}; frees the handle if it was the last after close. */
    public void release() {
        state.release();
    }

    /**
     * Closes: frees the handle now, or when the last call in progress ends. Idempotent.
     */
    public void close() {
        cleanable.clean();
    }

    /**
     * Whether {@link #close()} was called (or the cleaner ran).
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return (state.word.get() & CLOSED) != 0;
    }
}
