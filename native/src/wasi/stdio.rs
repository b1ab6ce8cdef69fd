//! stdio backed by Java streams (`WasiConfig`'s `STREAM` mode).
//!
//! Output: wasmtime-wasi calls [`JavaOutput`] synchronously while the guest's WASI call runs, on the
//! thread running wasm (switched back to the thread's own stack, `stack.rs`); a thread of
//! wasmtime-wasi's own is attached to the JVM first. While the Java stream runs, its store refuses to
//! be used from that thread (see [`inside_stdio`](crate::store::inside_stdio)): Wasmtime holds the store for the WASI call.
//!
//! Input: [`JavaInput`] reads on a pump thread of its own (started on demand, gone when idle), and
//! the guest's read waits for it in slices, checking the store's deadline and interrupt: a guest
//! blocked on a Java stream that never answers still stops at its deadline (the store traps with
//! `INTERRUPT`). Bytes the stream delivers after that are kept for the guest's next read.
//!
//! An `IOException` from a stream becomes a failed WASI call for the guest (`EIO`, its program
//! decides what to do); any other exception ends the guest's call and reaches the Java caller as
//! itself (like a host function's, see `host.rs`). No exception is left pending.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use jni::objects::{JClass, JMethodID, JObject, JThrowable, JValue};
use jni::refs::Global;
use jni::signature::{Primitive, ReturnType};
use jni::sys::{jint, jlong};
use jni::{jni_sig, jni_str, Env, JavaVM};
use once_cell::sync::OnceCell;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use wasmtime_wasi::cli::{IsTerminal, StdinStream, StdoutStream};
use wasmtime_wasi::p2::{InputStream, OutputStream, Pollable, StreamError, StreamResult};

use crate::bridge::error::JavaThrown;
use crate::stack;
use crate::store::Stop;

/// The most bytes one read of a Java stdin stream asks for (wasmtime-wasi's own read limit).
const MAX_READ: usize = 64 * 1024;

/// Classes and method IDs for Java stdio streams, looked up once (from `cache::init`).
struct StreamIds {
    /// `java.io.InputStream.read(byte[], int, int)`
    read: JMethodID,
    /// `java.io.OutputStream.write(byte[], int, int)`
    write: JMethodID,
    /// `java.io.OutputStream.flush()`
    flush: JMethodID,
    io_exception: Global<JClass<'static>>,
}

static IDS: OnceCell<StreamIds> = OnceCell::new();

/// Fills this module's cache; called from `cache::init` in `JNI_OnLoad`.
pub fn init_cache(env: &mut Env<'_>) -> jni::errors::Result<()> {
    if IDS.get().is_some() {
        return Ok(());
    }
    let input = env.find_class(jni_str!("java/io/InputStream"))?;
    let read = env.get_method_id(&input, jni_str!("read"), jni_sig!("([BII)I"))?;
    let output = env.find_class(jni_str!("java/io/OutputStream"))?;
    let write = env.get_method_id(&output, jni_str!("write"), jni_sig!("([BII)V"))?;
    let flush = env.get_method_id(&output, jni_str!("flush"), jni_sig!("()V"))?;
    let io_exception = env.find_class(jni_str!("java/io/IOException"))?;
    let io_exception = env.new_global_ref(io_exception)?;
    let _ = IDS.set(StreamIds {
        read,
        write,
        flush,
        io_exception,
    });
    Ok(())
}

fn ids() -> &'static StreamIds {
    match IDS.get() {
        Some(ids) => ids,
        // init_cache runs in JNI_OnLoad; failing there fails System.load.
        None => std::process::abort(),
    }
}

/// Marks a store's stdio callback as running while alive (on the store's thread, as streams are
/// called on the thread running wasm).
struct InStdio(jlong);

impl InStdio {
    fn enter(store: jlong) -> InStdio {
        crate::store::stdio_depth(store, 1);
        InStdio(store)
    }
}

impl Drop for InStdio {
    fn drop(&mut self) {
        crate::store::stdio_depth(self.0, -1);
    }
}

/// How a call on a Java stream ended.
pub enum Failure {
    /// The stream threw an `IOException`: the guest's WASI call fails with an I/O error.
    Io,
    /// The stream threw something else: it ends the guest's call and reaches the Java caller.
    Thrown(Global<JThrowable<'static>>),
    /// JNI itself failed (for example out of memory for the transfer array).
    Jni(String),
}

impl Failure {
    fn into_stream_error(self, what: &str) -> StreamError {
        match self {
            Failure::Io => StreamError::LastOperationFailed(wasmtime::Error::new(
                io::Error::other(format!("the Java {what} stream threw an IOException")),
            )),
            Failure::Thrown(t) => StreamError::Trap(wasmtime::Error::new(JavaThrown(t))),
            Failure::Jni(m) => StreamError::Trap(wasmtime::Error::msg(format!(
                "calling the Java {what} stream failed: {m}"
            ))),
        }
    }

