package dev.wasmbridge.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the WebAssembly module that a {@code Module} or {@code Instance} parameter or field gets, or the
 * component that a {@code Component}, {@code ComponentInstance}, bound interface or {@code WasiHttpHandler}
 * gets: a class-path resource, binary ({@code .wasm}, recognized by its magic number) or text ({@code .wat},
 * UTF-8).
 *
 * <p>A {@code WasiHttpHandler} is built with the handler's defaults (outgoing requests denied, no WASI
 * environment; see {@link WasmExtension}). To configure one, stub the guest's backend for instance, take the
 * {@code Component} instead and build the handler in the test:
 * <pre>{@code
 * @Test
 * void fetches(@WasmModule("handler.wasm") Component component) {
 *     OutgoingHttp backend = OutgoingHttp.builder().allow("backend.test")
 *             .sender(request -> OutgoingHttp.OutgoingResponse.of(200, "{}")).build();
 *     try (WasiHttpHandler handler = WasiHttpHandler.builder(component).outgoing(backend).build()) {
 *         assertEquals(200, handler.handle(HttpRequest.builder("GET", "/items").build()).status());
 *     }
 * }
 * }</pre>
 *
 * <p>On a parameter or field it names that one's module; on a test method, the module of the method's
 * parameters; on a test class, the module of all its tests. A name is looked up as {@link Class#getResource}
 * does from the test class (relative to its package, or absolute with a leading {@code /}), then, when not
 * found there, from the root of the class path. A missing resource fails the test with a message naming
 * the places looked at; a module that does not compile fails it with the compiler's message.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface WasmModule {
    /**
     * The class-path resource of the module.
     *
     * @return the resource name, e.g. {@code "add.wat"} or {@code "/wasm/app.wasm"}
     */
    String value();
}
