package dev.wasmbridge;

/**
 * Settings of Wasmtime's pooling instance allocator, for {@link EngineConfig.Builder#pooling}: memory
 * and tables for a fixed number of instances are reserved once, up front, so instantiating takes a
 * free slot instead of asking the operating system. Pick it for services that instantiate per
 * request. A limit left unset keeps Wasmtime's default (1000 instances, memories and tables; 4 GiB
 * per memory; 20000 table elements; nothing kept resident).
 *
 * <p>For serving, where a slot is reused for request after request, keep its memory resident:
 * {@code memoryKeepResident} and {@code tableKeepResident} with {@code
 * pagemapScan(PagemapScan.AUTO)} reset only the pages the last instance wrote, in place, instead of
 * handing the slot back to the kernel (which takes page faults on the next use and, in a process with
 * many threads such as the JVM, a TLB shootdown across the cores each time). {@code wasmbridge serve}
 * uses {@link #forServing()}.
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

    /**
     * Wasmtime's limits with memory and tables kept resident for reuse: 1 MiB of each linear memory
     * and 64 KiB of each table stay mapped between instances and are reset in place, the pages to
     * reset found with {@link PagemapScan#AUTO}. The settings of {@code wasmbridge serve}.
     *
     * @return a new builder with those settings, to change further
     */
    public static Builder forServing() {
        return new Builder().memoryKeepResident(1 << 20).tableKeepResident(1 << 16).pagemapScan(PagemapScan.AUTO);
    }

    /**
     * Whether Linux's {@code PAGEMAP_SCAN} (Linux 6.7 and later) finds the pages an instance wrote, so
     * that only those are reset when its slot is kept resident.
     *
     * <p>Thread safety: immutable.
     */
    public enum PagemapScan {
        /** Never: the first kept-resident bytes are reset whole (Wasmtime's default). */
        NO,
        /** Always: building the engine fails with an {@link IllegalArgumentException} where the kernel lacks it. */
        YES,
        /** Where the kernel has it. */
        AUTO
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
         * How many bytes of each linear memory stay mapped when its slot is freed, reset in place (to
         * the module's initial contents) rather than handed back to the operating system; Linux only.
         * Wasmtime's default is 0.
         *
         * @param bytes a size, 0 or more (rounded up to whole pages)
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder memoryKeepResident(long bytes) {
            return setSize(Abi.POOL_MEMORY_KEEP_RESIDENT, bytes, "memory kept resident");
        }

        /**
         * How many bytes of each table stay mapped when its slot is freed, reset in place; Linux only.
         * Wasmtime's default is 0.
         *
         * @param bytes a size, 0 or more (rounded up to whole pages)
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder tableKeepResident(long bytes) {
            return setSize(Abi.POOL_TABLE_KEEP_RESIDENT, bytes, "table kept resident");
        }

        /**
         * Whether to find the pages to reset with Linux's {@code PAGEMAP_SCAN} (Wasmtime's default:
         * {@link PagemapScan#NO}).
         *
         * @param mode the mode
         * @return this builder
         * @throws NullPointerException if {@code mode} is null
         */
        public Builder pagemapScan(PagemapScan mode) {
            limits[Abi.POOL_PAGEMAP_SCAN] = mode.ordinal();
            return this;
        }

        private Builder setSize(int i, long value, String what) {
            if (value < 0) {
                throw new IllegalArgumentException(what + " must not be negative, got " + value);
            }
            limits[i] = value;
            return this;
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
