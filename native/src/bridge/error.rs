//! The one table from native failures to Java exceptions.
//!
//! Every exported function returns `Result<T, Error>` through [`crate::bridge::ffi::entry`]; this file alone
//! decides which Java exception a failure becomes. An exception already pending in the JVM (for
//! example thrown by a Java callback) always wins and is rethrown untouched.

use jni::objects::{JClass, JObject, JObjectArray, JString, JThrowable, JValue};
use jni::signature::ReturnType;
use jni::strings::JNIString;
use jni::{jni_str, Env};
use wasmtime::{Trap, WasmBacktrace};

use crate::bridge::cache;

/// One wasm frame of a trap, innermost first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub func_index: u32,
    pub func_name: Option<String>,
    pub module_name: Option<String>,
    pub module_offset: Option<usize>,
    pub func_offset: Option<usize>,
}

/// Everything that can go wrong behind the JNI boundary.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A caller passed a bad value (wrong type, unknown name, mismatched engine, ...).
    #[error("{0}")]
    IllegalArgument(String),
    /// An object was used in a state that does not allow it (closed, immutable, ...).
    #[error("{0}")]
    IllegalState(String),
    /// An address or index outside the bounds of a memory or table.
    #[error("{0}")]
    OutOfBounds(String),
    /// Invalid wasm bytes or WAT text, and where, when known.
    #[error("{0}")]
    Compile(String, Position),
    /// Instantiation failed for a reason other than a trap (missing or mismatched import, limits).
    #[error("{0}")]
    Link(String),
    /// A wasm trap, with its code when Wasmtime gave one, and the wasm frames.
    #[error("{message}")]
    Trap {
        code: Option<Trap>,
        message: String,
        frames: Vec<Frame>,
    },
    /// The guest called WASI `proc_exit` (0 included): not a failure, but the call ends here.
    #[error("wasm program exited with code {0}")]
    WasiExit(i32),
    /// Any other Wasmtime failure.
    #[error("{0}")]
    Wasm(String),
    /// A host function threw this Java exception; it is rethrown as is.
    #[error("a host function threw a Java exception")]
    JavaThrown(jni::refs::Global<JThrowable<'static>>),
    /// A Java exception is already pending; it is what the caller sees.
    #[error("a Java exception is pending")]
    JavaPending,
    /// The JNI layer itself failed.
    #[error("JNI failure: {0}")]
    Jni(jni::errors::Error),
}

pub type Result<T> = std::result::Result<T, Error>;

/// What a Java caller is told instead of Wasmtime's texts about its Rust `*_async` functions.
pub const NEEDS_ASYNC: &str =
    "this component needs asynchronous calls (component-model async: async \
     functions, streams, futures or WASI 0.3), which wasmbridge cannot make yet; call it from a \
     runtime that supports WASI 0.3, or build the component for WASI 0.2";

/// Whether Wasmtime refused a call because the store or instance needs its async entry points
/// (its messages name Rust functions: "requires that `*_async` functions are used", "cannot do
/// blocking `call` from an async context").
fn needs_async(err: &wasmtime::Error) -> bool {
    err.chain().any(|cause| {
        let text = cause.to_string();
        text.contains("`*_async` functions") || text.contains("blocking `call` from an async")
    })
}

/// A Java exception thrown by a host function, on its way through wasm back to Java (as the
/// `wasmtime::Error` the host function returns); [`Error::from_wasm`] rethrows it as is.
pub struct JavaThrown(pub jni::refs::Global<JThrowable<'static>>);

impl std::fmt::Debug for JavaThrown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JavaThrown")
    }
}

impl std::fmt::Display for JavaThrown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a host function threw a Java exception")
    }
}

impl std::error::Error for JavaThrown {}

/// Whether an error from wasm carries a Java exception thrown by a host function; if so, takes it.
pub fn take_thrown(
    err: wasmtime::Error,
) -> std::result::Result<jni::refs::Global<JThrowable<'static>>, wasmtime::Error> {
    err.downcast::<JavaThrown>().map(|t| t.0)
}

/// An entry into wasm refused because no stack could be had for it (`stack.rs`); it reaches Java
/// as an `IllegalStateException`.
#[derive(Debug)]
pub struct StackRefused(pub String);

impl std::fmt::Display for StackRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StackRefused {}

/// Where in a module's binary or text a compile error is (`CompileException`'s accessors).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Position {
    /// Byte offset in the binary.
    pub offset: Option<u64>,
    /// Line and column in WAT text, from 1.
    pub line_col: Option<(u32, u32)>,
}

impl Error {
    /// A compile error with no position.
    pub fn compile(message: impl Into<String>) -> Error {
        Error::Compile(message.into(), Position::default())
    }
}

impl From<jni::errors::Error> for Error {
    fn from(e: jni::errors::Error) -> Self {
        match e {
            jni::errors::Error::JavaException => Error::JavaPending,
            other => Error::Jni(other),
        }
    }
}

