"""A wasi:http handler (world `handler` of wit/world.wit, which is wasi:http/proxy@0.2.12) for the tests.

Built by scripts/build-http-python.sh with componentize-py. Routes (tests/http-js has the same ones):
  GET  /               200 text/plain "hello from python\n"
  POST /echo           200, the request body streamed back (see `relay`), with the request's content-type
                       (application/octet-stream when it has none)
  GET  /headers        200 text/plain, one line "NAME: VALUE\n" per request header, in the order of the
                       host's fields.entries(), values decoded as UTF-8
  ANY  /fetch?url=URL  an outgoing GET of URL (its query value percent-decoded), relaying the status, the
                       content-type and the body (streamed, see `relay`); 502 text/plain "error: CASE" when the
                       request fails, CASE being the WIT name of the wasi:http error-code (e.g.
                       HTTP-request-denied); 400 "missing url\n" without the parameter
  anything else        404 text/plain "not found\n"
The asyncio event loop over wasi:io/poll is componentize-py's bundled poll_loop module.

Bodies are relayed with wasi:io/streams output-stream.splice, at most 64 KiB a call and as much as check-write
allows, so that their bytes pass through the host only: componentize-py 0.25.1 never frees the copy it makes of
a `bytes` passed to an import (its runtime's maybe_pop_list), so relaying with input-stream.read and
output-stream.write would grow the guest's memory by the size of the body (800 MiB echoed: +800 MB).
"""

import asyncio
from typing import List, Optional, Tuple
from urllib import parse

import poll_loop
from componentize_py_types import Err, Ok
from poll_loop import PollLoop, Sink, register
from wit_world import exports
from wit_world.imports import types
from wit_world.imports.streams import StreamError_Closed
from wit_world.imports.types import (
    Fields,
    IncomingBody,
    IncomingRequest,
    Method_Get,
    Method_Post,
    OutgoingBody,
    OutgoingRequest,
    OutgoingResponse,
    ResponseOutparam,
)

# The cases of wasi:http/types.error-code, by their WIT names; the Python class of each is ErrorCode_ and
# the name in UpperCamelCase (HTTP-request-denied: ErrorCode_HttpRequestDenied).
ERROR_CODE_CASES = [
    "DNS-timeout", "DNS-error", "destination-not-found", "destination-unavailable",
    "destination-IP-prohibited", "destination-IP-unroutable", "connection-refused",
    "connection-terminated", "connection-timeout", "connection-read-timeout", "connection-write-timeout",
    "connection-limit-reached", "TLS-protocol-error", "TLS-certificate-error", "TLS-alert-received",
    "HTTP-request-denied", "HTTP-request-length-required", "HTTP-request-body-size",
    "HTTP-request-method-invalid", "HTTP-request-URI-invalid", "HTTP-request-URI-too-long",
    "HTTP-request-header-section-size", "HTTP-request-header-size", "HTTP-request-trailer-section-size",
    "HTTP-request-trailer-size", "HTTP-response-incomplete", "HTTP-response-header-section-size",
    "HTTP-response-header-size", "HTTP-response-body-size", "HTTP-response-trailer-section-size",
    "HTTP-response-trailer-size", "HTTP-response-transfer-coding", "HTTP-response-content-coding",
    "HTTP-response-timeout", "HTTP-upgrade-failed", "HTTP-protocol-error", "loop-detected",
    "configuration-error", "internal-error",
]
ERROR_CODE_NAMES = {
    "ErrorCode_" + "".join(word.capitalize() for word in case.split("-")): case for case in ERROR_CODE_CASES
}


def error_name(error: object) -> str:
    """The WIT case name of an error-code value (or a description of anything else)."""
    return ERROR_CODE_NAMES.get(type(error).__name__, type(error).__name__)


class IncomingHandler(exports.IncomingHandler):
    def handle(self, request: IncomingRequest, response_out: ResponseOutparam) -> None:
        loop = PollLoop()
        asyncio.set_event_loop(loop)
        loop.run_until_complete(handle_async(request, response_out))


