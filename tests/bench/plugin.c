// The "plugin call" kernel: the shape of plugin SDKs. The host allocates a buffer in the guest (alloc),
// writes a UTF-8 JSON object into it, calls transform(ptr, len) and reads the newly allocated result back,
// then frees both buffers (dealloc). No libc.
//
// transform: a JSON field extraction + template fill. The input is one JSON object, e.g.
//   {"id":123,"user":"Zoë","note":"5 < 6 & \"quoted\" \u00e9","tags":["a","b"]}
// The string members "user" and "note" are decoded (every JSON escape, \uXXXX as UTF-8, surrogate pairs
// joined) and filled into
//   <p>Dear {user}, {note}</p>
// HTML-escaped (& < > " ' become &amp; &lt; &gt; &quot; &#39;). Other members (any JSON value, nested up to
// MAX_DEPTH) are validated and skipped; a repeated member counts its last value. Bytes >= 0x80 inside strings
// are copied as they are (the input is taken to be UTF-8; it is not validated).
//
// The result is (ptr << 32) | len of a new buffer the caller frees with dealloc(ptr, len). On bad input the
// result has ptr 0 and an error code as len (nothing to free): ERR_JSON (not one well-formed JSON object, a
// bad escape or a lone surrogate), ERR_FIELD ("user" or "note" missing or not a string), ERR_MEMORY (no
// memory for the result), ERR_RANGE (ptr, len outside linear memory). Never a trap.
//
// The allocator: size classes of powers of two (16 B to 16 MiB), one free list per class, carved from the
// top of the heap (memory.grow when it runs out). A freed block goes back on its class's list and is reused,
// so a steady loop of alloc/transform/dealloc stops growing memory after its first round.
#define EXPORT(name) __attribute__((export_name(name)))

typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned char u8;

#define ERR_JSON 1
#define ERR_FIELD 2
#define ERR_MEMORY 3
#define ERR_RANGE 4
#define MAX_DEPTH 64

// ---- allocator ----

#define MIN_CLASS 4   // 16 bytes
#define MAX_CLASS 24  // 16 MiB
#define PAGE 65536u

extern u8 __heap_base;

static u32 heap_top;  // first unused byte; 0 until the first allocation
static u32 free_lists[MAX_CLASS + 1];

// The class of a request: the smallest power of two >= len (at least 2^MIN_CLASS), or 0 if too large.
static u32 size_class(u32 len) {
    u32 c = MIN_CLASS;
    while (c <= MAX_CLASS && (1u << c) < len) {
        c++;
    }
    return c <= MAX_CLASS ? c : 0;
}

static u32 allocate(u32 len) {
    u32 c = size_class(len);
    if (c == 0) {
        return 0;
    }
    u32 block = free_lists[c];
    if (block != 0) {
        free_lists[c] = *(u32 *)block;
        return block;
    }
    if (heap_top == 0) {
        heap_top = ((u32)&__heap_base + 15) & ~15u;
    }
    u32 size = 1u << c;
    u32 end = (u32)__builtin_wasm_memory_size(0) * PAGE;
    if (heap_top > 0xFFFFFFFFu - size) {
        return 0;
    }
    if (heap_top + size > end) {
        u32 need = heap_top + size - end;
        u32 pages = (need + PAGE - 1) / PAGE;
        if (__builtin_wasm_memory_grow(0, pages) == (__SIZE_TYPE__)-1) {
            return 0;
        }
    }
    block = heap_top;
    heap_top += size;
    return block;
}

// A buffer of at least len bytes (len 0 gives the smallest block), or 0 when memory is exhausted or len is
// negative or above 16 MiB.
EXPORT("alloc") int alloc(int len) {
    if (len < 0) {
        return 0;
    }
    return (int)allocate((u32)len);
}

