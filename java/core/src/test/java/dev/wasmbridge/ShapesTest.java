package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Every typed shape, both ways: {@code Function.as(type)} calls an export of the shape's signature,
 * which calls a host function defined with {@code Linker.define(.., type, ..)} with the same
 * arguments and adds one to its result. The host side records the arguments it received: values go
 * through bit for bit (NaN payloads included). Then the generic path, for an interface of no shape.
 */
class ShapesTest {
    /** Arguments per Java type: edge values, and a NaN with a payload for the floats. */
    private static Object arg(Class<?> t, int i) {
        if (t == int.class) {
            return new int[] {Integer.MIN_VALUE, -7, 0x7fff_fff0}[i];
        } else if (t == long.class) {
            return new long[] {Long.MIN_VALUE + 3, -9_000_000_000L, 42L}[i];
        } else if (t == float.class) {
            return new float[] {Float.intBitsToFloat(0x7fa0_0001), -0.0f, 1.5e30f}[i];
        }
        return new double[] {Double.longBitsToDouble(0x7ff4_0000_0000_0abcL), -2.25, Double.MIN_VALUE}[i];
    }

    private static long bits(Object v) {
        if (v instanceof Float) {
            return Float.floatToRawIntBits((Float) v);
        } else if (v instanceof Double) {
            return Double.doubleToRawLongBits((Double) v);
        }
        return ((Number) v).longValue();
    }

    /** What the host returns: a value of the result type that the guest then adds 1 to. */
    private static Object hostResult(Class<?> t) {
        if (t == int.class) {
            return 41;
        } else if (t == long.class) {
            return 1L << 40;
        } else if (t == float.class) {
            return 2.5f;
        } else if (t == double.class) {
            return 0.5;
        }
        return null;
    }

    private static Object plusOne(Object v) {
        if (v instanceof Integer) {
            return (Integer) v + 1;
        } else if (v instanceof Long) {
            return (Long) v + 1;
        } else if (v instanceof Float) {
            return (Float) v + 1;
        }
        return (Double) v + 1;
    }

    private static String wasm(ValType t) {
        return t.toString();
    }

