package dev.wasmbridge.component;

/**
 * What runs when a component drops a host resource implemented in Java ({@link
 * ComponentLinker.Instance#defineResource}): the guest dropped its last {@code own} handle to the
 * object.
 *
 * <p>Thread safety: runs on the thread that is calling into the component whose guest dropped the
 * resource; a destructor shared by stores used on several threads must be thread-safe.
 *
 * @param <T> the Java class behind the resource
 */
@FunctionalInterface
public interface ResourceDestructor<T> {
    /**
     * Destroys the resource.
     *
     * @param value the Java object behind it
     * @throws Exception anything: it reaches the Java code that called into the component as the same
     *     object, as a host function's exception does
     */
    void destroy(T value) throws Exception;
}
