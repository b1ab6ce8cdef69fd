package dev.wasmbridge;

/**
 * Something an instance exports and a linker can define: a {@link Function}, {@link Memory},
 * {@link Global} or {@link Table}. Externs are views owned by their {@link Store}: they need no
 * closing and stop working ({@link IllegalStateException}) when the store is closed.
 *
 * <p>Thread safety: like its store, one thread at a time.
 */
public abstract sealed class Extern permits Function, Global, Memory, Table {
    private final Store store;
    private final int index;

    Extern(Store store, int index) {
        this.store = store;
        this.index = index;
    }

    /**
     * The extern's type.
     *
     * @return the type
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public abstract ExternType type();

    /** The native kind code (see {@code types.rs}). */
    abstract int kind();

    /**
     * The store that owns this extern.
     *
     * @return the store
     */
    public final Store store() {
        return store;
    }

    final int index() {
        return index;
    }

    /**
     * Two views are equal when they refer to the same extern of the same store.
     *
     * @param o the other object
     * @return whether both refer to the same extern
     */
    @Override
    public final boolean equals(Object o) {
        if (!(o instanceof Extern)) {
            return false;
        }
        Extern e = (Extern) o;
        return e.store == store && e.index == index && e.kind() == kind();
    }

    /**
     * A hash consistent with {@link #equals(Object)}.
     *
     * @return the hash code
     */
    @Override
    public final int hashCode() {
        return 31 * (31 * System.identityHashCode(store) + index) + kind();
    }
}
