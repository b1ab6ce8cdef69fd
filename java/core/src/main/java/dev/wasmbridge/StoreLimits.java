package dev.wasmbridge;

/**
 * Resource limits of a {@link Store} ({@link Store#setLimits(StoreLimits)}), enforced by Wasmtime as
 * WebAssembly defines: a module that needs more than allowed fails to instantiate ({@link
 * LinkException}), and {@code memory.grow} or {@code table.grow} beyond a limit return -1 to the guest.
 *
 * <p>Thread safety: immutable; the builder is not thread-safe.
 */
public final class StoreLimits {
    private final long[] limits;

    private StoreLimits(long[] limits) {
        this.limits = limits;
    }

    /**
     * A builder with no limits set (sizes unlimited, counts at Wasmtime's default of 10000).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The limits at their {@link Abi} positions; {@link Abi#UNSET} when unset. */
    long[] limits() {
        return limits.clone();
    }

    /**
     * Builds {@link StoreLimits}; each setter returns the builder.
     *
     * <p>Thread safety: not thread-safe; build on one thread.
     */
    public static final class Builder {
        private final long[] limits = Abi.unset(Abi.LIMITS_LENGTH);

        private Builder() {
        }

        private Builder set(int i, long value, String what) {
            if (value < 0) {
                throw new IllegalArgumentException(what + " must not be negative, got " + value);
            }
            limits[i] = value;
            return this;
        }

        /**
         * The most bytes any one linear memory may have.
         *
         * @param bytes the limit
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder memorySize(long bytes) {
            return set(Abi.LIMIT_MEMORY_SIZE, bytes, "memory size");
        }

        /**
         * The most elements any one table may have.
         *
         * @param elements the limit
         * @return this builder
         * @throws IllegalArgumentException if {@code elements} is negative
         */
        public Builder tableElements(long elements) {
            return set(Abi.LIMIT_TABLE_ELEMENTS, elements, "table elements");
        }

        /**
         * The most instances the store may hold.
         *
         * @param count the limit
         * @return this builder
         * @throws IllegalArgumentException if {@code count} is negative
         */
        public Builder instances(int count) {
            return set(Abi.LIMIT_INSTANCES, count, "instances");
        }

        /**
         * The most tables the store may hold.
         *
         * @param count the limit
         * @return this builder
         * @throws IllegalArgumentException if {@code count} is negative
         */
        public Builder tables(int count) {
            return set(Abi.LIMIT_TABLES, count, "tables");
        }

        /**
         * The most linear memories the store may hold.
         *
         * @param count the limit
         * @return this builder
         * @throws IllegalArgumentException if {@code count} is negative
         */
        public Builder memories(int count) {
            return set(Abi.LIMIT_MEMORIES, count, "memories");
        }

        /**
         * Builds the limits.
         *
         * @return the limits
         */
        public StoreLimits build() {
            return new StoreLimits(limits.clone());
        }
    }
}
