package dev.wasmbridge;

/**
 * How hard Cranelift optimizes compiled code (Wasmtime's {@code OptLevel}).
 *
 * <p>Thread safety: immutable.
 */
public enum OptLevel {
    /** No optimizations: fastest compilation. */
    NONE,
    /** Fastest code (Wasmtime's default). */
    SPEED,
    /** Fast code, also trying to keep it small. */
    SPEED_AND_SIZE
}
