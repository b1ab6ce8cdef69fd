package dev.wasmbridge.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The plugin-call workload gives the right answer on every runtime (no timing): every result equals the Java
 * implementation of the transform ({@link PluginJson#transform(String)}) for both benchmark sizes and for
 * hand-written inputs, every malformed input gives the same error code as the Java implementation (never a
 * trap), and the guest's memory stops growing over many calls (its allocator reuses freed blocks).
 * wasmtime-java is left out as in {@link KernelsTest}: a second Wasmtime in the same JVM as wasmbridge's is
 * not something to test here (JMH gives each runtime its own fork). GraalWasm's JIT rows need a JVM started
 * with the Graal compiler; here only their refusal to run interpreted is checked.
 */
class PluginCallTest {
    private static final int ROUNDS = 20_000;

    /** Valid inputs beyond the benchmark's: escapes of every kind, a key written with escapes, repeated keys. */
    static Map<String, String> valid() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int size : PluginJson.SIZES) {
            m.put("size " + size, PluginJson.input(size));
        }
        m.put("size 64", PluginJson.input(64));
        m.put("escaped key, repeated member", "{\"\\u0075ser\":\"x\",\"user\":\"A&B\",\"note\":\"\"}");
        m.put("whitespace, nesting, numbers",
                " {\n\t\"a\" : [ {\"b\": [1, -0.5e+3, 2E7, true, false, null, {}, []]} ],\r\n"
                        + " \"note\" : \"n\\\"<'>\" , \"user\":\"\\ud834\\udd1e \\u20AC \u00fc\u4e2d\" } ");
        m.put("every escape", "{\"user\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"note\":\"\\u0000\\u007f\\u0080\"}");
        m.put("deepest nesting allowed", "{\"user\":\"u\",\"note\":\"n\",\"d\":" + "[".repeat(PluginJson.MAX_DEPTH - 1)
                + "]".repeat(PluginJson.MAX_DEPTH - 1) + "}");
        return m;
    }

    /** Malformed inputs and the error code the Java implementation gives each. */
    static Map<String, String> malformed() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("empty", "");
        m.put("not JSON", "hello");
        m.put("an array", "[1]");
        m.put("no note", "{\"user\":\"a\"}");
        m.put("empty object", "{}");
        m.put("user not a string", "{\"user\":1,\"note\":\"x\"}");
        m.put("note null", "{\"user\":\"a\",\"note\":null}");
        m.put("lone high surrogate", "{\"user\":\"a\",\"note\":\"\\ud800\"}");
        m.put("lone low surrogate", "{\"user\":\"a\",\"note\":\"\\udc00x\"}");
        m.put("bad escape", "{\"user\":\"a\",\"note\":\"\\x\"}");
        m.put("short \\u", "{\"user\":\"a\",\"note\":\"\\u12\"}");
        m.put("raw control character", "{\"user\":\"a\",\"note\":\"tab\there\"}");
        m.put("trailing garbage", "{\"user\":\"a\",\"note\":\"b\"} x");
        m.put("trailing comma", "{\"user\":\"a\",\"note\":\"b\",}");
        m.put("unterminated string", "{\"user\":\"a\",\"note\":\"b");
        m.put("unterminated object", "{\"user\":\"a\",\"note\":\"b\"");
        m.put("leading zero", "{\"id\":01,\"user\":\"a\",\"note\":\"b\"}");
        m.put("bad literal", "{\"ok\":tru,\"user\":\"a\",\"note\":\"b\"}");
        m.put("too deep", "{\"user\":\"u\",\"note\":\"n\",\"d\":" + "[".repeat(PluginJson.MAX_DEPTH)
                + "]".repeat(PluginJson.MAX_DEPTH) + "}");
        m.put("missing colon", "{\"user\" \"a\",\"note\":\"b\"}");
        return m;
    }

    @Test
    void theJavaImplementation() {
        assertEquals("<p>Dear A&amp;B, </p>", PluginJson.transform(valid().get("escaped key, repeated member")));
        assertEquals("<p>Dear \"\\/\b\f\n\r\t, \u0000\u007f\u0080</p>".replace("\"", "&quot;"),
                PluginJson.transform(valid().get("every escape")));
        for (int size : PluginJson.SIZES) {
            String in = PluginJson.input(size);
            assertEquals(size, in.getBytes(UTF_8).length);
            String out = PluginJson.transform(in);
            assertTrue(out.startsWith("<p>Dear Zo\u00eb &quot;Z&quot; &lt;z&amp;co&gt;, caf\u00e9 \u00e9t\u00e9 5&lt;6"),
                    out);
            assertTrue(out.getBytes(UTF_8).length > size * 9 / 10, out);
        }
        assertTrue(PluginJson.transform(PluginJson.input(10240)).contains("\ud83d\ude00 \ud83d\ude00 line\nbreak it&#39;s"));
        assertEquals(PluginJson.ERR_FIELD, code(PluginJson::transform, "{}"));
        assertEquals(PluginJson.ERR_JSON, code(PluginJson::transform, "{\"user\":\"a\",\"note\":\"\\ud800\"}"));
    }

    private static int code(Function<String, String> f, String in) {
        return assertThrows(PluginJson.PluginException.class, () -> f.apply(in), in).code;
    }

    /** Every valid input gives the Java result, every malformed one the Java error code, many times over. */
    private static void check(String name, Plugins.Plugin p, Function<String, String> call, int rounds) {
        for (Map.Entry<String, String> e : valid().entrySet()) {
            assertEquals(PluginJson.transform(e.getValue()), call.apply(e.getValue()), name + ": " + e.getKey());
        }
        for (Map.Entry<String, String> e : malformed().entrySet()) {
            int expected = code(PluginJson::transform, e.getValue());
            assertEquals(expected, code(call, e.getValue()), name + ": " + e.getKey());
        }
        // The allocator reuses freed blocks: after a first round, memory no longer grows.
        String big = PluginJson.input(10240);
        String small = PluginJson.input(100);
        String bigOut = PluginJson.transform(big);
        String smallOut = PluginJson.transform(small);
        assertEquals(bigOut, call.apply(big));
        assertEquals(smallOut, call.apply(small));
        long before = p.memoryBytes();
        for (int i = 0; i < rounds; i++) {
            assertEquals(smallOut, call.apply(small));
            if (i % 10 == 0) {
                assertEquals(bigOut, call.apply(big));
                code(call, "{\"user\":\"a\"}");
            }
        }
        assertEquals(before, p.memoryBytes(), name + ": memory grew over " + rounds + " calls");
    }

    @Test
    void wasmbridge() {
        try (Plugins.Wasmbridge p = new Plugins.Wasmbridge()) {
            check("wasmbridge", p, p::call, ROUNDS);
            check("wasmbridge packed", p, p::callPacked, ROUNDS);
            check("wasmbridge copy", p, p::callCopy, ROUNDS);
            // A range outside linear memory is an error result, not a trap.
            assertEquals(PluginJson.ERR_RANGE, p.transformRaw(-16, 100));
            assertEquals(PluginJson.ERR_RANGE, p.transformRaw((int) p.memoryBytes() - 4, 5));
        }
    }

    @Test
    void endiveCompiler() {
        Plugins.EndivePlugin p = new Plugins.EndivePlugin(true);
        check("endive compiler", p, p::call, ROUNDS);
    }

    @Test
    void endiveInterpreter() {
        Plugins.EndivePlugin p = new Plugins.EndivePlugin(false);
        check("endive interpreter", p, p::call, 200);
    }

    @Test
    void chicoryCompiler() {
        Plugins.ChicoryPlugin p = new Plugins.ChicoryPlugin();
        check("chicory compiler", p, p::call, ROUNDS);
    }

    @Test
    void graalwasm() {
        try (Plugins.GraalPlugin p = new Plugins.GraalPlugin(false)) {
            check("graalwasm", p, p::call, 100);
        }
    }

    @Test
    void graalwasmJitRefusesToRunInterpreted() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Plugins.GraalPlugin(true));
        assertTrue(e.getMessage().contains("--upgrade-module-path=" + Graal.COMPILER_DIR), e.getMessage());
    }

    /** The JMH methods themselves, called as JMH calls them. */
    @Test
    void benchmarkMethods() {
        Plugins.WasmbridgeState w = new Plugins.WasmbridgeState();
        w.setup();
        Plugins.EndiveCompilerState e = new Plugins.EndiveCompilerState();
        e.setup();
        try {
            for (int size : PluginJson.SIZES) {
                PluginCall b = new PluginCall();
                b.size = size;
                b.setup();
                String expected = PluginJson.transform(PluginJson.input(size));
                assertEquals(expected, b.wasmbridge(w));
                assertEquals(expected, b.wasmbridgePacked(w));
                assertEquals(expected, b.wasmbridgeCopy(w));
                assertEquals(expected, b.endiveCompiler(e));
                int len = expected.getBytes(UTF_8).length;
                for (int round = 0; round < 3; round++) {
                    assertEquals(len, b.wasmbridgeTransformOnly(w));
                    assertEquals(len, b.endiveCompilerTransformOnly(e));
                }
            }
        } finally {
            w.tearDown();
        }
    }
}