impl Error {
    /// A failure of a call into wasm (or of a start function): a trap if Wasmtime says so,
    /// otherwise `otherwise(message)`.
    pub fn from_wasm(err: wasmtime::Error, otherwise: fn(String) -> Error) -> Error {
        let err = match take_thrown(err) {
            Ok(thrown) => return Error::JavaThrown(thrown),
            Err(err) => err,
        };
        if let Some(refused) = err.downcast_ref::<StackRefused>() {
            return Error::IllegalState(refused.0.clone());
        }
        if let Some(exit) = err.downcast_ref::<wasmtime_wasi::I32Exit>() {
            return Error::WasiExit(exit.0);
        }
        let code = err.downcast_ref::<Trap>().copied();
        let frames: Vec<Frame> = err
            .downcast_ref::<WasmBacktrace>()
            .map(|bt| {
                bt.frames()
                    .iter()
                    .map(|f| Frame {
                        func_index: f.func_index(),
                        func_name: f.func_name().map(str::to_owned),
                        module_name: f.module().name().map(str::to_owned),
                        module_offset: f.module_offset(),
                        func_offset: f.func_offset(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        match code {
            Some(code) => Error::Trap {
                code: Some(code),
                message: code.to_string(),
                frames,
            },
            None if !frames.is_empty() => Error::Trap {
                code: None,
                message: root_message(&err),
                frames,
            },
            None if needs_async(&err) => Error::IllegalState(NEEDS_ASYNC.into()),
            None => otherwise(format!("{err:#}")),
        }
    }

    /// Throws this error as the Java exception the table below names. Does nothing when an
    /// exception is already pending (it takes precedence).
    pub fn throw(self, env: &mut Env<'_>) {
        if env.exception_check() {
            return;
        }
        let c = cache::get();
        let (class, message): (&JClass<'static>, String) = match self {
            Error::IllegalArgument(m) => (&c.illegal_argument, m),
            Error::IllegalState(m) => (&c.illegal_state, m),
            Error::OutOfBounds(m) => (&c.out_of_bounds, m),
            Error::Compile(m, at) => {
                if let Err(e) = throw_compile(env, &m, at) {
                    fallback(
                        env,
                        &format!("{m} (and building the CompileException failed: {e})"),
                    );
                }
                return;
            }
            Error::Link(m) => (&c.link_exception, m),
            Error::Wasm(m) => (&c.wasm_exception, m),
            Error::Trap {
                code,
                message,
                frames,
            } => {
                if let Err(e) = throw_trap(env, code, &message, &frames) {
                    fallback(
                        env,
                        &format!("{message} (and building the TrapException failed: {e})"),
                    );
                }
                return;
            }
            Error::WasiExit(code) => {
                // SAFETY: the constructor ID was looked up in JNI_OnLoad on this class as (I)V.
                let made = unsafe {
                    env.new_object_unchecked(
                        &c.wasi_exit,
                        c.wasi_exit_new,
                        &[JValue::Int(code).as_jni()],
                    )
                };
                match made {
                    Ok(obj) => {
                        let obj = env.cast_local::<JThrowable>(obj);
                        if let Ok(t) = obj {
                            let _ = env.throw(&t);
                        }
                    }
                    Err(_) => fallback(env, &format!("wasm program exited with code {code}")),
                }
                return;
            }
            Error::JavaThrown(thrown) => {
                if env.throw(&thrown).is_err() && !env.exception_check() {
                    fallback(
                        env,
                        "a host function threw an exception that could not be rethrown",
                    );
                }
                return;
            }
            Error::JavaPending => return,
            Error::Jni(e) => (&c.wasm_exception, format!("JNI failure: {e}")),
        };
        if env.throw_new(class, JNIString::new(&message)).is_err() && !env.exception_check() {
            fallback(env, &message);
        }
    }
}

/// Wasmtime wraps the interesting part in context; the innermost cause is the useful sentence.
fn root_message(err: &wasmtime::Error) -> String {
    err.chain()
        .last()
        .map(|e| e.to_string())
        .unwrap_or_else(|| err.to_string())
}

/// Last resort when the mapped exception cannot be built: a plain RuntimeException.
fn fallback(env: &mut Env<'_>, message: &str) {
    if !env.exception_check() {
        let _ = env.throw_new(
            jni_str!("java/lang/RuntimeException"),
            JNIString::new(message),
        );
    }
}

/// Builds a `CompileException` with its position and throws it.
fn throw_compile(env: &mut Env<'_>, message: &str, at: Position) -> Result<()> {
    let c = cache::get();
    let msg = JString::from_str(env, message)?;
    let offset = at.offset.and_then(|o| i64::try_from(o).ok()).unwrap_or(-1);
    let (line, column) = at.line_col.unwrap_or((0, 0));
    let args = [
        JValue::Object(&msg).as_jni(),
        JValue::Long(offset).as_jni(),
        JValue::Int(i32::try_from(line).unwrap_or(0)).as_jni(),
        JValue::Int(i32::try_from(column).unwrap_or(0)).as_jni(),
    ];
    // SAFETY: the constructor ID was looked up in JNI_OnLoad on this class as (Ljava/lang/String;JII)V.
    let made =
        unsafe { env.new_object_unchecked(&c.compile_exception, c.compile_exception_new, &args) }?;
    let thrown = env.cast_local::<JThrowable>(made)?;
    let _ = env.throw(&thrown);
    Ok(())
}

/// Builds a `TrapException` through its private factory `fromNative` and throws it.
fn throw_trap(
    env: &mut Env<'_>,
    code: Option<Trap>,
    message: &str,
    frames: &[Frame],
) -> Result<()> {
    let c = cache::get();
    let numbers: Vec<i64> = frames
        .iter()
        .flat_map(|f| {
            [
                i64::from(f.func_index),
                f.module_offset.map_or(-1, |o| o as i64),
                f.func_offset.map_or(-1, |o| o as i64),
            ]
        })
        .collect();
    let nums = env.new_long_array(numbers.len())?;
    nums.set_region(env, 0, &numbers)?;
    let names = JObjectArray::<JString>::new(env, frames.len() * 2, JString::null())?;
    for (i, f) in frames.iter().enumerate() {
        for (j, name) in [&f.func_name, &f.module_name].into_iter().enumerate() {
            if let Some(name) = name {
                let s = JString::from_str(env, name)?;
                names.set_element(env, i * 2 + j, &s)?;
            }
        }
    }
    let msg = JString::from_str(env, message)?;
    let code = code.map_or(-1, |t| t as u8 as i32);
    let args = [
        JValue::Int(code).as_jni(),
        JValue::Object(&msg).as_jni(),
        JValue::Object(&nums).as_jni(),
        JValue::Object(&names).as_jni(),
    ];
    // SAFETY: the method ID was looked up in JNI_OnLoad on this class with exactly this signature.
    let thrown = unsafe {
        env.call_static_method_unchecked(
            &c.trap_exception,
            c.trap_from_native,
            ReturnType::Object,
            &args,
        )
    }?;
    let thrown: JObject = thrown.l()?;
    let thrown = env.cast_local::<JThrowable>(thrown)?;
    let _ = env.throw(&thrown);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasmtime_texts_about_rust_async_functions_become_java_words() {
        for text in [
            "store configuration requires that `*_async` functions are used instead",
            "cannot do blocking `call` from an async context",
        ] {
            let err = wasmtime::Error::msg(text).context("while calling `run`");
            match Error::from_wasm(err, Error::Wasm) {
                Error::IllegalState(m) => {
                    assert_eq!(m, NEEDS_ASYNC);
                    assert!(!m.contains("_async") && !m.contains('`'), "{m}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        // Other failures keep their own message.
        match Error::from_wasm(wasmtime::Error::msg("no such export"), Error::Wasm) {
            Error::Wasm(m) => assert_eq!(m, "no such export"),
            other => panic!("{other:?}"),
        }
    }

    /// Java's `TrapCode` lists Wasmtime's traps in discriminant order; `fromNative` indexes by it.
    #[test]
    fn java_trap_codes_match_wasmtime() {
        let java = include_str!("../../../java/core/src/main/java/dev/wasmbridge/TrapCode.java");
        let java_names: Vec<&str> = java
            .lines()
            .map(str::trim)
            .filter(|l| {
                l.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && l.contains("(\"")
            })
            .map(|l| &l[..l.find('(').unwrap_or(l.len())])
            .collect();
        let rust_names: Vec<String> = (0u8..=u8::MAX)
            .map_while(Trap::from_u8)
            .map(|t| {
                let name = format!("{t:?}");
                let mut out = String::new();
                for (i, c) in name.chars().enumerate() {
                    if c.is_ascii_uppercase() && i > 0 {
                        out.push('_');
                    }
                    out.push(c.to_ascii_uppercase());
                }
                out
            })
            .collect();
        assert_eq!(java_names.last(), Some(&"UNKNOWN"));
        assert_eq!(&java_names[..java_names.len() - 1], rust_names.as_slice());
    }

    #[test]
    fn traps_keep_their_code_and_other_errors_fall_back() {
        let err = Error::from_wasm(
            wasmtime::Error::new(Trap::IntegerDivisionByZero),
            Error::Link,
        );
        assert!(matches!(
            err,
            Error::Trap {
                code: Some(Trap::IntegerDivisionByZero),
                ..
            }
        ));
        let err = Error::from_wasm(
            wasmtime::Error::msg("unknown import: `env::f`"),
            Error::Link,
        );
        assert!(matches!(err, Error::Link(m) if m.contains("unknown import")));
    }
}
