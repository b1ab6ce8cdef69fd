package dev.wasmbridge.wasi;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a WebAssembly program sees of the world through WASI (preview 1 for modules, 0.2 for
 * components): its arguments, its environment, its stdin, stdout and stderr, the host directories it
 * may use, and for components the network addresses it may reach. Built with {@link #builder()} and
 * given to a store with {@code Store.setWasi}; a module importing WASI is then instantiated through a
 * linker that has {@code Linker.defineWasi()}, a component through a {@code ComponentLinker} that
 * has {@code defineWasi()}. The store's modules and components share one stdin, stdout and stderr.
 *
 * <p>The default grants nothing: no arguments, no environment, stdin at end of file, output
 * discarded, no directories, no network. The guest can reach exactly what is configured here and
 * nothing more: paths are resolved inside the preopened directories, and {@code ..}, absolute paths
 * and symbolic links that lead outside them are refused; every address a WASI 0.2 socket binds,
 * connects or sends to must be on the network allow-list ({@link Builder#allowNetwork(String,
 * int)}), and names resolve only with {@link Builder#allowNameLookup(boolean)}. The clocks ({@code
 * wasi:clocks}: wall clock and monotonic clock) are the host's. Preview 1 has no sockets of its own.
 *
 * <p>Thread safety: immutable, and may be given to any number of stores (a configured Java stream is
 * then shared by them, so it must cope with that); the builder is not thread-safe.
 */
public final class WasiConfig {
    /**
     * The most bytes {@link Builder#captureStdout()} and {@link Builder#captureStderr()} keep (64
     * MiB); once the limit is reached the guest's writes fail with an I/O error.
     */
    public static final int DEFAULT_CAPTURE_LIMIT = 64 << 20;

    /**
     * Where one of the standard streams comes from or goes to.
     *
     * <p>Thread safety: an immutable enum.
     */
    public enum StreamMode {
        /** Nothing: stdin is at end of file, and output is discarded. The default. */
        NONE,
        /**
         * The JVM process's own stdin, stdout or stderr (file descriptors 0, 1, 2). A descriptor
         * that was closed when the process started is not inherited, whatever the JVM opened there
         * since (its module image, a jar of the class path): the guest reads end of file, or its
         * output is discarded, as with Wasmtime's command line, which reopens a closed standard
         * descriptor on {@code /dev/null}.
         */
        INHERIT,
        /** In memory: stdin reads a byte array; stdout or stderr is captured for {@code Store}. */
        MEMORY,
        /** A Java {@link InputStream} or {@link OutputStream}. */
        STREAM
    }

    /**
     * A host directory the guest may use, under a name of the guest's.
     *
     * <p>Thread safety: immutable.
     *
     * @param hostPath the directory on the host, absolute
     * @param guestPath the name the guest uses for it, for example {@code /data} or {@code .}
     * @param readOnly whether the guest is refused every change to it (creating, writing, renaming,
     *     deleting)
     */
    public record Preopen(Path hostPath, String guestPath, boolean readOnly) {
        /**
         * Checks the parts.
         *
         * @param hostPath the directory on the host, absolute
         * @param guestPath the name the guest uses for it
         * @param readOnly whether the guest may not change it
         * @throws NullPointerException if a path is null
         * @throws IllegalArgumentException if {@code hostPath} is relative or not on the default file
         *     system, or {@code guestPath} is empty or holds a NUL character
         */
        public Preopen {
            Objects.requireNonNull(hostPath, "hostPath");
            Objects.requireNonNull(guestPath, "guestPath");
            if (hostPath.getFileSystem() != FileSystems.getDefault() || !hostPath.isAbsolute()) {
                throw new IllegalArgumentException(
                        "the host path must be an absolute path of the default file system: " + hostPath);
            }
            if (guestPath.isEmpty()) {
                throw new IllegalArgumentException("the guest path must not be empty");
            }
            checkNoNul(guestPath, "guest path");
        }
    }

