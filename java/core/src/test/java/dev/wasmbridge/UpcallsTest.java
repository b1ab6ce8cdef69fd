package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Host functions through {@link Upcalls}: upcall stubs of the foreign function API on JDK 22+ (the
 * build's second-JDK run), JNI on 17; typed ones, and generic ones of numbers only ({@code
 * HostDefinition.fromStub}). The shapes themselves are covered by {@code ShapesTest} and {@code
 * TypedHostFunctionTest}, generic functions by {@code HostFunctionTest} and {@code CallSlotsTest}, which run
 * on both paths; this covers what only the stub path does: it is really taken where it should be, no
 * exception ever leaves a stub (errors and checked exceptions too, whose identity survives), a stub lives
 * as long as the function that calls it, and a generic stub finds the store running it by its id.
 */
class UpcallsTest {
    private static final String WAT = "(module"
            + " (import \"h\" \"f\" (func $f (param i32 i32) (result i32)))"
            + " (func (export \"call\") (param i32 i32) (result i32) local.get 0 local.get 1 call $f))";

    @Test
    void stubsAreUsedOnJdk22AndNewerUnlessJniIsAskedFor() {
        boolean expected = Runtime.version().feature() >= 22
                && !"jni".equals(System.getProperty("wasmbridge.upcalls"));
        assertEquals(expected, Upcalls.enabled(),
                "JDK " + Runtime.version() + ": the FFM class must be in the build (the ffm-upcalls profile)");
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }

    /**
     * {@code call} calls a host function that throws {@code next[0]} when set, else returns a - b: each kind of
     * Throwable comes out as the same object, the failure is not left behind, and the next call works.
     */
    private static void assertEveryThrowableComesOutAsItself(IntBinaryOperator call, Throwable[] next) {
        Throwable[] kinds = {new IllegalStateException("runtime"), new IOException("checked"),
                new AssertionError("error"), new StackOverflowError("overflow")};
        for (Throwable t : kinds) {
            next[0] = t;
            Throwable thrown = assertThrows(Throwable.class, () -> call.applyAsInt(1, 2));
            assertSame(t, thrown, t.getClass().getName());
            assertNull(Upcalls.takeFailure(), "the failure was taken by the native side");
            next[0] = null;
            assertEquals(5, call.applyAsInt(7, 2));
        }
    }

