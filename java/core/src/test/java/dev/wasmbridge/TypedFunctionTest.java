package dev.wasmbridge;

import java.util.function.DoubleUnaryOperator;
import java.util.function.LongUnaryOperator;
import java.util.function.IntConsumer;
import java.util.function.DoubleBinaryOperator;
import java.util.function.IntUnaryOperator;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.IntBinaryOperator;
import java.util.function.LongBinaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TypedFunctionTest {
    Engine engine;
    Fixtures.Loaded t;

    @BeforeEach
    void setUp() {
        engine = Engine.create();
        t = new Fixtures.Loaded(engine, "typed");
    }

    @AfterEach
    void tearDown() {
        t.close();
        engine.close();
    }

    Function f(String name) {
        return t.instance.function(name);
    }

    @Test
    void everySignatureComputes() {
        assertEquals(7, f("v_i").as(IntSupplier.class).getAsInt());
        assertEquals(6, f("i_i").as(IntUnaryOperator.class).applyAsInt(5));
        assertEquals(-3, f("ii_i").as(IntBinaryOperator.class).applyAsInt(2, 5));
        assertEquals(Integer.MAX_VALUE, f("ii_i").as(IntBinaryOperator.class).applyAsInt(Integer.MIN_VALUE, 1));
        assertEquals(3L * 1_000_000_000_000L, f("j_j").as(LongUnaryOperator.class).applyAsLong(1_000_000_000_000L));
        assertEquals(-4L, f("jj_j").as(LongBinaryOperator.class).applyAsLong(-9, 2));
        assertEquals(3.0, f("d_d").as(DoubleUnaryOperator.class).applyAsDouble(9.0));
        assertEquals(0.25, f("dd_d").as(DoubleBinaryOperator.class).applyAsDouble(1.0, 4.0));
        f("j_v").as(LongConsumer.class).accept(40);
        f("v_v").as(Runnable.class).run();
        assertEquals(41L, f("v_j").as(LongSupplier.class).getAsLong());
        f("i_v").as(IntConsumer.class).accept(-2);
        assertEquals(-2L, f("v_j").as(LongSupplier.class).getAsLong());
    }

    @Test
    void signatureIsCheckedWhenTheViewIsObtained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f("j_j").as(IntBinaryOperator.class));
        assertEquals("function (func (param i64) (result i64)) does not have the signature"
                + " (func (param i32 i32) (result i32)) of java.util.function.IntBinaryOperator", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f("f_f").as(DoubleUnaryOperator.class));
        assertThrows(IllegalArgumentException.class, () -> f("v_v").as(IntSupplier.class));
    }

    @Test
    void trapsSurfaceAsTrapExceptions() {
        LongBinaryOperator div = f("jj_j").as(LongBinaryOperator.class);
        assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO,
                assertThrows(TrapException.class, () -> div.applyAsLong(1, 0)).code());
        assertEquals(TrapCode.INTEGER_OVERFLOW,
                assertThrows(TrapException.class, () -> div.applyAsLong(Long.MIN_VALUE, -1)).code());
        assertEquals(5L, div.applyAsLong(10, 2));
    }

    @Test
    void typedViewsReachHostFunctionsAndTheirExceptions() {
        try (Module m = Module.fromWat(engine, "(module (import \"env\" \"h\" (func $h (param i32) (result i32)))"
                + " (func (export \"f\") (param i32 i32) (result i32) local.get 0 call $h local.get 1 i32.add))");
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            linker.defineFunction("env", "h", FuncType.of(List.of(ValType.I32), List.of(ValType.I32)), (c, a) -> {
                if ((int) a[0] < 0) {
                    throw new IllegalStateException("negative");
                }
                return new Object[] {(int) a[0] * 10};
            });
            IntBinaryOperator f = linker.instantiate(store, m).function("f").as(IntBinaryOperator.class);
            assertEquals(42, f.applyAsInt(4, 2));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.applyAsInt(-1, 0));
            assertEquals("negative", e.getMessage());
        }
    }

    @Test
    void viewsDieWithTheStore() {
        IntBinaryOperator op = f("ii_i").as(IntBinaryOperator.class);
        t.store.close();
        assertThrows(IllegalStateException.class, () -> op.applyAsInt(1, 2));
    }

    @Test
    void manyCallsStayCorrect() {
        IntBinaryOperator sub = f("ii_i").as(IntBinaryOperator.class);
        long sum = 0;
        for (int i = 0; i < 200_000; i++) {
            sum += sub.applyAsInt(i, 1);
        }
        assertTrue(sum == 200_000L * 199_999L / 2 - 200_000L, "sum " + sum);
    }
}
