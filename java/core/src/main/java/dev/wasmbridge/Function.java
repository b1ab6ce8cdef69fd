package dev.wasmbridge;

import dev.wasmbridge.internal.Native;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

/**
 * A WebAssembly function of a store: exported by an instance, or taken from a table or a funcref.
 *
 * <p>Three call paths with one semantics: {@link #call(Object...)} takes and returns boxed Java values
 * checked against the signature; {@link #callRaw(long...)} takes and returns the values' bits; typed
 * views for common primitive signatures ({@link #asIntBinaryOperator()} and its siblings, obtained
 * once) cross into wasm with primitives only and allocate nothing.
 *
 * <p>Thread safety: like its store, one thread at a time.
 */
public final class Function extends Extern {
    private FuncType type;
    private boolean rawChecked;

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
        long[] out = new long[Values.slotCount(sig().results())];
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
        FuncType t = rawType();
        int expected = Values.slotCount(t.params());
        if (in.length != expected) {
            throw new IllegalArgumentException("function " + t + " takes " + expected + " raw slot"
                    + (expected == 1 ? "" : "s") + ", got " + in.length);
        }
        int resultSlots = Values.slotCount(t.results());
        if (results.length != resultSlots) {
            throw new IllegalArgumentException("function " + t + " returns " + resultSlots + " raw slot"
                    + (resultSlots == 1 ? "" : "s") + ", the results array has " + results.length);
        }
        invoke(in, results);
    }

    /** The type, checked once to have no reference types (the raw path carries numbers only). */
    private FuncType rawType() {
        FuncType t = sig();
        if (!rawChecked) {
            for (ValType v : t.params()) {
                checkRaw(v, t);
            }
            for (ValType v : t.results()) {
                checkRaw(v, t);
            }
            rawChecked = true;
        }
        return t;
    }

    /**
     * A {@link IntSupplier} view of a function of type {@code (func (result i32))}, crossing into wasm with
     * primitives only (no boxing, no arrays). The signature is checked here, once; each {@code getAsInt}
     * call only checks the store's thread rule.
     *
     * @return the view; traps surface from {@code getAsInt} as {@link TrapException}
     * @throws IllegalArgumentException if the function has another signature
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public IntSupplier asIntSupplier() {
        int t = typed(0, List.of(), List.of(ValType.I32));
        Store store = store();
        return () -> {
            long s = store.enter();
            try {
                return Native.callV2I(store, s, t);
            } finally {
                store.exit();
            }
        };
    }
    /**
     * A {@link LongSupplier} view of a function of type {@code (func (result i64))}, crossing into wasm with
     * primitives only (no boxing, no arrays). The signature is checked here, once; each {@code getAsLong}
     * call only checks the store's thread rule.
     *
     * @return the view; traps surface from {@code getAsLong} as {@link TrapException}
     * @throws IllegalArgumentException if the function has another signature
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public LongSupplier asLongSupplier() {
        int t = typed(1, List.of(), List.of(ValType.I64));
        Store store = store();
        return () -> {
            long s = store.enter();
            try {
                return Native.callV2J(store, s, t);
            } finally {
                store.exit();
            }
        };
    }
    /**
     * A {@link IntUnaryOperator} view of a function of type {@code (func (param i32) (result i32))}, crossing into wasm with
     * primitives only (no boxing, no arrays). The signature is checked here, once; each {@code applyAsInt}
     * call only checks the store's thread rule.
     *
     * @return the view; traps surface from {@code applyAsInt} as {@link TrapException}
     * @throws IllegalArgumentException if the function has another signature
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public IntUnaryOperator asIntUnaryOperator() {
        int t = typed(2, List.of(ValType.I32), List.of(ValType.I32));
        Store store = store();
        return a -> {
            long s = store.enter();
            try {
                return Native.callI2I(store, s, t, a);
            } finally {
                store.exit();
            }
        };
    }
    /**
     * A {@link IntBinaryOperator} view of a function of type {@code (func (param i32 i32) (result i32))}, crossing into wasm with
     * primitives only (no boxing, no arrays). The signature is checked here, once; each {@code applyAsInt}
     * call only checks the store's thread rule.
     *
     * @return the view; traps surface from {@code applyAsInt} as {@link TrapException}
     * @throws IllegalArgumentException if the function has another signature
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public IntBinaryOperator asIntBinaryOperator() {
        int t = typed(3, List.of(ValType.I32, ValType.I32), List.of(ValType.I32));
        Store store = store();
        return (a, b) -> {
            long s = store.enter();
            try {
                return Native.callII2I(store, s, t, a, b);
            } finally {
                store.exit();
            }
        };
    }
    /**
     * A {@link LongUnaryOperator} view of a function of type {@code (func (param i64) (result i64))}, crossing into wasm with
     * primitives only (no boxing, no arrays). The signature is checked here, once; each {@code applyAsLong}
     * call only checks the store's thread rule.
     *
     * @return the view; traps surface from {@code applyAsLong} as {@link TrapException}
     * @throws IllegalArgumentException if the function has another signature
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public LongUnaryOperator asLongUnaryOperator() {
        int t = typed(4, List.of(ValType.I64), List.of(ValType.I64));
        Store store = store();
        return a -> {
            long s = store.enter();
            try {
                return Native.callJ2J(store, s, t, a);
            } finally {
                store.exit();
            }
        };
    }
    /**
     * A {@link LongBinaryOperator} view of a function of type {@code (func (param i64 i64) (result i64))}, crossing into wasm with
     * primitives only (no boxing, no arrays). The signature is checked here, once; each {@code applyAsLong}
     * call only checks the store's thread rule.
     *
     * @return the view; traps surface from {@code applyAsLong} as {@link TrapException}
     * @throws IllegalArgumentException if the function has another signature
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public LongBinaryOperator asLongBinaryOperator() {
        int t = typed(5, List.of(ValType.I64, ValType.I64), List.of(ValType.I64));
        Store store = store();
        return (a, b) -> {
            long s = store.enter();
            try {
                return Native.callJJ2J(store, s, t, a, b);
            } finally {
                store.exit();
            }
        };
    }
    /**
     * A {@link DoubleUnaryOperator} view of a function of type {@code (func (param f64) (result f64))}, crossing into wasm with
     * primitives only (no boxing, no arrays). The signature is checked here, once; each {@code applyAsDouble}
     * call only checks the store's thread rule.
     *
     * @return the view; traps surface from {@code applyAsDouble} as {@link TrapException}
     * @throws IllegalArgumentException if the function has another signature
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public DoubleUnaryOperator asDoubleUnaryOperator() {
        int t = typed(6, List.of(ValType.F64), List.of(ValType.F64));
        Store store = store();
        return a -> {
            long s = store.enter();
            try {
                return Native.callD2D(store, s, t, a);
            } finally {
                store.exit();
            }
        };
    }
    /**
     * A {@link DoubleBinaryOperator} view of a function of type {@code (func (param f64 f64) (result f64))}, crossing into wasm with
     * primitives only (no boxing, no arrays). The signature is checked here, once; each {@code applyAsDouble}
     * call only checks the store's thread rule.
     *
     * @return the view; traps surface from {@code applyAsDouble} as {@link TrapException}
     * @throws IllegalArgumentException if the function has another signature
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public DoubleBinaryOperator asDoubleBinaryOperator() {
        int t = typed(7, List.of(ValType.F64, ValType.F64), List.of(ValType.F64));
        Store store = store();
        return (a, b) -> {
            long s = store.enter();
            try {
                return Native.callDD2D(store, s, t, a, b);
            } finally {
                store.exit();
            }
        };
    }
    /**
     * A {@link Runnable} view of a function of type {@code (func)}, crossing into wasm with
     * primitives only (no boxing, no arrays). The signature is checked here, once; each {@code run}
     * call only checks the store's thread rule.
     *
     * @return the view; traps surface from {@code run} as {@link TrapException}
     * @throws IllegalArgumentException if the function has another signature
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public Runnable asRunnable() {
        int t = typed(8, List.of(), List.of());
        Store store = store();
        return () -> {
            long s = store.enter();
            try {
                Native.callV2V(store, s, t);
            } finally {
                store.exit();
            }
        };
    }
    /**
     * A {@link IntConsumer} view of a function of type {@code (func (param i32))}, crossing into wasm with
     * primitives only (no boxing, no arrays). The signature is checked here, once; each {@code accept}
     * call only checks the store's thread rule.
     *
     * @return the view; traps surface from {@code accept} as {@link TrapException}
     * @throws IllegalArgumentException if the function has another signature
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public IntConsumer asIntConsumer() {
        int t = typed(9, List.of(ValType.I32), List.of());
        Store store = store();
        return a -> {
            long s = store.enter();
            try {
                Native.callI2V(store, s, t, a);
            } finally {
                store.exit();
            }
        };
    }
    /**
     * A {@link LongConsumer} view of a function of type {@code (func (param i64))}, crossing into wasm with
     * primitives only (no boxing, no arrays). The signature is checked here, once; each {@code accept}
     * call only checks the store's thread rule.
     *
     * @return the view; traps surface from {@code accept} as {@link TrapException}
     * @throws IllegalArgumentException if the function has another signature
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public LongConsumer asLongConsumer() {
        int t = typed(10, List.of(ValType.I64), List.of());
        Store store = store();
        return a -> {
            long s = store.enter();
            try {
                Native.callJ2V(store, s, t, a);
            } finally {
                store.exit();
            }
        };
    }
    /** Registers a typed view of signature {@code sig} (see {@code func.rs}, enum Typed) after checking the type. */
    private int typed(int sig, List<ValType> params, List<ValType> results) {
        FuncType expected = FuncType.of(params, results);
        FuncType actual = sig();
        if (!actual.equals(expected)) {
            throw new IllegalArgumentException("function " + actual + " does not have the signature " + expected);
        }
        Store store = store();
        long s = store.enter();
        try {
            return Native.funcTyped(s, index(), sig);
        } finally {
            store.exit();
        }
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
