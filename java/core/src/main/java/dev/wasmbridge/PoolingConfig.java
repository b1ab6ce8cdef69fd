package dev.wasmbridge;

/**
 * Settings of Wasmtime's pooling instance allocator, for {@link EngineConfig.Builder#pooling}: memory
 * and tables for a fixed number of instances are reserved once, up front, so instantiating takes a
 * free slot instead of asking the operating system. Pick it for services that instantiate per
 * request. A limit left unset keeps Wasmtime's default (1000 instances, memories and tables; 4 GiB
 * per memory; 20000 table elements).
 *
 * <p>Exceeding a limit (more live instances than slots, a memory larger than a slot) makes the
 * instantiation fail with a {@link LinkException}.
 *
 * <p>Thread safety: immutable; the builder is not thread-safe.
 */
public final class PoolingConfig {
    private final long[] limits;

    private PoolingConfig(long[] limits) {
        this.limits = limits;
    }

    /**
     * A builder with every limit at Wasmtime's default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The limits at their {@link Abi} positions; {@link Abi#UNSET} for a default. */
    long[] limits() {
        return limits.clone();
    }

    /**
     * Builds a {@link PoolingConfig}; each setter returns the builder.
     *
     * <p>Thread safety: not thread-safe; build on one thread.
     */
    public static final class Builder {
        private final long[] limits = Abi.unset(Abi.POOL_LENGTH);

        private Builder() {
        }

        private Builder set(int i, long value, String what) {
            if (value <= 0) {
                throw new IllegalArgumentException(what + " must be positive, got " + value);
            }
            limits[i] = value;
            return this;
        }

        /**
         * The most instances alive at once, across all stores of the engine.
         *
         * @param count a positive count
         * @return this builder
         * @throws IllegalArgumentException if {@code count} is not positive
         */
        public Builder totalInstances(int count) {
            return set(Abi.POOL_INSTANCES, count, "total instances");
        }

        /**
         * The most linear memories alive at once.
         *
         * @param count a positive count
         * @return this builder
         * @throws IllegalArgumentException if {@code count} is not positive
         */
        public Builder totalMemories(int count) {
            return set(Abi.POOL_MEMORIES, count, "total memories");
        }

        /**
         * The most tables alive at once.
         *
         * @param count a positive count
         * @return this builder
         * @throws IllegalArgumentException if {@code count} is not positive
         */
        public Builder totalTables(int count) {
            return set(Abi.POOL_TABLES, count, "total tables");
        }

        /**
         * The largest a linear memory may become, in bytes: the size of a memory slot.
         *
         * @param bytes a positive size
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is not positive
         */
        public Builder maxMemorySize(long bytes) {
            return set(Abi.POOL_MAX_MEMORY_SIZE, bytes, "max memory size");
        }

        /**
         * The most elements a table may hold.
         *
         * @param count a positive count
         * @return this builder
         * @throws IllegalArgumentException if {@code count} is not positive
         */
        public Builder tableElements(long count) {
            return set(Abi.POOL_TABLE_ELEMENTS, count, "table elements");
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         */
        public PoolingConfig build() {
            return new PoolingConfig(limits.clone());
        }
    }
}
