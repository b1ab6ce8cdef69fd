package dev.wasmbridge.examples.httpservice;

import java.util.function.IntUnaryOperator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.Instance;
import dev.wasmbridge.InstancePre;
import dev.wasmbridge.LinkException;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Memory;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.StoreLimits;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.ValType;
import dev.wasmbridge.WasmException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * An HTTP service that answers each request by running a WebAssembly plugin, written by someone else,
 * in a sandbox of its own: {@code POST /plugins/NAME} with the request body as input.
 *
 * <p>The shape a service wants: one {@link Engine} (with fuel and epoch interruption), one {@link
 * Linker} (with the host function {@code env.log}) and one {@link InstancePre} per plugin, all
 * shared by the request threads; per request a fresh {@link Store} with {@link StoreLimits}, fuel and
 * a deadline, closed when the answer is out. Whatever a plugin does (loop forever, take memory without
 * bound, trap), the request ends within the deadline with an error status and the other requests are
 * unaffected.
 *
 * <p>The plugin contract: the module exports its {@code memory}, {@code alloc(len: i32) -> i32}
 * (room for the request body, 0 if there is none) and {@code handle(ptr: i32, len: i32) -> i64}
 * (the response's address in the high 32 bits, its length in the low 32). It may import {@code
 * env.log(ptr: i32, len: i32)}, whose lines come back in the {@code X-Plugin-Log} response header.
 *
 * <p>Statuses: 200 with the plugin's response; 404 for an unknown plugin; 405 for a method other
 * than POST; 413 for a body over {@link Limits#maxRequestBytes()}; 503 when the plugin ran past its
 * deadline or its fuel; 507 when it trapped after reaching its memory limit; 500 when it trapped
 * otherwise or broke the contract. Error bodies are one line of text.
 *
 * <p>Thread safety: thread-safe; requests run concurrently on the service's worker threads.
 */
public final class PluginService implements AutoCloseable {
    private static final long PAGE = 65536;
    private static final FuncType LOG = FuncType.of(List.of(ValType.I32, ValType.I32), List.of());

    private final Limits limits;
    private final Engine engine;
    private final Linker linker;
    private final Map<String, Module> modules = new LinkedHashMap<>();
    private final Map<String, InstancePre> plugins = new LinkedHashMap<>();
    private final HttpServer server;
    private final ExecutorService workers;

    /**
     * The resources each request's plugin gets.
     *
     * @param deadline how long a plugin may run before it is stopped
     * @param fuel the fuel a plugin may burn (about one unit per wasm instruction)
     * @param memoryBytes the most linear memory a plugin may have
     * @param maxRequestBytes the largest request body accepted
     * @param maxResponseBytes the largest response a plugin may return
     * @param workers the number of threads serving requests
     */
    public record Limits(Duration deadline, long fuel, long memoryBytes, int maxRequestBytes, int maxResponseBytes, int workers) {
        /**
         * Checks the values.
         *
         * @param deadline how long a plugin may run before it is stopped
         * @param fuel the fuel a plugin may burn
         * @param memoryBytes the most linear memory a plugin may have
         * @param maxRequestBytes the largest request body accepted
         * @param maxResponseBytes the largest response a plugin may return
         * @param workers the number of threads serving requests
         * @throws NullPointerException if {@code deadline} is null
         * @throws IllegalArgumentException if a number is not positive
         */
        public Limits {
            Objects.requireNonNull(deadline, "deadline");
            if (deadline.isNegative() || deadline.isZero() || fuel <= 0 || memoryBytes <= 0 || maxRequestBytes <= 0
                    || maxResponseBytes <= 0 || workers <= 0) {
                throw new IllegalArgumentException("limits must be positive: " + deadline + ", " + fuel + ", " + memoryBytes
                        + ", " + maxRequestBytes + ", " + maxResponseBytes + ", " + workers);
            }
        }

        /**
         * The defaults: a 250 ms deadline, a billion units of fuel (a backstop: about a second of
         * wasm), 16 MiB of memory, 64 KiB requests, 1 MiB responses, 16 workers.
         *
         * @return the default limits
         */
        public static Limits defaults() {
            return new Limits(Duration.ofMillis(250), 1_000_000_000L, 16L << 20, 64 << 10, 1 << 20, 16);
        }
    }

    private PluginService(InetSocketAddress address, Limits limits, Map<String, byte[]> binaries) throws IOException {
        this.limits = limits;
        // Wasm runs on the worker's stack: workers get 2 MiB stacks, wasm may use 256 KiB of them.
        this.engine = Engine.create(EngineConfig.builder().fuel(true).epochInterruption(true)
                .maxWasmStack(256 * 1024).build());
        this.linker = Linker.create(engine);
        try {
            linker.defineFunction("env", "log", LOG, (caller, args) -> {
                long ptr = Integer.toUnsignedLong((Integer) args[0]);
                long len = Integer.toUnsignedLong((Integer) args[1]);
                Memory memory = caller.memory("memory");
                // Guest pointers are checked before use: a bad one traps the plugin, not the service.
                if (len > 1024 || ptr + len > memory.byteSize()) {
                    throw new TrapException(TrapCode.MEMORY_OUT_OF_BOUNDS, "env.log: bad pointer or length");
                }
                @SuppressWarnings("unchecked")
                List<String> log = (List<String>) caller.data();
                log.add(new String(memory.read(ptr, (int) len), StandardCharsets.UTF_8));
                return null;
            });
            for (Map.Entry<String, byte[]> e : binaries.entrySet()) {
                Module module = Module.fromBytes(engine, e.getValue());
                modules.put(e.getKey(), module);
                plugins.put(e.getKey(), linker.prepare(module));
            }
        } catch (RuntimeException e) {
            closeWasm();
            throw e;
        }
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(limits.workers(), r -> {
            Thread t = new Thread(null, r, "plugin-worker-" + n.incrementAndGet(), 2 << 20);
            t.setDaemon(true);
            return t;
        });
        try {
            this.server = HttpServer.create(address, 128);
        } catch (IOException e) {
            workers.shutdown();
            closeWasm();
            throw e;
        }
        server.setExecutor(workers);
        server.createContext("/plugins/", this::serve);
        server.createContext("/health", exchange -> send(exchange, 200, "ok", null));
        server.start();
    }

    /**
     * Starts the service with the bundled plugins ({@code greet}, {@code loop}, {@code bomb}) and the
     * {@code .wat} and {@code .wasm} files of {@code pluginDirectory}, if given (named after the file).
     *
     * @param address where to listen (port 0 for any free port)
     * @param limits what each request's plugin may use
     * @param pluginDirectory more plugins, or null
     * @return the running service; close it to stop
     * @throws IOException if the server cannot listen or a plugin file cannot be read
     * @throws dev.wasmbridge.CompileException if a plugin is not a valid module
     * @throws LinkException if a plugin imports something other than {@code env.log}
     */
    public static PluginService start(InetSocketAddress address, Limits limits, Path pluginDirectory) throws IOException {
        Map<String, byte[]> binaries = new LinkedHashMap<>();
        for (String name : List.of("greet", "loop", "bomb")) {
            try (InputStream in = PluginService.class.getResourceAsStream("/plugins/" + name + ".wat")) {
                if (in == null) {
                    throw new IOException("bundled plugin " + name + " is missing");
                }
                binaries.put(name, Module.watToBinary(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        if (pluginDirectory != null) {
            try (Stream<Path> files = Files.list(pluginDirectory)) {
                for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                    String file = p.getFileName().toString();
                    if (file.endsWith(".wat")) {
                        binaries.put(file.substring(0, file.length() - 4), Module.watToBinary(Files.readString(p)));
                    } else if (file.endsWith(".wasm")) {
                        binaries.put(file.substring(0, file.length() - 5), Files.readAllBytes(p));
                    }
                }
            }
        }
        return new PluginService(address, limits, binaries);
    }

    /**
     * The port the service listens on.
     *
     * @return the port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * The names of the plugins the service runs.
     *
     * @return the names, in load order
     */
    public List<String> pluginNames() {
        return List.copyOf(plugins.keySet());
    }

    /**
     * A plugin's answer: an HTTP status, a body and the lines the plugin logged.
     *
     * @param status the HTTP status
     * @param body the body
     * @param log the plugin's {@code env.log} lines
     */
    public record Answer(int status, byte[] body, List<String> log) {
        /**
         * Copies the parts.
         *
         * @param status the HTTP status
         * @param body the body
         * @param log the plugin's log lines
         */
        public Answer {
            body = body.clone();
            log = List.copyOf(log);
        }

        /**
         * The body, which is always copied.
         *
         * @return a copy of the body
         */
        @Override
        public byte[] body() {
            return body.clone();
        }
    }

    /**
     * Runs plugin {@code name} on {@code request} in a fresh store, as a request to {@code POST
     * /plugins/NAME} does.
     *
     * @param name the plugin
     * @param request the request body
     * @return the answer (an error status when the plugin misbehaved)
     */
    public Answer run(String name, byte[] request) {
        InstancePre plugin = plugins.get(name);
        if (plugin == null) {
            return error(404, "no plugin named '" + name + "' (plugins: " + String.join(", ", plugins.keySet()) + ")", List.of());
        }
        if (request.length > limits.maxRequestBytes()) {
            return error(413, "request body over " + limits.maxRequestBytes() + " bytes", List.of());
        }
        List<String> log = new ArrayList<>();
        try (Store store = Store.create(engine, log)) {
            store.setLimits(StoreLimits.builder().memorySize(limits.memoryBytes()).tableElements(10_000).instances(1)
                    .tables(1).memories(1).build());
            store.setFuel(limits.fuel());
            store.setDeadline(limits.deadline());
            Memory memory = null;
            try {
                Instance instance = plugin.instantiate(store);
                memory = instance.memory("memory");
                int ptr = instance.function("alloc").as(IntUnaryOperator.class).applyAsInt(request.length);
                if (ptr == 0 || Integer.toUnsignedLong(ptr) + request.length > memory.byteSize()) {
                    return error(500, "plugin '" + name + "' has no room for a " + request.length + "-byte request", log);
                }
                memory.write(Integer.toUnsignedLong(ptr), request);
                long packed = instance.function("handle").callRaw(ptr, request.length)[0];
                long at = packed >>> 32;
                long length = packed & 0xFFFF_FFFFL;
                // The guest's numbers are checked before the host allocates or reads anything.
                if (length > limits.maxResponseBytes() || at + length > memory.byteSize()) {
                    return error(500, "plugin '" + name + "' returned a bad response (address " + at + ", length " + length + ")", log);
                }
                return new Answer(200, memory.read(at, (int) length), log);
            } catch (TrapException e) {
                if (e.code() == TrapCode.INTERRUPT) {
                    return error(503, "plugin '" + name + "' ran past its deadline of " + limits.deadline().toMillis() + " ms", log);
                }
                if (e.code() == TrapCode.OUT_OF_FUEL) {
                    return error(503, "plugin '" + name + "' used up its fuel (" + limits.fuel() + ")", log);
                }
                if (memory != null && memory.byteSize() + 16 * PAGE > limits.memoryBytes()) {
                    return error(507, String.format(Locale.ROOT, "plugin '%s' failed (%s) after reaching its memory limit"
                            + " (%.1f MiB in use, limit %.1f MiB)", name, e.code().description(), memory.byteSize() / 1048576.0,
                            limits.memoryBytes() / 1048576.0), log);
                }
                return error(500, "plugin '" + name + "' failed: " + e.code().description(), log);
            } catch (LinkException e) {
                return error(507, "plugin '" + name + "' needs more than its limits allow: " + e.getMessage(), log);
            } catch (WasmException | IllegalArgumentException | IndexOutOfBoundsException e) {
                // a missing export, a wrong signature, a host failure: the plugin broke the contract
                return error(500, "plugin '" + name + "' broke the contract: " + e.getMessage(), log);
            }
        }
    }

    private static Answer error(int status, String message, List<String> log) {
        return new Answer(status, (message + "\n").getBytes(StandardCharsets.UTF_8), log);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String name = exchange.getRequestURI().getPath().substring("/plugins/".length());
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Allow", "POST");
                send(exchange, 405, "use POST /plugins/NAME with the input as the body", null);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(limits.maxRequestBytes() + 1);
            }
            Answer answer = run(name, body);
            send(exchange, answer.status(), answer.body(), answer.log());
        } catch (RuntimeException e) {
            // never expected; the worker thread survives it and the client gets a 500
            send(exchange, 500, "internal error: " + e, null);
        }
    }

    private static void send(HttpExchange exchange, int status, String text, List<String> log) throws IOException {
        send(exchange, status, (text + "\n").getBytes(StandardCharsets.UTF_8), log);
    }

    private static void send(HttpExchange exchange, int status, byte[] body, List<String> log) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (log != null && !log.isEmpty()) {
            String joined = String.join(" | ", log).replaceAll("[\\r\\n]", " ");
            exchange.getResponseHeaders().set("X-Plugin-Log", joined.length() > 200 ? joined.substring(0, 200) : joined);
        }
        try {
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private void closeWasm() {
        plugins.values().forEach(InstancePre::close);
        modules.values().forEach(Module::close);
        linker.close();
        engine.close();
    }

    /**
     * Stops listening, waits up to a second for requests in progress, and frees the plugins.
     */
    @Override
    public void close() {
        server.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeWasm();
    }

    /**
     * Runs the service until the process is stopped.
     *
     * <p>Arguments: {@code [--port N] [--plugins DIR]}; the port defaults to 8080 on the loopback
     * interface ({@code --host 0.0.0.0} to listen on all).
     *
     * @param args the command line
     * @throws IOException if the server cannot start
     */
    public static void main(String[] args) throws IOException {
        int port = 8080;
        String host = "127.0.0.1";
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port":
                    port = Integer.parseInt(args[++i]);
                    break;
                case "--host":
                    host = args[++i];
                    break;
                case "--plugins":
                    dir = Path.of(args[++i]);
                    break;
                default:
                    System.err.println("usage: PluginService [--port N] [--host ADDRESS] [--plugins DIR]");
                    System.exit(2);
                    return;
            }
        }
        PluginService service = start(new InetSocketAddress(host, port), Limits.defaults(), dir);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "shutdown"));
        String base = "http://" + host + ":" + service.port();
        System.out.println("wasmbridge plugin service on " + base + ", plugins " + service.pluginNames());
        System.out.println("  curl -d Alice " + base + "/plugins/greet    # 200 Hello, Alice!");
        System.out.println("  curl -d x " + base + "/plugins/loop         # 503 after the 250 ms deadline");
        System.out.println("  curl -d x " + base + "/plugins/bomb         # 507 at the 16 MiB memory limit");
    }
}