# The most bytes one splice moves.
CHUNK = 64 * 1024


async def respond(response_out: ResponseOutparam, status: int, headers: List[Tuple[str, bytes]],
                  body: Optional[bytes]) -> Optional[OutgoingBody]:
    """Sends the response head; writes `body` and finishes the response when given, else returns its body."""
    response = OutgoingResponse(Fields.from_list(headers))
    response.set_status_code(status)
    outgoing = response.body()
    ResponseOutparam.set(response_out, Ok(response))
    if body is None:
        return outgoing
    sink = Sink(outgoing)
    if body:
        await sink.send(body)
    sink.close()
    return None


async def text(response_out: ResponseOutparam, status: int, body: str) -> None:
    await respond(response_out, status, [("content-type", b"text/plain")], body.encode("utf-8"))


async def relay(incoming: IncomingBody, outgoing: OutgoingBody) -> None:
    """Streams all of `incoming` into `outgoing` in chunks, then finishes both."""
    loop = asyncio.get_event_loop()
    with incoming.stream() as src, outgoing.write() as dst:
        while True:
            if dst.check_write() == 0:
                await register(loop, dst.subscribe())
                continue
            try:
                moved = dst.splice(src, CHUNK)
            except Err as e:
                if isinstance(e.value, StreamError_Closed):
                    break  # the end of the incoming body
                raise
            if moved == 0:
                await register(loop, src.subscribe())
        dst.flush()
        while dst.check_write() == 0:
            await register(loop, dst.subscribe())
    IncomingBody.finish(incoming)
    OutgoingBody.finish(outgoing, None)


async def handle_async(request: IncomingRequest, response_out: ResponseOutparam) -> None:
    method = request.method()
    target = parse.urlsplit(request.path_with_query() or "/")
    path = target.path
    with request.headers() as fields:
        headers = fields.entries()

    if path == "/" and isinstance(method, Method_Get):
        await text(response_out, 200, "hello from python\n")
    elif path == "/echo" and isinstance(method, Method_Post):
        content_type = [h for h in headers if h[0].lower() == "content-type"][:1] \
            or [("content-type", b"application/octet-stream")]
        outgoing = await respond(response_out, 200, content_type, None)
        await relay(request.consume(), outgoing)
    elif path == "/headers" and isinstance(method, Method_Get):
        lines = "".join(f"{name}: {value.decode('utf-8', 'replace')}\n" for name, value in headers)
        await text(response_out, 200, lines)
    elif path == "/fetch":
        urls = parse.parse_qs(target.query).get("url")
        if not urls:
            await text(response_out, 400, "missing url\n")
            return
        await fetch(urls[0], response_out)
    else:
        await text(response_out, 404, "not found\n")


async def fetch(url: str, response_out: ResponseOutparam) -> None:
    parsed = parse.urlsplit(url)
    request = OutgoingRequest(Fields.from_list([]))
    try:
        if parsed.scheme == "http":
            request.set_scheme(types.Scheme_Http())
        elif parsed.scheme == "https":
            request.set_scheme(types.Scheme_Https())
        else:
            request.set_scheme(types.Scheme_Other(parsed.scheme))
        request.set_authority(parsed.netloc)
        request.set_path_with_query((parsed.path or "/") + ("?" + parsed.query if parsed.query else ""))
    except Err:
        # The scheme or the authority is not valid in a URI.
        await text(response_out, 502, "error: HTTP-request-URI-invalid")
        return
    try:
        response = await poll_loop.send(request)
    except Err as e:
        await text(response_out, 502, f"error: {error_name(e.value)}")
        return
    with response.headers() as fields:
        content_type = fields.get("content-type")
    outgoing = await respond(response_out, response.status(),
                             [("content-type", content_type[0])] if content_type else [], None)
    await relay(response.consume(), outgoing)
