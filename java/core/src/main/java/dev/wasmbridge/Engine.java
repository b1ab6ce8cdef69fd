package dev.wasmbridge;

import dev.wasmbridge.internal.Handle;
import java.util.Objects;

/**
 * The compiler and runtime settings that modules and stores are created from (Wasmtime's
 * {@code Engine}). Create one per application and share it.
 *
 * <p>Closing the engine releases this handle only: modules, stores and linkers created from it keep
 * working until they are closed themselves. Creating new objects from a closed engine is an
 * {@link IllegalStateException}.
 *
 * <p>Thread safety: thread-safe; share one engine across threads.
 */
public final class Engine implements AutoCloseable {
    private final Handle handle;
    private final EngineConfig config;

    private Engine(EngineConfig config) {
        this.config = config;
        long ptr = Native.engineNew(config.optLevel().ordinal(), config.fuel(), config.epochInterruption(),
                config.maxWasmStack(), config.parallelCompilation(), config.signalsBasedTraps(),
                config.pooling().map(PoolingConfig::limits).orElse(null), config.memoryReservation(),
                config.memoryGuardSize(), config.cacheMode(), config.cachePath());
        this.handle = new Handle(this, ptr, Native::engineFree, "Engine");
    }

    /**
     * The version of Wasmtime inside this wasmbridge (for example {@code 48.0.8}): what precompiled
     * modules and components must have been made with, and what to compare with {@code wasmtime
     * --version}.
     *
     * <p>Thread safety: safe from any thread.
     *
     * @return the version, three dot-separated numbers
     * @throws UnsatisfiedLinkError if the native library cannot be loaded on this platform
     */
    public static String wasmtimeVersion() {
        return Native.wasmtimeVersion();
    }

    /**
     * Creates an engine with the default configuration.
     *
     * @return a new engine
     * @throws UnsatisfiedLinkError if the native library cannot be loaded on this platform
     */
    public static Engine create() {
        return new Engine(EngineConfig.defaults());
    }

    /**
     * Creates an engine with the given configuration.
     *
     * @param config the settings
     * @return a new engine
     * @throws NullPointerException if {@code config} is null
     * @throws IllegalArgumentException if Wasmtime rejects the combination of settings
     * @throws UnsatisfiedLinkError if the native library cannot be loaded on this platform
     */
    public static Engine create(EngineConfig config) {
        return new Engine(Objects.requireNonNull(config, "config"));
    }

    /**
     * The settings this engine was created with.
     *
     * @return the configuration
     */
    public EngineConfig config() {
        return config;
    }

    long acquire() {
        return handle.acquire();
    }

    void release() {
        handle.release();
    }

    /**
     * Releases this engine handle. Idempotent. Objects created from the engine stay usable.
     */
    @Override
    public void close() {
        handle.close();
    }
}
