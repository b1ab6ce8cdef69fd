//! A guest's outgoing requests (`wasi:http/outgoing-handler`), sent by Java.
//!
//! [`Hooks::send_request`] runs in the guest's call of `outgoing-handler.handle`, on the thread
//! running the guest: it hands Java the request's head, a handle to its body (`body::GuestBody`,
//! which Java's client reads as the guest writes it) and a [`Completer`], through
//! `HttpExchange.send`. Java answers later, from any thread, through `HttpNative.outgoingComplete`
//! (status, headers, a `body::JavaBody` it pushes the response's bytes into) or `outgoingFail` (an
//! error code by WIT name); the guest's `future-incoming-response` resolves then. Without a Java
//! side (the handler allows no outgoing requests) every request is `HTTP-request-denied`, at once.

use std::future::Future;
use std::sync::Mutex;

use http_body_util::BodyExt;
use jni::objects::{JByteArray, JClass, JString, JValue};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;
use tokio::sync::oneshot;
use wasmtime_wasi_http::{RequestOptions, WasiBody, WasiHttpHooks};

use super::body::{GuestBody, JavaBody};
use super::{codec, ids, void_call};
use crate::bridge::error::Error;
use crate::bridge::ffi::entry;
use crate::bridge::handle::{self, Tagged};
use crate::wasi::JavaStream;

/// The `wasi:http` hooks of a store.
#[derive(Default)]
pub struct Hooks {
    /// The exchange outgoing requests go to; none: they are denied.
    pub java: Option<JavaStream>,
}

type Response = std::result::Result<http::Response<WasiBody>, wasmtime_wasi_http::Error>;

/// The answer Java gives to one outgoing request, once.
pub struct Completer {
    tx: Mutex<Option<oneshot::Sender<Response>>>,
}

impl Tagged for Completer {
    const TAG: u32 = 0x5701_0033;
    const NAME: &'static str = "HttpCompleter";
}

impl Completer {
    fn complete(&self, r: Response) {
        let tx = self
            .tx
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(tx) = tx {
            // The guest may have let the request go meanwhile: then nobody waits for this.
            let _ = tx.send(r);
        }
    }
}

type SendFuture = Box<
    dyn Future<
            Output = wasmtime_wasi_http::Result<(
                http::Response<WasiBody>,
                Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
            )>,
        > + Send,
>;

fn nanos(d: Option<std::time::Duration>) -> i64 {
    d.map_or(-1, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

impl WasiHttpHooks for Hooks {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        _fut: Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
    ) -> SendFuture {
        let Some(java) = self.java.clone() else {
            return Box::new(async { Err(wasmtime_wasi_http::Error::HttpRequestDenied) });
        };
        let (parts, body) = request.into_parts();
        let head = codec::write_head(
            parts.method.as_str(),
            parts.uri.scheme_str().unwrap_or(""),
            parts.uri.authority().map_or("", |a| a.as_str()),
            parts.uri.path_and_query().map_or("/", |p| p.as_str()),
            &parts.headers,
        );
        let options = options.unwrap_or_default();
        let timeouts = [
            nanos(options.connect_timeout),
            nanos(options.first_byte_timeout),
            nanos(options.between_bytes_timeout),
        ];
        let (tx, rx) = oneshot::channel();
        let body = handle::into_handle(GuestBody::new(body));
        let completer = handle::into_handle(Completer {
            tx: Mutex::new(Some(tx)),
        });
        let sent = java.call(|env, target| {
            env.with_local_frame(4, |env| {
                let head = env.byte_array_from_slice(&head)?;
                let t = env.new_long_array(timeouts.len())?;
                t.set_region(env, 0, &timeouts)?;
                let args = [
                    JValue::Object(&head).as_jni(),
                    JValue::Long(body).as_jni(),
                    JValue::Long(completer).as_jni(),
                    JValue::Object(&t).as_jni(),
                ];
                void_call(env, target, ids().send, &args)
            })
        });
        if sent.is_err() {
            // Java did not take the handles: they are still ours.
            // SAFETY: made above and given to nobody.
            unsafe {
                handle::free::<GuestBody>(body);
                handle::free::<Completer>(completer);
            }
            return Box::new(async {
                Err(wasmtime_wasi_http::Error::InternalError(Some(
                    "the Java side of outgoing requests failed".into(),
                )))
            });
        }
        Box::new(async move {
            let response = rx
                .await
                .map_err(|_| wasmtime_wasi_http::Error::HttpResponseIncomplete)??;
            let done: Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send> =
                Box::new(async { Ok(()) });
            Ok((response, done))
        })
    }
}

/// Answers an outgoing request: `status`, `headers` (the `codec.rs` field encoding), and the
/// response's body, which Java pushes into the `JavaBody` handle `body`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_http_HttpNative_outgoingComplete<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    completer: jlong,
    status: jint,
    headers: JByteArray<'l>,
    body: jlong,
) {
    entry(&mut env, |env| {
        let headers = codec::read_field_map(&env.convert_byte_array(&headers)?)?;
        let status = u16::try_from(status)
            .ok()
            .and_then(|s| http::StatusCode::from_u16(s).ok())
            .ok_or_else(|| Error::IllegalArgument(format!("{status} is not an HTTP status")))?;
        // SAFETY: Java passes live handles (Handle.acquire); the boxes synchronize themselves.
        let b = unsafe { handle::get::<JavaBody>(body) }?.take_receiver()?;
        let mut response = http::Response::new(b.boxed_unsync());
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        // SAFETY: as above.
        unsafe { handle::get::<Completer>(completer) }?.complete(Ok(response));
        Ok(())
    })
}

/// Answers an outgoing request with a failure: the `wasi:http` error code named `code` (its WIT name).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_http_HttpNative_outgoingFail<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    completer: jlong,
    code: JString<'l>,
) {
    entry(&mut env, |env| {
        let code = code.try_to_string(env)?;
        let error = codec::error_from_name(&code)?;
        // SAFETY: Java passes a live handle (Handle.acquire); the box synchronizes itself.
        unsafe { handle::get::<Completer>(completer) }?.complete(Err(error));
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_http_HttpNative_completerFree<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    completer: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: Java frees each handle once, after its last use.
        unsafe { handle::free::<Completer>(completer) };
        Ok(())
    })
}
