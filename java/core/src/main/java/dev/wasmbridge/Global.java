package dev.wasmbridge;


/**
 * A global variable of a store. Values are boxed as {@link ValType#javaType()} says.
 *
 * <p>Thread safety: like its store, one thread at a time.
 */
public final class Global extends Extern {
    private GlobalType type;

    Global(Store store, int index) {
        super(store, index);
    }

    @Override
    int kind() {
        return Abi.KIND_GLOBAL;
    }

    /**
     * The global's type.
     *
     * @return the type
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    @Override
    public GlobalType type() {
        Store store = store();
        long s = store.enter();
        try {
            GlobalType t = type;
            if (t == null) {
                t = TypeCodec.globalType(Native.globalType(s, index()));
                type = t;
            }
            return t;
        } finally {
            store.exit();
        }
    }

    /** The type for internal use: cached after the first look, no store entry then. */
    private GlobalType sig() {
        GlobalType t = type;
        return t != null ? t : type();
    }

    /**
     * The global's current value.
     *
     * @return the value, boxed as its type's {@link ValType#javaType()}
     * @throws IllegalStateException if the store is closed or in use by another thread
     * @throws WasmException if the value is a reference that cannot cross to Java
     */
    public Object get() {
        ValType content = sig().content();
        Store store = store();
        long[] slots = new long[content.slots()];
        long s = store.enter();
        try {
            Native.globalGet(s, index(), slots);
        } finally {
            store.exit();
        }
        return Values.fromSlots(store, content, slots, 0);
    }

    /**
     * Sets the global.
     *
     * @param value the new value, of the global's type as {@link Function#call(Object...)} accepts it
     * @throws IllegalStateException if the global is immutable, or the store is closed or in use by
     *     another thread
     * @throws IllegalArgumentException if {@code value} does not fit the global's type
     */
    public void set(Object value) {
        GlobalType t = sig();
        if (!t.mutable()) {
            throw new IllegalStateException("the global is immutable (" + t + ")");
        }
        Store store = store();
        long[] slots = new long[t.content().slots()];
        Values.toSlots(store, t.content(), value, slots, 0, "global value");
        long s = store.enter();
        try {
            Native.globalSet(s, index(), slots);
        } finally {
            store.exit();
        }
    }
}
