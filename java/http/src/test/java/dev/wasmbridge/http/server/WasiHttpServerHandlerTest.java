package dev.wasmbridge.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.wasmbridge.http.WasiHttpHandler;
import dev.wasmbridge.http.jdk.WasiHttpServerHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link WasiHttpServerHandler} on the JDK's HttpServer. */
class WasiHttpServerHandlerTest extends ServerAdapterContract {
    private HttpServer server;
    private ExecutorService executor;

    @Override
    int start(WasiHttpHandler handler) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", new WasiHttpServerHandler(handler));
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.start();
        return server.getAddress().getPort();
    }

    @Override
    void stop() throws Exception {
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void responseTrailersAreDropped() throws Exception {
        // The JDK server cannot send trailers: the client gets the body whole, without the guest's trailers
        // and without the Trailer field that announced them.
        RawHttp.Response r = RawHttp.exchange(port(), "POST /trailers HTTP/1.1\r\nHost: raw\r\nTE: trailers\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        assertEquals(200, r.status(), r.text());
        assertEquals("body-bytes: 3\n", r.text());
        assertTrue(r.chunked());
        assertEquals(List.of(), r.trailers());
        assertFalse(r.header("trailer").isPresent());
    }

    @Test
    void aRequestWithTrailersFailsToBeRead() throws Exception {
        // The JDK server's chunked decoder takes no trailer fields: reading such a body fails, and the guest
        // sees its request body end in an error (the route then answers 400).
        RawHttp.Response r = RawHttp.exchange(port(), "POST /trailers HTTP/1.1\r\nHost: raw\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\nX-Req: yes\r\n\r\n");
        assertEquals(400, r.status(), r.text());
        assertEquals("request body incomplete\n", r.text());
    }
}
