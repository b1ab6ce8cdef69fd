//! Serving HTTP with components: `dev.wasmbridge.http` (`HttpNative`) behind JNI, on
//! wasmtime-wasi-http's `wasi:http` types.
//!
//! One request is one call of [`handle`] on the Java thread serving it, in a store of its own: the
//! request (head, and a body Java streams in: `body.rs`) becomes an `incoming-request`, the
//! component is instantiated from its pre-instantiated form and its `incoming-handler` called.
//! The response reaches Java through its exchange object (`HttpExchange`), on this same thread: the
//! head and the body's bytes are handed over whenever the guest waits (every wait of
//! `wasi:io`, see `wasi/p2.rs`, runs [`Exchange::pump`]) and when it returns. So a response streams
//! while the guest writes it, in bounded memory (the guest's writes wait while Java's client takes
//! the bytes), and no thread but the caller's runs the guest.
//!
//! Outgoing requests (`wasi:http/outgoing-handler`) go to Java too (`outgoing.rs`), or are denied.

pub mod body;
pub mod codec;
pub mod outgoing;

use std::any::Any;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame};
use http_body_util::BodyExt;
use jni::objects::{JByteArray, JClass, JMethodID, JObject, JValue};
use jni::signature::{Primitive, ReturnType};
use jni::sys::{jboolean, jint, jlong};
use jni::{jni_sig, jni_str, Env, EnvUnowned};
use once_cell::sync::OnceCell;
use wasmtime_wasi_http::p2::bindings::http::types::{ErrorCode, Scheme};
use wasmtime_wasi_http::p2::bindings::sync::ProxyPre;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

use crate::bridge::error::{Error, Result};
use crate::bridge::ffi::entry;
use crate::bridge::handle::{self, Tagged};
use crate::component::linker::ComponentPreBox;
use crate::store::{self, JavaFrame, StoreData};
use crate::wasi::{Failure, JavaStream, Pump, Waiting, P2};

/// How an exchange ended when the guest returned normally (`HttpAbi.java` holds the same numbers).
pub const OUTCOME_COMPLETE: jint = 0;
/// The guest returned without setting a response.
pub const OUTCOME_NO_RESPONSE: jint = 1;
/// The guest set an error code instead of a response (`HttpExchange.refused` was told which).
pub const OUTCOME_ERROR_RESPONSE: jint = 2;
/// The guest's response body did not end properly: not finished, aborted, or longer or shorter
/// than its `content-length`.
pub const OUTCOME_BODY_INCOMPLETE: jint = 3;
/// Java's client went away while the response was being sent.
pub const OUTCOME_CLIENT_GONE: jint = 4;

/// The most bytes handed to Java in one call of `HttpExchange.data`.
const DATA_CHUNK: usize = 64 * 1024;

/// What a store holds for `wasi:http` (a store extension, `StoreData::ext`): its context and its
/// hooks. The exchange running now is the store's WASI [`Pump`] (see [`exchange`]).
#[derive(Default)]
pub struct StoreHttp {
    ctx: WasiHttpCtx,
    pub hooks: outgoing::Hooks,
}

impl WasiHttpView for StoreData {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        let (p2, http) = self.ext_pair::<P2, StoreHttp>();
        WasiHttpCtxView {
            ctx: &mut http.ctx,
            table: &mut p2.table,
            hooks: &mut http.hooks,
        }
    }
}

/// The request a store serves now, while [`handle`] runs: installed as the store's [`Pump`], so
/// WASI waits hand Java the response as the guest writes it.
fn exchange(data: &mut StoreData) -> Option<&mut Exchange> {
    let pump: &mut dyn Pump = data.ext::<Waiting>().0.as_deref_mut()?;
    (pump as &mut dyn Any).downcast_mut::<Exchange>()
}

impl Pump for Exchange {
    fn pump(&mut self) -> wasmtime::Result<()> {
        self.pump_now()
    }

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        self.frame_ready(cx)
    }
}