    fn into_io_error(self, what: &str) -> io::Error {
        match self {
            Failure::Io => io::Error::other(format!("the Java {what} stream threw an IOException")),
            Failure::Thrown(_) => io::Error::other(format!("the Java {what} stream threw")),
            Failure::Jni(m) => {
                io::Error::other(format!("calling the Java {what} stream failed: {m}"))
            }
        }
    }
}

/// A Java `InputStream` or `OutputStream` serving as a store's stdio stream.
#[derive(Clone)]
pub struct JavaStream {
    pub(crate) target: Arc<Global<JObject<'static>>>,
    pub(crate) store: jlong,
    pub(crate) what: &'static str,
}

impl JavaStream {
    /// Runs `f` for the store's WASI call in progress: on this thread's own stack, with the store
    /// marked as busy (`InStdio`). Also the way `http/` calls its Java exchange.
    pub(crate) fn call<T>(
        &self,
        f: impl FnOnce(&mut Env<'_>, &JObject<'static>) -> jni::errors::Result<T>,
    ) -> std::result::Result<T, Failure> {
        let _busy = InStdio::enter(self.store);
        stack::on_thread_stack(stack::on_private(), || self.call_attached(f))
    }

    /// Runs `f` on this thread's JNI environment (attaching a thread of wasmtime-wasi's own). A
    /// Java exception is caught and cleared here. Touches nothing of the store: any thread.
    fn call_attached<T>(
        &self,
        f: impl FnOnce(&mut Env<'_>, &JObject<'static>) -> jni::errors::Result<T>,
    ) -> std::result::Result<T, Failure> {
        let vm = JavaVM::singleton().map_err(|e| Failure::Jni(e.to_string()))?;
        let target: &JObject<'static> = &self.target;
        vm.attach_current_thread(
            |env| -> jni::errors::Result<std::result::Result<T, Failure>> {
                match f(env, target) {
                    Ok(v) => Ok(Ok(v)),
                    Err(jni::errors::Error::JavaException) => {
                        let thrown = env.exception_occurred();
                        env.exception_clear();
                        let Some(thrown) = thrown else {
                            return Ok(Err(Failure::Jni("exception vanished".into())));
                        };
                        if env.is_instance_of(&thrown, &ids().io_exception)? {
                            Ok(Err(Failure::Io))
                        } else {
                            Ok(Err(Failure::Thrown(env.new_global_ref(thrown)?)))
                        }
                    }
                    Err(e) => Ok(Err(Failure::Jni(e.to_string()))),
                }
            },
        )
        .unwrap_or_else(|e| Err(Failure::Jni(e.to_string())))
    }

    /// Reads at most `size` bytes (None at end of stream), on any thread (the pump's).
    fn read(&self, size: usize) -> std::result::Result<Option<Vec<u8>>, Failure> {
        let size = size.clamp(1, MAX_READ);
        self.call_attached(|env, target| {
            let array = env.new_byte_array(size)?;
            let args = [
                JValue::Object(&array).as_jni(),
                JValue::Int(0).as_jni(),
                JValue::Int(size as jint).as_jni(),
            ];
            // SAFETY: the method ID is InputStream.read([BII)I (cached) and target is an InputStream.
            let n = unsafe {
                env.call_method_unchecked(
                    target,
                    ids().read,
                    ReturnType::Primitive(Primitive::Int),
                    &args,
                )
            }?
            .i()?;
            if n < 0 {
                return Ok(None);
            }
            let n = (n as usize).min(size);
            let mut buf = vec![0i8; n];
            array.get_region(env, 0, &mut buf)?;
            Ok(Some(buf.into_iter().map(|b| b as u8).collect()))
        })
    }

    fn write(&self, bytes: &[u8]) -> std::result::Result<(), Failure> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.call(|env, target| {
            let array = env.byte_array_from_slice(bytes)?;
            let args = [
                JValue::Object(&array).as_jni(),
                JValue::Int(0).as_jni(),
                JValue::Int(bytes.len() as jint).as_jni(),
            ];
            // SAFETY: the method ID is OutputStream.write([BII)V (cached); target is an OutputStream.
            unsafe {
                env.call_method_unchecked(
                    target,
                    ids().write,
                    ReturnType::Primitive(Primitive::Void),
                    &args,
                )
            }?;
            Ok(())
        })
    }