    /**
     * One entry of the network allow-list: the addresses of a network, on one port or on all.
     *
     * <p>Thread safety: immutable.
     *
     * @param network an IPv4 or IPv6 address ({@code 127.0.0.1}, {@code ::1}), or a network in CIDR
     *     notation ({@code 10.0.0.0/8}, {@code fd00::/8}); names are not accepted. An IPv4-mapped
     *     IPv6 address the guest uses counts as its IPv4 address.
     * @param port the port, 0 to 65535, or {@link #ANY_PORT}
     */
    public record NetworkRule(String network, int port) {
        /** The {@code port} that allows every port. */
        public static final int ANY_PORT = -1;

        /**
         * Checks the parts. The address itself is parsed by {@code Store.setWasi}, which throws
         * {@link IllegalArgumentException} naming the entry if it is not an IP address or network.
         *
         * @param network the address or network
         * @param port the port or {@link #ANY_PORT}
         * @throws NullPointerException if {@code network} is null
         * @throws IllegalArgumentException if {@code port} is out of range, or {@code network} holds
         *     a character no IP address or CIDR network has (a host name, for example)
         */
        public NetworkRule {
            Objects.requireNonNull(network, "network");
            if (network.isEmpty() || !network.chars().allMatch(c -> c < 128
                    && (Character.digit(c, 16) >= 0 || c == '.' || c == ':' || c == '/'))) {
                throw new IllegalArgumentException("not an IP address or CIDR network: '" + network + "'");
            }
            if (port != ANY_PORT && (port < 0 || port > 65535)) {
                throw new IllegalArgumentException("port must be 0 to 65535 or ANY_PORT, got " + port);
            }
        }
    }

    private final List<String> args;
    private final Map<String, String> env;
    private final boolean inheritEnv;
    private final StreamMode stdinMode;
    private final byte[] stdinBytes;
    private final InputStream stdinStream;
    private final StreamMode stdoutMode;
    private final OutputStream stdoutStream;
    private final int stdoutCaptureLimit;
    private final StreamMode stderrMode;
    private final OutputStream stderrStream;
    private final int stderrCaptureLimit;
    private final List<Preopen> preopens;
    private final List<NetworkRule> network;
    private final boolean nameLookup;
    private final boolean tcp;
    private final boolean udp;

    private WasiConfig(Builder b) {
        this.args = Collections.unmodifiableList(new ArrayList<>(b.args));
        this.env = Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
        this.inheritEnv = b.inheritEnv;
        this.stdinMode = b.stdinMode;
        this.stdinBytes = b.stdinBytes;
        this.stdinStream = b.stdinStream;
        this.stdoutMode = b.stdoutMode;
        this.stdoutStream = b.stdoutStream;
        this.stdoutCaptureLimit = b.stdoutCaptureLimit;
        this.stderrMode = b.stderrMode;
        this.stderrStream = b.stderrStream;
        this.stderrCaptureLimit = b.stderrCaptureLimit;
        this.preopens = Collections.unmodifiableList(new ArrayList<>(b.preopens));
        this.network = Collections.unmodifiableList(new ArrayList<>(b.network));
        this.nameLookup = b.nameLookup;
        this.tcp = b.tcp;
        this.udp = b.udp;
    }

    /**
     * A builder granting nothing yet.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The configuration that grants nothing, which is also what a store that never had {@code
     * setWasi} gets.
     *
     * @return the configuration {@code builder().build()} gives
     */
    public static WasiConfig defaults() {
        return builder().build();
    }

    /**
     * The program's arguments, its name first ({@code argv[0]}).
     *
     * @return an unmodifiable list, empty by default
     */
    public List<String> args() {
        return args;
    }

    /**
     * The environment variables set explicitly, in the order first set; with {@link #inheritEnv()}
     * they win over inherited variables of the same name.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> env() {
        return env;
    }

    /**
     * Whether the guest also sees the JVM process's environment variables.
     *
     * @return true if inherited
     */
    public boolean inheritEnv() {
        return inheritEnv;
    }

