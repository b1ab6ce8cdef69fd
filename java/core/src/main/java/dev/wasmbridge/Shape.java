package dev.wasmbridge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleConsumer;
import java.util.function.DoubleSupplier;
import java.util.function.DoubleToIntFunction;
import java.util.function.DoubleToLongFunction;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntToLongFunction;
import java.util.function.IntUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.LongToDoubleFunction;
import java.util.function.LongToIntFunction;
import java.util.function.LongUnaryOperator;

/**
 * The typed shapes: numeric signatures whose calls cross JNI with primitives only, both ways. This
 * table drives {@link Function#as(Class)} (each row's view calls its own native, {@code
 * Native.call<Shape>}) and {@link Linker#define(String, String, Class, Object)} (the native side
 * calls the interface's method directly). {@code native/src/shapes.rs} holds the same table in the
 * same order, and its test reads this file: a new shape is one row here (and its
 * native declaration in {@link Native}) and one line there.
 */
enum Shape {
    INT_SUPPLIER(IntSupplier.class, "() -> i32", (st, id) -> (IntSupplier) () -> { long s = st.enter(); try { return Native.callIntSupplier(st, s, id); } finally { st.exit(); } }),
    LONG_SUPPLIER(LongSupplier.class, "() -> i64", (st, id) -> (LongSupplier) () -> { long s = st.enter(); try { return Native.callLongSupplier(st, s, id); } finally { st.exit(); } }),
    FLOAT_SUPPLIER(Functions.FloatSupplier.class, "() -> f32", (st, id) -> (Functions.FloatSupplier) () -> { long s = st.enter(); try { return Native.callFloatSupplier(st, s, id); } finally { st.exit(); } }),
    DOUBLE_SUPPLIER(DoubleSupplier.class, "() -> f64", (st, id) -> (DoubleSupplier) () -> { long s = st.enter(); try { return Native.callDoubleSupplier(st, s, id); } finally { st.exit(); } }),
    INT_UNARY_OPERATOR(IntUnaryOperator.class, "(i32) -> i32", (st, id) -> (IntUnaryOperator) a -> { long s = st.enter(); try { return Native.callIntUnaryOperator(st, s, id, a); } finally { st.exit(); } }),
    LONG_UNARY_OPERATOR(LongUnaryOperator.class, "(i64) -> i64", (st, id) -> (LongUnaryOperator) a -> { long s = st.enter(); try { return Native.callLongUnaryOperator(st, s, id, a); } finally { st.exit(); } }),
    FLOAT_UNARY_OPERATOR(Functions.FloatUnaryOperator.class, "(f32) -> f32", (st, id) -> (Functions.FloatUnaryOperator) a -> { long s = st.enter(); try { return Native.callFloatUnaryOperator(st, s, id, a); } finally { st.exit(); } }),
    DOUBLE_UNARY_OPERATOR(DoubleUnaryOperator.class, "(f64) -> f64", (st, id) -> (DoubleUnaryOperator) a -> { long s = st.enter(); try { return Native.callDoubleUnaryOperator(st, s, id, a); } finally { st.exit(); } }),
    INT_BINARY_OPERATOR(IntBinaryOperator.class, "(i32, i32) -> i32", (st, id) -> (IntBinaryOperator) (a, b) -> { long s = st.enter(); try { return Native.callIntBinaryOperator(st, s, id, a, b); } finally { st.exit(); } }),
    LONG_BINARY_OPERATOR(LongBinaryOperator.class, "(i64, i64) -> i64", (st, id) -> (LongBinaryOperator) (a, b) -> { long s = st.enter(); try { return Native.callLongBinaryOperator(st, s, id, a, b); } finally { st.exit(); } }),
    FLOAT_BINARY_OPERATOR(Functions.FloatBinaryOperator.class, "(f32, f32) -> f32", (st, id) -> (Functions.FloatBinaryOperator) (a, b) -> { long s = st.enter(); try { return Native.callFloatBinaryOperator(st, s, id, a, b); } finally { st.exit(); } }),
    DOUBLE_BINARY_OPERATOR(DoubleBinaryOperator.class, "(f64, f64) -> f64", (st, id) -> (DoubleBinaryOperator) (a, b) -> { long s = st.enter(); try { return Native.callDoubleBinaryOperator(st, s, id, a, b); } finally { st.exit(); } }),
    INT_TERNARY_OPERATOR(Functions.IntTernaryOperator.class, "(i32, i32, i32) -> i32", (st, id) -> (Functions.IntTernaryOperator) (a, b, c) -> { long s = st.enter(); try { return Native.callIntTernaryOperator(st, s, id, a, b, c); } finally { st.exit(); } }),
    RUNNABLE(Runnable.class, "() -> ()", (st, id) -> (Runnable) () -> { long s = st.enter(); try { Native.callRunnable(st, s, id); } finally { st.exit(); } }),
    INT_CONSUMER(IntConsumer.class, "(i32) -> ()", (st, id) -> (IntConsumer) a -> { long s = st.enter(); try { Native.callIntConsumer(st, s, id, a); } finally { st.exit(); } }),
    LONG_CONSUMER(LongConsumer.class, "(i64) -> ()", (st, id) -> (LongConsumer) a -> { long s = st.enter(); try { Native.callLongConsumer(st, s, id, a); } finally { st.exit(); } }),
    FLOAT_CONSUMER(Functions.FloatConsumer.class, "(f32) -> ()", (st, id) -> (Functions.FloatConsumer) a -> { long s = st.enter(); try { Native.callFloatConsumer(st, s, id, a); } finally { st.exit(); } }),
    DOUBLE_CONSUMER(DoubleConsumer.class, "(f64) -> ()", (st, id) -> (DoubleConsumer) a -> { long s = st.enter(); try { Native.callDoubleConsumer(st, s, id, a); } finally { st.exit(); } }),
    INT_BI_CONSUMER(Functions.IntBiConsumer.class, "(i32, i32) -> ()", (st, id) -> (Functions.IntBiConsumer) (a, b) -> { long s = st.enter(); try { Native.callIntBiConsumer(st, s, id, a, b); } finally { st.exit(); } }),
    INT_TO_LONG_FUNCTION(IntToLongFunction.class, "(i32) -> i64", (st, id) -> (IntToLongFunction) a -> { long s = st.enter(); try { return Native.callIntToLongFunction(st, s, id, a); } finally { st.exit(); } }),
    INT_TO_DOUBLE_FUNCTION(IntToDoubleFunction.class, "(i32) -> f64", (st, id) -> (IntToDoubleFunction) a -> { long s = st.enter(); try { return Native.callIntToDoubleFunction(st, s, id, a); } finally { st.exit(); } }),
    LONG_TO_INT_FUNCTION(LongToIntFunction.class, "(i64) -> i32", (st, id) -> (LongToIntFunction) a -> { long s = st.enter(); try { return Native.callLongToIntFunction(st, s, id, a); } finally { st.exit(); } }),
    LONG_TO_DOUBLE_FUNCTION(LongToDoubleFunction.class, "(i64) -> f64", (st, id) -> (LongToDoubleFunction) a -> { long s = st.enter(); try { return Native.callLongToDoubleFunction(st, s, id, a); } finally { st.exit(); } }),
    DOUBLE_TO_INT_FUNCTION(DoubleToIntFunction.class, "(f64) -> i32", (st, id) -> (DoubleToIntFunction) a -> { long s = st.enter(); try { return Native.callDoubleToIntFunction(st, s, id, a); } finally { st.exit(); } }),
    DOUBLE_TO_LONG_FUNCTION(DoubleToLongFunction.class, "(f64) -> i64", (st, id) -> (DoubleToLongFunction) a -> { long s = st.enter(); try { return Native.callDoubleToLongFunction(st, s, id, a); } finally { st.exit(); } }),
    INT_BI_TO_LONG_FUNCTION(Functions.IntBiToLongFunction.class, "(i32, i32) -> i64", (st, id) -> (Functions.IntBiToLongFunction) (a, b) -> { long s = st.enter(); try { return Native.callIntBiToLongFunction(st, s, id, a, b); } finally { st.exit(); } });