    fn flush(&self) -> std::result::Result<(), Failure> {
        self.call(|env, target| {
            // SAFETY: the method ID is OutputStream.flush()V (cached); target is an OutputStream.
            unsafe {
                env.call_method_unchecked(
                    target,
                    ids().flush,
                    ReturnType::Primitive(Primitive::Void),
                    &[],
                )
            }?;
            Ok(())
        })
    }
}

impl IsTerminal for JavaStream {
    fn is_terminal(&self) -> bool {
        false
    }
}

/// How a read of the guest's stdin ended other than with bytes.
enum ReadEnd {
    Failed(Failure),
    /// The store's deadline passed or it was interrupted while the guest waited.
    Stopped,
}

/// How long the guest's read waits between checks of the store's deadline and interrupt.
const READ_SLICE: Duration = Duration::from_millis(5);

/// How long a pump thread waits for the next read before it ends.
const PUMP_IDLE: Duration = Duration::from_secs(1);

/// The reads of one Java stdin stream, handed to a pump thread.
struct Pump {
    stream: JavaStream,
    state: Mutex<PumpState>,
    changed: Condvar,
}

#[derive(Default)]
struct PumpState {
    /// A read the guest asked for (its size) that the pump has not started.
    request: Option<usize>,
    /// The pump is in `InputStream.read` now.
    reading: bool,
    /// What the last read gave, not yet taken by the guest.
    result: Option<std::result::Result<Option<Vec<u8>>, Failure>>,
    /// A pump thread is alive.
    running: bool,
    /// Every handle to the stream is gone: the pump thread ends after its read.
    closed: bool,
}

impl Pump {
    fn lock(&self) -> MutexGuard<'_, PumpState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The pump thread: attached to the JVM as a daemon (a stream that never answers must not keep
    /// the JVM from exiting), it reads while there are requests and ends when idle or closed.
    fn run(self: Arc<Pump>) {
        let attached = attach_daemon();
        let mut st = self.lock();
        loop {
            if st.closed || attached.is_none() {
                if attached.is_none() && st.request.take().is_some() {
                    st.result = Some(Err(Failure::Jni(
                        "cannot attach a pump thread to the JVM".into(),
                    )));
                    self.changed.notify_all();
                }
                break;
            }
            if let Some(size) = st.request.take() {
                st.reading = true;
                drop(st);
                let result = self.stream.read(size);
                st = self.lock();
                st.reading = false;
                st.result = Some(result);
                self.changed.notify_all();
                continue;
            }
            let (guard, waited) = self
                .changed
                .wait_timeout(st, PUMP_IDLE)
                .unwrap_or_else(PoisonError::into_inner);
            st = guard;
            if waited.timed_out() && st.request.is_none() {
                break;
            }
        }
        st.running = false;
        drop(st);
        if attached.is_some() {
            detach();
        }
    }
}

/// Attaches this (new) thread to the JVM as a daemon; None if the JVM refuses.
fn attach_daemon() -> Option<()> {
    let vm = JavaVM::singleton().ok()?;
    let raw = vm.get_raw();
    let mut env: *mut std::ffi::c_void = std::ptr::null_mut();
    let mut args = jni::sys::JavaVMAttachArgs {
        version: jni::sys::JNI_VERSION_1_8,
        name: c"wasmbridge-stdin".as_ptr().cast_mut(),
        group: std::ptr::null_mut(),
    };
    // SAFETY: raw is the JVM's own JavaVM pointer; env and args are valid out/in pointers.
    let rc = unsafe {
        ((**raw).v1_4.AttachCurrentThreadAsDaemon)(
            raw,
            &mut env,
            (&mut args as *mut jni::sys::JavaVMAttachArgs).cast(),
        )
    };
    (rc == jni::sys::JNI_OK).then_some(())
}

/// Detaches this thread, attached by [`attach_daemon`], before it ends.
fn detach() {
    if let Ok(vm) = JavaVM::singleton() {
        let raw = vm.get_raw();
        // SAFETY: this thread attached itself and holds no JNI references any more.
        unsafe {
            ((**raw).v1_4.DetachCurrentThread)(raw);
        }
    }
}

/// Closes the pump when the last handle to a Java stdin stream is dropped.
struct PumpHandle(Arc<Pump>);

