// A wasi:http handler for the tests: a Hono app served through StarlingMonkey's fetch event (componentize-js
// exports wasi:http/incoming-handler for a script that listens to `fetch`). Built by scripts/build-http-js.sh.
// Routes (tests/http-python has the same ones):
//   GET  /               200 text/plain "hello from js\n"
//   POST /echo           200, the request body streamed back, with the request's content-type
//                        (application/octet-stream when it has none)
//   GET  /headers        200 text/plain, one line "NAME: VALUE\n" per request header, in the order the
//                        Headers object iterates them (the Fetch standard's: sorted by name, a repeated name
//                        combined into one line with ", "), values decoded as UTF-8
//   ANY  /fetch?url=URL  a GET of URL (its query value percent-decoded) through wasi:http/outgoing-handler,
//                        relaying the status, the content-type and the body (streamed, 64 KiB reads); 502
//                        text/plain "error: CASE" when the request fails, CASE being the WIT name of the
//                        wasi:http error-code (e.g. HTTP-request-denied); 400 "missing url\n" without the
//                        parameter
//   anything else        404 text/plain "not found\n"
import { Hono } from 'hono';
import { handle as sendRequest } from 'wasi:http/outgoing-handler@0.2.10';
import { Fields, IncomingBody, OutgoingRequest } from 'wasi:http/types@0.2.10';

// The most bytes one read of an outgoing request's response body asks for.
const CHUNK = 65536n;

const TEXT = { 'content-type': 'text/plain' };
const app = new Hono();

app.get('/', (c) => c.body('hello from js\n', 200, TEXT));

app.post('/echo', (c) => {
  const contentType = c.req.header('content-type') ?? 'application/octet-stream';
  return new Response(c.req.raw.body, { status: 200, headers: { 'content-type': contentType } });
});

app.get('/headers', (c) => {
  // A header value is a byte string (a char per byte): its bytes are decoded as UTF-8, as in tests/http-python.
  const utf8 = new TextDecoder();
  let lines = '';
  for (const [name, value] of c.req.raw.headers) {
    lines += `${name}: ${utf8.decode(Uint8Array.from(value, (ch) => ch.charCodeAt(0)))}\n`;
  }
  return c.body(lines, 200, TEXT);
});

app.all('/fetch', (c) => {
  const url = c.req.query('url');
  if (!url) {
    return c.body('missing url\n', 400, TEXT);
  }
  try {
    return outgoingGet(url);
  } catch (e) {
    if (e instanceof FetchFailed) {
      return c.body(`error: ${e.code}`, 502, TEXT);
    }
    throw e;
  }
});

app.notFound((c) => c.body('not found\n', 404, TEXT));

// A failed outgoing request: `code` is the WIT name of the wasi:http error-code.
class FetchFailed extends Error {
  constructor(code) {
    super(code);
    this.code = code;
  }
}

// The tag of a wasi:http error-code thrown by the bindings (a ComponentError whose payload is the variant).
function errorCode(e) {
  if (e && e.payload && typeof e.payload.tag === 'string') {
    return e.payload.tag;
  }
  throw e;
}

// A GET of `url` through wasi:http/outgoing-handler, as a Response whose body streams the incoming one.
// (StarlingMonkey's fetch() reports every failure as one TypeError, without the error-code.)
function outgoingGet(url) {
  let target;
  try {
    target = new URL(url);
  } catch {
    throw new FetchFailed('HTTP-request-URI-invalid');
  }
  const request = new OutgoingRequest(new Fields());
  const scheme = target.protocol.slice(0, -1);
  try {
    request.setScheme(scheme === 'http' ? { tag: 'HTTP' } : scheme === 'https' ? { tag: 'HTTPS' }
      : { tag: 'other', val: scheme });
    request.setAuthority(target.host);
    request.setPathWithQuery(target.pathname + target.search);
  } catch {
    throw new FetchFailed('HTTP-request-URI-invalid');
  }
  let future;
  try {
    future = sendRequest(request, undefined);
  } catch (e) {
    throw new FetchFailed(errorCode(e));
  }
  const pollable = future.subscribe();
  pollable.block();
  pollable[Symbol.dispose]();
  const result = future.get(); // option<result<result<incoming-response, error-code>>>
  future[Symbol.dispose]();
  if (result.tag !== 'ok') {
    throw new FetchFailed('internal-error');
  }
  if (result.val.tag !== 'ok') {
    throw new FetchFailed(result.val.val.tag);
  }
  const incoming = result.val.val;
  const status = incoming.status();
  const headers = {};
  const fields = incoming.headers();
  const contentType = fields.get('content-type');
  fields[Symbol.dispose]();
  if (contentType.length > 0) {
    headers['content-type'] = new TextDecoder().decode(contentType[0]);
  }
  const body = incoming.consume();
  let stream = body.stream();
  const finish = () => {
    if (stream !== null) {
      stream[Symbol.dispose]();
      stream = null;
      IncomingBody.finish(body)[Symbol.dispose]();
      incoming[Symbol.dispose]();
    }
  };
  const readable = new ReadableStream({
    pull(controller) {
      let chunk;
      try {
        chunk = stream.blockingRead(CHUNK);
      } catch (e) {
        finish();
        if (e && e.payload && e.payload.tag === 'closed') {
          controller.close();
        } else {
          controller.error(e);
        }
        return;
      }
      controller.enqueue(chunk);
    },
    cancel: finish,
  });
  return new Response(readable, { status, headers });
}

// What Hono's app.fire() does, without its deprecation.
addEventListener('fetch', (event) => event.respondWith(app.fetch(event.request)));
