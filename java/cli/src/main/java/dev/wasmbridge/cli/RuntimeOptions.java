package dev.wasmbridge.cli;

import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.OptLevel;
import dev.wasmbridge.PoolingConfig;
import dev.wasmbridge.Store;
import dev.wasmbridge.StoreLimits;
import dev.wasmbridge.wasi.WasiConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options {@code run} and {@code serve} share (a picocli mixin), as Wasmtime's commands share them:
 * {@code --dir}, {@code --env}, {@code --fuel}, {@code --timeout} and the groups {@code -C}, {@code -O},
 * {@code -W} and {@code -S}; and what they make of them: the engine's settings, each store's limits, the
 * WASI configuration's environment, directories and network.
 */
final class RuntimeOptions {
    @Option(names = "--dir", order = 1, paramLabel = "HOST[::GUEST]", converter = DirMapping.Converter.class,
            description = "Give the program the host directory HOST (read and write), under the path GUEST "
                    + "(default: HOST as written). Repeatable.")
    List<DirMapping> dirs = new ArrayList<>();

    @Option(names = "--env", order = 2, paramLabel = "NAME[=VALUE]", converter = EnvVar.Converter.class,
            description = "Set an environment variable for the program; NAME alone passes this process's value "
                    + "(nothing when it has none, as with Wasmtime). Repeatable.")
    List<EnvVar> env = new ArrayList<>();

    @Option(names = "--fuel", order = 4, paramLabel = "N",
            description = "Stop the program with a trap after about N WebAssembly instructions.")
    Long fuel;

    @Option(names = "--timeout", order = 5, paramLabel = "DURATION", converter = Durations.class,
            description = "Stop the program with a trap after this long: " + Durations.HELP + ".")
    Duration timeout;

    @Option(names = "-C", order = 10, paramLabel = "KEY[=VALUE]", split = ",",
            description = "Compilation, as in Wasmtime: cache[=y|n] (default y: Wasmtime's compilation cache, in "
                    + "~/.cache/wasmtime unless ~/.config/wasmtime/config.toml says otherwise), cache-config=FILE "
                    + "(a Wasmtime cache configuration), parallel-compilation[=y|n] (default y). Repeatable.")
    List<String> codegen = new ArrayList<>();

    @Option(names = "-O", order = 11, paramLabel = "KEY=VALUE", split = ",",
            description = "Optimization, as in Wasmtime: pooling-allocator[=y|n] (instances from a pool of preallocated "
                    + "slots: default n for run, y for serve, as in Wasmtime), pooling-memory-keep-resident=BYTES and "
                    + "pooling-table-keep-resident=BYTES (how much of a freed slot stays mapped, reset in place; default "
                    + "0 for run, 1M and 64K for serve), pooling-pagemap-scan[=y|n|auto] (reset only the pages an "
                    + "instance wrote, found with Linux's PAGEMAP_SCAN; default n for run, auto for serve), "
                    + "opt-level=0|1|2|s (default 2; 1 is 2 here, as Cranelift has no separate level for it). "
                    + "Repeatable.")
    List<String> optimize = new ArrayList<>();

    @Option(names = "-W", order = 12, paramLabel = "KEY[=VALUE]", split = ",",
            description = "WebAssembly limits, as in Wasmtime: fuel=N and timeout=DURATION (as --fuel and --timeout), "
                    + "max-wasm-stack=BYTES, max-memory-size=BYTES (each memory; K, M, G suffixes), "
                    + "unknown-imports-trap[=y|n] (a module's import nothing provides is defined as a function "
                    + "that traps; also spelled trap-unknown-imports), unknown-imports-default[=y|n] (defined as "
                    + "returning zeros). Repeatable.")
    List<String> wasm = new ArrayList<>();

