package dev.wasmbridge.bench;

import java.nio.charset.StandardCharsets;

/**
 * The data of the plugin-call workload ({@code tests/bench/plugin.c}): the JSON inputs every runtime (and the
 * Rust baseline, {@code tools/bench-rust/src/plugin.rs}) transforms, and a Java implementation of the guest's
 * {@code transform} that the tests compare the guest's results with.
 *
 * <p>The transform: the input is one JSON object; its string members {@code user} and {@code note} are
 * decoded (every JSON escape, {@code \\uXXXX} surrogate pairs joined) and filled into
 * {@code <p>Dear {user}, {note}</p>}, HTML-escaped ({@code & < > " '}). Other members are validated and
 * skipped (nesting up to {@link #MAX_DEPTH}); a repeated member counts with its last value. Bad input is a
 * {@link PluginException} with the guest's error code.
 */
final class PluginJson {
    /** Not one well-formed JSON object, a bad escape or a lone surrogate. */
    static final int ERR_JSON = 1;
    /** {@code user} or {@code note} missing or not a string. */
    static final int ERR_FIELD = 2;
    /** No guest memory for the result. */
    static final int ERR_MEMORY = 3;
    /** The input's range is outside linear memory. */
    static final int ERR_RANGE = 4;
    /** The deepest nesting of arrays and objects the guest accepts (the top-level object is depth 1). */
    static final int MAX_DEPTH = 64;

    /** The input sizes of the JMH benchmark, in UTF-8 bytes. */
    static final int[] SIZES = {100, 10240};

    private static final String PREFIX = "{\"id\":123,\"user\":\"Zo\u00eb \\\"Z\\\" <z&co>\",\"note\":\"";
    private static final String SUFFIX = "\",\"tags\":[\"a\",\"b\"]}";
    /**
     * The note is these pieces of JSON string source cycled while they fit, then ASCII letters up to the size:
     * non-ASCII raw and escaped (2, 3 and 4 UTF-8 bytes, a surrogate pair), characters HTML escapes and
     * every kind of JSON escape.
     */
    private static final String[] NOTE_PIECES = {
        "caf\u00e9 ",
        "\\u00e9t\\u00e9 ",
        "5<6 & 7>2 ",
        "\\\"q\\\" ",
        "\u20ac10 ",
        "\\ud83d\\ude00 ",
        "\ud83d\ude00 ",
        "line\\nbreak ",
        "it's ",
        "a\\/b\\tc\\\\d\\r\\b\\f ",
    };

    private PluginJson() {
    }

