/**
 * wasi:http components behind Java HTTP servers: {@link dev.wasmbridge.http.jdk.WasiHttpServerHandler}
 * for the JDK's {@code com.sun.net.httpserver} and {@link dev.wasmbridge.http.servlet.WasiHttpServlet}
 * for Jakarta Servlet containers. Both hand each request to a {@link dev.wasmbridge.http.WasiHttpHandler}
 * and stream its response back. The Servlet API is optional at run time: only the servlet adapter needs it.
 */
module dev.wasmbridge.http.server {
    requires transitive dev.wasmbridge;
    requires transitive jdk.httpserver;
    requires static transitive jakarta.servlet;

    exports dev.wasmbridge.http.jdk;
    exports dev.wasmbridge.http.servlet;
}
