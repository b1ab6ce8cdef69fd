package dev.wasmbridge;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * How typed host functions ({@link Linker#define(String, String, Class, Object)} with a {@link Shape}), and
 * generic ones of numbers only ({@code HostDefinition.fromStub}), are called from wasm: on JDK 22 and newer
 * through an upcall stub of the JDK's foreign function API ({@code FfmUpcalls}, compiled for Java 22 and
 * loaded only there), which costs about a third of a JNI upcall; otherwise, or when the stub cannot be made
 * (e.g. native access denied), through JNI as before. {@code -Dwasmbridge.upcalls=jni} keeps JNI on every
 * JDK (for comparisons, and as an escape hatch).
 *
 * <p>A stub's target never lets an exception out (the JVM would end the process): the adapter catches
 * every {@code Throwable}, keeps it here per thread and raises the failure flag the native side passes;
 * the native side then takes it with {@link #takeFailure()} and it propagates as from a JNI upcall. So
 * that the adapter's handler itself never overflows, the native side calls a stub only with 64 KiB of the
 * thread's stack left above the JVM's reserve ({@code stack::room_for_stub}), and JNI otherwise.
 * Thread-safe.
 */
final class Upcalls {
    /** The thrown exception of this thread's failed upcall, until the native side takes it. */
    private static final ThreadLocal<Throwable> FAILURE = new ThreadLocal<>();
    /** {@code FfmUpcalls.stub(Method, Object) -> Object[] {Long address, Object keepAlive}}, or null. */
    private static volatile MethodHandle factory = find();

    private Upcalls() {
    }

    private static MethodHandle find() {
        if (Runtime.version().feature() < 22 || "jni".equals(System.getProperty("wasmbridge.upcalls"))) {
            return null;
        }
        try {
            Class<?> c = Class.forName("dev.wasmbridge.FfmUpcalls", true, Upcalls.class.getClassLoader());
            return MethodHandles.lookup().findStatic(c, "stub",
                    MethodType.methodType(Object[].class, Method.class, Object.class));
        } catch (ReflectiveOperationException | LinkageError e) {
            return null; // not in this build (no JDK 22+ compiler), or not loadable: JNI
        }
    }

    /** Whether typed host functions defined from now on use upcall stubs (JDK 22+) rather than JNI. */
    static boolean enabled() {
        return factory != null;
    }

    /**
     * An upcall stub calling {@code target}'s method of {@code shape}: {address, the object that keeps
     * the stub alive}; null when JNI is to be used (no stub support, or making one failed with a runtime
     * or linkage error, such as denied native access: then JNI is used from now on).
     *
     * @throws Error a virtual machine error while making the stub (out of memory, say)
     */
    static Object[] stub(Shape shape, Object target) {
        return stub(NumericHandles.numericMethod(shape.type), target);
    }

    /**
     * As {@link #stub(Shape, Object)}, for any method of numeric parameters and result (a generic host
     * function's {@code HostDefinition.fromStub}).
     *
     * @throws Error a virtual machine error while making the stub
     */
    static Object[] stub(Method method, Object target) {
        MethodHandle f = factory;
        if (f == null) {
            return null;
        }
        try {
            return (Object[]) f.invokeExact(method, target);
        } catch (RuntimeException | LinkageError e) {
            // e.g. IllegalCallerException: this module has no native access (--illegal-native-access=deny)
            factory = null;
            return null;
        } catch (Error e) {
            throw e; // out of memory and the like: not a reason to give up on stubs, nor to hide
        } catch (Throwable e) {
            throw new AssertionError("FfmUpcalls.stub declares no checked exception", e);
        }
    }

    /** Called by a stub's adapter when the target threw: keeps {@code t} for {@link #takeFailure()}. */
    static void fail(Throwable t) {
        FAILURE.set(t);
    }

    /** The exception of this thread's failed upcall (native side, after the flag), cleared. */
    static Throwable takeFailure() {
        Throwable t = FAILURE.get();
        FAILURE.remove();
        return t;
    }
}
