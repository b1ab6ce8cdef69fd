package dev.wasmbridge;

/**
 * A Java implementation of a wasm import, defined with {@link Linker#defineFunction(String, String,
 * FuncType, HostFunction)}.
 *
 * <p>Arguments arrive boxed as their types' {@link ValType#javaType()} (a {@link Function} of the
 * calling store for a funcref, the original Java object for an externref). Results go back the same
 * way, checked against the declared type: return one value per result type ({@code null} or an empty
 * array when there are none).
 *
 * <p>A Java exception thrown here unwinds the wasm stack and reaches the Java code that called into
 * wasm as the same exception object; throw a {@link TrapException} to trap on purpose.
 *
 * <p>Thread safety: called on the thread that called into wasm, so one definition may run on several
 * threads at once (one per store); implementations shared across stores must be thread-safe.
 */
@FunctionalInterface
public interface HostFunction {
    /**
     * Runs the import.
     *
     * @param caller the calling instance's view: its exports, its store and the store's data; valid
     *     only during this call
     * @param args the arguments, one per parameter of the declared type
     * @return the results, one per result of the declared type; {@code null} when there are none
     */
    Object[] call(Caller caller, Object... args);
}