    @Test
    void everyThrowableLeavesTheHostFunctionAsItselfAndTheStoreStaysUsable() {
        Throwable[] next = new Throwable[1];
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, WAT);
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            linker.define("h", "f", IntBinaryOperator.class, (a, b) -> {
                if (next[0] != null) {
                    UpcallsTest.<RuntimeException>sneakyThrow(next[0]);
                }
                return a - b;
            });
            IntBinaryOperator call = linker.instantiate(store, m).function("call").as(IntBinaryOperator.class);
            assertEveryThrowableComesOutAsItself(call, next);
        }
    }

    @Test
    void aStubLivesAsLongAsTheFunctionThatCallsItNotTheLinker() {
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, WAT);
                Store store = Store.create(engine)) {
            IntBinaryOperator call;
            try (Linker linker = Linker.create(engine)) {
                linker.define("h", "f", IntBinaryOperator.class, (a, b) -> a * b);
                call = linker.instantiate(store, m).function("call").as(IntBinaryOperator.class);
            }
            // The linker is closed and nothing in Java refers to the host function's lambda or its stub any
            // more: only the instance does. Collect until a fresh weakly held object is gone, a few times.
            for (int round = 0; round < 3; round++) {
                WeakReference<Object> probe = new WeakReference<>(new Object());
                for (int tries = 0; probe.get() != null && tries < 50; tries++) {
                    System.gc();
                }
                for (int i = 0; i < 1000; i++) {
                    assertEquals(i * 3, call.applyAsInt(i, 3));
                }
            }
        }
    }

    @Test
    void redefiningANameDoesNotKeepTheOldStubInUse() {
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine,
                "(module (import \"h\" \"g\" (func $g (param i32) (result i32)))"
                        + " (func (export \"call\") (param i32) (result i32) local.get 0 call $g))");
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            linker.allowShadowing(true);
            linker.define("h", "g", IntUnaryOperator.class, x -> x + 1);
            linker.define("h", "g", IntUnaryOperator.class, x -> x + 2);
            assertEquals(12, linker.instantiate(store, m).function("call").as(IntUnaryOperator.class).applyAsInt(10));
        }
    }

    private static boolean calledFromStub() {
        for (StackTraceElement e : new Throwable().getStackTrace()) {
            if (e.getClassName().equals(HostDefinition.class.getName()) && e.getMethodName().equals("fromStub")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void genericHostFunctionsOfNumbersAreCalledThroughAStubAndOthersThroughJni() {
        String wat = "(module"
                + " (import \"h\" \"num\" (func $num (param i64) (result i64)))"
                + " (import \"h\" \"ref\" (func $ref (param externref) (result i32)))"
                + " (func (export \"num\") (param i64) (result i64) local.get 0 call $num)"
                + " (func (export \"ref\") (param externref) (result i32) local.get 0 call $ref))";
        boolean[] viaStub = new boolean[2];
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, wat);
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            linker.defineFunction("h", "num", FuncType.of(java.util.List.of(ValType.I64), java.util.List.of(ValType.I64)),
                    (caller, args) -> {
                        viaStub[0] = calledFromStub();
                        return new Object[] {(Long) args[0] + 1};
                    });
            linker.defineFunction("h", "ref", FuncType.of(java.util.List.of(ValType.EXTERNREF),
                    java.util.List.of(ValType.I32)), (caller, args) -> {
                        viaStub[1] = calledFromStub();
                        return new Object[] {args[0] == null ? 0 : 1};
                    });
            Instance i = linker.instantiate(store, m);
            assertEquals(8L, i.function("num").call(7L)[0]);
            assertEquals(1, i.function("ref").call("x")[0]);
            assertEquals(Upcalls.enabled(), viaStub[0], "numbers only: a stub where stubs are enabled");
            assertEquals(false, viaStub[1], "a reference: always JNI");
        }
    }

    @Test
    void everyThrowableLeavesAGenericHostFunctionAsItselfAndTheStoreStaysUsable() {
        Throwable[] next = new Throwable[1];
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, WAT);
                Store store = Store.create(engine); Linker linker = Linker.create(engine)) {
            linker.defineFunction("h", "f", FuncType.of(java.util.List.of(ValType.I32, ValType.I32),
                    java.util.List.of(ValType.I32)), (caller, args) -> {
                        if (next[0] != null) {
                            UpcallsTest.<RuntimeException>sneakyThrow(next[0]);
                        }
                        return new Object[] {(Integer) args[0] - (Integer) args[1]};
                    });
            IntBinaryOperator call = linker.instantiate(store, m).function("call").as(IntBinaryOperator.class);
            assertEveryThrowableComesOutAsItself(call, next);
        }
    }

    @Test
    void aGenericHostFunctionSeesTheStoreRunningItAmongMany() {
        try (Engine engine = Engine.create(); Module m = Module.fromWat(engine, WAT);
                Linker linker = Linker.create(engine)) {
            linker.defineFunction("h", "f", FuncType.of(java.util.List.of(ValType.I32, ValType.I32),
                    java.util.List.of(ValType.I32)), (caller, args) -> new Object[] {
                            (Integer) caller.data() * 1000 + (Integer) args[0] + (Integer) args[1]});
            int capacity = StoreIds.capacity();
            int inUse = StoreIds.inUse();
            // Stores made and closed one after another reuse their ids: the table does not grow.
            for (int round = 0; round < 200; round++) {
                try (Store a = Store.create(engine, 1); Store b = Store.create(engine, 2)) {
                    IntBinaryOperator fa = linker.instantiate(a, m).function("call").as(IntBinaryOperator.class);
                    IntBinaryOperator fb = linker.instantiate(b, m).function("call").as(IntBinaryOperator.class);
                    assertEquals(1000 + round + 1, fa.applyAsInt(round, 1));
                    assertEquals(2000 + round + 2, fb.applyAsInt(round, 2));
                }
            }
            assertEquals(capacity, StoreIds.capacity());
            // At most as many as before: the Cleaner may meanwhile free ids of stores other tests left to it.
            org.junit.jupiter.api.Assertions.assertTrue(StoreIds.inUse() <= inUse, "closed stores give their ids back");
        }
    }
}
