package dev.wasmbridge.component;

/**
 * A component import implemented in Java over the exact value model: arguments arrive as {@link
 * WitValue}s and the result is one (or null for a function without a result). Use it where the natural
 * mapping of {@link ComponentHostFunction} is not enough, for example to see the declared type of each
 * value.
 *
 * <p>Thread safety: as {@link ComponentHostFunction}'s.
 */
@FunctionalInterface
public interface ComponentHostValuesFunction {
    /**
     * Runs the import.
     *
     * @param caller the calling store, valid during this call only
     * @param args the arguments, one per parameter
     * @return the result, or null for a function without one
     * @throws Exception anything: it reaches the Java code that called into the component as the same
     *     object
     */
    WitValue call(ComponentCaller caller, WitValue... args) throws Exception;
}