/// Method IDs of `dev.wasmbridge.http.HttpExchange`, looked up once (from `cache::init`).
struct Ids {
    /// `head(int status, byte[] fields)`
    head: JMethodID,
    /// `data(byte[] bytes)`
    data: JMethodID,
    /// `trailers(byte[] fields)`
    trailers: JMethodID,
    /// `refused(byte[] code)`: the WIT name of the error code the guest set instead of a response
    refused: JMethodID,
    /// `send(byte[] head, long body, long completer, long[] timeouts)`
    send: JMethodID,
}

static IDS: OnceCell<Ids> = OnceCell::new();

/// Fills this module's cache; called from `cache::init` in `JNI_OnLoad`.
pub fn init_cache(env: &mut Env<'_>) -> jni::errors::Result<()> {
    let class = env.find_class(jni_str!("dev/wasmbridge/http/HttpExchange"))?;
    let ids = Ids {
        head: env.get_method_id(&class, jni_str!("head"), jni_sig!("(I[B)V"))?,
        data: env.get_method_id(&class, jni_str!("data"), jni_sig!("([B)V"))?,
        trailers: env.get_method_id(&class, jni_str!("trailers"), jni_sig!("([B)V"))?,
        refused: env.get_method_id(&class, jni_str!("refused"), jni_sig!("([B)V"))?,
        send: env.get_method_id(&class, jni_str!("send"), jni_sig!("([BJJ[J)V"))?,
    };
    let _ = IDS.set(ids);
    Ok(())
}

fn ids() -> &'static Ids {
    match IDS.get() {
        Some(ids) => ids,
        // Filled in JNI_OnLoad, before any native method can run.
        None => std::process::abort(),
    }
}

/// A pre-instantiated component that exports `wasi:http/incoming-handler`, shared by threads.
pub struct HandlerBox {
    pre: ProxyPre<StoreData>,
}

impl Tagged for HandlerBox {
    const TAG: u32 = 0x5701_0030;
    const NAME: &'static str = "HttpHandler";
}

/// A handler for the component of `pre` (a `ComponentInstancePre`): refused unless the component
/// exports `wasi:http/incoming-handler` of version 0.2.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_http_HttpNative_handlerNew<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    pre: jlong,
) -> jlong {
    entry(&mut env, |_env| {
        // SAFETY: live handle, shared by threads (InstancePre is Sync).
        let p = unsafe { handle::get::<ComponentPreBox>(pre) }?;
        let pre = ProxyPre::new(p.pre.clone()).map_err(|e| {
            Error::IllegalArgument(format!(
                "the component is not an HTTP handler: it must export \
                 wasi:http/incoming-handler@0.2.x with a `handle` function ({e:#})"
            ))
        })?;
        Ok(handle::into_handle(HandlerBox { pre }))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_http_HttpNative_handlerFree<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handler: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: Java frees each handle once, after its last use.
        unsafe { handle::free::<HandlerBox>(handler) };
        Ok(())
    })
}

/// The response the guest gave to `response-outparam.set`, until [`Exchange::pump`] takes it.
type Slot = Arc<Mutex<Option<std::result::Result<http::Response<HyperOutgoingBody>, ErrorCode>>>>;

/// Where a response is.
enum Phase {
    /// The guest has not set it (or Java has not seen it yet).
    Head,
    /// The head went to Java; the body's bytes follow.
    Body(HyperOutgoingBody),
    /// All of it went to Java.
    Ended,
    /// The guest set an error code instead (Java was told which).
    Refused,
    /// The body failed or was cut short.
    Aborted,
    /// Java's client went away.
    Gone,
}

/// The request served in a store now, and how far its response got.
pub struct Exchange {
    java: JavaStream,
    slot: Slot,
    phase: Phase,
    /// A frame that arrived while the guest waited, for the next pump.
    stash: Option<Option<std::result::Result<Frame<Bytes>, wasmtime_wasi_http::Error>>>,
    /// The body bytes still due by the response's `content-length`, if it has one: no byte past it
    /// reaches Java, and a body that ends short of it is incomplete.
    due: Option<u64>,
}

