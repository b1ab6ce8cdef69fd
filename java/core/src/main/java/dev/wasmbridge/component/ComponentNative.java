package dev.wasmbridge.component;

/**
 * The native methods of the component model, implemented in Rust ({@code native/src/component/};
 * the Rust function is named {@code Java_dev_wasmbridge_component_ComponentNative_<method>}).
 * Package-private, like {@code dev.wasmbridge.Native}: the natives take raw handles and trust their
 * caller, so only the classes beside it, which check arguments, ownership and lifetimes first, reach
 * them. Values cross in the byte encoding of {@link ValueCodec}, types in the one {@link
 * ValueCodec#readType} and {@link ComponentTypes} read.
 */
final class ComponentNative {
    static {
        dev.wasmbridge.internal.NativeLoader.load();
    }

    private ComponentNative() {
    }

    // component/mod.rs
    static native long componentNew(long engine, byte[] bytes);

    static native void componentValidate(long engine, byte[] bytes);

    static native void componentFree(long component);

    static native byte[] componentSerialize(long component);

    static native long componentDeserialize(long engine, byte[] bytes);

    static native byte[] componentType(long component);

    static native String componentWit(long component);

    static native int instanceFunc(long store, int instance, String outer, String name);

    static native byte[] funcType(long store, int func);

    /**
     * Calls a function: the arguments are the {@code argsLength} bytes at {@code io}, the address of a
     * direct buffer of {@code ioCapacity} bytes that the caller keeps reachable; the result is written
     * there if it fits. Returns the result's length; a longer result is taken with {@link #funcResult}.
     */
    static native int funcCall(Object storeObject, long store, int func, long io, int argsLength, int ioCapacity);

    /** Copies the result the last {@link #funcCall} kept (it did not fit) to {@code io}. */
    static native void funcResult(long store, long io, int ioCapacity);

    /** The address of a direct buffer. */
    static native long bufferAddress(java.nio.ByteBuffer buffer);

    // component/wave.rs
    static native String funcCallWave(Object storeObject, long store, int func, String args);

    // component/resources.rs
    static native void resourceDrop(Object storeObject, long store, long key);

    static native boolean resourceLive(long store, long key);

    static native long[] storeComponentSizes(long store);

    // component/linker.rs
    static native long linkerNew(long engine);

    static native void linkerFree(long linker);

    static native void linkerAllowShadowing(long linker, boolean allow);

    static native void linkerDefineWasi(long linker);

    static native void linkerDefineWasiHttp(long linker);

    static native void linkerDefineUnknownAsTraps(long linker, long component);

    static native void linkerDefineFunction(long linker, String instance, String name, Object definition);

    static native int linkerDefineResource(long linker, String instance, String name, Object definition);

    static native int linkerInstantiate(long linker, Object storeObject, long store, long component);

    static native long preNew(long linker, long component);

    static native int preInstantiate(long pre, Object storeObject, long store);

    static native void preFree(long pre);
}