    /**
     * The input of a given size: a JSON object of exactly {@code size} UTF-8 bytes whose {@code note} takes
     * what the other members leave (the Rust baseline builds the same bytes).
     *
     * @param size the UTF-8 length, at least 64
     * @return the JSON text
     * @throws IllegalArgumentException if {@code size} is too small for the fixed members
     */
    static String input(int size) {
        int fixed = utf8(PREFIX) + utf8(SUFFIX);
        if (size < fixed) {
            throw new IllegalArgumentException("size " + size + " < " + fixed);
        }
        StringBuilder b = new StringBuilder(size).append(PREFIX);
        int left = size - fixed;
        for (int i = 0;; i++) {
            String piece = NOTE_PIECES[i % NOTE_PIECES.length];
            int n = utf8(piece);
            if (n > left) {
                break;
            }
            b.append(piece);
            left -= n;
        }
        for (int i = 0; i < left; i++) {
            b.append((char) ('a' + i % 26));
        }
        return b.append(SUFFIX).toString();
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A bad input: the guest's error code. */
    static final class PluginException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** {@link #ERR_JSON}, {@link #ERR_FIELD}, {@link #ERR_MEMORY} or {@link #ERR_RANGE}. */
        final int code;

        PluginException(int code) {
            super("plugin error " + code + " (" + name(code) + ")");
            this.code = code;
        }

        private static String name(int code) {
            switch (code) {
                case ERR_JSON:
                    return "malformed JSON";
                case ERR_FIELD:
                    return "user or note missing or not a string";
                case ERR_MEMORY:
                    return "out of guest memory";
                case ERR_RANGE:
                    return "input outside linear memory";
                default:
                    return "unknown";
            }
        }
    }

    /**
     * The result of a guest's {@code transform}, {@code (ptr << 32) | len}: its address and length, or the
     * error it encodes.
     *
     * @param packed the guest's result
     * @return the result's address (not 0)
     * @throws PluginException if the address is 0 (the length is the error code)
     */
    static int resultPtr(long packed) {
        int ptr = (int) (packed >>> 32);
        if (ptr == 0) {
            throw new PluginException((int) packed);
        }
        return ptr;
    }

    /**
     * The transform in Java: what the guest's result must be.
     *
     * @param json the input
     * @return {@code <p>Dear {user}, {note}</p>} with the fields decoded and HTML-escaped
     * @throws PluginException with the guest's code on bad input
     */
    static String transform(String json) {
        Parser p = new Parser(json);
        String user = null;
        String note = null;
        boolean userIsString = false;
        boolean noteIsString = false;
        p.ws();
        p.expect('{');
        p.ws();
        if (!p.eat('}')) {
            do {
                p.ws();
                String key = p.string();
                p.ws();
                p.expect(':');
                p.ws();
                boolean isString = p.peek() == '"';
                String v = isString ? p.string() : null;
                if (!isString) {
                    p.value(1);
                }
                if (key.equals("user")) {
                    user = v;
                    userIsString = isString;
                } else if (key.equals("note")) {
                    note = v;
                    noteIsString = isString;
                }
                p.ws();
            } while (p.eat(','));
            p.expect('}');
        }
        p.ws();
        if (p.i != json.length()) {
            throw new PluginException(ERR_JSON);
        }
        if (!userIsString || !noteIsString) {
            throw new PluginException(ERR_FIELD);
        }
        return "<p>Dear " + html(user) + ", " + html(note) + "</p>";
    }

    private static String html(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    b.append("&amp;");
                    break;
                case '<':
                    b.append("&lt;");
                    break;
                case '>':
                    b.append("&gt;");
                    break;
                case '"':
                    b.append("&quot;");
                    break;
                case '\'':
                    b.append("&#39;");
                    break;
                default:
                    b.append(c);
            }
        }
        return b.toString();
    }

    /** A strict JSON reader over a Java string (RFC 8259 grammar), throwing {@link #ERR_JSON}. */
    private static final class Parser {
        final String s;
        int i;

        Parser(String s) {
            this.s = s;
        }

        static PluginException bad() {
            return new PluginException(ERR_JSON);
        }

        int peek() {
            return i < s.length() ? s.charAt(i) : -1;
        }

        boolean eat(char c) {
            if (peek() == c) {
                i++;
                return true;
            }
            return false;
        }

        void expect(char c) {
            if (!eat(c)) {
                throw bad();
            }
        }

        void ws() {
            while (i < s.length() && " \t\n\r".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        int hex4() {
            if (i + 4 > s.length()) {
                throw bad();
            }
            int v = 0;
            for (int k = 0; k < 4; k++) {
                int d = Character.digit(s.charAt(i + k), 16);
                char c = s.charAt(i + k);
                boolean asciiHex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                if (d < 0 || !asciiHex) {
                    throw bad();
                }
                v = v << 4 | d;
            }
            i += 4;
            return v;
        }

        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    throw bad();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    throw bad();
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"':
                    case '\\':
                    case '/':
                        b.append(e);
                        break;
                    case 'b':
                        b.append('\b');
                        break;
                    case 'f':
                        b.append('\f');
                        break;
                    case 'n':
                        b.append('\n');
                        break;
                    case 'r':
                        b.append('\r');
                        break;
                    case 't':
                        b.append('\t');
                        break;
                    case 'u':
                        char u = (char) hex4();
                        if (Character.isLowSurrogate(u)) {
                            throw bad();
                        }
                        if (Character.isHighSurrogate(u)) {
                            if (!s.startsWith("\\u", i)) {
                                throw bad();
                            }
                            i += 2;
                            char lo = (char) hex4();
                            if (!Character.isLowSurrogate(lo)) {
                                throw bad();
                            }
                            b.append(u).append(lo);
                        } else {
                            b.append(u);
                        }
                        break;
                    default:
                        throw bad();
                }
            }
            throw bad();
        }

        boolean digits() {
            int start = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            return i > start;
        }

        void number() {
            eat('-');
            if (!eat('0') && !digits()) {
                throw bad();
            }
            if (eat('.') && !digits()) {
                throw bad();
            }
            if (eat('e') || eat('E')) {
                if (!eat('+')) {
                    eat('-');
                }
                if (!digits()) {
                    throw bad();
                }
            }
        }

        void value(int depth) {
            ws();
            int c = peek();
            if (c == '"') {
                string();
            } else if (c == '{' || c == '[') {
                if (depth >= MAX_DEPTH) {
                    throw bad();
                }
                char close = c == '{' ? '}' : ']';
                i++;
                ws();
                if (eat(close)) {
                    return;
                }
                do {
                    if (c == '{') {
                        ws();
                        string();
                        ws();
                        expect(':');
                    }
                    value(depth + 1);
                    ws();
                } while (eat(','));
                expect(close);
            } else if (s.startsWith("true", i)) {
                i += 4;
            } else if (s.startsWith("false", i)) {
                i += 5;
            } else if (s.startsWith("null", i)) {
                i += 4;
            } else {
                number();
            }
        }
    }
}
