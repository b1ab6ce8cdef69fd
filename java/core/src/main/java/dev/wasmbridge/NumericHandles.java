package dev.wasmbridge;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The generic typed path, for numeric signatures that are not a {@link Shape}: method handles that
 * move primitives in and out of {@code long} slots (the raw convention) without boxing, built once.
 */
final class NumericHandles {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final MethodHandle GET = MethodHandles.arrayElementGetter(long[].class);
    private static final MethodHandle SET = MethodHandles.arrayElementSetter(long[].class);
    private static final MethodHandle FLOAT_TO_BITS;
    private static final MethodHandle BITS_TO_FLOAT;
    private static final MethodHandle DOUBLE_TO_BITS;
    private static final MethodHandle BITS_TO_DOUBLE;
    private static final MethodHandle INVOKE;

    static {
        try {
            FLOAT_TO_BITS = LOOKUP.findStatic(Float.class, "floatToRawIntBits", MethodType.methodType(int.class, float.class));
            BITS_TO_FLOAT = LOOKUP.findStatic(Float.class, "intBitsToFloat", MethodType.methodType(float.class, int.class));
            DOUBLE_TO_BITS = LOOKUP.findStatic(Double.class, "doubleToRawLongBits",
                    MethodType.methodType(long.class, double.class));
            BITS_TO_DOUBLE = LOOKUP.findStatic(Double.class, "longBitsToDouble",
                    MethodType.methodType(double.class, long.class));
            INVOKE = LOOKUP.findVirtual(Call.class, "invoke", MethodType.methodType(long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private NumericHandles() {
    }

    /** The Java primitive of a numeric wasm type. */
    static Class<?> javaType(ValType t) {
        switch (t) {
            case I32:
                return int.class;
            case I64:
                return long.class;
            case F32:
                return float.class;
            case F64:
                return double.class;
            default:
                throw new IllegalArgumentException("not a numeric type: " + t);
        }
    }

    /** The wasm type of a Java primitive, or null. */
    static ValType wasmType(Class<?> c) {
        if (c == int.class) {
            return ValType.I32;
        } else if (c == long.class) {
            return ValType.I64;
        } else if (c == float.class) {
            return ValType.F32;
        } else if (c == double.class) {
            return ValType.F64;
        }
        return null;
    }

    /**
     * The single abstract method of a functional interface whose parameters are {@code int},
     * {@code long}, {@code float} or {@code double} and whose result is one of those or void.
     *
     * @throws IllegalArgumentException if {@code type} is not such an interface
     */
    static Method numericMethod(Class<?> type) {
        if (!type.isInterface()) {
            throw new IllegalArgumentException(type.getName() + " is not an interface");
        }
        Method sam = null;
        for (Method m : type.getMethods()) {
            if (!Modifier.isAbstract(m.getModifiers()) || isObjectMethod(m)) {
                continue;
            }
            if (sam != null) {
                throw new IllegalArgumentException(type.getName() + " is not a functional interface: it has "
                        + sam.getName() + " and " + m.getName());
            }
            sam = m;
        }
        if (sam == null) {
            throw new IllegalArgumentException(type.getName() + " has no abstract method");
        }
        for (Class<?> p : sam.getParameterTypes()) {
            if (wasmType(p) == null) {
                throw new IllegalArgumentException(type.getName() + "." + sam.getName() + " takes a " + p.getName()
                        + ": only int, long, float and double map to wasm types");
            }
        }
        Class<?> r = sam.getReturnType();
        if (r != void.class && wasmType(r) == null) {
            throw new IllegalArgumentException(type.getName() + "." + sam.getName() + " returns a " + r.getName()
                    + ": only int, long, float, double and void map to wasm types");
        }
        return sam;
    }

    private static boolean isObjectMethod(Method m) {
        try {
            Object.class.getMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The wasm signature of a numeric method. */
    static FuncType funcType(Method m) {
        List<ValType> params = new ArrayList<>();
        for (Class<?> p : m.getParameterTypes()) {
            params.add(wasmType(p));
        }
        Class<?> r = m.getReturnType();
        return FuncType.of(params, r == void.class ? List.of() : List.of(wasmType(r)));
    }

    /** {@code (t) long}: a value's bits in a slot. */
    private static MethodHandle toSlot(Class<?> t) {
        MethodHandle id = MethodHandles.identity(long.class);
        if (t == float.class) {
            return MethodHandles.explicitCastArguments(FLOAT_TO_BITS, MethodType.methodType(long.class, float.class));
        } else if (t == double.class) {
            return DOUBLE_TO_BITS;
        }
        return MethodHandles.explicitCastArguments(id, MethodType.methodType(long.class, t));
    }

    /** {@code (long) t}: a slot's bits as a value. */
    private static MethodHandle fromSlot(Class<?> t) {
        MethodHandle id = MethodHandles.identity(long.class);
        if (t == float.class) {
            return MethodHandles.explicitCastArguments(BITS_TO_FLOAT, MethodType.methodType(float.class, long.class));
        } else if (t == double.class) {
            return BITS_TO_DOUBLE;
        }
        return MethodHandles.explicitCastArguments(id, MethodType.methodType(t, long.class));
    }

    /** A raw call of one function with its slot arrays, reused from call to call. */
    static final class Call {
        private final Function function;
        final long[] args;
        final long[] results;

        Call(Function function, FuncType type) {
            this.function = function;
            this.args = new long[type.params().size()];
            this.results = new long[type.results().size()];
        }

        long invoke() {
            function.callRawInto(results, args);
            return results.length == 0 ? 0 : results[0];
        }
    }

    /**
     * A method handle calling {@code function} (of a numeric type with at most one result) with Java
     * primitives: its type is the wasm signature's, {@code i32} as {@code int} and so on.
     */
    static MethodHandle caller(Function function, FuncType type) {
        Call call = new Call(function, type);
        MethodHandle h = INVOKE.bindTo(call);
        List<ValType> results = type.results();
        h = results.isEmpty() ? MethodHandles.dropReturn(h)
                : MethodHandles.filterReturnValue(h, fromSlot(javaType(results.get(0))));
        List<ValType> params = type.params();
        for (int i = params.size() - 1; i >= 0; i--) {
            MethodHandle write = MethodHandles.insertArguments(SET, 0, call.args, i);
            write = MethodHandles.filterArguments(write, 0, toSlot(javaType(params.get(i))));
            h = MethodHandles.collectArguments(h, 0, write);
        }
        return h;
    }

    /**
     * A method handle {@code (long[] slots) void} that reads the arguments of {@code target} (a
     * numeric method handle) from the slots, calls it, and writes its result into slot 0.
     */
    static MethodHandle slotAdapter(MethodHandle target) {
        MethodType t = target.type();
        MethodHandle h;
        if (t.returnType() == void.class) {
            h = MethodHandles.dropArguments(target, 0, long[].class);
        } else {
            MethodHandle write = MethodHandles.insertArguments(SET, 1, 0);
            h = MethodHandles.collectArguments(write, 1,
                    MethodHandles.filterReturnValue(target, toSlot(t.returnType())));
        }
        int n = t.parameterCount();
        MethodHandle[] readers = new MethodHandle[n];
        for (int i = 0; i < n; i++) {
            MethodHandle read = MethodHandles.insertArguments(GET, 1, i);
            readers[i] = MethodHandles.filterReturnValue(read, fromSlot(t.parameterType(i)));
        }
        h = MethodHandles.filterArguments(h, 1, readers);
        return MethodHandles.permuteArguments(h, MethodType.methodType(void.class, long[].class), new int[n + 1]);
    }
}
