package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Wasm never takes the JVM down because of the calling thread's stack: on threads of every size, with
 * the default and custom {@code maxWasmStack}, however much of the stack Java already uses, and with
 * Java and wasm frames interleaved, runaway recursion ends in {@link TrapCode#STACK_OVERFLOW} (or a
 * {@link StackOverflowError} thrown by Java code in between), and the store stays usable. Before the
 * private stacks of {@code native/src/stack.rs}, the first case below aborted the JVM ("irrecoverable
 * stack overflow"). This class runs at the JVM's default {@code -Xss}, like every test JVM here.
 */
class StackTest {
    private static final long K = 1024;

    /** A guest that recurses without end, one that recurses n times then calls the host, and adds. */
    private static final String WAT = "(module"
            + " (import \"env\" \"host\" (func $host (param i32) (result i32)))"
            + " (func $recurse (export \"recurse\") (param i32) (result i32) local.get 0 i32.const 1 i32.add call $recurse)"
            + " (func $deep (export \"deep\") (param i32 i32) (result i32)"
            + "   local.get 0 i32.eqz if (result i32) local.get 1 call $host"
            + "   else local.get 0 i32.const 1 i32.sub local.get 1 call $deep i32.const 1 i32.add end)"
            + " (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))";

    static Stream<Arguments> threadsAndLimits() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (long thread : new long[] {256 * K, 512 * K, 1024 * K}) {
            for (long max : new long[] {0, 64 * K, 2048 * K}) {
                b.add(Arguments.of(thread, max));
            }
        }
        return b.build();
    }

    private static Engine engine(long maxWasmStack) {
        EngineConfig.Builder b = EngineConfig.builder().parallelCompilation(false);
        if (maxWasmStack > 0) {
            b.maxWasmStack(maxWasmStack);
        }
        return Engine.create(b.build());
    }

    /** Runs {@code body} on a new thread with a stack of {@code size} bytes; rethrows what it threw. */
    static void onThread(long size, Runnable body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "stack-" + size / K + "k", size);
        t.start();
        t.join();
        if (failure.get() instanceof Error) {
            throw (Error) failure.get();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    private static Linker linker(Engine engine, AtomicReference<Instance> self, AtomicInteger hostCalls) {
        return linker(engine, self, hostCalls, false);
    }

    /**
     * env.host(n): 0 for 0; else Java eats some stack, then re-enters the guest's "deep" with n more
     * levels, which calls env.host(n) again: an endless nesting for any n > 0. {@code typed}: defined as an
     * {@code IntUnaryOperator} (an upcall stub on JDK 22+), else as a generic host function (a stub too on
     * 22+, its signature having numbers only); either way JNI where the stack is too low for a stub.
     */
    private static Linker linker(Engine engine, AtomicReference<Instance> self, AtomicInteger hostCalls,
            boolean typed) {
        Linker linker = Linker.create(engine);
        IntUnaryOperator host = n -> {
            hostCalls.incrementAndGet();
            return n == 0 ? 0 : javaFrames(20, () -> (Integer) self.get().function("deep").call(n, n)[0]);
        };
        if (typed) {
            linker.define("env", "host", IntUnaryOperator.class, host);
        } else {
            linker.defineFunction("env", "host", FuncType.of(List.of(ValType.I32), List.of(ValType.I32)),
                    (caller, args) -> new Object[] {host.applyAsInt((Integer) args[0])});
        }
        return linker;
    }

    @ParameterizedTest(name = "thread {0} B, maxWasmStack {1} B")
    @MethodSource("threadsAndLimits")
    void runawayNestingThroughTypedHostFunctionsEndsCleanly(long threadStack, long maxWasmStack) throws Exception {
        try (Engine engine = engine(maxWasmStack); Module module = Module.fromWat(engine, WAT)) {
            AtomicReference<Instance> self = new AtomicReference<>();
            AtomicInteger hostCalls = new AtomicInteger();
            try (Linker linker = linker(engine, self, hostCalls, true)) {
                onThread(threadStack, () -> {
                    try (Store store = Store.create(engine)) {
                        Instance instance = linker.instantiate(store, module);
                        self.set(instance);
                        for (int round = 0; round < 3; round++) {
                            Throwable t = assertThrows(Throwable.class, () -> instance.function("deep").call(50, 50));
                            assertTrue(t instanceof TrapException
                                    && ((TrapException) t).code() == TrapCode.STACK_OVERFLOW
                                    || t instanceof StackOverflowError, "ended by " + t);
                        }
                        assertTrue(hostCalls.get() > 0);
                        assertEquals(3, instance.function("deep").call(3, 0)[0]);
                    }
                });
            }
        }
    }

    /** Calls {@code body} under {@code depth} Java frames of a few hundred bytes each. */
    static int javaFrames(int depth, java.util.function.IntSupplier body) {
        long[] ballast = new long[8];
        ballast[depth % ballast.length] = depth;
        return depth == 0 ? body.getAsInt() : javaFrames(depth - 1, body) + (int) (ballast[0] & 0);
    }

    @ParameterizedTest(name = "thread {0} B, maxWasmStack {1} B")
    @MethodSource("threadsAndLimits")
    void runawayRecursionTrapsOnAnyThread(long threadStack, long maxWasmStack) throws Exception {
        try (Engine engine = engine(maxWasmStack); Module module = Module.fromWat(engine, WAT)) {
            AtomicReference<Instance> self = new AtomicReference<>();
            AtomicInteger hostCalls = new AtomicInteger();
            try (Linker linker = linker(engine, self, hostCalls)) {
                onThread(threadStack, () -> {
                    try (Store store = Store.create(engine)) {
                        Instance instance = linker.instantiate(store, module);
                        self.set(instance);
                        Function recurse = instance.function("recurse");
                        IntUnaryOperator typed = recurse.as(IntUnaryOperator.class);
                        for (int round = 0; round < 3; round++) {
                            assertEquals(TrapCode.STACK_OVERFLOW, assertThrows(TrapException.class, () -> recurse.call(0)).code());
                            assertEquals(TrapCode.STACK_OVERFLOW, assertThrows(TrapException.class, () -> recurse.callRaw(0)).code());
                            assertEquals(TrapCode.STACK_OVERFLOW, assertThrows(TrapException.class, () -> typed.applyAsInt(0)).code());
                        }
                        // Java -> wasm -> Java host -> wasm ..., each level eating wasm and Java stack.
                        Throwable t = assertThrows(Throwable.class, () -> instance.function("deep").call(50, 50));
                        assertTrue(t instanceof TrapException && ((TrapException) t).code() == TrapCode.STACK_OVERFLOW
                                || t instanceof StackOverflowError, "ended by " + t);
                        assertTrue(hostCalls.get() > 0);
                        // And the store still works, on every path.
                        assertEquals(42, instance.function("add").call(40, 2)[0]);
                        assertEquals(42, instance.function("add").as(IntBinaryOperator.class).applyAsInt(40, 2));
                        assertEquals(3, instance.function("deep").call(3, 0)[0]);
                    }
                });
            }
        }
    }

    @ParameterizedTest(name = "thread {0} B, maxWasmStack {1} B")
    @MethodSource("threadsAndLimits")
    void aStartFunctionThatRecursesTraps(long threadStack, long maxWasmStack) throws Exception {
        String wat = "(module (func $r (param i32) (result i32) local.get 0 i32.const 1 i32.add call $r)"
                + " (func $start (drop (call $r (i32.const 0)))) (start $start))";
        try (Engine engine = engine(maxWasmStack); Module module = Module.fromWat(engine, wat);
                Linker linker = Linker.create(engine)) {
            onThread(threadStack, () -> {
                try (Store store = Store.create(engine)) {
                    assertEquals(TrapCode.STACK_OVERFLOW,
                            assertThrows(TrapException.class, () -> linker.instantiate(store, module)).code());
                    InstancePre pre = linker.prepare(module);
                    try (pre) {
                        assertEquals(TrapCode.STACK_OVERFLOW,
                                assertThrows(TrapException.class, () -> pre.instantiate(store)).code());
                    }
                }
            });
        }
    }

    @ParameterizedTest(name = "maxWasmStack {0} B")
    @org.junit.jupiter.params.provider.ValueSource(longs = {0, 64 * 1024})
    void javaFramesAlreadyOnTheStackLeaveWasmItsRoom(long maxWasmStack) throws Exception {
        try (Engine engine = engine(maxWasmStack); Module module = Module.fromWat(engine, WAT)) {
            AtomicReference<Instance> self = new AtomicReference<>();
            try (Linker linker = linker(engine, self, new AtomicInteger())) {
                onThread(1024 * K, () -> {
                    try (Store store = Store.create(engine)) {
                        Instance instance = linker.instantiate(store, module);
                        self.set(instance);
                        // Once at the top: links the call sites and loads the classes the check uses, which
                        // must not first happen at the deepest level (a lambda's bootstrap that overflows
                        // there is an InternalError, not the StackOverflowError the check expects).
                        trapsCleanly(instance);
                        // Go as deep into this thread's stack as Java allows, then call wasm from there.
                        int deepest = descend(0, store, instance);
                        assertTrue(deepest > 100, "descended " + deepest + " levels");
                        assertEquals(42, instance.function("add").call(40, 2)[0]);
                    }
                });
            }
        }
    }

    /**
     * Recurses in Java until the stack is nearly gone; on the way back up, calls runaway wasm from
     * every 50th level (so from the deepest ones too): each call must trap, not crash.
     */
    private static int descend(int level, Store store, Instance instance) {
        int deepest;
        try {
            deepest = descend(level + 1, store, instance);
        } catch (StackOverflowError e) {
            deepest = level;
        }
        if (level % 50 == 0 || level >= deepest - 3) {
            try {
                trapsCleanly(instance);
            } catch (StackOverflowError e) {
                // Too deep for the Java side of the call itself: a clean Java error, as for any method.
            }
        }
        return deepest;
    }

    /**
     * Runaway recursion in wasm traps with STACK_OVERFLOW. A StackOverflowError of the call's Java side
     * passes through as itself (assertThrows would turn it into an assertion failure).
     */
    private static void trapsCleanly(Instance instance) {
        try {
            instance.function("recurse").call(0);
        } catch (TrapException e) {
            assertEquals(TrapCode.STACK_OVERFLOW, e.code());
            return;
        }
        throw new AssertionError("runaway recursion returned instead of trapping");
    }
}
