package dev.wasmbridge;


/**
 * A table of references of a store: {@link Function}s (or null) for a {@code funcref} table, any Java
 * object (or null) for an {@code externref} table.
 *
 * <p>Thread safety: like its store, one thread at a time.
 */
public final class Table extends Extern {
    Table(Store store, int index) {
        super(store, index);
    }

    @Override
    int kind() {
        return Abi.KIND_TABLE;
    }

    /**
     * The table's type as declared (its minimum is the declared minimum; see {@link #size()}).
     *
     * @return the type
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    @Override
    public TableType type() {
        Store store = store();
        long s = store.enter();
        try {
            return TypeCodec.tableType(Native.tableType(s, index()));
        } finally {
            store.exit();
        }
    }

    /**
     * The number of elements.
     *
     * @return the size
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public long size() {
        Store store = store();
        long s = store.enter();
        try {
            return Native.tableSize(s, index());
        } finally {
            store.exit();
        }
    }

    /**
     * The element at {@code index}.
     *
     * @param index the element's index
     * @return a {@link Function}, a host object, or null
     * @throws IndexOutOfBoundsException if {@code index} is outside the table
     * @throws IllegalStateException if the store is closed or in use by another thread
     * @throws WasmException if the element is a reference that cannot cross to Java
     */
    public Object get(long index) {
        ValType element = type().element();
        Store store = store();
        long slot;
        long s = store.enter();
        try {
            slot = Native.tableGet(s, index(), index);
        } finally {
            store.exit();
        }
        return Values.fromRefSlot(store, element, slot);
    }

    /**
     * Replaces the element at {@code index}.
     *
     * @param index the element's index
     * @param value a {@link Function} of this store for a funcref table, any object for an externref
     *     table, or null
     * @throws IndexOutOfBoundsException if {@code index} is outside the table
     * @throws IllegalArgumentException if {@code value} does not fit the element type
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public void set(long index, Object value) {
        ValType element = type().element();
        Store store = store();
        long slot = Values.refSlot(store, element, value, "table element");
        long s = store.enter();
        try {
            Native.tableSet(s, index(), index, slot);
        } finally {
            store.exit();
        }
    }

    /**
     * Grows the table by {@code delta} elements set to {@code init}.
     *
     * @param delta the number of elements to add, not negative
     * @param init the value of the new elements (see {@link #set(long, Object)})
     * @return the size before growing
     * @throws IllegalArgumentException if {@code delta} is negative or {@code init} does not fit
     * @throws WasmException if the table cannot grow that far
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public long grow(long delta, Object init) {
        if (delta < 0) {
            throw new IllegalArgumentException("cannot grow by a negative number of elements: " + delta);
        }
        ValType element = type().element();
        Store store = store();
        long slot = Values.refSlot(store, element, init, "table element");
        long s = store.enter();
        try {
            return Native.tableGrow(s, index(), delta, slot);
        } finally {
            store.exit();
        }
    }
}
