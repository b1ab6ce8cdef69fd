package dev.wasmbridge;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Upcall stubs for typed host functions (JDK 22+; compiled with {@code --release 22} and loaded only by
 * {@link Upcalls} on such a JDK). A stub has the C signature of the interface method plus a trailing
 * {@code uint8_t *failed}: the native side ({@code shapes.rs}, {@code define_stub}) calls it with the wasm
 * arguments; if the target throws, the adapter keeps the exception ({@link Upcalls#fail}), sets
 * {@code *failed = 1} and returns zero, so no exception ever leaves the stub. Thread-safe.
 */
@SuppressWarnings("restricted") // upcallStub and reinterpret: this module is granted native access for its JNI library too
final class FfmUpcalls {
    private static final Linker LINKER = Linker.nativeLinker();
    /**
     * The failure flag's address, passed as a plain 64-bit integer (the C side's {@code uint8_t *}: the same
     * register on x86-64): an {@code ADDRESS} parameter would make a {@code MemorySegment} on every call, while
     * the flag is touched only when the target threw.
     */
    private static final ValueLayout FLAG = ValueLayout.JAVA_LONG;

    private FfmUpcalls() {
    }

    /**
     * A stub calling {@code method} (of a functional interface with int/long/float/double parameters and
     * result) on {@code target}.
     *
     * @return {the stub's address as a Long, the stub segment: it stays callable while that is reachable}
     * @throws IllegalCallerException if this module has no native access
     */
    static Object[] stub(Method method, Object target) {
        MethodHandle call;
        try {
            call = MethodHandles.lookup().unreflect(method).bindTo(target);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException(method + " is not accessible", e);
        }
        MethodType type = call.type();
        int n = type.parameterCount();
        MethodHandle withFlag = MethodHandles.dropArguments(call, n, long.class);
        // On a throw: record it and raise the flag; if even that throws, return zero (the flag may
        // still be up): nothing escapes into the upcall stub.
        MethodHandle fail = MethodHandles.dropArguments(FAIL, 1, type.parameterList());
        MethodHandle failReturningZero = MethodHandles.foldArguments(
                MethodHandles.dropArguments(MethodHandles.empty(withFlag.type()), 0, Throwable.class), fail);
        MethodHandle guarded = MethodHandles.catchException(withFlag, Throwable.class, failReturningZero);
        MethodHandle safe = MethodHandles.catchException(guarded, Throwable.class,
                MethodHandles.dropArguments(MethodHandles.empty(withFlag.type()), 0, Throwable.class));
        List<MemoryLayout> params = new ArrayList<>();
        for (Class<?> p : type.parameterList()) {
            params.add(layout(p));
        }
        params.add(FLAG);
        MemoryLayout[] ps = params.toArray(new MemoryLayout[0]);
        FunctionDescriptor descriptor = type.returnType() == void.class ? FunctionDescriptor.ofVoid(ps)
                : FunctionDescriptor.of(layout(type.returnType()), ps);
        MemorySegment stub = LINKER.upcallStub(safe, descriptor, Arena.ofAuto());
        return new Object[] {stub.address(), stub};
    }

    private static ValueLayout layout(Class<?> c) {
        if (c == int.class) {
            return ValueLayout.JAVA_INT;
        } else if (c == long.class) {
            return ValueLayout.JAVA_LONG;
        } else if (c == float.class) {
            return ValueLayout.JAVA_FLOAT;
        } else if (c == double.class) {
            return ValueLayout.JAVA_DOUBLE;
        }
        throw new IllegalArgumentException("no C layout for " + c);
    }

    private static final MethodHandle FAIL;

    static {
        try {
            FAIL = MethodHandles.lookup().findStatic(FfmUpcalls.class, "fail",
                    MethodType.methodType(void.class, Throwable.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The target threw {@code t}: the flag first (the native side trusts it), then the exception. */
    private static void fail(Throwable t, long failed) {
        MemorySegment.ofAddress(failed).reinterpret(1).set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
        Upcalls.fail(t);
    }
}
