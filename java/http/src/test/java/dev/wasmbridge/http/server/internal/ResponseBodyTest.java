package dev.wasmbridge.http.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseBodyTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private void write(ResponseBody body, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        body.write(b, 0, b.length);
    }

    private String sent() {
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void theLastByteOfADeclaredLengthWaitsForFinish() throws Exception {
        ResponseBody body = ResponseBody.of(out, 5);
        write(body, "01");
        write(body, "234");
        // Until the guest has finished, the client must not hold a whole body.
        assertEquals("0123", sent());
        assertTrue(body.finish());
        assertEquals("01234", sent());
    }

    @Test
    void bytesPastTheDeclaredLengthAreDroppedAndTheBodyIsBroken() throws Exception {
        ResponseBody body = ResponseBody.of(out, 5);
        write(body, "012");
        write(body, "3456");
        write(body, "7");
        assertEquals("012", sent());
        assertFalse(body.finish());
        assertEquals("012", sent());
    }

    @Test
    void aShortBodyIsBroken() throws Exception {
        ResponseBody body = ResponseBody.of(out, 5);
        write(body, "0123");
        assertFalse(body.finish());
        assertEquals("0123", sent());
    }

    @Test
    void aBodyWithoutLengthGoesOutAsItComes() throws Exception {
        ResponseBody body = ResponseBody.of(out, -1);
        write(body, "abc");
        assertEquals("abc", sent());
        write(body, "");
        write(body, "de");
        assertTrue(body.finish());
        assertEquals("abcde", sent());
    }

    @Test
    void anEmptyBodyOfLengthZero() throws Exception {
        ResponseBody body = ResponseBody.of(out, 0);
        assertTrue(body.finish());
        body = ResponseBody.of(out, 0);
        write(body, "x");
        assertFalse(body.finish());
        assertEquals("", sent());
    }

    @Test
    void noBodyDropsEverything() throws Exception {
        ResponseBody body = ResponseBody.none();
        write(body, "ignored");
        assertTrue(body.finish());
    }
}
