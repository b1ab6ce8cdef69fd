//! One `wasi:http` request served by Wasmtime from Rust, per operation: the floor of the JMH class
//! `HttpHandlerBench` (wasmbridge's `WasiHttpHandler.handle(request, sink)`), on the C test guest
//! `tests/http/http-guest.c` (built by `scripts/build-http-guests.sh` into
//! `KERNEL_DIR/http-guest.wasm`; the java/bench build and `bench/http.sh` put it there).
//!
//! Prepared once: the component, a linker with WASI 0.2 (`wasmtime_wasi::p2::add_to_linker_sync`:
//! the guest's world is `wasi:http/proxy` plus `wasi:cli/environment`, which the proxy
//! interfaces alone lack) and `wasi:http` (`add_only_http_to_linker_sync`), and a `ProxyPre`. Per
//! request, what `wasmtime serve` and wasmbridge's handler do: a new `Store` with a `WasiCtx`
//! (empty), a `WasiHttpCtx` and a `ResourceTable`; `new_incoming_request` of an `http::Request`;
//! `new_response_outparam`; `ProxyPre::instantiate`; `call_handle`; the response taken from the
//! outparam's channel and its body read to its end. The body is read after the guest returns (a
//! synchronous embedding has no second task to read it meanwhile), so the hooks let the guest
//! queue [`BODY_CHUNKS`] writes instead of one; outgoing requests are denied.
//!
//! Result names: `http.hello` (`GET /hello`, empty body, 16 bytes back) and `http.echo64k`
//! (`POST /echo` of 64 KiB, streamed back by the guest in writes of at most 4 KiB), ns per
//! request.

use std::future::Future;
use std::hint::black_box;
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use http_body::Body;
use http_body_util::{Empty, Full};
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Engine, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::bindings::sync::ProxyPre;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;
use wasmtime_wasi_http::{p2, WasiHttpView};
use wasmtime_wasi_http::{RequestOptions, WasiBody, WasiHttpCtx, WasiHttpCtxView, WasiHttpHooks};

use crate::Bench;

/// The request body of `http.echo64k`: 64 KiB (the JMH benchmark and `bench/http.sh` send the
/// same size).
pub const ECHO_BYTES: usize = 64 * 1024;
/// Response-body writes the guest may queue before someone reads them (Wasmtime's default is 1,
/// which a synchronous caller that reads only after the guest returns could never drain): 64 of
/// the guest's 4 KiB writes hold the 64 KiB echo.
const BODY_CHUNKS: usize = 64;

/// A request's store data: WASI, `wasi:http` and their resource table.
struct State {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    table: ResourceTable,
    hooks: Hooks,
}

/// The `wasi:http` hooks: outgoing requests denied, [`BODY_CHUNKS`] queued body writes.
struct Hooks;

type SendFuture = Box<
    dyn Future<
            Output = wasmtime_wasi_http::Result<(
                http::Response<WasiBody>,
                Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
            )>,
        > + Send,
>;

impl WasiHttpHooks for Hooks {
    fn send_request(
        &mut self,
        _request: http::Request<WasiBody>,
        _options: Option<RequestOptions>,
        _fut: Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
    ) -> SendFuture {
        Box::new(async { Err(wasmtime_wasi_http::Error::HttpRequestDenied) })
    }

    fn p2_outgoing_body_buffer_chunks(&mut self) -> usize {
        BODY_CHUNKS
    }
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for State {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}

/// Serves one request in a new store; returns the response's status and the bytes of its body.
fn serve<B>(engine: &Engine, pre: &ProxyPre<State>, request: http::Request<B>) -> (u16, usize)
where
    B: Body<Data = Bytes> + Send + 'static,
    B::Error: Into<wasmtime_wasi_http::Error>,
{
    let mut store = Store::new(
        engine,
        State {
            wasi: WasiCtx::builder().build(),
            http: WasiHttpCtx::new(),
            table: ResourceTable::new(),
            hooks: Hooks,
        },
    );
    let (tx, mut rx) = tokio::sync::oneshot::channel();
    let (req, out) = {
        let mut view = store.data_mut().http();
        let req = view
            .new_incoming_request(Scheme::Http, request)
            .expect("new_incoming_request");
        let out = view
            .new_response_outparam(tx)
            .expect("new_response_outparam");
        (req, out)
    };
    let proxy = pre.instantiate(&mut store).expect("instantiate the guest");
    proxy
        .wasi_http_incoming_handler()
        .call_handle(&mut store, req, out)
        .expect("incoming-handler.handle");
    let response = rx
        .try_recv()
        .expect("the guest set no response")
        .unwrap_or_else(|code| panic!("the guest answered with {code:?}"));
    let status = response.status().as_u16();
    (status, read_body(response.into_body()))
}

/// Reads a response body the guest has finished (every frame is queued by then): its length.
fn read_body(mut body: HyperOutgoingBody) -> usize {
    let mut cx = Context::from_waker(Waker::noop());
    let mut n = 0;
    loop {
        match Pin::new(&mut body).poll_frame(&mut cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    n += data.len();
                }
            }
            Poll::Ready(Some(Err(e))) => panic!("the response body failed: {e:?}"),
            Poll::Ready(None) => return n,
            Poll::Pending => panic!("the response body is unfinished after the guest returned"),
        }
    }
}

fn hello() -> http::Request<Empty<Bytes>> {
    http::Request::builder()
        .method(http::Method::GET)
        .uri("http://localhost/hello")
        .body(Empty::new())
        .expect("request")
}

fn echo(body: &Bytes) -> http::Request<Full<Bytes>> {
    http::Request::builder()
        .method(http::Method::POST)
        .uri("http://localhost/echo")
        .header(http::header::CONTENT_TYPE, "application/octet-stream")
        .header(http::header::CONTENT_LENGTH, body.len())
        .body(Full::new(body.clone()))
        .expect("request")
}

/// Times `http.hello` and `http.echo64k` on `engine`, when `dir` holds `http-guest.wasm`.
pub fn run(bench: &mut Bench, engine: &Engine, dir: &Path) {
    if !bench.selected("http.") {
        return;
    }
    let path = dir.join("http-guest.wasm");
    if !path.is_file() {
        eprintln!(
            "http: no {} (scripts/build-http-guests.sh builds it; the java/bench build and bench/http.sh run it), skipped",
            path.display()
        );
        return;
    }
    let component =
        Component::from_file(engine, &path).unwrap_or_else(|e| panic!("{}: {e:#}", path.display()));
    let mut linker: Linker<State> = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).expect("WASI 0.2");
    p2::add_only_http_to_linker_sync(&mut linker).expect("wasi:http");
    let pre = ProxyPre::new(
        linker
            .instantiate_pre(&component)
            .unwrap_or_else(|e| panic!("link {}: {e:#}", path.display())),
    )
    .expect("the guest exports wasi:http/incoming-handler");

    assert_eq!(
        serve(engine, &pre, hello()),
        (200, "hello from wasm\n".len())
    );
    bench.run("http.hello", 1, || {
        black_box(serve(engine, &pre, hello()));
    });

    let body = Bytes::from(
        (0..ECHO_BYTES)
            .map(|i| (i * 31 + 7) as u8)
            .collect::<Vec<u8>>(),
    );
    assert_eq!(serve(engine, &pre, echo(&body)), (200, ECHO_BYTES));
    bench.run("http.echo64k", 1, || {
        black_box(serve(engine, &pre, echo(&body)));
    });
}