// Frees a buffer from alloc (or a transform result) of the same len; ptr 0 is ignored.
EXPORT("dealloc") void dealloc(int ptr, int len) {
    if (ptr == 0 || len < 0) {
        return;
    }
    u32 c = size_class((u32)len);
    if (c == 0) {
        return;
    }
    *(u32 *)(u32)ptr = free_lists[c];
    free_lists[c] = (u32)ptr;
}

// ---- JSON ----

typedef struct {
    const u8 *p;
    const u8 *end;
} cursor;

static void skip_ws(cursor *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) {
        c->p++;
    }
}

static int hex4(const u8 *p, u32 *out) {
    u32 v = 0;
    for (int i = 0; i < 4; i++) {
        u8 h = p[i];
        u32 d;
        if (h >= '0' && h <= '9') {
            d = h - '0';
        } else if (h >= 'a' && h <= 'f') {
            d = h - 'a' + 10;
        } else if (h >= 'A' && h <= 'F') {
            d = h - 'A' + 10;
        } else {
            return 0;
        }
        v = v << 4 | d;
    }
    *out = v;
    return 1;
}

// Where the decoded bytes of a string go: counted only (out == 0) or written (the first cap bytes),
// HTML-escaped or not.
typedef struct {
    u8 *out;
    u32 n;
    int html;
    u32 cap;
} sink;

static void put_byte(sink *s, u8 b) {
    if (s->n < s->cap) {
        s->out[s->n] = b;
    }
    s->n++;
}

static void put_raw(sink *s, const char *t, u32 len) {
    for (u32 i = 0; i < len; i++) {
        put_byte(s, (u8)t[i]);
    }
}

static void put(sink *s, u8 b) {
    if (s->html) {
        switch (b) {
            case '&': put_raw(s, "&amp;", 5); return;
            case '<': put_raw(s, "&lt;", 4); return;
            case '>': put_raw(s, "&gt;", 4); return;
            case '"': put_raw(s, "&quot;", 6); return;
            case '\'': put_raw(s, "&#39;", 5); return;
            default: break;
        }
    }
    put_byte(s, b);
}

static void put_utf8(sink *s, u32 cp) {
    if (cp < 0x80) {
        put(s, (u8)cp);
    } else if (cp < 0x800) {
        put(s, (u8)(0xC0 | cp >> 6));
        put(s, (u8)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        put(s, (u8)(0xE0 | cp >> 12));
        put(s, (u8)(0x80 | (cp >> 6 & 0x3F)));
        put(s, (u8)(0x80 | (cp & 0x3F)));
    } else {
        put(s, (u8)(0xF0 | cp >> 18));
        put(s, (u8)(0x80 | (cp >> 12 & 0x3F)));
        put(s, (u8)(0x80 | (cp >> 6 & 0x3F)));
        put(s, (u8)(0x80 | (cp & 0x3F)));
    }
}

// Decodes the JSON string at c->p (its opening quote) into s (s may be 0: validate only), leaving c->p after
// the closing quote. Returns 0 on a malformed string.
static int string(cursor *c, sink *s) {
    if (c->p >= c->end || *c->p != '"') {
        return 0;
    }
    c->p++;
    for (;;) {
        // The common case first: a run of bytes that stay as they are (no quote, backslash, control byte or
        // HTML special), with the cursor and the sink in locals.
        const u8 *p = c->p;
        const u8 *end = c->end;
        if (s) {
            u8 *out = s->out;
            u32 n = s->n;
            u32 cap = s->cap;
            int html = s->html;
            for (; p < end; p++) {
                u8 b = *p;
                if (b < 0x20 || b == '"' || b == '\\'
                    || (html && (b == '&' || b == '<' || b == '>' || b == '\''))) {
                    break;
                }
                if (n < cap) {
                    out[n] = b;
                }
                n++;
            }
            s->n = n;
        } else {
            while (p < end && *p >= 0x20 && *p != '"' && *p != '\\') {
                p++;
            }
        }
        c->p = p;
        if (c->p >= c->end) {
            return 0;
        }
        u8 b = *c->p++;
        if (b == '"') {
            return 1;
        }
        if (b < 0x20) {
            return 0;
        }
        if (b != '\\') {
            if (s) {
                put(s, b);
            }
            continue;
        }
        if (c->p >= c->end) {
            return 0;
        }
        u8 e = *c->p++;
        u32 cp;
        switch (e) {
            case '"': cp = '"'; break;
            case '\\': cp = '\\'; break;
            case '/': cp = '/'; break;
            case 'b': cp = '\b'; break;
            case 'f': cp = '\f'; break;
            case 'n': cp = '\n'; break;
            case 'r': cp = '\r'; break;
            case 't': cp = '\t'; break;
            case 'u':
                if (c->end - c->p < 4 || !hex4(c->p, &cp)) {
                    return 0;
                }
                c->p += 4;
                if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return 0;  // a low surrogate alone
                }
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    u32 lo;
                    if (c->end - c->p < 6 || c->p[0] != '\\' || c->p[1] != 'u' || !hex4(c->p + 2, &lo)
                        || lo < 0xDC00 || lo > 0xDFFF) {
                        return 0;  // a high surrogate without its low half
                    }
                    c->p += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                break;
            default:
                return 0;
        }
        if (s) {
            put_utf8(s, cp);
        }
    }
}

