package dev.wasmbridge;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings for an {@link Engine}, built with {@link #builder()}. Every module compiled by an engine
 * and every store created from it follows these settings.
 *
 * <p>Thread safety: immutable; the builder is not thread-safe.
 */
public final class EngineConfig {
    private final OptLevel optLevel;
    private final boolean fuel;
    private final boolean epochInterruption;
    private final long maxWasmStack;
    private final boolean parallelCompilation;
    private final boolean signalsBasedTraps;
    private final PoolingConfig pooling;
    private final long memoryReservation;
    private final long memoryGuardSize;
    private final int cacheMode;
    private final Path cachePath;

    private EngineConfig(Builder b) {
        this.optLevel = b.optLevel;
        this.fuel = b.fuel;
        this.epochInterruption = b.epochInterruption;
        this.maxWasmStack = b.maxWasmStack;
        this.parallelCompilation = b.parallelCompilation;
        this.signalsBasedTraps = b.signalsBasedTraps;
        this.pooling = b.pooling;
        this.memoryReservation = b.memoryReservation;
        this.memoryGuardSize = b.memoryGuardSize;
        this.cacheMode = b.cacheMode;
        this.cachePath = b.cachePath;
    }

    /**
     * A builder with Wasmtime's defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The default configuration.
     *
     * @return the configuration {@code builder().build()} gives
     */
    public static EngineConfig defaults() {
        return builder().build();
    }

    /**
     * The optimization level.
     *
     * @return the level
     */
    public OptLevel optLevel() {
        return optLevel;
    }

    /**
     * Whether wasm consumes fuel.
     *
     * @return true if fuel is on
     */
    public boolean fuel() {
        return fuel;
    }

    /**
     * Whether epoch interruption is compiled into wasm code.
     *
     * @return true if it is on
     */
    public boolean epochInterruption() {
        return epochInterruption;
    }

    /**
     * The maximum wasm stack in bytes, or 0 for Wasmtime's default (512 KiB).
     *
     * @return bytes, or 0
     */
    public long maxWasmStack() {
        return maxWasmStack;
    }

    /**
     * Whether functions are compiled in parallel.
     *
     * @return true if parallel
     */
    public boolean parallelCompilation() {
        return parallelCompilation;
    }

    /**
     * Whether traps are detected with signal handlers (faster code) or with explicit checks.
     *
     * @return true for signal-based traps
     */
    public boolean signalsBasedTraps() {
        return signalsBasedTraps;
    }

    /**
     * The pooling allocator's settings, if the engine uses it.
     *
     * @return the settings, or empty for on-demand allocation
     */
    public Optional<PoolingConfig> pooling() {
        return Optional.ofNullable(pooling);
    }

    /**
     * The virtual memory reserved for each linear memory, in bytes, or -1 for Wasmtime's default.
     *
     * @return bytes, or -1
     */
    public long memoryReservation() {
        return memoryReservation;
    }

    /**
     * The guard region after each linear memory, in bytes, or -1 for Wasmtime's default.
     *
     * @return bytes, or -1
     */
    public long memoryGuardSize() {
        return memoryGuardSize;
    }

    /**
     * The directory of the on-disk compilation cache, if one is set.
     *
     * @return the directory, or empty
     */
    public Optional<Path> cacheDirectory() {
        return cacheMode == Abi.CACHE_DIRECTORY ? Optional.of(cachePath) : Optional.empty();
    }

    /**
     * The Wasmtime cache configuration file of the on-disk compilation cache, if one is set.
     *
     * @return the file, or empty
     */
    public Optional<Path> cacheConfigFile() {
        return cacheMode == Abi.CACHE_CONFIG_FILE ? Optional.of(cachePath) : Optional.empty();
    }

    /**
     * Whether the engine uses Wasmtime's default compilation cache ({@link Builder#defaultCache()}).
     *
     * @return true if so
     */
    public boolean defaultCache() {
        return cacheMode == Abi.CACHE_DEFAULT;
    }

    /** The cache mode code ({@code Abi.CACHE_*}) for the native side. */
    int cacheMode() {
        return cacheMode;
    }

    /** The directory or configuration file of the cache, absolute, or null. */
    String cachePath() {
        return cachePath == null ? null : cachePath.toAbsolutePath().toString();
    }

    /**
     * Builds an {@link EngineConfig}; each setter returns the builder.
     *
     * <p>Thread safety: not thread-safe; build on one thread.
     */
    public static final class Builder {
        private OptLevel optLevel = OptLevel.SPEED;
        private boolean fuel;
        private boolean epochInterruption;
        private long maxWasmStack;
        private boolean parallelCompilation = true;
        private boolean signalsBasedTraps = true;
        private PoolingConfig pooling;
        private long memoryReservation = -1;
        private long memoryGuardSize = -1;
        private int cacheMode = Abi.CACHE_NONE;
        private Path cachePath;

        private Builder() {
        }

        /**
         * Uses the pooling instance allocator (default: allocate on demand). See {@link
         * PoolingConfig}.
         *
         * @param config the pool's limits, or null to allocate on demand
         * @return this builder
         */
        public Builder pooling(PoolingConfig config) {
            this.pooling = config;
            return this;
        }

        /**
         * Sets the virtual address space reserved for each linear memory (Wasmtime's default: 4 GiB
         * on 64-bit hosts, which lets compiled code skip bounds checks). Linear memory never moves in
         * wasmbridge, so a memory cannot grow beyond its reservation.
         *
         * @param bytes the reservation, not negative
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder memoryReservation(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("memory reservation must not be negative, got " + bytes);
            }
            this.memoryReservation = bytes;
            return this;
        }

        /**
         * Sets the size of the inaccessible guard region after each linear memory.
         *
         * @param bytes the guard size, not negative
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder memoryGuardSize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("memory guard size must not be negative, got " + bytes);
            }
            this.memoryGuardSize = bytes;
            return this;
        }

        /**
         * Keeps compiled code in this directory and reuses it when the same module is compiled
         * again with the same settings (Wasmtime's compilation cache). The directory must be
         * trusted: what it holds is loaded as machine code. Wasmtime keeps usage statistics and
         * cleans the directory on a low-priority background thread, which may still write in it
         * for a moment after the engine is closed; do not expect the directory to be quiet at that
         * point.
         *
         * <p>One cache setting holds: this replaces {@link #cacheConfigFile(Path)} and {@link
         * #defaultCache()}.
         *
         * @param directory the cache directory (created if missing), or null for no cache
         * @return this builder
         */
        public Builder cacheDirectory(Path directory) {
            return cache(directory == null ? Abi.CACHE_NONE : Abi.CACHE_DIRECTORY, directory);
        }

        /**
         * Uses Wasmtime's compilation cache as configured by {@code file}, a TOML file in the
         * format of {@code wasmtime --cache-config} (its {@code [cache]} table: {@code directory},
         * size limits, compression). The cache directory must be trusted, as for {@link
         * #cacheDirectory(Path)}. One cache setting holds: this replaces the others.
         *
         * @param file the configuration file, or null for no cache
         * @return this builder
         */
        public Builder cacheConfigFile(Path file) {
            return cache(file == null ? Abi.CACHE_NONE : Abi.CACHE_CONFIG_FILE, file);
        }

        /**
         * Uses Wasmtime's default compilation cache, as {@code wasmtime run} does: configured by
         * Wasmtime's per-user configuration file ({@code ~/.config/wasmtime/config.toml}) if it
         * exists, else kept in the per-user cache folder ({@code ~/.cache/wasmtime} on Linux).
         * Entries are keyed by the module and every compilation setting; one made by another
         * Wasmtime version or with other settings is not used, and one that does not load (cut
         * short or damaged) is compiled again. The folder must be trusted, as for {@link
         * #cacheDirectory(Path)}. One cache setting holds: this replaces the others.
         *
         * @return this builder
         */
        public Builder defaultCache() {
            return cache(Abi.CACHE_DEFAULT, null);
        }

        private Builder cache(int mode, Path path) {
            this.cacheMode = mode;
            this.cachePath = path;
            return this;
        }

        /**
         * Sets the optimization level (default {@link OptLevel#SPEED}).
         *
         * @param level the level
         * @return this builder
         * @throws NullPointerException if {@code level} is null
         */
        public Builder optLevel(OptLevel level) {
            this.optLevel = Objects.requireNonNull(level, "level");
            return this;
        }

        /**
         * Turns fuel consumption on or off (default off). With fuel on, every store starts with none
         * and must be given fuel before wasm runs.
         *
         * @param enabled whether wasm consumes fuel
         * @return this builder
         */
        public Builder fuel(boolean enabled) {
            this.fuel = enabled;
            return this;
        }

        /**
         * Turns epoch interruption on or off (default off); it lets a deadline stop running wasm.
         *
         * @param enabled whether epoch checks are compiled in
         * @return this builder
         */
        public Builder epochInterruption(boolean enabled) {
            this.epochInterruption = enabled;
            return this;
        }

        /**
         * Sets the maximum stack wasm may use, in bytes (default 512 KiB); deeper recursion traps with
         * {@link TrapCode#STACK_OVERFLOW}, on any thread, whatever its stack size.
         *
         * <p>The rule: a call into wasm runs on the calling thread's own stack when that stack still
         * has this many bytes free (plus about 160 KiB kept for the JVM's guard zones and the native
         * frames of the call); otherwise it runs on a private stack of the thread, mapped once per
         * thread with a guard region and reused, and every call back into Java (host functions, WASI
         * streams) switches back to the thread's own stack. Either way wasm's limit never reaches
         * the JVM's guard pages. The check costs a few compares per call; the switch, when needed, a
         * few nanoseconds more. A call nested in a host function of another store, with too little of
         * the private stack left, is refused with an {@link IllegalStateException} naming this setting.
         *
         * @param bytes the limit in bytes, greater than 0
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is not positive
         */
        public Builder maxWasmStack(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("max wasm stack must be positive, got " + bytes);
            }
            this.maxWasmStack = bytes;
            return this;
        }

        /**
         * Turns parallel compilation on or off (default on).
         *
         * @param enabled whether to compile functions on several threads
         * @return this builder
         */
        public Builder parallelCompilation(boolean enabled) {
            this.parallelCompilation = enabled;
            return this;
        }

        /**
         * Chooses how traps are detected (default: signal handlers). With {@code false}, Wasmtime
         * installs no signal handlers and compiled code checks bounds explicitly: slower, but no
         * interplay with the JVM's own SIGSEGV handling.
         *
         * @param enabled whether to use signal handlers
         * @return this builder
         */
        public Builder signalsBasedTraps(boolean enabled) {
            this.signalsBasedTraps = enabled;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         */
        public EngineConfig build() {
            return new EngineConfig(this);
        }
    }
}
