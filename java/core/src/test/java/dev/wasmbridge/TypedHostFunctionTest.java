package dev.wasmbridge;

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
            linker.defineIntSupplier("h", "vi", () -> 10)
                    .defineLongSupplier("h", "vj", () -> 100L)
                    .defineIntUnary("h", "ii", x -> x + 1)
                    .defineIntBinary("h", "iii", (a, b) -> a * b)
                    .defineLongUnary("h", "jj", x -> x - 1)
                    .defineLongBinary("h", "jjj", (a, b) -> a / b)
                    .defineDoubleUnary("h", "dd", x -> x * 4)
                    .defineDoubleBinary("h", "ddd", (a, b) -> a / b)
                    .defineRunnable("h", "v", () -> sideEffects.addAndGet(1000))
                    .defineIntConsumer("h", "iv", x -> sideEffects.addAndGet(x * 10))
                    .defineLongConsumer("h", "jv", sideEffects::addAndGet);
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
            linker.defineIntSupplier("h", "vi", () -> 0).defineLongSupplier("h", "vj", () -> 0)
                    .defineIntUnary("h", "ii", x -> x).defineLongUnary("h", "jj", x -> x)
                    .defineLongBinary("h", "jjj", (a, b) -> a).defineDoubleUnary("h", "dd", x -> x)
                    .defineDoubleBinary("h", "ddd", (a, b) -> a).defineRunnable("h", "v", () -> { })
                    .defineIntConsumer("h", "iv", x -> { }).defineLongConsumer("h", "jv", x -> { })
                    .defineIntBinary("h", "iii", (a, b) -> {
                        if (a < 0) {
                            throw boom;
                        }
                        // Re-enter the same store from the host: add(a-1, b) recursively down to 0.
                        return a == 0 ? b : (int) self[0].function("add").call(a - 1, b + 1)[0];
                    });
            self[0] = linker.instantiate(store, m);
            IntBinaryOperator add = self[0].function("add").asIntBinaryOperator();
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
            linker.defineIntUnary("h", "f", x -> x);
            assertThrows(LinkException.class, () -> linker.instantiate(store, m));
            assertThrows(NullPointerException.class, () -> linker.defineIntUnary("h", "g", null));
        }
    }
}
