//! WASI preview 1 through wasmtime-wasi: a store's WASI context built from a Java `WasiConfig`, the
//! linker's `wasi_snapshot_preview1` imports, captured output, and stdio backed by Java streams.
//!
//! A store that never set a configuration gets an empty context on its first WASI call: no
//! arguments, no environment, no preopened directories, stdin at end of file, output discarded.
//!
//! Java streams as stdio: wasmtime-wasi calls [`JavaInput`]/[`JavaOutput`] synchronously while the
//! guest's WASI call runs (on the thread running wasm; a thread of wasmtime-wasi's own is attached to
//! the JVM first). An `IOException` from the stream becomes a failed WASI call for the guest (`EIO`,
//! its program decides what to do); any other exception ends the guest's call and reaches the Java
//! caller as itself (like a host function's, see `host.rs`). No exception is left pending. While the
//! Java stream runs, its store refuses to be used from that thread (see [`refuse_inside_stdio`]):
//! Wasmtime holds the store for the WASI call in progress.

use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use jni::objects::{
    JBooleanArray, JByteArray, JClass, JMethodID, JObject, JObjectArray, JString, JThrowable,
    JValue,
};
use jni::refs::Global;
use jni::signature::{Primitive, ReturnType};
use jni::sys::{jboolean, jint, jlong};
use jni::{jni_sig, jni_str, Env, EnvUnowned, JavaVM};
use once_cell::sync::OnceCell;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use wasmtime_wasi::cli::{IsTerminal, StdinStream, StdoutStream};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::p2::{InputStream, OutputStream, Pollable, StreamError, StreamResult};
use wasmtime_wasi::{FsPerms, WasiCtxBuilder};

use crate::error::{Error, Result};
use crate::ffi::entry;
use crate::handle;
use crate::host::JavaThrown;
use crate::linker::LinkerBox;
use crate::store::{self, StoreData};

// Stdio modes, as `dev.wasmbridge.wasi.WasiConfig.StreamMode` ordinals.
/// stdin at end of file / output discarded (wasmtime-wasi's default).
pub const MODE_NONE: jint = 0;
/// The process's own stdin, stdout or stderr.
pub const MODE_INHERIT: jint = 1;
/// stdin from a byte array / output captured in memory.
pub const MODE_MEMORY: jint = 2;
/// A Java `InputStream` / `OutputStream`.
pub const MODE_STREAM: jint = 3;

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

