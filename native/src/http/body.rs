//! Bodies that cross between Java and a guest's `wasi:http` streams.
//!
//! [`JavaBody`]: bytes Java pushes (an incoming request's body read from the client, the body of a
//! response to a guest's outgoing request) and the guest reads through `wasi:http/types`'
//! `incoming-body`. A bounded channel: Java's push waits while the guest has not taken what came
//! before, so a body of any size streams in bounded memory. The guest reads from the channel's
//! receiving half, an `http_body::Body`; Java holds the sending half behind a handle.
//!
//! [`GuestBody`]: the body of a guest's outgoing request, which Java's HTTP client reads.

use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame};
use http_body_util::BodyExt;
use jni::objects::{JByteArray, JClass};
use jni::sys::{jboolean, jint, jlong, JNI_FALSE, JNI_TRUE};
use jni::EnvUnowned;
use tokio::sync::mpsc;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;

use super::codec;
use crate::bridge::error::{Error, Result};
use crate::bridge::ffi::entry;
use crate::bridge::handle::{self, Tagged};

/// One item of a [`JavaBody`]'s channel: a data or trailers frame, or the failure that ends it.
type Item = std::result::Result<Frame<Bytes>, wasmtime_wasi_http::Error>;

/// The receiving half: the body the guest reads.
pub struct ChannelBody {
    rx: mpsc::Receiver<Item>,
}

impl Body for ChannelBody {
    type Data = Bytes;
    type Error = wasmtime_wasi_http::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<std::result::Result<Frame<Bytes>, Self::Error>>> {
        self.rx.poll_recv(cx)
    }
}

/// A body of bytes `inline` and its `trailers`, complete: a request whose body Java read before the
/// guest started.
pub fn complete(inline: Vec<u8>, trailers: Option<http::HeaderMap>) -> ChannelBody {
    let (tx, rx) = mpsc::channel(2);
    // Capacity 2, nothing sent yet: neither send can fail.
    if !inline.is_empty() {
        let _ = tx.try_send(Ok(Frame::data(Bytes::from(inline))));
    }
    if let Some(t) = trailers {
        let _ = tx.try_send(Ok(Frame::trailers(t)));
    }
    ChannelBody { rx }
}

/// The sending half, behind Java's handle (`HttpNative.body*`): pushed from one Java thread (the
/// body's pump) while the guest reads on another.
pub struct JavaBody {
    tx: Mutex<Option<mpsc::Sender<Item>>>,
    rx: Mutex<Option<ChannelBody>>,
}

impl Tagged for JavaBody {
    const TAG: u32 = 0x5701_0031;
    const NAME: &'static str = "HttpBody";
}

impl JavaBody {
    /// The receiving half, taken once by the request or response it becomes the body of.
    pub fn take_receiver(&self) -> Result<ChannelBody> {
        lock(&self.rx)
            .take()
            .ok_or_else(|| Error::IllegalState("this body is already in use".into()))
    }

    /// Sends `item`, waiting while the channel is full; false when the guest has let the body go.
    fn send(&self, item: Item) -> bool {
        let Some(tx) = lock(&self.tx).clone() else {
            return false;
        };
        // A Java thread, outside any async runtime: a blocking send is what it is for.
        tx.blocking_send(item).is_ok()
    }

    /// Ends the body: no more items; the guest reads end of stream after what was sent.
    fn close(&self) {
        lock(&self.tx).take();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding these locks leaves only an Option behind: still consistent.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A new body channel holding up to `chunks` pushes the guest has not read yet.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_http_HttpNative_bodyNew<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    chunks: jint,
) -> jlong {
    entry(&mut env, |_env| {
        let chunks = usize::try_from(chunks)
            .ok()
            .filter(|&c| c > 0)
            .ok_or_else(|| Error::IllegalArgument(format!("{chunks} chunks: at least 1")))?;
        let (tx, rx) = mpsc::channel(chunks);
        Ok(handle::into_handle(JavaBody {
            tx: Mutex::new(Some(tx)),
            rx: Mutex::new(Some(ChannelBody { rx })),
        }))
    })
}

/// Pushes `len` bytes of `bytes` from `offset`, waiting while the guest has not read earlier pushes;
/// false when the guest let the body go (it will read no more).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_http_HttpNative_bodyPush<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    body: jlong,
    bytes: JByteArray<'l>,
    offset: jint,
    len: jint,
) -> jboolean {
    entry(&mut env, |env| {
        let (Ok(offset), Ok(n)) = (usize::try_from(offset), usize::try_from(len)) else {
            return Err(Error::IllegalArgument("negative offset or length".into()));
        };
        let mut chunk = vec![0i8; n];
        bytes.get_region(env, offset as jint, &mut chunk)?;
        let chunk: Vec<u8> = chunk.into_iter().map(|b| b as u8).collect();
        // SAFETY: Java passes a live body handle (Handle.acquire); the box synchronizes itself.
        let b = unsafe { handle::get::<JavaBody>(body) }?;
        Ok(if b.send(Ok(Frame::data(Bytes::from(chunk)))) {
            JNI_TRUE
        } else {
            JNI_FALSE
        })
    })
}

