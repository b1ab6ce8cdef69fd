// A wasi:http/incoming-handler (wasi:http/proxy@0.2.12) test guest for wasmbridge's HTTP serving: one
// route per behaviour a host must handle (streaming both ways, trailers, traps before and after the
// response head, endless loops, memory exhaustion, an overlong body, outgoing requests). README.md beside
// this file lists the routes; scripts/build-http-guests.sh builds it with the bindings that tools/c-bindgen
// generates from wit/ (http_guest.h, the names below).
//
// Only wasi:* 0.2 imports are used (no stdio, getenv or clock of wasi-libc), so the core module imports
// nothing from wasi_snapshot_preview1 and the component imports only what this file calls.
#include "http_guest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef http_guest_string_t string_t;
typedef wasi_http_types_own_fields_t fields_t;
typedef wasi_http_types_own_incoming_request_t request_t;
typedef wasi_http_types_own_response_outparam_t outparam_t;
typedef wasi_http_types_own_incoming_body_t incoming_body_t;
typedef wasi_io_streams_own_output_stream_t output_t;
typedef wasi_io_streams_borrow_output_stream_t output_ref_t;

enum {
  READ_CHUNK = 64 * 1024, // the most one blocking-read asks for
  WRITE_CHUNK = 4096,     // the most one write (or blocking-write-and-flush) passes
  MIB = 1024 * 1024,
};

// ---- small helpers ---------------------------------------------------------------------------------

// A growable byte buffer (response bodies built in memory, decoded query values).
typedef struct {
  uint8_t *ptr;
  size_t len, cap;
} buf_t;

static void buf_add(buf_t *b, const void *data, size_t n) {
  if (n == 0) {
    return;
  }
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n) {
      cap *= 2;
    }
    uint8_t *p = realloc(b->ptr, cap);
    if (p == NULL) {
      __builtin_trap();
    }
    b->ptr = p;
    b->cap = cap;
  }
  memcpy(b->ptr + b->len, data, n);
  b->len += n;
}

static void buf_str(buf_t *b, const char *s) { buf_add(b, s, strlen(s)); }