static int digits(cursor *c) {
    const u8 *start = c->p;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        c->p++;
    }
    return c->p > start;
}

static int number(cursor *c) {
    if (c->p < c->end && *c->p == '-') {
        c->p++;
    }
    if (c->p < c->end && *c->p == '0') {
        c->p++;
    } else if (!digits(c)) {
        return 0;
    }
    if (c->p < c->end && *c->p == '.') {
        c->p++;
        if (!digits(c)) {
            return 0;
        }
    }
    if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
        c->p++;
        if (c->p < c->end && (*c->p == '+' || *c->p == '-')) {
            c->p++;
        }
        if (!digits(c)) {
            return 0;
        }
    }
    return 1;
}

static int literal(cursor *c, const char *word, u32 len) {
    if ((u32)(c->end - c->p) < len) {
        return 0;
    }
    for (u32 i = 0; i < len; i++) {
        if (c->p[i] != (u8)word[i]) {
            return 0;
        }
    }
    c->p += len;
    return 1;
}

// Validates and skips one JSON value (after whitespace). Returns 0 if malformed or nested too deep.
static int value(cursor *c, int depth) {
    skip_ws(c);
    if (c->p >= c->end) {
        return 0;
    }
    u8 b = *c->p;
    if (b == '"') {
        return string(c, 0);
    }
    if (b == '{' || b == '[') {
        if (depth >= MAX_DEPTH) {
            return 0;
        }
        u8 close = b == '{' ? '}' : ']';
        c->p++;
        skip_ws(c);
        if (c->p < c->end && *c->p == close) {
            c->p++;
            return 1;
        }
        for (;;) {
            if (b == '{') {
                skip_ws(c);
                if (!string(c, 0)) {
                    return 0;
                }
                skip_ws(c);
                if (c->p >= c->end || *c->p != ':') {
                    return 0;
                }
                c->p++;
            }
            if (!value(c, depth + 1)) {
                return 0;
            }
            skip_ws(c);
            if (c->p >= c->end) {
                return 0;
            }
            if (*c->p == ',') {
                c->p++;
                continue;
            }
            if (*c->p == close) {
                c->p++;
                return 1;
            }
            return 0;
        }
    }
    if (b == 't') {
        return literal(c, "true", 4);
    }
    if (b == 'f') {
        return literal(c, "false", 5);
    }
    if (b == 'n') {
        return literal(c, "null", 4);
    }
    return number(c);
}