impl Exchange {
    /// Hands Java what the guest has produced so far (the head, the body's bytes, its trailers),
    /// without waiting for more. Fails, trapping the guest, when Java's client has gone away or
    /// Java threw anything but an `IOException`.
    fn pump_now(&mut self) -> wasmtime::Result<()> {
        if matches!(self.phase, Phase::Head) {
            let set = lock(&self.slot).take();
            match set {
                None => return Ok(()),
                Some(Err(code)) => {
                    let name = codec::error_name(&code);
                    self.upcall(|env, target| {
                        let name = env.byte_array_from_slice(name.as_bytes())?;
                        void_call(
                            env,
                            target,
                            ids().refused,
                            &[JValue::Object(&name).as_jni()],
                        )
                    })?;
                    self.phase = Phase::Refused;
                }
                Some(Ok(response)) => {
                    let (parts, body) = response.into_parts();
                    self.due = parts
                        .headers
                        .get(http::header::CONTENT_LENGTH)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok());
                    let fields = codec::write_fields(&parts.headers);
                    let status = jint::from(parts.status.as_u16());
                    self.upcall(|env, target| {
                        let fields = env.byte_array_from_slice(&fields)?;
                        let args = [
                            JValue::Int(status).as_jni(),
                            JValue::Object(&fields).as_jni(),
                        ];
                        void_call(env, target, ids().head, &args)
                    })?;
                    self.phase = Phase::Body(body);
                }
            }
        }
        let Phase::Body(body) = &mut self.phase else {
            return Ok(());
        };
        // The frames' bytes as they came (copied once, into the Java array).
        let mut data: Vec<Bytes> = Vec::new();
        let mut len = 0;
        let mut trailers = None;
        let mut next = None;
        while len < DATA_CHUNK {
            let frame = match self.stash.take() {
                Some(f) => f,
                None => match wasmtime_wasi::runtime::poll_noop(std::pin::pin!(body.frame())) {
                    Some(f) => f,
                    None => break,
                },
            };
            match frame {
                None => {
                    next = Some(Phase::Ended);
                    break;
                }
                Some(Err(_)) => {
                    next = Some(Phase::Aborted);
                    break;
                }
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(bytes) => {
                        let take = match &mut self.due {
                            None => bytes.len(),
                            Some(due) => {
                                let take =
                                    bytes.len().min(usize::try_from(*due).unwrap_or(usize::MAX));
                                *due -= take as u64;
                                take
                            }
                        };
                        len += take;
                        data.push(bytes.slice(..take));
                        if take < bytes.len() {
                            // More than the content-length declared: the response is broken.
                            next = Some(Phase::Aborted);
                            break;
                        }
                    }
                    Err(frame) => trailers = frame.into_trailers().ok(),
                },
            }
        }
        if matches!(next, Some(Phase::Ended)) && self.due.is_some_and(|d| d > 0) {
            // Shorter than the content-length declared.
            next = Some(Phase::Aborted);
        }
        if len > 0 {
            self.upcall(|env, target| {
                let bytes = env.new_byte_array(len)?;
                let mut at: jni::sys::jsize = 0;
                for piece in &data {
                    bytes.set_region(env, at, body::bytemuck_i8(piece))?;
                    // DATA_CHUNK plus one frame (a write, at most 1 MiB): far below 2^31.
                    at += piece.len() as jni::sys::jsize;
                }
                void_call(env, target, ids().data, &[JValue::Object(&bytes).as_jni()])
            })?;
        }
        if let Some(t) = trailers {
            let fields = codec::write_fields(&t);
            self.upcall(|env, target| {
                let fields = env.byte_array_from_slice(&fields)?;
                void_call(
                    env,
                    target,
                    ids().trailers,
                    &[JValue::Object(&fields).as_jni()],
                )
            })?;
        }
        if let Some(next) = next {
            self.phase = next;
        }
        Ok(())
    }

    /// Whether the response can move on (a body frame arrived, kept for the next pump); registers
    /// `cx` to be woken when it can. For waits that pump while the guest waits.
    fn frame_ready(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.stash.is_some() {
            return Poll::Ready(());
        }
        match &mut self.phase {
            Phase::Head => {
                if lock(&self.slot).is_some() {
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            }
            Phase::Body(body) => match std::pin::Pin::new(body).poll_frame(cx) {
                Poll::Ready(frame) => {
                    self.stash = Some(frame);
                    Poll::Ready(())
                }
                Poll::Pending => Poll::Pending,
            },
            _ => Poll::Pending,
        }
    }

    /// Calls Java's exchange; an `IOException` means the client went away.
    fn upcall(
        &mut self,
        f: impl FnOnce(&mut Env<'_>, &JObject<'static>) -> jni::errors::Result<()>,
    ) -> wasmtime::Result<()> {
        let outcome = self
            .java
            .call(|env, target| env.with_local_frame(4, |env| f(env, target)));
        match outcome {
            Ok(()) => Ok(()),
            Err(Failure::Io) => {
                self.phase = Phase::Gone;
                Err(wasmtime::Error::msg("the HTTP client went away"))
            }
            Err(Failure::Thrown(t)) => {
                self.phase = Phase::Gone;
                Err(wasmtime::Error::new(crate::bridge::error::JavaThrown(t)))
            }
            Err(Failure::Jni(m)) => {
                self.phase = Phase::Gone;
                Err(wasmtime::Error::msg(format!(
                    "calling the HTTP exchange failed: {m}"
                )))
            }
        }
    }

    /// After the guest returned: hands Java the rest and says how the exchange ended.
    fn finish(&mut self) -> Result<jint> {
        if let Err(e) = self.pump_now() {
            return match self.phase {
                Phase::Gone => Ok(OUTCOME_CLIENT_GONE),
                _ => Err(Error::from_wasm(e, Error::Wasm)),
            };
        }
        // The guest is done: a body still open now was never finished (all it wrote was
        // handed over above).
        Ok(match &self.phase {
            Phase::Head => OUTCOME_NO_RESPONSE,
            Phase::Refused => OUTCOME_ERROR_RESPONSE,
            Phase::Body(_) | Phase::Aborted => OUTCOME_BODY_INCOMPLETE,
            Phase::Ended => OUTCOME_COMPLETE,
            Phase::Gone => OUTCOME_CLIENT_GONE,
        })
    }
}

