package dev.wasmbridge.component;

/**
 * The numbers of the component value encoding and lookups that are not enum ordinals: the Java half of {@code
 * native/src/bridge/abi.rs}, whose test reads this file and fails when the two disagree. Keep one constant a
 * line, {@code static final int NAME = VALUE;}.
 */
final class ComponentAbi {
    private ComponentAbi() {
    }

    // A resource value's tag byte.
    /** A handle in the store's table ({@link ResourceHandle}), by its u64 key. */
    static final int RESOURCE_HANDLE = 0;
    /** A Java object implementing a host resource, by its u32 rep in the store's host-object table. */
    static final int RESOURCE_HOST = 1;

    // What ComponentNative.instanceFunc returns when it finds no function (otherwise an index, 0 or more).
    /** No export by that name. */
    static final int NO_EXPORT = -1;
    /** An export by that name that is not a function (an exported function type, described as a function by types). */
    static final int NOT_A_FUNCTION = -2;
}