    /**
     * Where stdin comes from.
     *
     * @return the mode
     */
    public StreamMode stdinMode() {
        return stdinMode;
    }

    /**
     * The bytes stdin reads, in {@link StreamMode#MEMORY} mode.
     *
     * @return a copy of the bytes, or null in other modes
     */
    public byte[] stdinBytes() {
        return stdinBytes == null ? null : stdinBytes.clone();
    }

    /**
     * The stream stdin reads, in {@link StreamMode#STREAM} mode.
     *
     * @return the stream, or null in other modes
     */
    public InputStream stdinStream() {
        return stdinStream;
    }

    /**
     * Where stdout goes.
     *
     * @return the mode
     */
    public StreamMode stdoutMode() {
        return stdoutMode;
    }

    /**
     * The stream stdout writes to, in {@link StreamMode#STREAM} mode.
     *
     * @return the stream, or null in other modes
     */
    public OutputStream stdoutStream() {
        return stdoutStream;
    }

    /**
     * The most stdout bytes kept in {@link StreamMode#MEMORY} mode.
     *
     * @return the limit in bytes, or 0 in other modes
     */
    public int stdoutCaptureLimit() {
        return stdoutCaptureLimit;
    }

    /**
     * Where stderr goes.
     *
     * @return the mode
     */
    public StreamMode stderrMode() {
        return stderrMode;
    }

    /**
     * The stream stderr writes to, in {@link StreamMode#STREAM} mode.
     *
     * @return the stream, or null in other modes
     */
    public OutputStream stderrStream() {
        return stderrStream;
    }

    /**
     * The most stderr bytes kept in {@link StreamMode#MEMORY} mode.
     *
     * @return the limit in bytes, or 0 in other modes
     */
    public int stderrCaptureLimit() {
        return stderrCaptureLimit;
    }

    /**
     * The host directories the guest may use, in the order given.
     *
     * @return an unmodifiable list
     */
    public List<Preopen> preopens() {
        return preopens;
    }

    /**
     * The network allow-list of WASI 0.2 sockets, in the order given; empty: no network.
     *
     * @return an unmodifiable list
     */
    public List<NetworkRule> network() {
        return network;
    }

    /**
     * Whether {@code wasi:sockets/ip-name-lookup} may resolve host names (through the host's
     * resolver). Resolving a name does not allow connecting to its addresses: that is the
     * allow-list's business.
     *
     * @return whether name lookup is allowed (default: false)
     */
    public boolean nameLookup() {
        return nameLookup;
    }

    /**
     * Whether TCP sockets may be used on the allowed network ({@link Builder#allowTcp(boolean)}).
     *
     * @return whether TCP is allowed (default: true; without an allowed network there is none)
     */
    public boolean tcp() {
        return tcp;
    }

    /**
     * Whether UDP sockets may be used on the allowed network ({@link Builder#allowUdp(boolean)}).
     *
     * @return whether UDP is allowed (default: true; without an allowed network there is none)
     */
    public boolean udp() {
        return udp;
    }

