package dev.wasmbridge.cli;

import com.sun.net.httpserver.HttpServer;
import dev.wasmbridge.Engine;
import dev.wasmbridge.LinkException;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.http.OutgoingHttp;
import dev.wasmbridge.http.WasiHttpHandler;
import dev.wasmbridge.http.jdk.WasiHttpServerHandler;
import dev.wasmbridge.wasi.WasiConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wasmbridge serve}: serves HTTP with a component of the {@code wasi:http/proxy} world, as {@code wasmtime serve}. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        headerHeading = "%n",
        header = "Serves HTTP requests with a component exporting wasi:http/incoming-handler, as `wasmtime serve`.",
        synopsisHeading = "%nUsage: ",
        customSynopsis = "wasmbridge serve [OPTIONS] COMPONENT",
        descriptionHeading = "%n",
        description = {
            "Listens on --addr and calls the component's wasi:http/incoming-handler for each request, each in a "
                    + "fresh instance (a store of its own) on a thread of a pool, with the WASI 0.2 imports (--env, --dir, "
                    + "-S) and wasi:http; the guest's stdout and stderr go to this process's. Outgoing requests "
                    + "(wasi:http/outgoing-handler) go to any host, as with `wasmtime serve`, through the JDK's HTTP "
                    + "client (its proxy and TLS settings apply). --fuel, --timeout and -W apply to each request: a "
                    + "guest that runs out answers 500 (503 past its --timeout).",
            "",
            "Stops on Ctrl-C (SIGINT) or SIGTERM, finishing the requests in flight for up to a second.",
        },
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:stopped by a signal",
            "2:usage error; a component that is missing, invalid, not an HTTP handler, or needs other imports; "
                    + "an address that cannot be listened on",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  wasmbridge serve handler.wasm",
            "  wasmbridge serve --addr 127.0.0.1:8081 -W timeout=5s,max-memory-size=64M --env MODE=prod handler.wasm",
        })
final class ServeCommand extends ModuleCommand {
    /** The -S keys serve takes beside run's: {@code cli}, which Wasmtime needs for wasi:cli imports (always here). */
    private static final Map<String, String> SERVE_WASI = Map.of("cli", "[=y]");

    @Mixin
    RuntimeOptions options = new RuntimeOptions();

    @Option(names = "--addr", order = 0, paramLabel = "HOST:PORT",
            description = "The address to listen on (default: 0.0.0.0:8080, as Wasmtime).")
    String addr = "0.0.0.0:8080";

    @Option(names = "--threads", order = 20, paramLabel = "N",
            description = "How many requests run at once (default: 4 per processor, at least 8); more wait.")
    Integer threads;

    @Parameters(index = "0", paramLabel = "COMPONENT", description = "The component: .wasm, or component text.")
    Path file;

    /** Set by a test: called once the server listens, with its address. */
    java.util.function.Consumer<InetSocketAddress> onListening = a -> { };
    /** Counted down to stop the server (by the signal handler, or a test). */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    int execute() throws Exception {
        options.parse(SERVE_WASI);
        if (!options.sys.bool("cli").orElse(true)) {
            throw CliException.usage("-S cli=n: wasmbridge serve always provides the wasi:cli imports");
        }
        InetSocketAddress address = address(addr);
        int n = threads != null ? threads : Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        if (n < 1) {
            throw CliException.usage("--threads must be at least 1, got " + n);
        }
        WasiConfig.Builder base = options.wasi(WasiConfig.builder().inheritStdout().inheritStderr());
        WasiConfig wasi;
        try {
            wasi = base.build();
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, e.getMessage(), e);
        }
        // Each piece of a response is flushed as the guest writes it: without TCP_NODELAY the last one waits
        // for the client's delayed acknowledgement (about 40 ms a request on Linux).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try (Engine engine = RuntimeOptions.engine(options.engineConfig(true));
                Component component = ModuleFiles.loadComponent(engine, file);
                WasiHttpHandler handler = handler(component, wasi)) {
            HttpServer server;
            try {
                server = HttpServer.create(address, 1024);
            } catch (IOException e) {
                throw new CliException(CliException.USAGE, "cannot listen on " + addr + ": " + e.getMessage(), e);
            }
            ExecutorService pool = Executors.newFixedThreadPool(n, new Named());
            server.setExecutor(pool);
            server.createContext("/", new WasiHttpServerHandler(handler));
            server.start();
            Thread hook = new Thread(stop::countDown, "wasmbridge-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            InetSocketAddress bound = server.getAddress();
            System.err.println("Serving HTTP on http://" + hostText(bound) + ":" + bound.getPort() + "/");
            onListening.accept(bound);
            try {
                stop.await();
            } finally {
                server.stop(1);
                pool.shutdown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The JVM is going down (the hook ran): nothing to remove.
                }
            }
            return 0;
        }
    }

    private WasiHttpHandler handler(Component component, WasiConfig wasi) {
        WasiHttpHandler.Builder b = WasiHttpHandler.builder(component).wasi(request -> wasi)
                .outgoing(OutgoingHttp.builder().allow("*").build()).deadline(options.timeout);
        if (options.fuel != null) {
            b.fuel(options.fuel);
        }
        options.maxMemory.ifPresent(bytes -> b.limits(dev.wasmbridge.StoreLimits.builder().memorySize(bytes).build()));
        try {
            return b.build();
        } catch (IllegalArgumentException | LinkException e) {
            throw new CliException(CliException.USAGE, "cannot serve " + file + ": " + e.getMessage()
                    + (e instanceof LinkException ? "\n(wasmbridge serve provides the WASI 0.2 imports and wasi:http, "
                            + "and nothing else)" : ""), e);
        }
    }

    /** {@code HOST:PORT}, {@code [V6]:PORT} or {@code :PORT}. */
    static InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw CliException.usage("--addr " + text + ": expected HOST:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw CliException.usage("--addr " + text + ": the port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw CliException.usage("--addr " + text + ": the port is out of range");
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    private static String hostText(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    /** The request threads: named, daemons (the server's own thread keeps the process up). */
    private static final class Named implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "wasmbridge-serve-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
