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
 * Typed host functions through {@link Upcalls}: upcall stubs of the foreign function API on JDK 22+ (the
 * build's second-JDK run), JNI on 17. The shapes themselves are covered by {@code ShapesTest} and
 * {@code TypedHostFunctionTest}, which run on both paths; this covers what only the stub path does: it is
 * really taken where it should be, no exception ever leaves a stub (errors and checked exceptions too,
 * whose identity survives), and a stub lives as long as the function that calls it.
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
}