// Whether the key whose opening quote is at k is exactly name once decoded (so "\u0075ser" is "user").
static int key_is(const u8 *k, const u8 *end, const char *name) {
    u8 buf[8];
    sink s = {buf, 0, 0, sizeof buf};
    cursor c = {k, end};
    string(&c, &s);
    u32 n = 0;
    while (name[n]) {
        n++;
    }
    if (s.n != n) {
        return 0;
    }
    for (u32 i = 0; i < n; i++) {
        if (buf[i] != (u8)name[i]) {
            return 0;
        }
    }
    return 1;
}

static const char OPEN[] = "<p>Dear ";
static const char MID[] = ", ";
static const char CLOSE[] = "</p>";

static u64 error(u32 code) {
    return code;
}

// The fill: the object's "user" and "note" strings into <p>Dear {user}, {note}</p>, HTML-escaped.
EXPORT("transform") u64 transform(int ptr, int len) {
    if (len < 0 || (u64)(u32)ptr + (u32)len > (u64)__builtin_wasm_memory_size(0) * PAGE) {
        return error(ERR_RANGE);  // reading it would trap
    }
    cursor c = {(const u8 *)(u32)ptr, (const u8 *)(u32)ptr + (u32)len};
    const u8 *user = 0;
    const u8 *note = 0;
    int user_ok = 0;
    int note_ok = 0;
    skip_ws(&c);
    if (c.p >= c.end || *c.p != '{') {
        return error(ERR_JSON);
    }
    c.p++;
    skip_ws(&c);
    if (c.p < c.end && *c.p == '}') {
        c.p++;
    } else {
        for (;;) {
            skip_ws(&c);
            const u8 *k = c.p;
            if (!string(&c, 0)) {
                return error(ERR_JSON);
            }
            int is_user = key_is(k, c.p, "user");
            int is_note = !is_user && key_is(k, c.p, "note");
            skip_ws(&c);
            if (c.p >= c.end || *c.p != ':') {
                return error(ERR_JSON);
            }
            c.p++;
            skip_ws(&c);
            const u8 *v = c.p;
            if (!value(&c, 1)) {
                return error(ERR_JSON);
            }
            if (is_user) {
                user = v;
                user_ok = *v == '"';
            } else if (is_note) {
                note = v;
                note_ok = *v == '"';
            }
            skip_ws(&c);
            if (c.p >= c.end) {
                return error(ERR_JSON);
            }
            if (*c.p == ',') {
                c.p++;
                continue;
            }
            if (*c.p == '}') {
                c.p++;
                break;
            }
            return error(ERR_JSON);
        }
    }
    skip_ws(&c);
    if (c.p != c.end) {
        return error(ERR_JSON);
    }
    if (!user || !note || !user_ok || !note_ok) {
        return error(ERR_FIELD);
    }

    // Size the result, then write it.
    sink s = {0, 0, 1, 0};
    cursor u = {user, c.end};
    cursor n = {note, c.end};
    string(&u, &s);
    string(&n, &s);
    u64 total = (u64)s.n + sizeof OPEN - 1 + sizeof MID - 1 + sizeof CLOSE - 1;
    if (total > (1u << MAX_CLASS)) {
        return error(ERR_MEMORY);
    }
    u32 out = allocate((u32)total);
    if (out == 0) {
        return error(ERR_MEMORY);
    }
    sink w = {(u8 *)out, 0, 0, (u32)total};
    put_raw(&w, OPEN, sizeof OPEN - 1);
    w.html = 1;
    u.p = user;
    string(&u, &w);
    w.html = 0;
    put_raw(&w, MID, sizeof MID - 1);
    w.html = 1;
    n.p = note;
    string(&n, &w);
    w.html = 0;
    put_raw(&w, CLOSE, sizeof CLOSE - 1);
    return (u64)out << 32 | w.n;
}

// transform with both arguments in one i64, (ptr << 32) | len: the signature (i64) -> i64, for hosts whose
// fastest typed call has no (i32, i32) -> i64 shape (wasmbridge's Function.as(LongUnaryOperator.class)).
EXPORT("transform_packed") u64 transform_packed(u64 arg) {
    return transform((int)(u32)(arg >> 32), (int)(u32)arg);
}