/// Ends the body, with trailers (the `codec.rs` field encoding) unless `trailers` is null.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_http_HttpNative_bodyFinish<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    body: jlong,
    trailers: JByteArray<'l>,
) {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live body handle (Handle.acquire); the box synchronizes itself.
        let b = unsafe { handle::get::<JavaBody>(body) }?;
        if !trailers.is_null() {
            let bytes = env.convert_byte_array(&trailers)?;
            let map = codec::read_field_map(&bytes)?;
            b.send(Ok(Frame::trailers(map)));
        }
        b.close();
        Ok(())
    })
}

/// Ends the body with a failure the guest reads as the `wasi:http` error code named `code` (its WIT
/// name, `HttpErrorCode`).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_http_HttpNative_bodyFail<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    body: jlong,
    code: jni::objects::JString<'l>,
) {
    entry(&mut env, |env| {
        let code = code.try_to_string(env)?;
        let error = codec::error_from_name(&code)?;
        // SAFETY: Java passes a live body handle (Handle.acquire); the box synchronizes itself.
        let b = unsafe { handle::get::<JavaBody>(body) }?;
        b.send(Err(error));
        b.close();
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_http_HttpNative_bodyFree<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    body: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: Java frees each handle once, after its last use.
        unsafe { handle::free::<JavaBody>(body) };
        Ok(())
    })
}

/// The body of a guest's outgoing request, read by Java (`HttpNative.guestBody*`) on a thread of
/// its HTTP client while the guest writes it on its own.
pub struct GuestBody {
    body: Mutex<GuestBodyState>,
}

struct GuestBodyState {
    body: Option<HyperOutgoingBody>,
    /// Data of a frame that did not fit the last read.
    rest: Bytes,
    trailers: Option<http::HeaderMap>,
}

impl Tagged for GuestBody {
    const TAG: u32 = 0x5701_0032;
    const NAME: &'static str = "HttpGuestBody";
}

impl GuestBody {
    pub fn new(body: HyperOutgoingBody) -> GuestBody {
        GuestBody {
            body: Mutex::new(GuestBodyState {
                body: Some(body),
                rest: Bytes::new(),
                trailers: None,
            }),
        }
    }
}

/// What a read of a guest's body found.
enum Read {
    Data(Bytes),
    End,
}

impl GuestBodyState {
    /// The next bytes, waiting for the guest to write them.
    fn next(&mut self) -> std::result::Result<Read, String> {
        loop {
            if !self.rest.is_empty() {
                return Ok(Read::Data(std::mem::take(&mut self.rest)));
            }
            let Some(body) = self.body.as_mut() else {
                return Ok(Read::End);
            };
            let frame = wasmtime_wasi::runtime::in_tokio(body.frame());
            match frame {
                None => {
                    self.body = None;
                }
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) => self.rest = data,
                    Err(frame) => {
                        if let Ok(t) = frame.into_trailers() {
                            self.trailers = Some(t);
                        }
                    }
                },
                Some(Err(e)) => {
                    self.body = None;
                    return Err(format!("the guest's request body failed: {e}"));
                }
            }
        }
    }
}

/// Reads the guest's body into `buffer`: the number of bytes, or -1 at its end. Waits for the guest.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_http_HttpNative_guestBodyRead<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    body: jlong,
    buffer: JByteArray<'l>,
) -> jint {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live handle (Handle.acquire); the box synchronizes itself.
        let b = unsafe { handle::get::<GuestBody>(body) }?;
        let cap = buffer.len(env)?;
        let mut state = lock(&b.body);
        match state.next().map_err(Error::IllegalState)? {
            Read::End => Ok(-1),
            Read::Data(mut data) => {
                let n = data.len().min(cap);
                let head = data.split_to(n);
                state.rest = data;
                drop(state);
                let signed: &[i8] = bytemuck_i8(&head);
                buffer.set_region(env, 0, signed)?;
                Ok(n as jint)
            }
        }
    })
}

/// Bytes as JNI's signed bytes, without a copy.
pub(super) fn bytemuck_i8(b: &[u8]) -> &[i8] {
    // SAFETY: u8 and i8 have the same size, alignment and validity.
    unsafe { std::slice::from_raw_parts(b.as_ptr().cast::<i8>(), b.len()) }
}

/// The trailers of the guest's body (the `codec.rs` field encoding), once it has been read to its
/// end; null when it had none.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_http_HttpNative_guestBodyTrailers<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    body: jlong,
) -> JByteArray<'l> {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live handle (Handle.acquire); the box synchronizes itself.
        let b = unsafe { handle::get::<GuestBody>(body) }?;
        let state = lock(&b.body);
        match &state.trailers {
            None => Ok(JByteArray::null()),
            Some(t) => {
                let bytes = codec::write_fields(t);
                Ok(env.byte_array_from_slice(&bytes)?)
            }
        }
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_http_HttpNative_guestBodyFree<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    body: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: Java frees each handle once, after its last use.
        unsafe { handle::free::<GuestBody>(body) };
        Ok(())
    })
}
