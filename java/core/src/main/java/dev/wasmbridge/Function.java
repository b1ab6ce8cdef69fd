package dev.wasmbridge;

import dev.wasmbridge.internal.Native;
import java.util.List;

/**
 * A WebAssembly function of a store: exported by an instance, or taken from a table or a funcref.
 *
 * <p>Two call paths with one semantics: {@link #call(Object...)} takes and returns boxed Java values
 * checked against the signature; {@link #callRaw(long...)} takes and returns the values' bits.
 *
 * <p>Thread safety: like its store, one thread at a time.
 */
public final class Function extends Extern {
    private FuncType type;

    Function(Store store, int index) {
        super(store, index);
    }

    /**
     * The function's signature.
     *
     * @return the signature
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    @Override
    public FuncType type() {
        FuncType t = type;
        if (t == null) {
            Store store = store();
            long s = store.enter();
            try {
                t = TypeCodec.funcType(Native.funcType(s, index()));
            } finally {
                store.exit();
            }
            type = t;
        }
        return t;
    }

    @Override
    int kind() {
        return TypeCodec.KIND_FUNC;
    }

    /**
     * Calls the function with Java values checked against its signature: {@code i32} takes an
     * {@link Integer} (or a {@code Short}, {@code Byte}, {@code Character}), {@code i64} a {@link
     * Long} (or any of those), {@code f32} a {@link Float}, {@code f64} a {@link Double} (or a
     * {@code Float}), {@code v128} a {@link V128}, {@code funcref} a {@link Function} of this store
     * or null, {@code externref} any object or null.
     *
     * @param args the arguments, one per parameter
     * @return the results, one per result of the signature (empty for none), boxed as {@link
     *     ValType#javaType()} says
     * @throws IllegalArgumentException if the number or the type of the arguments does not match
     * @throws TrapException if the function traps
     * @throws WasmException for any other failure inside wasm
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public Object[] call(Object... args) {
        FuncType t = type();
        List<ValType> params = t.params();
        Object[] a = args == null ? new Object[] {null} : args;
        if (a.length != params.size()) {
            throw new IllegalArgumentException("function " + t + " takes " + params.size() + " argument"
                    + (params.size() == 1 ? "" : "s") + ", got " + a.length);
        }
        Store store = store();
        long[] in = new long[Values.slotCount(params)];
        int pos = 0;
        for (int i = 0; i < a.length; i++) {
            pos = Values.toSlots(store, params.get(i), a[i], in, pos, "argument " + i);
        }
        List<ValType> results = t.results();
        long[] out = new long[Values.slotCount(results)];
        invoke(in, out);
        Object[] r = new Object[results.size()];
        pos = 0;
        for (int i = 0; i < r.length; i++) {
            ValType rt = results.get(i);
            r[i] = Values.fromSlots(store, rt, out, pos);
            pos += rt.slots();
        }
        return r;
    }

    /**
     * Calls the function with raw bits: each argument is one {@code long} slot ({@code i32} in the
     * low 32 bits, {@code f32}/{@code f64} as their IEEE bits, so NaN payloads are kept exactly) and
     * a {@code v128} takes two slots, low half first. Results come back the same way.
     *
     * @param args the argument slots
     * @return the result slots
     * @throws IllegalArgumentException if the number of slots does not match the signature, or the
     *     signature has reference types (use {@link #call(Object...)} for those)
     * @throws TrapException if the function traps
     * @throws WasmException for any other failure inside wasm
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public long[] callRaw(long... args) {
        FuncType t = type();
        for (ValType v : t.params()) {
            checkRaw(v, t);
        }
        for (ValType v : t.results()) {
            checkRaw(v, t);
        }
        long[] in = args == null ? new long[0] : args;
        int expected = Values.slotCount(t.params());
        if (in.length != expected) {
            throw new IllegalArgumentException("function " + t + " takes " + expected + " raw slot"
                    + (expected == 1 ? "" : "s") + ", got " + in.length);
        }
        long[] out = new long[Values.slotCount(t.results())];
        invoke(in, out);
        return out;
    }

    private static void checkRaw(ValType v, FuncType t) {
        if (v.isReference()) {
            throw new IllegalArgumentException("function " + t + " has reference types; use call(Object...)");
        }
    }

    private void invoke(long[] in, long[] out) {
        Store store = store();
        long s = store.enter();
        try {
            Native.funcCall(store, s, index(), in, out);
        } finally {
            store.exit();
        }
    }
}
