package dev.wasmbridge.component;

import dev.wasmbridge.Store;

/**
 * A resource type implemented by Java objects ({@link ComponentLinker.Instance#defineResource}): its
 * name, the class of its objects and its destructor. The native library calls {@link #destroy} when
 * a component drops one.
 *
 * <p>Thread safety: immutable; {@link #destroy} runs on the thread calling into the component.
 */
final class ComponentHostResource {
    private final String name;
    private final Class<?> type;
    private final ResourceDestructor<Object> destructor;

    @SuppressWarnings("unchecked")
    <T> ComponentHostResource(String name, Class<T> type, ResourceDestructor<? super T> destructor) {
        this.name = name;
        this.type = type;
        this.destructor = (ResourceDestructor<Object>) destructor;
    }

    /** The qualified name, as WIT types name it ({@code acme:kv/store.bucket}). */
    String name() {
        return name;
    }

    /** The class of its objects. */
    Class<?> type() {
        return type;
    }

    /** Called by the native library: the guest dropped the object at {@code rep}. */
    void destroy(Store store, int rep) throws Exception {
        Object value = ComponentStoreState.of(store).objects.remove(rep);
        destructor.destroy(type.cast(value));
    }
}
