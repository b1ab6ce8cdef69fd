/**
 * wasi:http components behind Java HTTP servers: {@link dev.wasmbridge.http.jdk.WasiHttpServerHandler}
 * for the JDK's {@code com.sun.net.httpserver}. It hands each request to a {@link
 * dev.wasmbridge.http.WasiHttpHandler} and streams its response back.
 */
module dev.wasmbridge.http.server {
    requires transitive dev.wasmbridge;
    requires transitive jdk.httpserver;

    exports dev.wasmbridge.http.jdk;
}
