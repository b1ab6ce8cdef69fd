package dev.wasmbridge;

import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * A defined host function as the native library sees it: {@code host.rs} calls {@link #invoke} with
 * the arguments' slots and reads the results' slots back from the same place, the store's call slots
 * when they fit there, else an array made for the call.
 */
final class HostDefinition {
    private final String name;
    private final FuncType type;
    private final HostFunction function;
    /** {@code (long[] slots) void}, for numeric interfaces ({@link NumericHandles#slotAdapter}); else null. */
    private final MethodHandle raw;
    /** {@code max(parameter slots, result slots)}, as host.rs counts them. */
    private final int width;
    /** The results' slots. */
    private final int resultSlots;

    HostDefinition(String name, FuncType type, HostFunction function) {
        this(name, type, function, null);
    }

    HostDefinition(String name, FuncType type, MethodHandle raw) {
        this(name, type, null, raw);
    }

    private HostDefinition(String name, FuncType type, HostFunction function, MethodHandle raw) {
        this.name = name;
        this.type = type;
        this.function = function;
        this.raw = raw;
        this.resultSlots = Values.slotCount(type.results());
        this.width = Math.max(Values.slotCount(type.params()), resultSlots);
    }

    /**
     * Called by the native library (host.rs) on the thread that called into wasm, inside that call
     * (the store is entered): {@code slots} null means the slots are in the store's call slots. They
     * are copied out before the function runs, since a call it makes into the store uses them too.
     */
    void invoke(Store store, long[] slots) {
        if (slots != null) {
            run(store, slots);
            return;
        }
        long s = store.enter();
        try {
            java.nio.ByteBuffer io = store.callSlots(s);
            long[] own = new long[width];
            for (int i = 0; i < own.length; i++) {
                own[i] = io.getLong(i << 3);
            }
            run(store, own);
            for (int i = 0; i < resultSlots; i++) {
                io.putLong(i << 3, own[i]);
            }
        } finally {
            store.exit();
        }
    }

    /**
     * Whether this function may be called through an upcall stub ({@link #fromStub}): its signature has
     * numbers only (a reference needs the generic native path).
     */
    boolean stubbable() {
        for (ValType t : type.params()) {
            if (t.isReference()) {
                return false;
            }
        }
        for (ValType t : type.results()) {
            if (t.isReference()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Called through this function's upcall stub (JDK 22+, {@code Upcalls}): as {@link #invoke} with the
     * slots in the store's call slots, the store found by the id host.rs passes.
     */
    void fromStub(int storeId) {
        invoke(StoreIds.get(storeId), null);
    }

    /** {@link #fromStub}, for {@code Upcalls.stub}. */
    static final java.lang.reflect.Method FROM_STUB;

    static {
        try {
            FROM_STUB = HostDefinition.class.getDeclaredMethod("fromStub", int.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private void run(Store store, long[] slots) {
        if (raw != null) {
            try {
                raw.invokeExact(slots);
            } catch (Throwable t) {
                throw HostDefinition.<RuntimeException>rethrow(t);
            }
            return;
        }
        List<ValType> params = type.params();
        Object[] args = new Object[params.size()];
        int pos = 0;
        for (int i = 0; i < args.length; i++) {
            ValType t = params.get(i);
            args[i] = Values.fromSlots(store, t, slots, pos);
            pos += t.slots();
        }
        Caller caller = new Caller(store);
        Object[] results;
        try {
            results = function.call(caller, args);
        } finally {
            caller.end();
        }
        List<ValType> types = type.results();
        int count = results == null ? 0 : results.length;
        if (count != types.size()) {
            throw new WasmException("host function " + name + " returned " + count + " result"
                    + (count == 1 ? "" : "s") + " but its type " + type + " has " + types.size());
        }
        pos = 0;
        for (int i = 0; i < count; i++) {
            pos = Values.toSlots(store, types.get(i), results[i], slots, pos, "host function " + name + " result " + i);
        }
    }

    /** Throws {@code t} as it is: host.rs hands it, unwrapped, to the Java caller of wasm. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E rethrow(Throwable t) throws E {
        throw (E) t;
    }
}
