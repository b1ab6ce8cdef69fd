package dev.wasmbridge;

/**
 * The numbers that cross JNI and are not enum ordinals, with their Rust twins in
 * {@code native/src/bridge/abi.rs}, whose test reads this file and fails the build when the two disagree.
 * (The ordinals that cross are those of {@link ValType}, {@link OptLevel},
 * {@link dev.wasmbridge.wasi.WasiConfig.StreamMode}, {@link Shape} and {@link TrapCode}; they are
 * checked the same way.) Keep one constant a line, {@code static final int NAME = VALUE;}.
 */
final class Abi {
    // Extern kinds, and an export packed as kind << KIND_SHIFT | index (-1 for none).
    static final int KIND_FUNC = 0;
    static final int KIND_GLOBAL = 1;
    static final int KIND_TABLE = 2;
    static final int KIND_MEMORY = 3;
    static final int KIND_TAG = 4;
    static final int KIND_SHIFT = 32;

    // In the long[] layouts below: not set, a default applies.
    static final int UNSET = -1;

    // Store.setLimits: positions in the long[] of StoreLimits.
    static final int LIMIT_MEMORY_SIZE = 0;
    static final int LIMIT_TABLE_ELEMENTS = 1;
    static final int LIMIT_INSTANCES = 2;
    static final int LIMIT_TABLES = 3;
    static final int LIMIT_MEMORIES = 4;
    static final int LIMITS_LENGTH = 5;

    // EngineConfig pooling: positions in the long[] of PoolingConfig.
    static final int POOL_INSTANCES = 0;
    static final int POOL_MEMORIES = 1;
    static final int POOL_TABLES = 2;
    static final int POOL_MAX_MEMORY_SIZE = 3;
    static final int POOL_TABLE_ELEMENTS = 4;
    static final int POOL_MEMORY_KEEP_RESIDENT = 5;
    static final int POOL_TABLE_KEEP_RESIDENT = 6;
    static final int POOL_PAGEMAP_SCAN = 7;
    static final int POOL_LENGTH = 8;

    // WasiConfig's sockets: the bits of the sockets flags beside the network allow-list.
    static final int SOCKETS_NAME_LOOKUP = 1;
    static final int SOCKETS_TCP = 2;
    static final int SOCKETS_UDP = 4;

    // EngineConfig's compilation cache: the mode beside its path.
    static final int CACHE_NONE = 0;
    static final int CACHE_DIRECTORY = 1;
    static final int CACHE_CONFIG_FILE = 2;
    static final int CACHE_DEFAULT = 3;

    private Abi() {
    }

    /** The kind of a packed export. */
    static int kind(long packed) {
        return (int) (packed >>> KIND_SHIFT);
    }

    /** The store index of a packed export. */
    static int index(long packed) {
        return (int) packed;
    }

    /** A layout of {@code length} unset values. */
    static long[] unset(int length) {
        long[] values = new long[length];
        java.util.Arrays.fill(values, UNSET);
        return values;
    }
}