    @Option(names = "-S", order = 13, paramLabel = "KEY[=VALUE]", split = ",",
            description = "WASI, as in Wasmtime: inherit-env[=y|n] (pass this process's whole environment), "
                    + "inherit-network[=y|n] (components may use any address; default n: no network), "
                    + "allow-ip-name-lookup[=y|n], tcp[=y|n] and udp[=y|n] (default y, on an allowed network), "
                    + "preview2[=y] (WASI preview 1 on top of WASI 0.2, always so here). Repeatable.")
    List<String> wasi = new ArrayList<>();

    /** The keys of {@code -C}, with their help for the message that lists them. */
    private static final Map<String, String> CODEGEN = Map.of(
            "cache", "[=y|n]", "cache-config", "=FILE", "parallel-compilation", "[=y|n]");
    private static final Map<String, String> OPTIMIZE = Map.of("opt-level", "=0|1|2|s", "pooling-allocator", "[=y|n]",
            "pooling-memory-keep-resident", "=BYTES", "pooling-table-keep-resident", "=BYTES",
            "pooling-pagemap-scan", "[=y|n|auto]");
    static final Map<String, String> WASI = Map.of("inherit-env", "[=y|n]", "inherit-network", "[=y|n]",
            "allow-ip-name-lookup", "[=y|n]", "tcp", "[=y|n]", "udp", "[=y|n]", "preview2", "[=y]");
    private static final Map<String, String> WASM = Map.of(
            "fuel", "=N", "timeout", "=DURATION", "max-wasm-stack", "=BYTES", "max-memory-size", "=BYTES",
            "unknown-imports-trap", "[=y|n]", "trap-unknown-imports", "[=y|n]", "unknown-imports-default", "[=y|n]");

    OptionGroup c;
    OptionGroup o;
    OptionGroup w;
    OptionGroup sys;
    /** {@code -W max-memory-size}. */
    Optional<Long> maxMemory = Optional.empty();

    /**
     * Checks the options and reads the groups; {@code extraWasi} are the {@code -S} keys the command takes
     * beside the shared ones. Usage errors are {@link CliException}s.
     */
    void parse(Map<String, String> extraWasi) {
        if (fuel != null && fuel < 0) {
            throw CliException.usage("--fuel must not be negative, got " + fuel);
        }
        for (DirMapping d : dirs) {
            if (!Files.isDirectory(d.host())) {
                throw CliException.usage("--dir " + d.host() + ": no such directory");
            }
        }
        Map<String, String> wasiKeys = new HashMap<>(WASI);
        wasiKeys.putAll(extraWasi);
        c = new OptionGroup("-C", codegen, CODEGEN);
        o = new OptionGroup("-O", optimize, OPTIMIZE);
        w = new OptionGroup("-W", wasm, WASM);
        sys = new OptionGroup("-S", wasi, wasiKeys);
        if (!sys.bool("preview2").orElse(true)) {
            throw CliException.usage("-S preview2=n: wasmbridge always serves WASI preview 1 from its WASI 0.2 "
                    + "implementation (Wasmtime's default, -S preview2=y); there is no other");
        }
        w.number("fuel", false).ifPresent(n -> fuel = n);
        w.value("timeout").ifPresent(t -> timeout = duration("-W timeout", t));
        maxMemory = w.number("max-memory-size", true);
    }

