package dev.wasmbridge.component;

/**
 * A component import implemented in Java. Arguments arrive as natural Java values converted by the
 * import's WIT type (see {@link ComponentFunction#call(Object...)} for the mapping), and the result is
 * converted back the same way ({@link WitValue}s are accepted as results too).
 *
 * <p>Thread safety: the linker may instantiate into stores on several threads, and the function is
 * called on the thread that called into the component: implementations used that way must be
 * thread-safe.
 */
@FunctionalInterface
public interface ComponentHostFunction {
    /**
     * Runs the import.
     *
     * @param caller the calling store, valid during this call only
     * @param args the arguments, one per parameter
     * @return the result (natural mapping, or a {@link WitValue}), or null for a function without one
     * @throws Exception anything: it reaches the Java code that called into the component as the same
     *     object
     */
    Object call(ComponentCaller caller, Object... args) throws Exception;
}
