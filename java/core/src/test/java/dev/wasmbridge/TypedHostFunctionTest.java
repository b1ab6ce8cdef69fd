package dev.wasmbridge;

import java.util.function.DoubleUnaryOperator;
import java.util.function.LongUnaryOperator;
import java.util.function.IntConsumer;
import java.util.function.DoubleBinaryOperator;
import java.util.function.IntUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;

class TypedHostFunctionTest {
    static final String WAT = "(module"
            + " (import \"h\" \"vi\" (func $vi (result i32)))"
            + " (import \"h\" \"vj\" (func $vj (result i64)))"
            + " (import \"h\" \"ii\" (func $ii (param i32) (result i32)))"
            + " (import \"h\" \"iii\" (func $iii (param i32 i32) (result i32)))"
            + " (import \"h\" \"jj\" (func $jj (param i64) (result i64)))"
            + " (import \"h\" \"jjj\" (func $jjj (param i64 i64) (result i64)))"
            + " (import \"h\" \"dd\" (func $dd (param f64) (result f64)))"
            + " (import \"h\" \"ddd\" (func $ddd (param f64 f64) (result f64)))"
            + " (import \"h\" \"v\" (func $v))"
            + " (import \"h\" \"iv\" (func $iv (param i32)))"
            + " (import \"h\" \"jv\" (func $jv (param i64)))"
            + " (func (export \"all\") (result f64)"
            + "   call $v  i32.const 5 call $iv  i64.const 6 call $jv"
            + "   call $vi call $ii i32.const 2 call $iii f64.convert_i32_s"
            + "   call $vj call $jj i64.const 3 call $jjj f64.convert_i64_s f64.add"
            + "   call $dd f64.const 2 call $ddd)"
            + " (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 call $iii))";

    @Test
    void everyTypedHostSignatureIsCalledWithPrimitives() {
        AtomicLong sideEffects = new AtomicLong();
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, WAT);
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            linker.define("h", "vi", IntSupplier.class, () -> 10)
                    .define("h", "vj", LongSupplier.class, () -> 100L)
                    .define("h", "ii", IntUnaryOperator.class, x -> x + 1)
                    .define("h", "iii", IntBinaryOperator.class, (a, b) -> a * b)
                    .define("h", "jj", LongUnaryOperator.class, x -> x - 1)
                    .define("h", "jjj", LongBinaryOperator.class, (a, b) -> a / b)
                    .define("h", "dd", DoubleUnaryOperator.class, x -> x * 4)
                    .define("h", "ddd", DoubleBinaryOperator.class, (a, b) -> a / b)
                    .define("h", "v", Runnable.class, () -> sideEffects.addAndGet(1000))
                    .define("h", "iv", IntConsumer.class, x -> sideEffects.addAndGet(x * 10))
                    .define("h", "jv", LongConsumer.class, sideEffects::addAndGet);
            Instance i = linker.instantiate(store, m);
            // ((10+1)*2 + (100-1)/3) * 4 / 2 = (22 + 33) * 2 = 110
            assertEquals(110.0, i.function("all").call()[0]);
            assertEquals(1000 + 50 + 6, sideEffects.get());
        }
    }

    @Test
    void exceptionsAndReentryWork() {
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, WAT);
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            RuntimeException boom = new UnsupportedOperationException("boom");
            Instance[] self = new Instance[1];
            linker.define("h", "vi", IntSupplier.class, () -> 0).define("h", "vj", LongSupplier.class, () -> 0)
                    .define("h", "ii", IntUnaryOperator.class, x -> x).define("h", "jj", LongUnaryOperator.class, x -> x)
                    .define("h", "jjj", LongBinaryOperator.class, (a, b) -> a).define("h", "dd", DoubleUnaryOperator.class, x -> x)
                    .define("h", "ddd", DoubleBinaryOperator.class, (a, b) -> a).define("h", "v", Runnable.class, () -> { })
                    .define("h", "iv", IntConsumer.class, x -> { }).define("h", "jv", LongConsumer.class, x -> { })
                    .define("h", "iii", IntBinaryOperator.class, (a, b) -> {
                        if (a < 0) {
                            throw boom;
                        }
                        // Re-enter the same store from the host: add(a-1, b) recursively down to 0.
                        return a == 0 ? b : (int) self[0].function("add").call(a - 1, b + 1)[0];
                    });
            self[0] = linker.instantiate(store, m);
            IntBinaryOperator add = self[0].function("add").as(IntBinaryOperator.class);
            assertEquals(15, add.applyAsInt(5, 10));
            assertSame(boom, assertThrows(UnsupportedOperationException.class, () -> add.applyAsInt(-1, 0)));
            assertEquals(3, add.applyAsInt(0, 3));
        }
    }

    @Test
    void wrongImportTypeIsALinkError() {
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine,
                "(module (import \"h\" \"f\" (func (param i64) (result i32))))");
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            linker.define("h", "f", IntUnaryOperator.class, x -> x);
            assertThrows(LinkException.class, () -> linker.instantiate(store, m));
            assertThrows(NullPointerException.class, () -> linker.define("h", "g", IntUnaryOperator.class, null));
        }
    }
}
