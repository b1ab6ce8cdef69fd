package dev.wasmbridge.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.wasmbridge.Engine;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.http.BufferedHttpResponse;
import dev.wasmbridge.http.HttpRequest;
import dev.wasmbridge.http.HttpResult;
import dev.wasmbridge.http.OutgoingHttp;
import dev.wasmbridge.http.WasiHttpHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * {@link WasiHttpHandler}s through the extension, serving tests/http's C guest ({@code http-guest.wasm}, which
 * the build puts at the root of the test class path): injected as parameters and fields, one per test and
 * component, closed after the test; the engine's fuel per request; a handler built in the test from an
 * injected {@link Component} to stub the guest's backend; clear failures for components that are not
 * handlers.
 */
@WasmTest
class HttpHandlerExtensionTest {
    private static final String GUEST = "http-guest.wasm";

    @WasmModule(GUEST)
    WasiHttpHandler handlerField;

    private static BufferedHttpResponse get(WasiHttpHandler handler, String pathWithQuery) {
        return handler.handle(HttpRequest.builder("GET", pathWithQuery).build());
    }

    private static EngineExecutionResults run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
    }

    @Test
    void aParameterServesRequestsWithoutASocket(@WasmModule(GUEST) WasiHttpHandler handler, Engine engine) {
        assertSame(engine, handler.engine(), "the class's engine");
        BufferedHttpResponse hello = get(handler, "/hello");
        assertEquals(200, hello.status());
        assertEquals("hello from wasm\n", hello.bodyText());
        assertEquals("text/plain", hello.header("Content-Type").orElseThrow());
        assertEquals(HttpResult.Outcome.COMPLETE, hello.result().outcome());

        BufferedHttpResponse post = handler.handle(HttpRequest.builder("POST", "/echo")
                .header("content-type", "application/json").body("{\"a\":1}".getBytes(StandardCharsets.UTF_8))
                .build());
        assertEquals(200, post.status());
        assertEquals("{\"a\":1}", post.bodyText());
        assertEquals("application/json", post.header("content-type").orElseThrow());

        assertEquals(404, get(handler, "/nowhere").status());
    }

    @Test
    void aTrapIsA500WithTheTrapInTheResult(@WasmModule(GUEST) WasiHttpHandler handler) {
        BufferedHttpResponse r = get(handler, "/trap");
        assertEquals(500, r.status());
        assertEquals(HttpResult.Outcome.GUEST_FAILED, r.result().outcome());
        assertEquals(TrapCode.UNREACHABLE_CODE_REACHED,
                assertInstanceOf(TrapException.class, r.result().failure()).code());
        assertEquals("hello from wasm\n", get(handler, "/hello").bodyText(), "the next request has a fresh store");
    }

    @Test
    void theFieldAndAParameterForTheSameComponentAreOneHandler(@WasmModule(GUEST) WasiHttpHandler handler) {
        assertSame(handlerField, handler);
        assertEquals(200, get(handlerField, "/hello").status());
    }

    @Test
    void theInjectedHandlerDeniesOutgoingRequests(@WasmModule(GUEST) WasiHttpHandler handler) {
        BufferedHttpResponse r = get(handler, "/fetch?url=" + encode("http://backend.test/data"));
        assertEquals(502, r.status());
        assertEquals("error: HTTP-request-denied", r.bodyText().strip());
    }

    /** The way WasmModule's Javadoc shows to configure a handler: build it from the injected component. */
    @Test
    void aHandlerBuiltFromTheInjectedComponentStubsTheBackend(@WasmModule(GUEST) Component component) {
        List<String> sent = Collections.synchronizedList(new ArrayList<>());
        OutgoingHttp backend = OutgoingHttp.builder().allow("backend.test").sender(request -> {
            sent.add(request.method() + " " + request.authority() + request.pathWithQuery());
            return OutgoingHttp.OutgoingResponse.of(200, "stubbed");
        }).build();
        try (WasiHttpHandler handler = WasiHttpHandler.builder(component).outgoing(backend).build()) {
            BufferedHttpResponse r = get(handler, "/fetch?url=" + encode("http://backend.test/data?id=7"));
            assertEquals(200, r.status());
            assertEquals("stubbed", r.bodyText());
            assertEquals(List.of("GET backend.test/data?id=7"), sent);
            assertEquals(502, get(handler, "/fetch?url=" + encode("http://elsewhere.test/")).status(),
                    "a host not allowed");
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Lifetimes

    @WasmTest
    @WasmModule(GUEST)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class LifecycleCase {
        static final List<WasiHttpHandler> HANDLERS = Collections.synchronizedList(new ArrayList<>());
        static final List<Engine> ENGINES = Collections.synchronizedList(new ArrayList<>());

        @WasmInject
        WasiHttpHandler handler;

        @Test
        @Order(1)
        void first(Engine engine) {
            HANDLERS.add(handler);
            ENGINES.add(engine);
        }

        @Test
        @Order(2)
        void theHandlerOfTheTestBeforeIsClosed(WasiHttpHandler h, Engine engine) {
            assertSame(handler, h);
            HANDLERS.add(h);
            ENGINES.add(engine);
            assertThrows(IllegalStateException.class, () -> get(HANDLERS.get(0), "/hello"));
        }

        @AfterEach
        void theHandlerIsStillOpenInAfterEach(WasiHttpHandler h) {
            assertSame(handler, h);
            assertEquals(200, get(h, "/hello").status());
        }
    }

    @Test
    void oneHandlerPerTestClosedAfterItsAfterEachMethods() {
        LifecycleCase.HANDLERS.clear();
        LifecycleCase.ENGINES.clear();
        run(LifecycleCase.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2).failed(0));
        List<WasiHttpHandler> handlers = LifecycleCase.HANDLERS;
        assertEquals(2, handlers.size());
        assertNotSame(handlers.get(0), handlers.get(1));
        assertSame(LifecycleCase.ENGINES.get(0), LifecycleCase.ENGINES.get(1), "one engine for the class");
        for (WasiHttpHandler h : handlers) {
            assertThrows(IllegalStateException.class, () -> get(h, "/hello"), "closed after its test");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Fuel

    @WasmTest
    @WasmModule(GUEST)
    @WasmEngineConfig(fuel = 50_000_000)
    static class FuelCase {
        @Test
        void eachRequestGetsTheFuel(WasiHttpHandler handler) {
            assertEquals(200, get(handler, "/hello").status());
            BufferedHttpResponse loop = get(handler, "/loop");
            assertEquals(500, loop.status());
            assertEquals(TrapCode.OUT_OF_FUEL, assertInstanceOf(TrapException.class, loop.result().failure()).code());
            assertEquals(200, get(handler, "/hello").status(), "the next request starts with full fuel");
        }
    }

    @Test
    void theEngineConfigFuelIsEachRequestsFuel() {
        run(FuelCase.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1).failed(0));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Failures

    @WasmTest
    static class NotAHandlerCase {
        @Test
        void test(@WasmModule("adder.component.wat") WasiHttpHandler handler) {
        }
    }

    @WasmTest
    static class UnresolvedImportCase {
        @Test
        void test(@WasmModule("quadruple.component.wat") WasiHttpHandler handler) {
        }
    }

    @WasmTest
    static class ModuleNotComponentCase {
        @Test
        void test(@WasmModule("add.wat") WasiHttpHandler handler) {
        }
    }

    @Test
    void aComponentThatCannotServeFailsTheTestNamingIt() {
        run(NotAHandlerCase.class).testEvents().assertThatEvents().haveExactly(1, event(test("test"),
                finishedWithFailure(instanceOf(ParameterResolutionException.class), message(m ->
                        m.contains("@WasmModule(\"adder.component.wat\")")
                                && m.contains("wasi:http/incoming-handler@0.2.x")))));
        run(UnresolvedImportCase.class).testEvents().assertThatEvents().haveExactly(1, event(test("test"),
                finishedWithFailure(instanceOf(ParameterResolutionException.class), message(m ->
                        m.contains("@WasmModule(\"quadruple.component.wat\")") && m.contains("test:junit/host")
                                && m.contains("WasiHttpHandler.builder(component).imports(..)")))));
        run(ModuleNotComponentCase.class).testEvents().assertThatEvents().haveExactly(1, event(test("test"),
                finishedWithFailure(message(m -> m.contains("@WasmModule(\"add.wat\")")))));
    }

    @WasmTest
    static class StaticFieldCase {
        @WasmModule(GUEST)
        static WasiHttpHandler handler;

        @Test
        void neverRuns() {
        }
    }

    @WasmTest
    static class BeforeAllCase {
        @BeforeAll
        static void tooEarly(@WasmModule(GUEST) WasiHttpHandler handler) {
        }

        @Test
        void neverRuns() {
        }
    }

    @Test
    void aHandlerBelongsToOneTest() {
        run(StaticFieldCase.class).containerEvents().assertThatEvents().haveExactly(1,
                event(container(StaticFieldCase.class), finishedWithFailure(
                        instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.contains("StaticFieldCase.handler") && m.contains("a WasiHttpHandler belongs"
                                + " to one test")))));
        EngineExecutionResults results = run(BeforeAllCase.class);
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(BeforeAllCase.class),
                finishedWithFailure(message(m -> m.contains("a WasiHttpHandler belongs to one test")))));
        results.testEvents().assertStatistics(s -> s.started(0));
    }
}