    /**
     * The engine settings of the flags and of {@code -C}, {@code -O} and {@code -W}; {@code serving}: the
     * pooling allocator by default, with {@link PoolingConfig#forServing()}'s slots kept resident.
     */
    EngineConfig engineConfig(boolean serving) {
        EngineConfig.Builder b = EngineConfig.builder().fuel(fuel != null).epochInterruption(timeout != null);
        if (o.bool("pooling-allocator").orElse(serving)) {
            // Wasmtime's default limits.
            PoolingConfig.Builder pooling = serving ? PoolingConfig.forServing() : PoolingConfig.builder();
            o.number("pooling-memory-keep-resident", true).ifPresent(pooling::memoryKeepResident);
            o.number("pooling-table-keep-resident", true).ifPresent(pooling::tableKeepResident);
            if (o.has("pooling-pagemap-scan")) {
                pooling.pagemapScan(pagemapScan(o.raw("pooling-pagemap-scan")));
            }
            b.pooling(pooling.build());
        } else {
            for (String key : List.of("pooling-memory-keep-resident", "pooling-table-keep-resident",
                    "pooling-pagemap-scan")) {
                if (o.has(key)) {
                    throw CliException.usage("-O " + key + " needs the pooling allocator (-O pooling-allocator)");
                }
            }
        }
        Optional<String> cacheConfig = c.value("cache-config");
        if (c.bool("cache").orElse(true)) { // -C cache=n wins over -C cache-config, as in Wasmtime
            if (cacheConfig.isPresent()) {
                b.cacheConfigFile(Path.of(cacheConfig.get()));
            } else {
                b.defaultCache();
            }
        }
        c.bool("parallel-compilation").ifPresent(b::parallelCompilation);
        o.value("opt-level").ifPresent(level -> b.optLevel(optLevel(level)));
        w.number("max-wasm-stack", true).ifPresent(b::maxWasmStack);
        return b.build();
    }

    private static PoolingConfig.PagemapScan pagemapScan(String value) {
        switch (value == null ? "y" : value.toLowerCase(java.util.Locale.ROOT)) {
            case "y":
            case "yes":
            case "true":
                return PoolingConfig.PagemapScan.YES;
            case "n":
            case "no":
            case "false":
                return PoolingConfig.PagemapScan.NO;
            case "auto":
                return PoolingConfig.PagemapScan.AUTO;
            default:
                throw CliException.usage("-O pooling-pagemap-scan=" + value + ": expected y, n or auto");
        }
    }

    private static OptLevel optLevel(String level) {
        switch (level) {
            case "0":
                return OptLevel.NONE;
            case "1":
            case "2":
                return OptLevel.SPEED;
            case "s":
                return OptLevel.SPEED_AND_SIZE;
            default:
                throw CliException.usage("-O opt-level=" + level + ": expected 0, 1, 2 or s");
        }
    }

    /** The engine, or a usage error for settings it refuses (a cache configuration it cannot use). */
    static Engine engine(EngineConfig config) {
        try {
            return Engine.create(config);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, e.getMessage(), e);
        }
    }

    /** Fuel, the deadline and {@code -W max-memory-size} for {@code store}. */
    void limit(Store store) {
        if (fuel != null) {
            store.setFuel(fuel);
        }
        if (timeout != null) {
            store.setDeadline(timeout);
        }
        maxMemory.ifPresent(bytes -> store.setLimits(StoreLimits.builder().memorySize(bytes).build()));
    }

    static Duration duration(String what, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(what + "=" + text + ": " + e.getMessage());
        }
    }

    /**
     * Adds the shared options' part of a WASI configuration to {@code b}: the --env variables only, the --dir
     * directories, {@code -S inherit-env}, {@code inherit-network}, {@code allow-ip-name-lookup}, {@code tcp},
     * {@code udp}.
     */
    WasiConfig.Builder wasi(WasiConfig.Builder b) {
        for (EnvVar v : env) {
            if (v.value() == null) {
                continue; // NAME alone, not set here: skipped, as Wasmtime does
            }
            b.env(v.name(), v.value());
        }
        for (DirMapping d : dirs) {
            b.preopenDir(d.host(), d.guest(), false);
        }
        if (sys.bool("inherit-env").orElse(false)) {
            b.inheritEnv(); // the --env variables still win
        }
        if (sys.bool("inherit-network").orElse(false)) {
            b.allowNetwork("0.0.0.0/0").allowNetwork("::/0");
        }
        sys.bool("allow-ip-name-lookup").ifPresent(b::allowNameLookup);
        sys.bool("tcp").ifPresent(b::allowTcp);
        sys.bool("udp").ifPresent(b::allowUdp);
        return b;
    }
}
