package dev.wasmbridge;

import java.util.List;
import java.util.Objects;

/**
 * A WebAssembly function of a store: exported by an instance, or taken from a table or a funcref.
 *
 * <p>Three call paths with one semantics: {@link #call(Object...)} takes and returns boxed Java values
 * checked against the signature; {@link #callRaw(long...)} takes and returns the values' bits; typed
 * views ({@link #as(Class)} with a functional interface such as {@code IntBinaryOperator}, checked
 * once) cross into wasm with primitives only and allocate nothing.
 *
 * <p>Thread safety: like its store, one thread at a time.
 */
public final class Function extends Extern {
    private FuncType type;
    /**
     * 0 until the raw path's check of the type passed ({@link #rawSlots()}); then {@code 1 + (parameter
     * slots << 16 | result slots)}: one field, so a thread that sees it set sees all of it.
     */
    private int rawSlots;

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
        Store store = store();
        long s = store.enter();
        try {
            FuncType t = type;
            if (t == null) {
                t = TypeCodec.funcType(Native.funcType(s, index()));
                type = t;
            }
            return t;
        } finally {
            store.exit();
        }
    }

    /** The type for internal checks: cached after the first look, no store entry then (the call enters). */
    private FuncType sig() {
        FuncType t = type;
        return t != null ? t : type();
    }

    @Override
    int kind() {
        return Abi.KIND_FUNC;
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
        FuncType t = sig();
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
     * @throws NullPointerException if {@code args} is null
     */
    public long[] callRaw(long... args) {
        long[] out = new long[(rawSlots() - 1) & 0xffff];
        callRawInto(out, args);
        return out;
    }

    /**
     * Like {@link #callRaw(long...)}, writing the result slots into an array the caller reuses from
     * call to call.
     *
     * @param results receives the result slots; its length must be the signature's result slot count
     * @param args the argument slots
     * @throws IllegalArgumentException if the number of argument or result slots does not match the
     *     signature, or the signature has reference types
     * @throws TrapException if the function traps
     * @throws WasmException for any other failure inside wasm
     * @throws IllegalStateException if the store is closed or in use by another thread
     * @throws NullPointerException if {@code results} or {@code args} is null
     */
    public void callRawInto(long[] results, long... args) {
        Objects.requireNonNull(results, "results");
        long[] in = Objects.requireNonNull(args, "args");
        int raw = rawSlots() - 1;
        FuncType t = sig();
        int expected = raw >>> 16;
        if (in.length != expected) {
            throw new IllegalArgumentException("function " + t + " takes " + expected + " raw slot"
                    + (expected == 1 ? "" : "s") + ", got " + in.length);
        }
        int resultSlots = raw & 0xffff;
        if (results.length != resultSlots) {
            throw new IllegalArgumentException("function " + t + " returns " + resultSlots + " raw slot"
                    + (resultSlots == 1 ? "" : "s") + ", the results array has " + results.length);
        }
        invoke(in, results);
    }

    /**
     * The slot counts of the raw path ({@link #rawSlots}'s encoding), the type checked once to have no
     * reference types (the raw path carries numbers only).
     */
    private int rawSlots() {
        int r = rawSlots;
        if (r == 0) {
            FuncType t = sig();
            for (ValType v : t.params()) {
                checkRaw(v, t);
            }
            for (ValType v : t.results()) {
                checkRaw(v, t);
            }
            // At most 1000 parameters and results of two slots each: both counts fit 16 bits.
            r = 1 + (Values.slotCount(t.params()) << 16 | Values.slotCount(t.results()));
            rawSlots = r;
        }
        return r;
    }

    /**
     * A typed view of this function as a Java functional interface, checked against the function's
     * signature here, once. Each call of the view then only checks the store's thread rule.
     *
     * <p>For the typed shapes the view crosses into wasm with primitives only (no boxing, no arrays,
     * no allocation): {@code IntSupplier}, {@code LongSupplier}, {@code DoubleSupplier}, {@code
     * IntUnaryOperator}, {@code LongUnaryOperator}, {@code DoubleUnaryOperator}, {@code
     * IntBinaryOperator}, {@code LongBinaryOperator}, {@code DoubleBinaryOperator}, {@code Runnable},
     * {@code IntConsumer}, {@code LongConsumer}, {@code DoubleConsumer}, {@code IntToLongFunction},
     * {@code IntToDoubleFunction}, {@code LongToIntFunction}, {@code LongToDoubleFunction}, {@code
     * DoubleToIntFunction}, {@code DoubleToLongFunction} (of {@code java.util.function}) and the
     * interfaces of {@link Functions} ({@code f32} shapes, {@code (i32, i32) -> ()}, {@code (i32, i32,
     * i32) -> i32}). {@code int} is {@code i32}, {@code long} {@code i64}, {@code float} {@code f32},
     * {@code double} {@code f64}.
     *
     * <p>Any other interface with a single abstract method of such types (a numeric signature with at
     * most one result) works too, through {@link #asMethodHandle()} and {@link
     * java.lang.invoke.MethodHandleProxies}: correct, but each call goes through a proxy and boxes its
     * arguments; use the method handle itself where that matters.
     *
     * @param <T> the interface
     * @param type the interface
     * @return the view; traps surface from its method as {@link TrapException}
     * @throws IllegalArgumentException if the function's signature is not the interface's, or the
     *     interface is not a functional interface of numeric types
     * @throws IllegalStateException if the store is closed or in use by another thread
     * @throws NullPointerException if {@code type} is null
     */
    public <T> T as(Class<T> type) {
        Objects.requireNonNull(type, "type");
        Shape shape = Shape.of(type);
        if (shape == null) {
            FuncType wanted = NumericHandles.funcType(NumericHandles.numericMethod(type));
            checkSignature(wanted, type);
            return java.lang.invoke.MethodHandleProxies.asInterfaceInstance(type, asMethodHandle());
        }
        checkSignature(shape.funcType, type);
        Store store = store();
        int typed;
        long s = store.enter();
        try {
            typed = Native.funcTyped(s, index(), shape.ordinal());
        } finally {
            store.exit();
        }
        return type.cast(shape.view(store, typed));
    }

    private void checkSignature(FuncType wanted, Class<?> type) {
        FuncType actual = sig();
        if (!actual.equals(wanted)) {
            throw new IllegalArgumentException("function " + actual + " does not have the signature " + wanted
                    + " of " + type.getName());
        }
    }

    /**
     * A method handle calling this function with Java primitives, for any numeric signature with at
     * most one result: its type has {@code int} for {@code i32}, {@code long} for {@code i64}, {@code
     * float} for {@code f32}, {@code double} for {@code f64}, and the result's type or {@code void}.
     * Calls through it ({@code invokeExact}) allocate nothing; they pass the values' bits through the
     * {@link #callRaw(long...)} path, so NaN payloads are kept. Use {@link #as(Class)} for the typed
     * shapes, which are faster.
     *
     * @return the method handle; traps surface from it as {@link TrapException}
     * @throws IllegalArgumentException if the signature has reference or {@code v128} types, or more
     *     than one result
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public java.lang.invoke.MethodHandle asMethodHandle() {
        rawSlots();
        FuncType t = sig();
        if (t.params().contains(ValType.V128) || t.results().contains(ValType.V128)) {
            throw new IllegalArgumentException("function " + t + " has v128 values; use callRaw");
        }
        if (t.results().size() > 1) {
            throw new IllegalArgumentException("function " + t + " has several results; use callRaw");
        }
        Store store = store();
        store.enter();
        store.exit();
        return NumericHandles.caller(this, t);
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
            java.nio.ByteBuffer slots = store.callSlots(s);
            int capacity = slots.capacity() >> 3;
            if (in.length <= capacity && out.length <= capacity) {
                // Through the store's call slots: no arrays cross JNI.
                for (int i = 0; i < in.length; i++) {
                    slots.putLong(i << 3, in[i]);
                }
                Native.funcCallSlots(store, s, index(), in.length, out.length);
                for (int i = 0; i < out.length; i++) {
                    out[i] = slots.getLong(i << 3);
                }
            } else {
                Native.funcCall(store, s, index(), in, out);
            }
        } finally {
            store.exit();
        }
    }
}