    private static void checkNoNul(String s, String what) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " must not contain a NUL character");
        }
    }

    /**
     * Builds a {@link WasiConfig}; each method returns the builder, and a later call for the same
     * stream replaces an earlier one.
     *
     * <p>Java streams given here are called while the guest's WASI call runs, on the thread running
     * the wasm code: an {@link java.io.IOException} they throw fails that WASI call with an I/O error
     * (the guest sees {@code EIO} and decides what to do); any other exception ends the wasm call and
     * reaches its Java caller as itself. They must not use the store they serve (that is an {@link
     * IllegalStateException}); wasmbridge never closes them.
     *
     * <p>Thread safety: not thread-safe; build on one thread.
     */
    public static final class Builder {
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private boolean inheritEnv;
        private StreamMode stdinMode = StreamMode.NONE;
        private byte[] stdinBytes;
        private InputStream stdinStream;
        private StreamMode stdoutMode = StreamMode.NONE;
        private OutputStream stdoutStream;
        private int stdoutCaptureLimit;
        private StreamMode stderrMode = StreamMode.NONE;
        private OutputStream stderrStream;
        private int stderrCaptureLimit;
        private final List<Preopen> preopens = new ArrayList<>();
        private final List<NetworkRule> network = new ArrayList<>();
        private boolean nameLookup;
        private boolean tcp = true;
        private boolean udp = true;

        private Builder() {
        }

        /**
         * Sets the program's arguments, replacing earlier ones. By convention the first is the
         * program's name ({@code argv[0]}).
         *
         * @param args the arguments
         * @return this builder
         * @throws NullPointerException if {@code args} or one of them is null
         * @throws IllegalArgumentException if an argument holds a NUL character
         */
        public Builder args(String... args) {
            return args(Arrays.asList(Objects.requireNonNull(args, "args")));
        }

        /**
         * Sets the program's arguments, replacing earlier ones. By convention the first is the
         * program's name ({@code argv[0]}).
         *
         * @param args the arguments
         * @return this builder
         * @throws NullPointerException if {@code args} or one of them is null
         * @throws IllegalArgumentException if an argument holds a NUL character
         */
        public Builder args(List<String> args) {
            Objects.requireNonNull(args, "args");
            List<String> checked = new ArrayList<>(args.size());
            for (String a : args) {
                checkNoNul(Objects.requireNonNull(a, "argument"), "an argument");
                checked.add(a);
            }
            this.args.clear();
            this.args.addAll(checked);
            return this;
        }

        /**
         * Sets an environment variable; setting the same name again replaces its value. An explicit
         * variable wins over an inherited one of the same name ({@link #inheritEnv()}).
         *
         * @param name the name: not empty, without {@code =}
         * @param value the value
         * @return this builder
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if the name is empty or holds {@code =}, or either holds a
         *     NUL character
         */
        public Builder env(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty() || name.indexOf('=') >= 0) {
                throw new IllegalArgumentException("bad environment variable name: \"" + name + "\"");
            }
            checkNoNul(name, "an environment variable name");
            checkNoNul(value, "an environment variable value");
            env.put(name, value);
            return this;
        }

        /**
         * Lets the guest also see the JVM process's environment variables (those that are valid
         * UTF-8), as they are when {@code Store.setWasi} runs.
         *
         * @return this builder
         */
        public Builder inheritEnv() {
            this.inheritEnv = true;
            return this;
        }

        /**
         * Makes stdin read these bytes, then reach end of file.
         *
         * @param bytes the input; copied
         * @return this builder
         * @throws NullPointerException if {@code bytes} is null
         */
        public Builder stdin(byte[] bytes) {
            this.stdinBytes = Objects.requireNonNull(bytes, "bytes").clone();
            this.stdinStream = null;
            this.stdinMode = StreamMode.MEMORY;
            return this;
        }

        /**
         * Makes stdin read from a Java stream (through {@link InputStream#read(byte[], int, int)};
         * {@code -1} is end of file; an {@code IOException} is an I/O error for the guest).
         *
         * <p>The reads run on a daemon thread of wasmbridge's ({@code wasmbridge-stdin}, one per
         * stream while it is being read, gone after a second without reads), not on the thread that
         * called into wasm: a guest waiting for a stream that does not answer still stops at the
         * store's deadline or {@link dev.wasmbridge.Store#interrupt()} (its call ends with {@code
         * TrapCode.INTERRUPT}). Bytes the stream returns after that are kept for the guest's next
         * read, not lost; a read blocked in the stream itself goes on until the stream answers.
         *
         * @param stream the stream; not closed by wasmbridge
         * @return this builder
         * @throws NullPointerException if {@code stream} is null
         */
        public Builder stdin(InputStream stream) {
            this.stdinStream = Objects.requireNonNull(stream, "stream");
            this.stdinBytes = null;
            this.stdinMode = StreamMode.STREAM;
            return this;
        }

        /**
         * Makes stdin read the JVM process's own standard input (file descriptor 0, not {@link
         * System#in}); if that was closed when the process started, the guest reads end of file
         * ({@link StreamMode#INHERIT}).
         *
         * @return this builder
         */
        public Builder inheritStdin() {
            this.stdinStream = null;
            this.stdinBytes = null;
            this.stdinMode = StreamMode.INHERIT;
            return this;
        }

        /**
         * Makes stdout write to a Java stream ({@link OutputStream#write(byte[], int, int)}, then
         * {@link OutputStream#flush()} after each write of the guest).
         *
         * @param stream the stream; not closed by wasmbridge
         * @return this builder
         * @throws NullPointerException if {@code stream} is null
         */
        public Builder stdout(OutputStream stream) {
            this.stdoutStream = Objects.requireNonNull(stream, "stream");
            this.stdoutMode = StreamMode.STREAM;
            this.stdoutCaptureLimit = 0;
            return this;
        }

        /**
         * Captures stdout in memory, up to {@link WasiConfig#DEFAULT_CAPTURE_LIMIT} bytes, for {@code
         * Store.capturedStdout()}.
         *
         * @return this builder
         */
        public Builder captureStdout() {
            return captureStdout(DEFAULT_CAPTURE_LIMIT);
        }

        /**
         * Captures stdout in memory for {@code Store.capturedStdout()}, up to a limit: once it is
         * reached, the guest's writes fail with an I/O error.
         *
         * @param maxBytes the most bytes kept, at least 0
         * @return this builder
         * @throws IllegalArgumentException if {@code maxBytes} is negative
         */
        public Builder captureStdout(int maxBytes) {
            this.stdoutCaptureLimit = checkLimit(maxBytes);
            this.stdoutStream = null;
            this.stdoutMode = StreamMode.MEMORY;
            return this;
        }

        /**
         * Makes stdout write to the JVM process's own standard output (file descriptor 1, not
         * {@link System#out}); if that was closed when the process started, the output is discarded
         * ({@link StreamMode#INHERIT}).
         *
         * @return this builder
         */
        public Builder inheritStdout() {
            this.stdoutStream = null;
            this.stdoutCaptureLimit = 0;
            this.stdoutMode = StreamMode.INHERIT;
            return this;
        }

        /**
         * Makes stderr write to a Java stream ({@link OutputStream#write(byte[], int, int)}, then
         * {@link OutputStream#flush()} after each write of the guest).
         *
         * @param stream the stream; not closed by wasmbridge
         * @return this builder
         * @throws NullPointerException if {@code stream} is null
         */
        public Builder stderr(OutputStream stream) {
            this.stderrStream = Objects.requireNonNull(stream, "stream");
            this.stderrMode = StreamMode.STREAM;
            this.stderrCaptureLimit = 0;
            return this;
        }

        /**
         * Captures stderr in memory, up to {@link WasiConfig#DEFAULT_CAPTURE_LIMIT} bytes, for {@code
         * Store.capturedStderr()}.
         *
         * @return this builder
         */
        public Builder captureStderr() {
            return captureStderr(DEFAULT_CAPTURE_LIMIT);
        }

        /**
         * Captures stderr in memory for {@code Store.capturedStderr()}, up to a limit: once it is
         * reached, the guest's writes fail with an I/O error.
         *
         * @param maxBytes the most bytes kept, at least 0
         * @return this builder
         * @throws IllegalArgumentException if {@code maxBytes} is negative
         */
        public Builder captureStderr(int maxBytes) {
            this.stderrCaptureLimit = checkLimit(maxBytes);
            this.stderrStream = null;
            this.stderrMode = StreamMode.MEMORY;
            return this;
        }

        /**
         * Makes stderr write to the JVM process's own standard error (file descriptor 2, not
         * {@link System#err}); if that was closed when the process started, the output is discarded
         * ({@link StreamMode#INHERIT}).
         *
         * @return this builder
         */
        public Builder inheritStderr() {
            this.stderrStream = null;
            this.stderrCaptureLimit = 0;
            this.stderrMode = StreamMode.INHERIT;
            return this;
        }

        /**
         * Lets the guest use a host directory, and everything below it, under the name {@code guest}.
         * The guest cannot leave it: {@code ..}, absolute paths and symbolic links pointing outside
         * are refused. The directory is opened by {@code Store.setWasi}.
         *
         * @param host the directory on the host (a relative path is taken against the current
         *     directory)
         * @param guest the name the guest uses for it, for example {@code /data} or {@code .}
         * @param readOnly whether every change (creating, writing, renaming, deleting) is refused
         * @return this builder
         * @throws NullPointerException if {@code host} or {@code guest} is null
         * @throws IllegalArgumentException if {@code host} is not on the default file system, or
         *     {@code guest} is empty or holds a NUL character
         */
        public Builder preopenDir(Path host, String guest, boolean readOnly) {
            Objects.requireNonNull(host, "host");
            if (host.getFileSystem() != FileSystems.getDefault()) {
                throw new IllegalArgumentException("the host path must be on the default file system: " + host);
            }
            preopens.add(new Preopen(host.toAbsolutePath(), guest, readOnly));
            return this;
        }

        /**
         * Lets a component's WASI 0.2 sockets (TCP and UDP) bind, connect and send to the addresses
         * of {@code network} on {@code port}. Each call adds to the allow-list; an address is
         * allowed if any entry allows it. Without an entry the guest has no network at all.
         *
         * @param network an IPv4 or IPv6 address, or a CIDR network ({@code 10.0.0.0/8})
         * @param port the port (0 to 65535), or {@link NetworkRule#ANY_PORT}
         * @return this builder
         * @throws NullPointerException if {@code network} is null
         * @throws IllegalArgumentException as {@link NetworkRule#NetworkRule(String, int)}
         */
        public Builder allowNetwork(String network, int port) {
            this.network.add(new NetworkRule(network, port));
            return this;
        }

        /**
         * Lets a component's WASI 0.2 sockets use every port of the addresses of {@code network}:
         * {@code allowNetwork(network, NetworkRule.ANY_PORT)}.
         *
         * @param network an IPv4 or IPv6 address, or a CIDR network
         * @return this builder
         * @throws NullPointerException if {@code network} is null
         * @throws IllegalArgumentException as {@link NetworkRule#NetworkRule(String, int)}
         */
        public Builder allowNetwork(String network) {
            return allowNetwork(network, NetworkRule.ANY_PORT);
        }

        /**
         * Sets whether a component may resolve host names ({@code wasi:sockets/ip-name-lookup})
         * through the host's resolver; off by default.
         *
         * @param allowed whether name lookup is allowed
         * @return this builder
         */
        public Builder allowNameLookup(boolean allowed) {
            this.nameLookup = allowed;
            return this;
        }

        /**
         * Sets whether a component may use TCP sockets on the network {@link #allowNetwork(String,
         * int)} allows (default true, as in Wasmtime's {@code -S tcp}); with false, creating one
         * fails with {@code access-denied}. Without an allowed network there are no sockets either
         * way.
         *
         * @param allowed whether TCP is allowed
         * @return this builder
         */
        public Builder allowTcp(boolean allowed) {
            this.tcp = allowed;
            return this;
        }

        /**
         * Sets whether a component may use UDP sockets on the allowed network (default true, as in
         * Wasmtime's {@code -S udp}); see {@link #allowTcp(boolean)}.
         *
         * @param allowed whether UDP is allowed
         * @return this builder
         */
        public Builder allowUdp(boolean allowed) {
            this.udp = allowed;
            return this;
        }

        private static int checkLimit(int maxBytes) {
            if (maxBytes < 0) {
                throw new IllegalArgumentException("capture limit must not be negative, got " + maxBytes);
            }
            return maxBytes;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         */
        public WasiConfig build() {
            return new WasiConfig(this);
        }
    }
}
