package dev.wasmbridge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasmbridge.http.HttpResult;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpHandlerBench} serves what it claims (no timing): the guest packed into the jar answers both routes
 * (its state's setup checks them once), and every call of a benchmark method is a complete 200 with the whole
 * body, many times over on the same handler.
 */
class HttpHandlerBenchTest {
    @Test
    void everyRequestIsServedWhole() {
        HttpHandlerBench bench = new HttpHandlerBench();
        HttpHandlerBench.HandlerState s = new HttpHandlerBench.HandlerState();
        s.setup();
        try {
            for (int i = 0; i < 200; i++) {
                s.sink.bytes = 0;
                HttpResult hello = bench.hello(s);
                assertEquals(HttpResult.Outcome.COMPLETE, hello.outcome());
                assertEquals(200, s.sink.status);
                assertEquals("hello from wasm\n".length(), s.sink.bytes);
                s.sink.bytes = 0;
                HttpResult echo = bench.echo64k(s);
                assertEquals(HttpResult.Outcome.COMPLETE, echo.outcome());
                assertEquals(200, s.sink.status);
                assertEquals(HttpHandlerBench.ECHO_BYTES, s.sink.bytes);
            }
        } finally {
            s.tearDown();
        }
    }
}