    /** An export "f" of the shape's signature calling the import "h" of the same signature (result + 1). */
    private static String module(FuncType type) {
        StringBuilder sig = new StringBuilder();
        for (ValType p : type.params()) {
            sig.append(" (param ").append(wasm(p)).append(')');
        }
        for (ValType r : type.results()) {
            sig.append(" (result ").append(wasm(r)).append(')');
        }
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < type.params().size(); i++) {
            body.append(" local.get ").append(i);
        }
        body.append(" call $h");
        for (ValType r : type.results()) {
            body.append(' ').append(wasm(r)).append(".const 1 ").append(wasm(r)).append(".add");
        }
        return "(module (import \"env\" \"h\" (func $h" + sig + ")) (func (export \"f\")" + sig + body + "))";
    }

    private static Object invoke(Method sam, Object target, Object[] args) throws Throwable {
        try {
            return sam.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void everyShapeCrossesBothWaysBitForBit(Shape shape) throws Throwable {
        Method sam = NumericHandles.numericMethod(shape.type);
        assertEquals(shape.funcType, NumericHandles.funcType(sam), "the table's signature is the interface's");
        AtomicReference<Object[]> received = new AtomicReference<>();
        Object host = Proxy.newProxyInstance(shape.type.getClassLoader() == null ? getClass().getClassLoader()
                : shape.type.getClassLoader(), new Class<?>[] {shape.type}, (proxy, method, a) -> {
                    received.set(a == null ? new Object[0] : a.clone());
                    return hostResult(method.getReturnType());
                });
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, module(shape.funcType));
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            linker.define("env", "h", castClass(shape.type), host);
            Object view = linker.instantiate(store, m).function("f").as(shape.type);
            assertTrue(shape.type.isInstance(view));
            Class<?>[] params = sam.getParameterTypes();
            for (int round = 0; round < 3; round++) {
                Object[] args = new Object[params.length];
                for (int i = 0; i < args.length; i++) {
                    args[i] = arg(params[i], (round + i) % 3);
                }
                Object result = invoke(sam, view, args);
                long[] sent = new long[args.length];
                long[] got = new long[args.length];
                for (int i = 0; i < args.length; i++) {
                    sent[i] = bits(args[i]);
                    got[i] = bits(received.get()[i]);
                }
                assertArrayEquals(sent, got, shape + " arguments");
                Object expected = sam.getReturnType() == void.class ? null : plusOne(hostResult(sam.getReturnType()));
                assertEquals(expected, result, shape + " result");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> castClass(Class<?> c) {
        return (Class<T>) c;
    }

    /** An interface of no shape: the generic path. */
    public interface Mixed {
        double apply(int a, long b, float c, double d);
    }

    private static double mixed(int a, long b, float c, double d) {
        return a + b + c + d;
    }

    static final String MIXED = "(module (import \"env\" \"h\" (func $h (param i32 i64 f32 f64) (result f64)))"
            + " (func (export \"f\") (param i32 i64 f32 f64) (result f64)"
            + "   local.get 0 local.get 1 local.get 2 local.get 3 call $h f64.const 1 f64.add)"
            + " (func (export \"bits\") (param f32 f64) (result f64) local.get 1)"
            + " (func (export \"fbits\") (param f32) (result f32) local.get 0))";

    @Test
    void anyNumericInterfaceWorksThroughTheGenericPath() throws Throwable {
        List<Object> received = new ArrayList<>();
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, MIXED);
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            linker.define("env", "h", Mixed.class, (a, b, c, d) -> {
                received.addAll(List.of(a, b, c, d));
                return mixed(a, b, c, d);
            });
            Instance instance = linker.instantiate(store, m);
            Mixed f = instance.function("f").as(Mixed.class);
            assertEquals(mixed(1, 2, 3.5f, 4.25) + 1, f.apply(1, 2, 3.5f, 4.25));
            assertEquals(List.of(1, 2L, 3.5f, 4.25), received);

            MethodHandle h = instance.function("f").asMethodHandle();
            assertEquals(MethodType.methodType(double.class, int.class, long.class, float.class, double.class), h.type());
            assertEquals(mixed(-1, 5_000_000_000L, 0.5f, 0.25) + 1, (double) h.invokeExact(-1, 5_000_000_000L, 0.5f, 0.25));
            // NaN payloads survive the generic path.
            MethodHandle bits = instance.function("bits").asMethodHandle();
            double nan = Double.longBitsToDouble(0x7ff4_0000_0000_0123L);
            assertEquals(0x7ff4_0000_0000_0123L, Double.doubleToRawLongBits((double) bits.invokeExact(1f, nan)));
            MethodHandle fbits = instance.function("fbits").asMethodHandle();
            float fnan = Float.intBitsToFloat(0x7fa0_0042);
            assertEquals(0x7fa0_0042, Float.floatToRawIntBits((float) fbits.invokeExact(fnan)));
        }
    }

    @Test
    void mismatchesAndNonNumericInterfacesAreRefused() {
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, MIXED);
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            linker.define("env", "h", Mixed.class, (a, b, c, d) -> 0);
            Function f = linker.instantiate(store, m).function("f");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.as(IntBinaryOperator.class));
            assertTrue(e.getMessage().contains("IntBinaryOperator"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> f.as(Runnable.class));
            assertThrows(IllegalArgumentException.class, () -> f.as(java.util.function.Function.class));
            assertThrows(IllegalArgumentException.class, () -> f.as(String.class));
            assertThrows(IllegalArgumentException.class,
                    () -> linker.define("env", "g", java.util.function.Supplier.class, () -> "x"));
            assertThrows(LinkException.class, () -> linker.define("env", "h", IntUnaryOperator.class, x -> x));
        }
    }

    @Test
    void aTypedViewIsRegisteredOncePerFunctionAndShape() {
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine,
                "(module (func (export \"inc\") (param i32) (result i32) local.get 0 i32.const 1 i32.add))");
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            Function inc = linker.instantiate(store, m).function("inc");
            long[] before = store.registrySizes();
            for (int i = 0; i < 1000; i++) {
                assertEquals(i + 1, inc.as(IntUnaryOperator.class).applyAsInt(i));
            }
            assertEquals(before[5] + 1, store.registrySizes()[5]);
            Object a = inc.as(IntUnaryOperator.class);
            assertSame(a.getClass(), inc.as(IntUnaryOperator.class).getClass());
        }
    }
}
