package dev.wasmbridge.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.http.WasiHttpHandler;
import dev.wasmbridge.http.servlet.WasiHttpServlet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** {@link WasiHttpServlet} on Jetty 12 (ee10). */
class WasiHttpServletTest extends ServerAdapterContract {
    private Server server;

    @Override
    int start(WasiHttpHandler handler) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new WasiHttpServlet(handler)), "/*");
        server.setHandler(context);
        server.start();
        return connector.getLocalPort();
    }

    @Override
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void trailersBothWays() throws Exception {
        // HttpClient can neither send trailers nor show those it receives: a socket does both.
        RawHttp.Response r = RawHttp.exchange(port(), "POST /trailers HTTP/1.1\r\nHost: raw\r\nTE: trailers\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n"
                + "X-Req: yes\r\n\r\n");
        assertEquals(200, r.status());
        List<String> lines = r.text().lines().toList();
        assertTrue(lines.contains("body-bytes: 7"), lines.toString());
        assertTrue(lines.contains("trailer: x-req: yes"), lines.toString());
        assertTrue(r.chunked());
        assertEquals("x-body-bytes, x-trailer", r.header("trailer").orElseThrow());
        assertEquals("[x-body-bytes=7, x-trailer=done]", r.trailers().stream()
                .map(t -> t[0].toLowerCase(java.util.Locale.ROOT) + "=" + t[1]).toList().toString());
    }
}