static void buf_u64(buf_t *b, uint64_t v) {
  char digits[20];
  size_t n = 0;
  do {
    digits[sizeof digits - 1 - n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  buf_add(b, digits + sizeof digits - n, n);
}

static void buf_free(buf_t *b) {
  free(b->ptr);
  b->ptr = NULL;
  b->len = b->cap = 0;
}

static bool bytes_eq(const uint8_t *p, size_t n, const char *s) {
  return n == strlen(s) && memcmp(p, s, n) == 0;
}

static bool ascii_ieq(const uint8_t *p, size_t n, const char *s) {
  if (n != strlen(s)) {
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    if (c >= 'A' && c <= 'Z') {
      c = (uint8_t)(c - 'A' + 'a');
    }
    if (c != (uint8_t)s[i]) {
      return false;
    }
  }
  return true;
}

// Parses a whole buffer as a decimal number (no sign, no overflow).
static bool parse_u64(const buf_t *b, uint64_t *out) {
  if (b->len == 0 || b->len > 19) {
    return false;
  }
  uint64_t v = 0;
  for (size_t i = 0; i < b->len; i++) {
    if (b->ptr[i] < '0' || b->ptr[i] > '9') {
      return false;
    }
    v = v * 10 + (uint64_t)(b->ptr[i] - '0');
  }
  *out = v;
  return true;
}

static int hex_value(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Finds parameter `name` in a query string (the part after '?') and appends its value to `out`,
// percent-decoded ('+' is a space, as in forms). Returns whether the parameter is there.
static bool query_param(const uint8_t *query, size_t len, const char *name, buf_t *out) {
  size_t name_len = strlen(name);
  size_t i = 0;
  while (i < len) {
    size_t end = i;
    while (end < len && query[end] != '&') {
      end++;
    }
    size_t eq = i;
    while (eq < end && query[eq] != '=') {
      eq++;
    }
    if (eq - i == name_len && memcmp(query + i, name, name_len) == 0) {
      for (size_t j = eq + 1; j < end; j++) {
        uint8_t c = query[j];
        int hi, lo;
        if (c == '+') {
          c = ' ';
        } else if (c == '%' && j + 2 < end && (hi = hex_value(query[j + 1])) >= 0 &&
                   (lo = hex_value(query[j + 2])) >= 0) {
          c = (uint8_t)(hi * 16 + lo);
          j += 2;
        }
        buf_add(out, &c, 1);
      }
      return true;
    }
    i = end + 1;
  }
  return false;
}

// Reads a decimal query parameter; `fallback` when it is absent or not a number.
static uint64_t query_u64(const uint8_t *query, size_t len, const char *name, uint64_t fallback) {
  buf_t v = {0};
  uint64_t n = fallback;
  if (query_param(query, len, name, &v) && !parse_u64(&v, &n)) {
    n = fallback;
  }
  buf_free(&v);
  return n;
}

static void block_on(wasi_io_poll_own_pollable_t pollable) {
  wasi_io_poll_method_pollable_block(wasi_io_poll_borrow_pollable(pollable));
  wasi_io_poll_pollable_drop_own(pollable);
}

// Sleeps with wasi:clocks/monotonic-clock's subscribe-duration and a blocking poll.
static void sleep_ms(uint64_t ms) {
  const uint64_t max_ms = UINT64_MAX / 1000000;
  block_on(wasi_clocks_monotonic_clock_subscribe_duration((ms > max_ms ? max_ms : ms) * 1000000));
}

// ---- streams ---------------------------------------------------------------------------------------

// Writes all of `data` with check-write/write in pieces of at most WRITE_CHUNK bytes (as many as
// check-write allows, waiting on the stream's pollable when it allows none), then starts a flush.
static bool write_all(output_ref_t out, const uint8_t *data, size_t len) {
  wasi_io_streams_stream_error_t err;
  while (len > 0) {
    uint64_t permitted;
    if (!wasi_io_streams_method_output_stream_check_write(out, &permitted, &err)) {
      wasi_io_streams_stream_error_free(&err);
      return false;
    }
    if (permitted == 0) {
      block_on(wasi_io_streams_method_output_stream_subscribe(out));
      continue;
    }
    size_t n = len < WRITE_CHUNK ? len : WRITE_CHUNK;
    if (n > permitted) {
      n = (size_t)permitted;
    }
    http_guest_list_u8_t piece = {(uint8_t *)data, n};
    if (!wasi_io_streams_method_output_stream_write(out, &piece, &err)) {
      wasi_io_streams_stream_error_free(&err);
      return false;
    }
    data += n;
    len -= n;
  }
  if (!wasi_io_streams_method_output_stream_flush(out, &err)) {
    wasi_io_streams_stream_error_free(&err);
    return false;
  }
  return true;
}

static bool write_str(output_ref_t out, const char *s) {
  return write_all(out, (const uint8_t *)s, strlen(s));
}

static bool blocking_flush(output_ref_t out) {
  wasi_io_streams_stream_error_t err;
  if (!wasi_io_streams_method_output_stream_blocking_flush(out, &err)) {
    wasi_io_streams_stream_error_free(&err);
    return false;
  }
  return true;
}

// Called with each chunk read from an incoming body; returns false to stop reading.
typedef bool (*sink_fn)(void *ctx, const uint8_t *data, size_t len);

static bool sink_count(void *ctx, const uint8_t *data, size_t len) {
  (void)data;
  *(uint64_t *)ctx += len;
  return true;
}

static bool sink_write(void *ctx, const uint8_t *data, size_t len) {
  return write_all(*(output_ref_t *)ctx, data, len);
}

// Reads an incoming body to its end with blocking-read (READ_CHUNK at a time), handing each chunk to
// `sink`. Then finishes the body: the future trailers go to *trailers
// when it is not NULL, and are dropped otherwise. Returns whether the body was read to its end (false:
// the stream failed or the sink gave up; the body is then dropped without finishing it).
static bool read_body(incoming_body_t body, sink_fn sink, void *ctx, wasi_http_types_own_future_trailers_t *trailers) {
  wasi_http_types_own_input_stream_t stream;
  if (!wasi_http_types_method_incoming_body_stream(wasi_http_types_borrow_incoming_body(body), &stream)) {
    wasi_http_types_incoming_body_drop_own(body);
    return false;
  }
  wasi_io_streams_borrow_input_stream_t in = wasi_io_streams_borrow_input_stream(stream);
  bool ok = true;
  for (;;) {
    http_guest_list_u8_t chunk;
    wasi_io_streams_stream_error_t err;
    if (!wasi_io_streams_method_input_stream_blocking_read(in, READ_CHUNK, &chunk, &err)) {
      ok = err.tag == WASI_IO_STREAMS_STREAM_ERROR_CLOSED;
      wasi_io_streams_stream_error_free(&err);
      break;
    }
    bool more = chunk.len == 0 || sink(ctx, chunk.ptr, chunk.len);
    http_guest_list_u8_free(&chunk);
    if (!more) {
      ok = false;
      break;
    }
  }
  wasi_io_streams_input_stream_drop_own(stream);
  if (!ok) {
    wasi_http_types_incoming_body_drop_own(body);
    return false;
  }
  wasi_http_types_own_future_trailers_t future = wasi_http_types_static_incoming_body_finish(body);
  if (trailers != NULL) {
    *trailers = future;
  } else {
    wasi_http_types_future_trailers_drop_own(future);
  }
  return true;
}

static bool consume_request(request_t request, incoming_body_t *body) {
  return wasi_http_types_method_incoming_request_consume(wasi_http_types_borrow_incoming_request(request), body);
}

// ---- responses -------------------------------------------------------------------------------------

static void fields_add(fields_t fields, const char *name, const uint8_t *value, size_t len) {
  string_t n = {(uint8_t *)name, strlen(name)};
  wasi_http_types_field_value_t v = {(uint8_t *)value, len};
  wasi_http_types_header_error_t err;
  // A rejected header (invalid or forbidden) is left out.
  (void)wasi_http_types_method_fields_append(wasi_http_types_borrow_fields(fields), &n, &v, &err);
}

static void fields_add_str(fields_t fields, const char *name, const char *value) {
  fields_add(fields, name, (const uint8_t *)value, strlen(value));
}

static fields_t text_headers(void) {
  fields_t headers = wasi_http_types_constructor_fields();
  fields_add_str(headers, "content-type", "text/plain");
  return headers;
}

// A response whose head has been handed to the host and whose body is being written.
typedef struct {
  wasi_http_types_own_outgoing_body_t body;
  output_t stream;
} response_t;

// Sets the response outparam to a response with `status` and `headers` (taken); returns its body.
// An invalid status (the host refuses it) becomes 500.
static response_t start_response(outparam_t outparam, uint16_t status, fields_t headers) {
  wasi_http_types_own_outgoing_response_t response = wasi_http_types_constructor_outgoing_response(headers);
  wasi_http_types_borrow_outgoing_response_t ref = wasi_http_types_borrow_outgoing_response(response);
  if (!wasi_http_types_method_outgoing_response_set_status_code(ref, status)) {
    (void)wasi_http_types_method_outgoing_response_set_status_code(ref, 500);
  }
  response_t r;
  if (!wasi_http_types_method_outgoing_response_body(ref, &r.body) ||
      !wasi_http_types_method_outgoing_body_write(wasi_http_types_borrow_outgoing_body(r.body), &r.stream)) {
    __builtin_trap(); // a fresh response always has a body, which has a stream
  }
  wasi_http_types_result_own_outgoing_response_error_code_t result = {.is_err = false, .val.ok = response};
  wasi_http_types_static_response_outparam_set(outparam, &result);
  return r;
}

static output_ref_t response_out(const response_t *r) { return wasi_io_streams_borrow_output_stream(r->stream); }

// Flushes, drops the stream and finishes the body with optional trailers (taken).
static void finish_response(response_t *r, fields_t *trailers) {
  (void)blocking_flush(response_out(r));
  wasi_io_streams_output_stream_drop_own(r->stream);
  wasi_http_types_error_code_t err;
  if (!wasi_http_types_static_outgoing_body_finish(r->body, trailers, &err)) {
    wasi_http_types_error_code_free(&err);
  }
}

// Drops the body without finishing it: the host sees an incomplete body.
static void abandon_response(response_t *r) {
  wasi_io_streams_output_stream_drop_own(r->stream);
  wasi_http_types_outgoing_body_drop_own(r->body);
}

static void respond(outparam_t outparam, uint16_t status, fields_t headers, const uint8_t *body, size_t len) {
  response_t r = start_response(outparam, status, headers);
  if (write_all(response_out(&r), body, len)) {
    finish_response(&r, NULL);
  } else {
    abandon_response(&r);
  }
}

static void respond_text(outparam_t outparam, uint16_t status, const char *text) {
  respond(outparam, status, text_headers(), (const uint8_t *)text, strlen(text));
}

static void respond_buf(outparam_t outparam, uint16_t status, const buf_t *body) {
  respond(outparam, status, text_headers(), body->ptr, body->len);
}

// The case names of wasi:http/types' error-code, in their order there.
static const char *const ERROR_CODE_NAMES[] = {
    "DNS-timeout",
    "DNS-error",
    "destination-not-found",
    "destination-unavailable",
    "destination-IP-prohibited",
    "destination-IP-unroutable",
    "connection-refused",
    "connection-terminated",
    "connection-timeout",
    "connection-read-timeout",
    "connection-write-timeout",
    "connection-limit-reached",
    "TLS-protocol-error",
    "TLS-certificate-error",
    "TLS-alert-received",
    "HTTP-request-denied",
    "HTTP-request-length-required",
    "HTTP-request-body-size",
    "HTTP-request-method-invalid",
    "HTTP-request-URI-invalid",
    "HTTP-request-URI-too-long",
    "HTTP-request-header-section-size",
    "HTTP-request-header-size",
    "HTTP-request-trailer-section-size",
    "HTTP-request-trailer-size",
    "HTTP-response-incomplete",
    "HTTP-response-header-section-size",
    "HTTP-response-header-size",
    "HTTP-response-body-size",
    "HTTP-response-trailer-section-size",
    "HTTP-response-trailer-size",
    "HTTP-response-transfer-coding",
    "HTTP-response-content-coding",
    "HTTP-response-timeout",
    "HTTP-upgrade-failed",
    "HTTP-protocol-error",
    "loop-detected",
    "configuration-error",
    "internal-error",
};
_Static_assert(sizeof ERROR_CODE_NAMES / sizeof ERROR_CODE_NAMES[0] == WASI_HTTP_TYPES_ERROR_CODE_INTERNAL_ERROR + 1,
               "one name per error-code case");

static const char *error_code_name(const wasi_http_types_error_code_t *code) {
  return code->tag <= WASI_HTTP_TYPES_ERROR_CODE_INTERNAL_ERROR ? ERROR_CODE_NAMES[code->tag] : "unknown";
}

// 502 with body "error: <case name>"; frees `code`.
static void respond_error_code(outparam_t outparam, wasi_http_types_error_code_t *code) {
  buf_t body = {0};
  buf_str(&body, "error: ");
  buf_str(&body, error_code_name(code));
  wasi_http_types_error_code_free(code);
  respond_buf(outparam, 502, &body);
  buf_free(&body);
}

// ---- routes ----------------------------------------------------------------------------------------

// The request's content-type header, first value, if any (appended to `out`).
static bool request_content_type(request_t request, buf_t *out) {
  fields_t headers = wasi_http_types_method_incoming_request_headers(wasi_http_types_borrow_incoming_request(request));
  string_t name = {(uint8_t *)"content-type", strlen("content-type")};
  wasi_http_types_list_field_value_t values;
  wasi_http_types_method_fields_get(wasi_http_types_borrow_fields(headers), &name, &values);
  bool found = values.len > 0;
  if (found) {
    buf_add(out, values.ptr[0].ptr, values.ptr[0].len);
  }
  wasi_http_types_list_field_value_free(&values);
  wasi_http_types_fields_drop_own(headers);
  return found;
}

// /echo: the head first (with the request's content-type), then the body back as it comes in.
static void route_echo(request_t request, outparam_t outparam) {
  fields_t headers = wasi_http_types_constructor_fields();
  buf_t content_type = {0};
  if (request_content_type(request, &content_type)) {
    fields_add(headers, "content-type", content_type.ptr, content_type.len);
  }
  buf_free(&content_type);
  response_t r = start_response(outparam, 200, headers);
  output_ref_t out = response_out(&r);
  incoming_body_t body;
  if (consume_request(request, &body) && read_body(body, sink_write, &out, NULL)) {
    finish_response(&r, NULL);
  } else {
    abandon_response(&r);
  }
}

static const char *const METHOD_NAMES[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE",
                                           "PATCH"};

static void add_field_lines(buf_t *b, const char *prefix, fields_t fields) {
  wasi_http_types_list_tuple2_field_name_field_value_t entries;
  wasi_http_types_method_fields_entries(wasi_http_types_borrow_fields(fields), &entries);
  for (size_t i = 0; i < entries.len; i++) {
    buf_str(b, prefix);
    buf_add(b, entries.ptr[i].f0.ptr, entries.ptr[i].f0.len);
    buf_str(b, ": ");
    buf_add(b, entries.ptr[i].f1.ptr, entries.ptr[i].f1.len);
    buf_str(b, "\n");
  }
  wasi_http_types_list_tuple2_field_name_field_value_free(&entries);
}

// /info: the request's method, scheme, authority, path, headers and body size.
static void route_info(request_t request, outparam_t outparam) {
  wasi_http_types_borrow_incoming_request_t ref = wasi_http_types_borrow_incoming_request(request);
  buf_t b = {0};

  wasi_http_types_method_t method;
  wasi_http_types_method_incoming_request_method(ref, &method);
  buf_str(&b, "method: ");
  if (method.tag == WASI_HTTP_TYPES_METHOD_OTHER) {
    buf_add(&b, method.val.other.ptr, method.val.other.len);
  } else {
    buf_str(&b, METHOD_NAMES[method.tag]);
  }
  wasi_http_types_method_free(&method);

  wasi_http_types_scheme_t scheme;
  buf_str(&b, "\nscheme: ");
  if (!wasi_http_types_method_incoming_request_scheme(ref, &scheme)) {
    buf_str(&b, "none");
  } else {
    if (scheme.tag == WASI_HTTP_TYPES_SCHEME_HTTP) {
      buf_str(&b, "http");
    } else if (scheme.tag == WASI_HTTP_TYPES_SCHEME_HTTPS) {
      buf_str(&b, "https");
    } else {
      buf_add(&b, scheme.val.other.ptr, scheme.val.other.len);
    }
    wasi_http_types_scheme_free(&scheme);
  }

  string_t s;
  buf_str(&b, "\nauthority: ");
  if (wasi_http_types_method_incoming_request_authority(ref, &s)) {
    buf_add(&b, s.ptr, s.len);
    http_guest_string_free(&s);
  } else {
    buf_str(&b, "none");
  }
  buf_str(&b, "\npath: ");
  if (wasi_http_types_method_incoming_request_path_with_query(ref, &s)) {
    buf_add(&b, s.ptr, s.len);
    http_guest_string_free(&s);
  } else {
    buf_str(&b, "none");
  }
  buf_str(&b, "\n");

  fields_t headers = wasi_http_types_method_incoming_request_headers(ref);
  add_field_lines(&b, "header: ", headers);
  wasi_http_types_fields_drop_own(headers);

  uint64_t total = 0;
  incoming_body_t body;
  bool complete = consume_request(request, &body) && read_body(body, sink_count, &total, NULL);
  buf_str(&b, "body-bytes: ");
  buf_u64(&b, total);
  buf_str(&b, complete ? "\n" : " (incomplete)\n");
  respond_buf(outparam, 200, &b);
  buf_free(&b);
}

// /status?code=N: status N, empty body (400 "bad status code\n" when N is missing or invalid).
static void route_status(outparam_t outparam, const uint8_t *query, size_t query_len) {
  uint64_t code = query_u64(query, query_len, "code", 0);
  if (code < 100 || code > 999) {
    respond_text(outparam, 400, "bad status code\n");
    return;
  }
  wasi_http_types_own_outgoing_response_t response =
      wasi_http_types_constructor_outgoing_response(wasi_http_types_constructor_fields());
  if (!wasi_http_types_method_outgoing_response_set_status_code(wasi_http_types_borrow_outgoing_response(response),
                                                                (uint16_t)code)) {
    wasi_http_types_outgoing_response_drop_own(response);
    respond_text(outparam, 400, "bad status code\n");
    return;
  }
  wasi_http_types_own_outgoing_body_t body;
  if (!wasi_http_types_method_outgoing_response_body(wasi_http_types_borrow_outgoing_response(response), &body)) {
    __builtin_trap();
  }
  wasi_http_types_result_own_outgoing_response_error_code_t result = {.is_err = false, .val.ok = response};
  wasi_http_types_static_response_outparam_set(outparam, &result);
  wasi_http_types_error_code_t err;
  if (!wasi_http_types_static_outgoing_body_finish(body, NULL, &err)) {
    wasi_http_types_error_code_free(&err);
  }
}

// /trailers: the request body's size and trailers in the body; response trailers x-body-bytes, x-trailer.
static void route_trailers(request_t request, outparam_t outparam) {
  buf_t b = {0};
  uint64_t total = 0;
  incoming_body_t body;
  wasi_http_types_own_future_trailers_t future;
  if (!consume_request(request, &body) || !read_body(body, sink_count, &total, &future)) {
    respond_text(outparam, 400, "request body incomplete\n");
    return;
  }
  buf_str(&b, "body-bytes: ");
  buf_u64(&b, total);
  buf_str(&b, "\n");

  wasi_http_types_borrow_future_trailers_t future_ref = wasi_http_types_borrow_future_trailers(future);
  block_on(wasi_http_types_method_future_trailers_subscribe(future_ref));
  wasi_http_types_result_result_option_own_trailers_error_code_void_t got;
  if (wasi_http_types_method_future_trailers_get(future_ref, &got) && !got.is_err) {
    wasi_http_types_result_option_own_trailers_error_code_t *result = &got.val.ok;
    if (result->is_err) {
      buf_str(&b, "trailers-error: ");
      buf_str(&b, error_code_name(&result->val.err));
      buf_str(&b, "\n");
    } else if (result->val.ok.is_some) {
      add_field_lines(&b, "trailer: ", result->val.ok.val);
    }
    // Drops the trailers (a child of the future, so before it).
    wasi_http_types_result_result_option_own_trailers_error_code_void_free(&got);
  }
  wasi_http_types_future_trailers_drop_own(future);

  // HTTP/1.1 servers (hyper) send only the trailers that the head announces.
  fields_t headers = text_headers();
  fields_add_str(headers, "trailer", "x-body-bytes, x-trailer");
  response_t r = start_response(outparam, 200, headers);
  if (!write_all(response_out(&r), b.ptr, b.len)) {
    abandon_response(&r);
  } else {
    fields_t trailers = wasi_http_types_constructor_fields();
    buf_t n = {0};
    buf_u64(&n, total);
    fields_add(trailers, "x-body-bytes", n.ptr, n.len);
    buf_free(&n);
    fields_add_str(trailers, "x-trailer", "done");
    finish_response(&r, &trailers);
  }
  buf_free(&b);
}

static volatile uint64_t spin_counter;

static void *volatile bomb_blocks; // the blocks allocated so far, chained through their first word

static void route_bomb(void) {
  for (;;) {
    void **block = malloc(MIB);
    if (block == NULL) {
      __builtin_trap();
    }
    memset(block, 0xa5, MIB);
    block[0] = bomb_blocks;
    bomb_blocks = block;
  }
}

// /big?n=BYTES: byte i of the body is 'a' + i % 26.
static void route_big(outparam_t outparam, const uint8_t *query, size_t query_len) {
  static uint8_t pattern[WRITE_CHUNK + 26];
  for (size_t i = 0; i < sizeof pattern; i++) {
    pattern[i] = (uint8_t)('a' + i % 26);
  }
  uint64_t n = query_u64(query, query_len, "n", 0);
  response_t r = start_response(outparam, 200, wasi_http_types_constructor_fields());
  output_ref_t out = response_out(&r);
  for (uint64_t sent = 0; sent < n;) {
    size_t piece = n - sent < WRITE_CHUNK ? (size_t)(n - sent) : WRITE_CHUNK;
    if (!write_all(out, pattern + sent % 26, piece)) {
      abandon_response(&r);
      return;
    }
    sent += piece;
  }
  finish_response(&r, NULL);
}

// /stream?chunks=K&ms=M: K lines "chunk i\n", M ms apart, each flushed.
static void route_stream(outparam_t outparam, const uint8_t *query, size_t query_len) {
  uint64_t chunks = query_u64(query, query_len, "chunks", 3);
  uint64_t ms = query_u64(query, query_len, "ms", 100);
  response_t r = start_response(outparam, 200, text_headers());
  output_ref_t out = response_out(&r);
  for (uint64_t i = 0; i < chunks; i++) {
    if (i > 0) {
      sleep_ms(ms);
    }
    buf_t line = {0};
    buf_str(&line, "chunk ");
    buf_u64(&line, i);
    buf_str(&line, "\n");
    bool ok = write_all(out, line.ptr, line.len) && blocking_flush(out);
    buf_free(&line);
    if (!ok) {
      abandon_response(&r);
      return;
    }
  }
  finish_response(&r, NULL);
}

// /env?name=X: the variable's value from wasi:cli/environment (404, empty, when unset).
static void route_env(outparam_t outparam, const uint8_t *query, size_t query_len) {
  buf_t name = {0};
  (void)query_param(query, query_len, "name", &name);
  http_guest_list_tuple2_string_string_t env;
  wasi_cli_environment_get_environment(&env);
  size_t i = 0;
  while (i < env.len && !(env.ptr[i].f0.len == name.len && memcmp(env.ptr[i].f0.ptr, name.ptr, name.len) == 0)) {
    i++;
  }
  if (i < env.len) {
    respond(outparam, 200, text_headers(), env.ptr[i].f1.ptr, env.ptr[i].f1.len);
  } else {
    respond(outparam, 404, text_headers(), NULL, 0);
  }
  http_guest_list_tuple2_string_string_free(&env);
  buf_free(&name);
}

static void log_line(output_t stream, const char *line);

// /overlength: content-length 5, then 10 bytes and finish. The host must refuse the body (a stream error
// on the write or the flush, or an error-code from finish); what the guest saw goes to stderr as
// "overlength: write ok|failed, finish ok|<error-code case>".
static void route_overlength(outparam_t outparam) {
  fields_t headers = text_headers();
  fields_add_str(headers, "content-length", "5");
  response_t r = start_response(outparam, 200, headers);
  bool written = write_str(response_out(&r), "0123456789") && blocking_flush(response_out(&r));
  wasi_io_streams_output_stream_drop_own(r.stream);
  buf_t line = {0};
  buf_str(&line, written ? "overlength: write ok, finish " : "overlength: write failed, finish ");
  wasi_http_types_error_code_t err;
  if (wasi_http_types_static_outgoing_body_finish(r.body, NULL, &err)) {
    buf_str(&line, "ok");
  } else {
    buf_str(&line, error_code_name(&err));
    wasi_http_types_error_code_free(&err);
  }
  buf_str(&line, "\n");
  buf_add(&line, "", 1);
  log_line(wasi_cli_stderr_get_stderr(), (const char *)line.ptr);
  buf_free(&line);
}

static void log_line(output_t stream, const char *line) {
  http_guest_list_u8_t contents = {(uint8_t *)line, strlen(line)};
  wasi_io_streams_stream_error_t err;
  if (!wasi_io_streams_method_output_stream_blocking_write_and_flush(wasi_io_streams_borrow_output_stream(stream),
                                                                      &contents, &err)) {
    wasi_io_streams_stream_error_free(&err);
  }
  wasi_io_streams_output_stream_drop_own(stream);
}

// Splits an absolute URL into scheme, authority and path-with-query and sets them on `request`.
static bool set_url(wasi_http_types_borrow_outgoing_request_t request, const buf_t *url) {
  const uint8_t *p = url->ptr, *end = url->ptr + url->len;
  const uint8_t *colon = p;
  while (colon + 2 < end && !(colon[0] == ':' && colon[1] == '/' && colon[2] == '/')) {
    colon++;
  }
  if (colon + 2 >= end || colon == p) {
    return false;
  }
  wasi_http_types_scheme_t scheme;
  if (ascii_ieq(p, (size_t)(colon - p), "http")) {
    scheme.tag = WASI_HTTP_TYPES_SCHEME_HTTP;
  } else if (ascii_ieq(p, (size_t)(colon - p), "https")) {
    scheme.tag = WASI_HTTP_TYPES_SCHEME_HTTPS;
  } else {
    scheme.tag = WASI_HTTP_TYPES_SCHEME_OTHER;
    scheme.val.other = (string_t){(uint8_t *)p, (size_t)(colon - p)};
  }
  const uint8_t *authority = colon + 3, *path = authority;
  while (path < end && *path != '/' && *path != '?') {
    path++;
  }
  string_t authority_s = {(uint8_t *)authority, (size_t)(path - authority)};
  buf_t path_b = {0};
  if (path == end || *path == '?') {
    buf_str(&path_b, "/");
  }
  buf_add(&path_b, path, (size_t)(end - path));
  string_t path_s = {path_b.ptr, path_b.len};
  bool ok = authority_s.len > 0 && wasi_http_types_method_outgoing_request_set_scheme(request, &scheme) &&
            wasi_http_types_method_outgoing_request_set_authority(request, &authority_s) &&
            wasi_http_types_method_outgoing_request_set_path_with_query(request, &path_s);
  buf_free(&path_b);
  return ok;
}

// /fetch?url=URL (GET) and /post?url=URL (POST of the incoming body, streamed): the backend's status,
// content-type and body relayed; 502 "error: <error-code case>" when the request fails. With
// first-byte-ms=N the request's options set a first-byte timeout of N ms.
static void route_outgoing(request_t request, outparam_t outparam, const uint8_t *query, size_t query_len, bool post) {
  buf_t url = {0};
  if (!query_param(query, query_len, "url", &url)) {
    buf_free(&url);
    respond_text(outparam, 400, "missing url\n");
    return;
  }
  fields_t headers = wasi_http_types_constructor_fields();
  if (post) {
    buf_t content_type = {0};
    if (request_content_type(request, &content_type)) {
      fields_add(headers, "content-type", content_type.ptr, content_type.len);
    }
    buf_free(&content_type);
  }
  wasi_http_types_own_outgoing_request_t outgoing = wasi_http_types_constructor_outgoing_request(headers);
  wasi_http_types_borrow_outgoing_request_t outgoing_ref = wasi_http_types_borrow_outgoing_request(outgoing);
  wasi_http_types_method_t method = {.tag = post ? WASI_HTTP_TYPES_METHOD_POST : WASI_HTTP_TYPES_METHOD_GET};
  bool url_ok = wasi_http_types_method_outgoing_request_set_method(outgoing_ref, &method) &&
                set_url(outgoing_ref, &url);
  buf_free(&url);
  if (!url_ok) {
    wasi_http_types_outgoing_request_drop_own(outgoing);
    respond_text(outparam, 400, "bad url\n");
    return;
  }

  wasi_http_types_own_outgoing_body_t outgoing_body = {-1};
  output_t outgoing_stream = {-1};
  if (post && (!wasi_http_types_method_outgoing_request_body(outgoing_ref, &outgoing_body) ||
               !wasi_http_types_method_outgoing_body_write(wasi_http_types_borrow_outgoing_body(outgoing_body),
                                                           &outgoing_stream))) {
    __builtin_trap(); // a fresh request always has a body, which has a stream
  }

  // Send first, then stream the body: the host reads it while the backend takes it.
  wasi_http_types_own_future_incoming_response_t future;
  wasi_http_types_error_code_t err;
  uint64_t first_byte_ms = query_u64(query, query_len, "first-byte-ms", 0);
  wasi_http_types_own_request_options_t options;
  if (first_byte_ms > 0) {
    options = wasi_http_types_constructor_request_options();
    wasi_http_types_duration_t timeout = first_byte_ms * 1000000;
    if (!wasi_http_types_method_request_options_set_first_byte_timeout(
            wasi_http_types_borrow_request_options(options), &timeout)) {
      __builtin_trap(); // a host that takes no timeouts
    }
  }
  if (!wasi_http_outgoing_handler_handle(outgoing, first_byte_ms > 0 ? &options : NULL, &future, &err)) {
    if (post) {
      wasi_io_streams_output_stream_drop_own(outgoing_stream);
      wasi_http_types_outgoing_body_drop_own(outgoing_body);
    }
    respond_error_code(outparam, &err);
    return;
  }
  if (post) {
    output_ref_t out = wasi_io_streams_borrow_output_stream(outgoing_stream);
    incoming_body_t body;
    bool sent = consume_request(request, &body) && read_body(body, sink_write, &out, NULL) &&
                blocking_flush(out);
    wasi_io_streams_output_stream_drop_own(outgoing_stream);
    if (sent) {
      if (!wasi_http_types_static_outgoing_body_finish(outgoing_body, NULL, &err)) {
        wasi_http_types_error_code_free(&err); // the response future says what went wrong
      }
    } else {
      wasi_http_types_outgoing_body_drop_own(outgoing_body);
    }
  }

  wasi_http_types_borrow_future_incoming_response_t future_ref =
      wasi_http_types_borrow_future_incoming_response(future);
  block_on(wasi_http_types_method_future_incoming_response_subscribe(future_ref));
  wasi_http_types_result_result_own_incoming_response_error_code_void_t got;
  if (!wasi_http_types_method_future_incoming_response_get(future_ref, &got) || got.is_err) {
    wasi_http_types_future_incoming_response_drop_own(future);
    respond_text(outparam, 500, "response future not ready\n");
    return;
  }
  wasi_http_types_future_incoming_response_drop_own(future);
  if (got.val.ok.is_err) {
    respond_error_code(outparam, &got.val.ok.val.err);
    return;
  }
  wasi_http_types_own_incoming_response_t response = got.val.ok.val.ok;
  wasi_http_types_borrow_incoming_response_t response_ref = wasi_http_types_borrow_incoming_response(response);

  fields_t response_headers = wasi_http_types_constructor_fields();
  fields_t backend_headers = wasi_http_types_method_incoming_response_headers(response_ref);
  string_t name = {(uint8_t *)"content-type", strlen("content-type")};
  wasi_http_types_list_field_value_t values;
  wasi_http_types_method_fields_get(wasi_http_types_borrow_fields(backend_headers), &name, &values);
  if (values.len > 0) {
    fields_add(response_headers, "content-type", values.ptr[0].ptr, values.ptr[0].len);
  }
  wasi_http_types_list_field_value_free(&values);
  wasi_http_types_fields_drop_own(backend_headers);

  response_t r = start_response(outparam, wasi_http_types_method_incoming_response_status(response_ref),
                                response_headers);
  output_ref_t out = response_out(&r);
  incoming_body_t body;
  bool relayed = wasi_http_types_method_incoming_response_consume(response_ref, &body) &&
                 read_body(body, sink_write, &out, NULL);
  wasi_http_types_incoming_response_drop_own(response);
  if (relayed) {
    finish_response(&r, NULL);
  } else {
    abandon_response(&r);
  }
}

void exports_wasi_http_incoming_handler_handle(request_t request, outparam_t outparam) {
  string_t target = {0};
  if (!wasi_http_types_method_incoming_request_path_with_query(wasi_http_types_borrow_incoming_request(request),
                                                               &target)) {
    target.len = 0;
  }
  const uint8_t *path = target.ptr;
  size_t path_len = 0;
  while (path_len < target.len && path[path_len] != '?') {
    path_len++;
  }
  const uint8_t *query = path_len < target.len ? path + path_len + 1 : path;
  size_t query_len = path_len < target.len ? target.len - path_len - 1 : 0;

  if (bytes_eq(path, path_len, "/hello")) {
    respond_text(outparam, 200, "hello from wasm\n");
  } else if (bytes_eq(path, path_len, "/echo")) {
    route_echo(request, outparam);
  } else if (bytes_eq(path, path_len, "/info")) {
    route_info(request, outparam);
  } else if (bytes_eq(path, path_len, "/status")) {
    route_status(outparam, query, query_len);
  } else if (bytes_eq(path, path_len, "/trailers")) {
    route_trailers(request, outparam);
  } else if (bytes_eq(path, path_len, "/trap")) {
    __builtin_trap();
  } else if (bytes_eq(path, path_len, "/trap-after-head")) {
    response_t r = start_response(outparam, 200, text_headers());
    (void)write_str(response_out(&r), "partial");
    (void)blocking_flush(response_out(&r));
    __builtin_trap();
  } else if (bytes_eq(path, path_len, "/loop")) {
    for (;;) {
      spin_counter++;
    }
  } else if (bytes_eq(path, path_len, "/sleep")) {
    sleep_ms(query_u64(query, query_len, "ms", 0));
    respond_text(outparam, 200, "slept");
  } else if (bytes_eq(path, path_len, "/noresponse")) {
    // Neither sets nor keeps the outparam: it is dropped unset below.
  } else if (bytes_eq(path, path_len, "/bomb")) {
    route_bomb();
  } else if (bytes_eq(path, path_len, "/overlength")) {
    route_overlength(outparam);
  } else if (bytes_eq(path, path_len, "/big")) {
    route_big(outparam, query, query_len);
  } else if (bytes_eq(path, path_len, "/stream")) {
    route_stream(outparam, query, query_len);
  } else if (bytes_eq(path, path_len, "/env")) {
    route_env(outparam, query, query_len);
  } else if (bytes_eq(path, path_len, "/log")) {
    log_line(wasi_cli_stdout_get_stdout(), "guest stdout line\n");
    log_line(wasi_cli_stderr_get_stderr(), "guest stderr line\n");
    respond_text(outparam, 200, "logged");
  } else if (bytes_eq(path, path_len, "/fetch")) {
    route_outgoing(request, outparam, query, query_len, false);
  } else if (bytes_eq(path, path_len, "/post")) {
    route_outgoing(request, outparam, query, query_len, true);
  } else {
    respond_text(outparam, 404, "not found\n");
  }
  if (bytes_eq(path, path_len, "/noresponse")) {
    wasi_http_types_response_outparam_drop_own(outparam);
  }
  http_guest_string_free(&target);
  wasi_http_types_incoming_request_drop_own(request);
}
