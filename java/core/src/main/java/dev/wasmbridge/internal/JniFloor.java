package dev.wasmbridge.internal;

/**
 * The floors the benchmarks compare each call path with, reachable from outside the library: a call into
 * the native library that does nothing (what every JNI call pays), and Wasmtime's own typed call made from
 * inside this library, without JNI per call. They take no handles and touch no state of the caller's, so
 * exposing them lends no way around the facade's checks.
 *
 * <p>Thread safety: any thread.
 */
public final class JniFloor {
    static {
        NativeLoader.load();
    }

    private JniFloor() {
    }

    /**
     * Does nothing, natively.
     *
     * @throws UnsatisfiedLinkError if the native library cannot be loaded
     */
    public static native void noop();

    /**
     * Calls a trivial wasm export {@code add(i32, i32) -> i32} {@code n} times through Wasmtime's
     * {@code TypedFunc::call} from inside this library, on a store of its own (made on first use per thread,
     * kept for the thread's life): Wasmtime's typed-call cost as this shared library pays it (its
     * thread-locals go through {@code __tls_get_addr}, unlike in an executable), with no JNI per call.
     *
     * @param n how many calls (at least 0)
     * @return the last call's result: {@code add(..)} chained over {@code 0..n}
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws UnsatisfiedLinkError if the native library cannot be loaded
     */
    public static native int wasmtimeTypedLoop(int n);
}
