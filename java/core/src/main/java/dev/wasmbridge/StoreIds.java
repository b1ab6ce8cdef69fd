package dev.wasmbridge;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Stores by a small integer id, for host functions called through an upcall stub (JDK 22+): a stub passes
 * only numbers, so the native side hands it the id of the store running the call ({@code StoreBox}'s
 * {@code java_id}) and {@link HostDefinition} finds the store here. Held weakly: an id does not keep its
 * store alive (the store's {@code Cleaner} still runs). An id is freed together with the store's native
 * box, so no call can arrive with a freed id; freed ids are reused, so the table stays as large as the
 * most stores alive at once. Thread-safe.
 */
final class StoreIds {
    private static final Object LOCK = new Object();
    /** The table; replaced (copied, twice as large) under {@link #LOCK} when full. */
    private static volatile AtomicReferenceArray<WeakReference<Store>> table = new AtomicReferenceArray<>(16);
    /** Ids freed and not reused yet; under {@link #LOCK}. */
    private static final ArrayDeque<Integer> FREE = new ArrayDeque<>();
    /** The next id never used; under {@link #LOCK}. */
    private static int next;

    private StoreIds() {
    }

    /** An id for {@code store}, until {@link #release}. */
    static int register(Store store) {
        synchronized (LOCK) {
            Integer reused = FREE.poll();
            int id = reused != null ? reused : next++;
            AtomicReferenceArray<WeakReference<Store>> t = table;
            if (id >= t.length()) {
                AtomicReferenceArray<WeakReference<Store>> grown = new AtomicReferenceArray<>(t.length() * 2);
                for (int i = 0; i < t.length(); i++) {
                    grown.set(i, t.get(i));
                }
                t = grown;
                table = grown;
            }
            t.set(id, new WeakReference<>(store));
            return id;
        }
    }

    /** Frees {@code id} (its store's native box is gone). */
    static void release(int id) {
        synchronized (LOCK) {
            table.set(id, null);
            FREE.push(id);
        }
    }

    /**
     * The live store with this id.
     *
     * @throws IllegalStateException if no live store has it (a native-side bug: the id comes from the
     *     box of the store running the call)
     */
    static Store get(int id) {
        AtomicReferenceArray<WeakReference<Store>> t = table;
        WeakReference<Store> ref = id >= 0 && id < t.length() ? t.get(id) : null;
        Store store = ref == null ? null : ref.get();
        if (store == null) {
            synchronized (LOCK) { // a registration this thread has not seen yet through the plain read
                t = table;
                ref = id >= 0 && id < t.length() ? t.get(id) : null;
                store = ref == null ? null : ref.get();
            }
            if (store == null) {
                throw new IllegalStateException("no live store has id " + id);
            }
        }
        return store;
    }

    /** How many ids are registered now (tests: failed and closed stores leave none behind). */
    static int inUse() {
        synchronized (LOCK) {
            return next - FREE.size();
        }
    }

    /** How many ids the table has room for (tests: it stays bounded). */
    static int capacity() {
        return table.length();
    }
}