/// The error for using a store from inside one of its own Java stdio streams: Wasmtime holds the
/// store for the WASI call that is writing or reading, so a second borrow would alias it.
/// (`store::StoreBox` counts the streams running; `store::context` refuses while one is.)
pub fn inside_stdio() -> Error {
    Error::IllegalState(
        "a Store cannot be used from inside its own WASI stdin/stdout/stderr stream".into(),
    )
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
enum Failure {
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
    target: Arc<Global<JObject<'static>>>,
    store: jlong,
    what: &'static str,
}

impl JavaStream {
    /// Runs `f` on this thread's JNI environment (attaching a thread of wasmtime-wasi's own), in a
    /// local frame, with the store marked as busy. A Java exception is caught and cleared here.
    fn call<T>(
        &self,
        f: impl FnOnce(&mut Env<'_>, &JObject<'static>) -> jni::errors::Result<T>,
    ) -> std::result::Result<T, Failure> {
        let _busy = InStdio::enter(self.store);
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

    /// Reads at most `size` bytes; empty at end of stream.
    fn read(&self, size: usize) -> std::result::Result<Option<Vec<u8>>, Failure> {
        let size = size.clamp(1, MAX_READ);
        self.call(|env, target| {
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

/// A Java `InputStream` as stdin.
#[derive(Clone)]
pub struct JavaInput(JavaStream);

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
    // Always ready: `read` blocks in Java until there is data or the end.
    async fn ready(&mut self) {}
}

impl InputStream for JavaInput {
    fn read(&mut self, size: usize) -> StreamResult<Bytes> {
        match self.0.read(size) {
            Ok(Some(b)) => Ok(Bytes::from(b)),
            Ok(None) => Err(StreamError::Closed),
            Err(f) => Err(f.into_stream_error(self.0.what)),
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
        Poll::Ready(match self.0.read(buf.remaining()) {
            Ok(Some(b)) => {
                buf.put_slice(&b[..b.len().min(buf.remaining())]);
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(f) => Err(f.into_io_error(self.0.what)),
        })
    }
}

/// A Java `OutputStream` as stdout or stderr.
#[derive(Clone)]
pub struct JavaOutput(JavaStream);

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

/// Where stdin comes from.
pub enum Input {
    Empty,
    Inherit,
    Bytes(Vec<u8>),
    Java(JavaInput),
}

/// Where stdout or stderr goes.
pub enum Output {
    Discard,
    Inherit,
    /// Captured in memory, up to this many bytes (further writes fail with an I/O error).
    Capture(usize),
    Java(JavaOutput),
}

/// A directory the guest may use.
pub struct Preopen {
    pub host: PathBuf,
    pub guest: String,
    pub read_only: bool,
}

/// Everything a `WasiConfig` says.
pub struct Config {
    /// The whole argument list, program name first.
    pub args: Vec<String>,
    /// Explicit variables; they win over inherited ones of the same name.
    pub env: Vec<(String, String)>,
    pub inherit_env: bool,
    pub stdin: Input,
    pub stdout: Output,
    pub stderr: Output,
    pub preopens: Vec<Preopen>,
}

/// The in-memory pipes that hold a store's captured output.
#[derive(Default)]
pub struct Captured {
    pub stdout: Option<MemoryOutputPipe>,
    pub stderr: Option<MemoryOutputPipe>,
}

fn output(b: &mut WasiCtxBuilder, out: Output, stderr: bool) -> Option<MemoryOutputPipe> {
    match out {
        Output::Discard => None,
        Output::Inherit => {
            if stderr {
                b.inherit_stderr();
            } else {
                b.inherit_stdout();
            }
            None
        }
        Output::Capture(limit) => {
            let pipe = MemoryOutputPipe::new(limit);
            if stderr {
                b.stderr(pipe.clone());
            } else {
                b.stdout(pipe.clone());
            }
            Some(pipe)
        }
        Output::Java(s) => {
            if stderr {
                b.stderr(s);
            } else {
                b.stdout(s);
            }
            None
        }
    }
}

/// Builds a WASI context (and its capture pipes) from a configuration.
pub fn build(config: Config) -> Result<(WasiP1Ctx, Captured)> {
    let mut b = WasiCtxBuilder::new();
    // File operations run on the calling thread: wasm is synchronous here, so there is nothing to
    // gain from handing each one to another thread.
    b.allow_blocking_current_thread(true);
    b.args(&config.args);
    if config.inherit_env {
        // Like `inherit_env`, but skipping variables that are not UTF-8 (where `std::env::vars`
        // would panic) and those set explicitly.
        for (k, v) in std::env::vars_os() {
            if let (Some(k), Some(v)) = (k.to_str(), v.to_str()) {
                if !config.env.iter().any(|(name, _)| name == k) {
                    b.env(k, v);
                }
            }
        }
    }
    b.envs(&config.env);
    match config.stdin {
        Input::Empty => {}
        Input::Inherit => {
            b.inherit_stdin();
        }
        Input::Bytes(bytes) => {
            b.stdin(MemoryInputPipe::new(bytes));
        }
        Input::Java(s) => {
            b.stdin(s);
        }
    }
    let captured = Captured {
        stdout: output(&mut b, config.stdout, false),
        stderr: output(&mut b, config.stderr, true),
    };
    for p in &config.preopens {
        let perms = if p.read_only {
            FsPerms::ReadOnly
        } else {
            FsPerms::ReadWrite
        };
        b.preopened_dir(&p.host, &p.guest, perms).map_err(|e| {
            Error::IllegalArgument(format!(
                "cannot preopen {} as {}: {e:#}",
                p.host.display(),
                p.guest
            ))
        })?;
    }
    Ok((b.build_p1(), captured))
}

/// The context of a store that never set one: no capabilities at all.
fn empty_ctx() -> WasiP1Ctx {
    WasiCtxBuilder::new().build_p1()
}

/// Adds `wasi_snapshot_preview1` to a linker, served by each store's own context, with
/// `poll_oneoff` replaced by [`poll_oneoff`] so a deadline or an interrupt also ends a guest that
/// sleeps. `shadowing` is the linker's own setting, restored afterwards.
pub fn add_to_linker(
    linker: &mut wasmtime::Linker<StoreData>,
    shadowing: bool,
) -> wasmtime::Result<()> {
    add_stock(linker)?;
    linker.allow_shadowing(true);
    let defined = linker.func_wrap(
        "wasi_snapshot_preview1",
        "poll_oneoff",
        |mut caller: wasmtime::Caller<'_, StoreData>,
         subs: i32,
         events: i32,
         n: i32,
         nevents: i32|
         -> wasmtime::Result<i32> { poll_oneoff(&mut caller, [subs, events, n, nevents]) },
    );
    let defined = defined.map(|_| ());
    linker.allow_shadowing(shadowing);
    defined
}

fn add_stock(linker: &mut wasmtime::Linker<StoreData>) -> wasmtime::Result<()> {
    wasmtime_wasi::p1::add_to_linker_sync(linker, |d: &mut StoreData| {
        d.wasi.get_or_insert_with(empty_ctx)
    })
}

/// How long a WASI sleep runs between checks of the store's deadline and interrupt flag.
const SLEEP_SLICE: std::time::Duration = std::time::Duration::from_millis(5);

/// `poll_oneoff` where every subscription is a relative clock (what `sleep`/`nanosleep` compile
/// to): sleeps here, in slices, checking the store's deadline and interrupt flag between them, so a
/// sleeping guest ends with an interrupt trap like a looping one. Anything else (file descriptors,
/// absolute times, bad pointers) goes to wasmtime-wasi's own implementation, which does not check
/// them: a guest blocked reading a stdin that never ends is not interrupted.
fn poll_oneoff(
    caller: &mut wasmtime::Caller<'_, StoreData>,
    args: [i32; 4],
) -> wasmtime::Result<i32> {
    if let Some(wake) = plain_sleep(caller, args)? {
        // A timeout past what `Instant` can represent is a sleep without end (until a stop).
        let end = std::time::Instant::now().checked_add(wake.timeout);
        loop {
            if caller.data().must_stop() {
                return Err(wasmtime::Trap::Interrupt.into());
            }
            let now = std::time::Instant::now();
            let left = match end {
                Some(end) if now >= end => break,
                Some(end) => end - now,
                None => SLEEP_SLICE,
            };
            std::thread::sleep(left.min(SLEEP_SLICE));
        }
        return wake.write_events(caller);
    }
    stock_poll_oneoff(caller, args)
}

/// wasmtime-wasi's own `poll_oneoff`: the generated glue its linker functions run (argument
/// conversion, the event count written to `nevents`, the errno), on the caller's memory and the
/// store's WASI context, with the host-call fuel its glue sets.
fn stock_poll_oneoff(
    caller: &mut wasmtime::Caller<'_, StoreData>,
    [subs, events, n, nevents]: [i32; 4],
) -> wasmtime::Result<i32> {
    use wasmtime::AsContextMut;
    use wasmtime_wasi::p1::wasi_snapshot_preview1::{self as p1, WasiSnapshotPreview1};
    let Some(memory) = caller.get_export("memory").and_then(|e| e.into_memory()) else {
        return Err(wasmtime::format_err!("missing required memory export"));
    };
    let fuel = caller.as_context_mut().hostcall_fuel();
    let (bytes, data) = memory.data_and_store_mut(&mut *caller);
    let ctx = data.wasi.get_or_insert_with(empty_ctx);
    ctx.set_hostcall_fuel(fuel);
    let mut guest = wiggle::GuestMemory::Unshared(bytes);
    wasmtime_wasi::runtime::in_tokio(p1::poll_oneoff(ctx, &mut guest, subs, events, n, nevents))
}

/// A poll whose subscriptions are all relative clocks: the shortest timeout, and what to report.
struct Wake {
    memory: wasmtime::Memory,
    timeout: std::time::Duration,
    /// The userdata of the subscriptions that expire at `timeout`, in order.
    fired: Vec<u64>,
    events: usize,
    nevents: usize,
}

/// Layout of WASI preview 1's `subscription` (48 bytes) and `event` (32 bytes).
const SUBSCRIPTION: usize = 48;
const EVENT: usize = 32;

fn plain_sleep(
    caller: &mut wasmtime::Caller<'_, StoreData>,
    [subs, events, n, nevents]: [i32; 4],
) -> wasmtime::Result<Option<Wake>> {
    let Some(memory) = caller.get_export("memory").and_then(|e| e.into_memory()) else {
        return Ok(None);
    };
    let data = memory.data(&*caller);
    // Pointers are unsigned in wasm32; any range outside memory goes to the stock code (EFAULT).
    let (subs, events, nevents) = (
        subs as u32 as usize,
        events as u32 as usize,
        nevents as u32 as usize,
    );
    let n = n as u32 as usize;
    let inside = |at: usize, len: usize| at.checked_add(len).is_some_and(|end| end <= data.len());
    let Some(subs_len) = n.checked_mul(SUBSCRIPTION) else {
        return Ok(None);
    };
    if n == 0 || !inside(subs, subs_len) || !inside(events, n * EVENT) || !inside(nevents, 4) {
        return Ok(None);
    }
    let u64_at = |at: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&data[at..at + 8]);
        u64::from_le_bytes(b)
    };
    let mut clocks = Vec::with_capacity(n);
    for i in 0..n {
        let s = subs + i * SUBSCRIPTION;
        let tag = data[s + 8];
        let clock_id = u32::from_le_bytes([data[s + 16], data[s + 17], data[s + 18], data[s + 19]]);
        let flags = u16::from_le_bytes([data[s + 40], data[s + 41]]);
        // tag 0: clock; ids 0 realtime, 1 monotonic; flag 1: absolute time.
        if tag != 0 || clock_id > 1 || flags & 1 != 0 {
            return Ok(None);
        }
        clocks.push((u64_at(s), u64_at(s + 24)));
    }
    let shortest = clocks.iter().map(|&(_, t)| t).min().unwrap_or(0);
    Ok(Some(Wake {
        memory,
        timeout: std::time::Duration::from_nanos(shortest),
        fired: clocks
            .iter()
            .filter(|&&(_, t)| t == shortest)
            .map(|&(user, _)| user)
            .collect(),
        events,
        nevents,
    }))
}

impl Wake {
    /// Writes one clock event per fired subscription and their count; returns errno 0 (success).
    fn write_events(&self, caller: &mut wasmtime::Caller<'_, StoreData>) -> wasmtime::Result<i32> {
        let data = self.memory.data_mut(&mut *caller);
        // The memory cannot have shrunk since the checks in `plain_sleep`.
        for (i, user) in self.fired.iter().enumerate() {
            let e = self.events + i * EVENT;
            let event = &mut data[e..e + EVENT];
            event.fill(0); // error 0 (success), type 0 (clock), no fd_readwrite
            event[..8].copy_from_slice(&user.to_le_bytes());
        }
        let count = u32::try_from(self.fired.len()).unwrap_or(u32::MAX);
        data[self.nevents..self.nevents + 4].copy_from_slice(&count.to_le_bytes());
        Ok(0)
    }
}

fn strings(env: &mut Env<'_>, array: &JObjectArray<'_, JString<'_>>) -> Result<Vec<String>> {
    if array.is_null() {
        return Ok(Vec::new());
    }
    let n = array.len(env)?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let s = array.get_element(env, i)?;
        if s.is_null() {
            return Err(Error::IllegalArgument(
                "null string in WASI configuration".into(),
            ));
        }
        out.push(s.try_to_string(env)?);
        env.delete_local_ref(s);
    }
    Ok(out)
}

fn java_stream(
    env: &mut Env<'_>,
    obj: &JObject<'_>,
    store: jlong,
    what: &'static str,
) -> Result<JavaStream> {
    if obj.is_null() {
        return Err(Error::IllegalArgument(format!("no Java stream for {what}")));
    }
    Ok(JavaStream {
        target: Arc::new(env.new_global_ref(obj)?),
        store,
        what,
    })
}

fn output_mode(
    env: &mut Env<'_>,
    mode: jint,
    stream: &JObject<'_>,
    limit: jlong,
    store: jlong,
    what: &'static str,
) -> Result<Output> {
    Ok(match mode {
        MODE_NONE => Output::Discard,
        MODE_INHERIT => Output::Inherit,
        MODE_MEMORY => Output::Capture(
            usize::try_from(limit)
                .map_err(|_| Error::IllegalArgument(format!("bad {what} capture limit {limit}")))?,
        ),
        MODE_STREAM => Output::Java(JavaOutput(java_stream(env, stream, store, what)?)),
        _ => return Err(Error::IllegalArgument(format!("bad {what} mode {mode}"))),
    })
}

/// Replaces the store's WASI context with one built from a Java `WasiConfig` (taken apart by
/// `Store.setWasi`). `env` holds name/value pairs flattened; the three preopen arrays are parallel.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_storeSetWasi<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    args: JObjectArray<'l, JString<'l>>,
    env_pairs: JObjectArray<'l, JString<'l>>,
    inherit_env: jboolean,
    stdin_mode: jint,
    stdin_bytes: JByteArray<'l>,
    stdin_stream: JObject<'l>,
    stdout_mode: jint,
    stdout_stream: JObject<'l>,
    stdout_limit: jlong,
    stderr_mode: jint,
    stderr_stream: JObject<'l>,
    stderr_limit: jlong,
    preopen_hosts: JObjectArray<'l, JString<'l>>,
    preopen_guests: JObjectArray<'l, JString<'l>>,
    preopen_read_only: JBooleanArray<'l>,
) {
    entry(&mut env, |env| {
        let args = strings(env, &args)?;
        let flat = strings(env, &env_pairs)?;
        if flat.len() % 2 != 0 {
            return Err(Error::IllegalArgument(
                "environment must be name/value pairs".into(),
            ));
        }
        let vars = flat
            .chunks_exact(2)
            .map(|p| (p[0].clone(), p[1].clone()))
            .collect();
        let stdin = match stdin_mode {
            MODE_NONE => Input::Empty,
            MODE_INHERIT => Input::Inherit,
            MODE_MEMORY => {
                if stdin_bytes.is_null() {
                    return Err(Error::IllegalArgument("no stdin bytes".into()));
                }
                Input::Bytes(env.convert_byte_array(&stdin_bytes)?)
            }
            MODE_STREAM => Input::Java(JavaInput(java_stream(env, &stdin_stream, store, "stdin")?)),
            _ => {
                return Err(Error::IllegalArgument(format!(
                    "bad stdin mode {stdin_mode}"
                )))
            }
        };
        let stdout = output_mode(
            env,
            stdout_mode,
            &stdout_stream,
            stdout_limit,
            store,
            "stdout",
        )?;
        let stderr = output_mode(
            env,
            stderr_mode,
            &stderr_stream,
            stderr_limit,
            store,
            "stderr",
        )?;
        let hosts = strings(env, &preopen_hosts)?;
        let guests = strings(env, &preopen_guests)?;
        let mut read_only = vec![false; hosts.len()];
        if !hosts.is_empty() {
            if preopen_read_only.is_null() || preopen_read_only.len(env)? != hosts.len() {
                return Err(Error::IllegalArgument(
                    "preopen arrays differ in length".into(),
                ));
            }
            preopen_read_only.get_region(env, 0, &mut read_only)?;
        }
        if guests.len() != hosts.len() {
            return Err(Error::IllegalArgument(
                "preopen arrays differ in length".into(),
            ));
        }
        let preopens = hosts
            .into_iter()
            .zip(guests)
            .zip(read_only)
            .map(|((host, guest), ro)| Preopen {
                host: PathBuf::from(host),
                guest,
                read_only: ro,
            })
            .collect();
        let (ctx, captured) = build(Config {
            args,
            env: vars,
            inherit_env,
            stdin,
            stdout,
            stderr,
            preopens,
        })?;
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let data = cx.data_mut();
        data.wasi = Some(ctx);
        data.wasi_captured = captured;
        Ok(())
    })
}

fn captured(store: jlong, stderr: bool) -> Result<Vec<u8>> {
    // SAFETY: live store handle owned by this thread (Store.enter).
    let cx = unsafe { store::context(store) }?;
    let c = &cx.data().wasi_captured;
    let (pipe, what) = if stderr {
        (&c.stderr, "stderr")
    } else {
        (&c.stdout, "stdout")
    };
    match pipe {
        Some(p) => Ok(p.contents().to_vec()),
        None => Err(Error::IllegalState(format!(
            "the store's WASI {what} is not captured"
        ))),
    }
}

/// Everything the guest wrote to its captured stdout so far.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_storeWasiStdout<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
) -> JByteArray<'l> {
    entry(&mut env, |env| {
        let bytes = captured(store, false)?;
        Ok(env.byte_array_from_slice(&bytes)?)
    })
}

/// Everything the guest wrote to its captured stderr so far.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_storeWasiStderr<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
) -> JByteArray<'l> {
    entry(&mut env, |env| {
        let bytes = captured(store, true)?;
        Ok(env.byte_array_from_slice(&bytes)?)
    })
}