    /** Makes the view object of a shape: typed function {@code id} of {@code store}. */
    private interface ViewFactory {
        Object make(Store store, int id);
    }

    private static final Map<Class<?>, Shape> BY_TYPE = new HashMap<>();

    static {
        for (Shape s : values()) {
            BY_TYPE.put(s.type, s);
        }
    }

    /** The functional interface. */
    final Class<?> type;
    /** The wasm signature. */
    final FuncType funcType;
    private final ViewFactory views;

    Shape(Class<?> type, String signature, ViewFactory views) {
        this.type = type;
        this.funcType = parse(signature);
        this.views = views;
    }

    /** The shape implemented by {@code type}, or null if it is none of the table's. */
    static Shape of(Class<?> type) {
        return BY_TYPE.get(type);
    }

    /** A view of typed function {@code id} of {@code store}, implementing {@link #type}. */
    Object view(Store store, int id) {
        return views.make(store, id);
    }

    /** Parses {@code (i32, i64) -> f64}; {@code ()} as the result is none. */
    private static FuncType parse(String signature) {
        int arrow = signature.indexOf(" -> ");
        String params = signature.substring(1, arrow - 1);
        String result = signature.substring(arrow + 4);
        List<ValType> ps = new ArrayList<>();
        if (!params.isEmpty()) {
            for (String p : params.split(", ")) {
                ps.add(ValType.valueOf(p.toUpperCase(java.util.Locale.ROOT)));
            }
        }
        List<ValType> rs = result.equals("()") ? List.of()
                : List.of(ValType.valueOf(result.toUpperCase(java.util.Locale.ROOT)));
        return FuncType.of(ps, rs);
    }
}