fn void_call(
    env: &mut Env<'_>,
    target: &JObject<'_>,
    method: JMethodID,
    args: &[jni::sys::jvalue],
) -> jni::errors::Result<()> {
    // SAFETY: every method ID of `Ids` was looked up on HttpExchange with the signature its
    // callers pass arguments for, returning void; target is an HttpExchange.
    unsafe {
        env.call_method_unchecked(target, method, ReturnType::Primitive(Primitive::Void), args)
    }?;
    Ok(())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The request Java gave: its head (`codec.rs`) and its body.
fn request(
    head: &[u8],
    body: body::ChannelBody,
) -> Result<(Scheme, http::Request<body::ChannelBody>)> {
    let mut r = codec::Reader::new(head);
    let method = r.string()?;
    let scheme = r.string()?;
    let authority = r.string()?;
    let path = r.string()?;
    let headers = codec::read_fields(&mut r)?;
    if !r.done() {
        return Err(Error::IllegalArgument(
            "trailing bytes after the HTTP head".into(),
        ));
    }
    let method = http::Method::from_bytes(method.as_bytes())
        .map_err(|_| Error::IllegalArgument(format!("'{method}' is not an HTTP method")))?;
    let wasi_scheme = match scheme {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        other => Scheme::Other(other.to_owned()),
    };
    let mut uri = http::Uri::builder();
    if !scheme.is_empty() && !authority.is_empty() {
        uri = uri.scheme(scheme).authority(authority);
    }
    let uri = uri
        .path_and_query(if path.is_empty() { "/" } else { path })
        .build()
        .map_err(|e| {
            Error::IllegalArgument(format!("the request target '{path}' is not valid: {e}"))
        })?;
    let mut builder = http::Request::builder().method(method).uri(uri);
    if let Some(h) = builder.headers_mut() {
        *h = headers;
        if !authority.is_empty() && !h.contains_key(http::header::HOST) {
            let host = http::HeaderValue::from_str(authority).map_err(|_| {
                Error::IllegalArgument(format!("'{authority}' is not a valid authority"))
            })?;
            h.insert(http::header::HOST, host);
        }
    }
    let request = builder
        .body(body)
        .map_err(|e| Error::IllegalArgument(format!("not a valid HTTP request: {e}")))?;
    Ok((wasi_scheme, request))
}

/// Serves one request: `head` (`codec.rs`), its body (`inline` bytes with their `trailers` (fields,
/// or null), or the `body` handle of a `JavaBody` Java pushes into; neither: empty), the response to
/// `exchange`. Instantiates the
/// handler's component in `store` (a new one) and calls its `incoming-handler`. Returns how the
/// exchange ended (`OUTCOME_*`) when the guest returned; a trap or other failure of the guest is
/// thrown as for any call. `outgoing`: whether the guest's outgoing requests go to
/// `exchange.send` (else they are denied).
#[unsafe(no_mangle)]
#[allow(
    clippy::too_many_arguments,
    reason = "a JNI entry: one argument per part of the request"
)]
pub extern "system" fn Java_dev_wasmbridge_http_HttpNative_handle<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handler: jlong,
    store_obj: JObject<'l>,
    store: jlong,
    head: JByteArray<'l>,
    inline: JByteArray<'l>,
    trailers: JByteArray<'l>,
    body: jlong,
    exchange: JObject<'l>,
    outgoing: jboolean,
) -> jint {
    entry(&mut env, |env| {
        let frame = JavaFrame::new(env.get_raw(), store_obj.as_raw(), store);
        // SAFETY: live handle, shared by threads (ProxyPre is Sync).
        let h = unsafe { handle::get::<HandlerBox>(handler) }?;
        let head = env.convert_byte_array(&head)?;
        let body = if body != 0 {
            // SAFETY: Java passes a live body handle (Handle.acquire); the box synchronizes itself.
            unsafe { handle::get::<body::JavaBody>(body) }?.take_receiver()?
        } else {
            let bytes = if inline.is_null() {
                Vec::new()
            } else {
                env.convert_byte_array(&inline)?
            };
            let trailers = if trailers.is_null() {
                None
            } else {
                Some(codec::read_field_map(&env.convert_byte_array(&trailers)?)?)
            };
            body::complete(bytes, trailers)
        };
        let (scheme, request) = request(&head, body)?;
        let java = JavaStream {
            target: Arc::new(env.new_global_ref(&exchange)?),
            store,
            what: "HTTP exchange",
        };
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let slot: Slot = Arc::new(Mutex::new(None));
        {
            let (http, waiting) = cx.data_mut().ext_pair::<StoreHttp, Waiting>();
            if waiting.0.is_some() {
                return Err(Error::IllegalState(
                    "this store is serving an HTTP request already".into(),
                ));
            }
            http.hooks.java = if outgoing { Some(java.clone()) } else { None };
            waiting.0 = Some(Box::new(Exchange {
                java,
                slot: slot.clone(),
                phase: Phase::Head,
                stash: None,
                due: None,
            }));
        }
        let outcome = serve(&mut cx, h, frame, scheme, request, slot);
        let (http, waiting) = cx.data_mut().ext_pair::<StoreHttp, Waiting>();
        waiting.0 = None;
        http.hooks.java = None;
        outcome
    })
}

fn serve(
    cx: &mut wasmtime::StoreContextMut<'_, StoreData>,
    h: &HandlerBox,
    frame: JavaFrame,
    scheme: Scheme,
    request: http::Request<body::ChannelBody>,
    slot: Slot,
) -> Result<jint> {
    let wasm = |e: wasmtime::Error| Error::Wasm(format!("{e:#}"));
    let (req, out) = {
        let mut view = cx.data_mut().http();
        let req = view.new_incoming_request(scheme, request).map_err(|e| {
            Error::IllegalArgument(format!("not a request wasi:http can serve: {e:#}"))
        })?;
        let out = view
            .new_response_outparam_from_callback(move |r| *lock(&slot) = Some(r))
            .map_err(wasm)?;
        (req, out)
    };
    store::with_frame(cx, frame, |cx| {
        let proxy = h.pre.instantiate(&mut *cx)?;
        proxy
            .wasi_http_incoming_handler()
            .call_handle(&mut *cx, req, out)
    })
    .map_err(|e| Error::from_wasm(e, Error::Wasm))?;
    match exchange(cx.data_mut()) {
        Some(ex) => ex.finish(),
        None => Err(Error::IllegalState("the HTTP exchange vanished".into())),
    }
}