/// Defines the `wasi_snapshot_preview1` imports in a linker.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_linkerDefineWasi<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: Java holds the linker's write lock for definitions.
        let l = unsafe { handle::get_mut::<LinkerBox>(linker) }?;
        let shadowing = l.shadowing;
        add_to_linker(&mut l.linker, shadowing).map_err(|e| Error::Link(format!("{e:#}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmtime::{Engine, Linker, Module, Store};

    fn run(config: Config, wat: &str) -> (wasmtime::Result<()>, Captured) {
        let engine = Engine::default();
        let mut linker = Linker::new(&engine);
        add_to_linker(&mut linker, false).unwrap();
        let (ctx, captured) = build(config).unwrap();
        let mut store = Store::new(&engine, StoreData::default());
        store.data_mut().wasi = Some(ctx);
        let module = Module::new(&engine, wat).unwrap();
        let result = linker.instantiate(&mut store, &module).and_then(|i| {
            i.get_typed_func::<(), ()>(&mut store, "_start")?
                .call(&mut store, ())
        });
        (result, captured)
    }

    fn config() -> Config {
        Config {
            args: Vec::new(),
            env: Vec::new(),
            inherit_env: false,
            stdin: Input::Empty,
            stdout: Output::Capture(1 << 20),
            stderr: Output::Capture(16),
            preopens: Vec::new(),
        }
    }

    /// Writes "hello\n" to stdout, then "0123456789abcdefXYZ" (19 bytes) to stderr, then exits with
    /// the errno of the second write (0 if it succeeded).
    const WRITE: &str = r#"(module
        (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (data (i32.const 16) "hello\n")
        (data (i32.const 32) "0123456789abcdefXYZ")
        (func (export "_start")
            (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 6))
            (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (i32.store (i32.const 0) (i32.const 32)) (i32.store (i32.const 4) (i32.const 19))
            (call $exit (call $w (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))))"#;

    #[test]
    fn captures_output_and_stops_at_the_limit() {
        let (result, captured) = run(config(), WRITE);
        let exit = result
            .unwrap_err()
            .downcast::<wasmtime_wasi::I32Exit>()
            .unwrap();
        // The stderr pipe holds 16 bytes: the write fails with EIO (29) after filling it.
        assert_eq!(exit.0, 29);
        assert_eq!(&captured.stdout.unwrap().contents()[..], b"hello\n");
        assert_eq!(
            &captured.stderr.unwrap().contents()[..],
            b"0123456789abcdef"
        );
    }

    #[test]
    fn a_store_without_a_context_gets_an_empty_one() {
        let engine = Engine::default();
        let mut linker = Linker::new(&engine);
        add_to_linker(&mut linker, false).unwrap();
        let mut store = Store::new(&engine, StoreData::default());
        let module = Module::new(
            &engine,
            r#"(module
                (import "wasi_snapshot_preview1" "args_sizes_get" (func $a (param i32 i32) (result i32)))
                (import "wasi_snapshot_preview1" "fd_prestat_get" (func $p (param i32 i32) (result i32)))
                (memory (export "memory") 1)
                (func (export "argc") (result i32) (drop (call $a (i32.const 0) (i32.const 4))) (i32.load (i32.const 0)))
                (func (export "prestat3") (result i32) (call $p (i32.const 3) (i32.const 8))))"#,
        )
        .unwrap();
        let i = linker.instantiate(&mut store, &module).unwrap();
        let argc = i.get_typed_func::<(), i32>(&mut store, "argc").unwrap();
        assert_eq!(argc.call(&mut store, ()).unwrap(), 0);
        let prestat = i.get_typed_func::<(), i32>(&mut store, "prestat3").unwrap();
        // EBADF: fd 3 is not a preopened directory.
        assert_eq!(prestat.call(&mut store, ()).unwrap(), 8);
        assert!(store.data().wasi.is_some());
    }

    #[test]
    fn a_missing_preopen_directory_is_an_illegal_argument() {
        let mut c = config();
        c.preopens.push(Preopen {
            host: PathBuf::from("/nonexistent/wasmbridge/dir"),
            guest: "/data".into(),
            read_only: true,
        });
        match build(c) {
            Err(Error::IllegalArgument(m)) => assert!(m.contains("/nonexistent/wasmbridge/dir")),
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("preopen of a missing directory succeeded"),
        }
    }
}
