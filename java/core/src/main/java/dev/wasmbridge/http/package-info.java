/**
 * Serving HTTP with components: {@link dev.wasmbridge.http.WasiHttpHandler} runs a component of the
 * {@code wasi:http/proxy} world (one that exports {@code wasi:http/incoming-handler@0.2.x}) for each
 * request a Java server receives, one store per request, with bodies streaming both ways. Adapters for
 * the JDK's HTTP server and for Jakarta Servlet live in the {@code wasmbridge-http} artifact.
 */
package dev.wasmbridge.http;
