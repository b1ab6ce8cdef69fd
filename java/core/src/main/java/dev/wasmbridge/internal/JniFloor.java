package dev.wasmbridge.internal;

/**
 * The one native method reachable from outside the library: a call into the native library that does
 * nothing, the floor every other JNI call pays. The benchmarks compare each call path with it. It takes
 * no arguments and touches no state, so exposing it lends no way around the facade's checks.
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
}