impl Drop for PumpHandle {
    fn drop(&mut self) {
        self.0.lock().closed = true;
        self.0.changed.notify_all();
    }
}

/// A Java `InputStream` as stdin (see the module's notes: reads run on a pump thread).
#[derive(Clone)]
pub struct JavaInput {
    pump: Arc<PumpHandle>,
    stop: Arc<Stop>,
    what: &'static str,
}

impl JavaInput {
    /// Stdin from `stream`, for a store whose stop conditions are `stop`.
    pub fn new(stream: JavaStream, stop: Arc<Stop>) -> JavaInput {
        let what = stream.what;
        JavaInput {
            pump: Arc::new(PumpHandle(Arc::new(Pump {
                stream,
                state: Mutex::new(PumpState::default()),
                changed: Condvar::new(),
            }))),
            stop,
            what,
        }
    }

    /// Reads at most `size` bytes (None at the end): waits for the pump, in slices, until it
    /// answers or the store must stop.
    fn read(&self, size: usize) -> std::result::Result<Option<Vec<u8>>, ReadEnd> {
        let pump = &self.pump.0;
        let mut st = pump.lock();
        loop {
            if let Some(result) = st.result.take() {
                return result.map_err(ReadEnd::Failed);
            }
            if st.request.is_none() && !st.reading {
                st.request = Some(size.clamp(1, MAX_READ));
                if !st.running {
                    let p = pump.clone();
                    let spawned = std::thread::Builder::new()
                        .name("wasmbridge-stdin".into())
                        .spawn(move || p.run());
                    if spawned.is_err() {
                        st.request = None;
                        return Err(ReadEnd::Failed(Failure::Jni(
                            "cannot start a thread to read stdin".into(),
                        )));
                    }
                    st.running = true;
                }
                pump.changed.notify_all();
            }
            if self.stop.must_stop() {
                return Err(ReadEnd::Stopped);
            }
            st = pump
                .changed
                .wait_timeout(st, READ_SLICE)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

impl StdinStream for JavaInput {
    fn p2_stream(&self) -> Box<dyn InputStream> {
        Box::new(self.clone())
    }
    fn async_stream(&self) -> Box<dyn AsyncRead + Send + Sync> {
        Box::new(self.clone())
    }
}

impl IsTerminal for JavaInput {
    fn is_terminal(&self) -> bool {
        false
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for JavaInput {
    // Always ready: `read` waits for the stream itself (and stops with the store).
    async fn ready(&mut self) {}
}

impl InputStream for JavaInput {
    fn read(&mut self, size: usize) -> StreamResult<Bytes> {
        match JavaInput::read(self, size) {
            Ok(Some(b)) => Ok(Bytes::from(b)),
            Ok(None) => Err(StreamError::Closed),
            Err(ReadEnd::Failed(f)) => Err(f.into_stream_error(self.what)),
            Err(ReadEnd::Stopped) => Err(StreamError::Trap(wasmtime::Trap::Interrupt.into())),
        }
    }
}

impl AsyncRead for JavaInput {
    fn poll_read(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        Poll::Ready(match JavaInput::read(&self, buf.remaining()) {
            Ok(Some(b)) => {
                buf.put_slice(&b[..b.len().min(buf.remaining())]);
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(ReadEnd::Failed(f)) => Err(f.into_io_error(self.what)),
            Err(ReadEnd::Stopped) => Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "the store's deadline passed or it was interrupted",
            )),
        })
    }
}

/// A Java `OutputStream` as stdout or stderr.
#[derive(Clone)]
pub struct JavaOutput(pub(super) JavaStream);

impl StdoutStream for JavaOutput {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }
    fn async_stream(&self) -> Box<dyn AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

impl IsTerminal for JavaOutput {
    fn is_terminal(&self) -> bool {
        false
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for JavaOutput {
    // Always ready: `write` blocks in Java as long as it needs.
    async fn ready(&mut self) {}
}

impl OutputStream for JavaOutput {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        self.0
            .write(&bytes)
            .map_err(|f| f.into_stream_error(self.0.what))
    }
    fn flush(&mut self) -> StreamResult<()> {
        self.0.flush().map_err(|f| f.into_stream_error(self.0.what))
    }
    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(MAX_READ)
    }
}

impl AsyncWrite for JavaOutput {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Poll::Ready(
            self.0
                .write(buf)
                .map(|()| buf.len())
                .map_err(|f| f.into_io_error(self.0.what)),
        )
    }
    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.0.flush().map_err(|f| f.into_io_error(self.0.what)))
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_flush(cx)
    }
}
