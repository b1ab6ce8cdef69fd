package dev.wasmbridge.bench;

import com.sun.net.httpserver.HttpServer;
import dev.wasmbridge.Engine;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.http.WasiHttpHandler;
import dev.wasmbridge.http.jdk.WasiHttpServerHandler;
import dev.wasmbridge.http.servlet.WasiHttpServlet;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The two server adapters of wasmbridge-http serving a {@code wasi:http} component on 127.0.0.1, for the load
 * test of {@code bench/http.sh} (which loads them with wrk beside {@code wasmbridge serve} and {@code wasmtime
 * serve}):
 *
 * <pre>
 * java -Dsun.net.httpserver.nodelay=true -cp benchmarks.jar dev.wasmbridge.bench.HttpServers jdk|jetty PORT COMPONENT
 * </pre>
 *
 * <ul>
 *   <li>{@code jdk}: the JDK's {@code HttpServer} with {@code WasiHttpServerHandler}, on a fixed pool of as many
 *       threads as {@code wasmbridge serve} takes by default (4 per processor, at least 8) and a backlog of 1024
 *       (as serve); TCP_NODELAY on ({@code sun.net.httpserver.nodelay}, set here when the command line did not);
 *   <li>{@code jetty}: Jetty 12 (ee10) with {@code WasiHttpServlet} at {@code /*}, Jetty's defaults otherwise
 *       (its {@code QueuedThreadPool} of up to 200 threads).
 * </ul>
 *
 * Both with the handler's defaults on an engine with the pooling allocator (as {@code wasmtime serve} and {@code
 * wasmbridge serve} have by default): no deadline, no fuel, the default WASI
 * configuration, outgoing requests denied. Prints {@code listening on 127.0.0.1:PORT} once the server accepts
 * connections, then serves until the process is stopped (SIGTERM or SIGINT: the server stops, then the handler,
 * the component and the engine are closed).
 */
public final class HttpServers {
    private HttpServers() {
    }

    /**
     * Starts a server.
     *
     * @param args {@code jdk|jetty PORT COMPONENT}
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !(args[0].equals("jdk") || args[0].equals("jetty"))) {
            System.err.println("usage: HttpServers jdk|jetty PORT COMPONENT");
            System.exit(2);
        }
        int port = Integer.parseInt(args[1]);
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            // Without it the JDK server's last flushed packet of a response waits for the client's delayed
            // acknowledgement: about 40 ms per request on a kept-alive connection (java/http/README.md).
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // The pooling allocator with its slots kept resident, as wasmbridge serve uses by default.
        Engine engine = Engine.create(dev.wasmbridge.EngineConfig.builder()
                .pooling(dev.wasmbridge.PoolingConfig.forServing().build()).build());
        Component component = Component.fromPath(engine, Path.of(args[2]));
        WasiHttpHandler handler = WasiHttpHandler.builder(component).build();
        Runnable stopServer = args[0].equals("jdk") ? jdk(handler, port) : jetty(handler, port);
        System.out.println("listening on 127.0.0.1:" + port);
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopServer.run();
            handler.close();
            component.close();
            engine.close();
            stopped.countDown();
        }, "http-servers-stop"));
        stopped.await();
    }

    private static Runnable jdk(WasiHttpHandler handler, int port) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        int threads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "http-jdk");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", new WasiHttpServerHandler(handler));
        server.start();
        return () -> {
            server.stop(0);
            pool.shutdownNow();
        };
    }

    private static Runnable jetty(WasiHttpHandler handler, int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new WasiHttpServlet(handler)), "/*");
        server.setHandler(context);
        server.start();
        return () -> {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException("stopping Jetty", e);
            }
        };
    }
}
