//! The entry wrapper every exported function goes through.
//!
//! `entry` upgrades the JNI environment, catches panics, and turns an `Err` or a panic into the Java
//! exception `error.rs` names, returning the type's default value to Java (which ignores it because
//! an exception is pending).

use jni::errors::ErrorPolicy;
use jni::{Env, EnvUnowned};

use crate::bridge::error::Error;

/// The error policy of all native methods: map through `Error::throw`; a panic becomes a
/// `WasmException` naming it as an internal error. A pending Java exception is left untouched.
pub struct ThrowMapped;

impl<T: Default> ErrorPolicy<T, Error> for ThrowMapped {
    type Captures<'unowned_env_local: 'native_method, 'native_method> = ();

    fn on_error<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _cap: &mut (),
        err: Error,
    ) -> jni::errors::Result<T> {
        err.throw(env);
        Ok(T::default())
    }

    fn on_panic<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _cap: &mut (),
        payload: Box<dyn std::any::Any + Send + 'static>,
    ) -> jni::errors::Result<T> {
        let what = if let Some(s) = payload.downcast_ref::<&'static str>() {
            (*s).to_owned()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "non-string panic payload".to_owned()
        };
        // Dropping an arbitrary payload could itself panic; a leaked box is harmless here.
        std::mem::forget(payload);
        Error::Wasm(format!("wasmbridge internal error (Rust panic): {what}")).throw(env);
        Ok(T::default())
    }
}

/// The hot-path wrapper for calls that pass only primitives: `f` runs under `catch_unwind` without
/// building an `Env` (no attach-guard bookkeeping); only a failure upgrades the environment to throw
/// the mapped exception. `f` gets the raw `JNIEnv` for host functions it may reach.
#[inline]
pub fn fast<'local, T, F>(env: EnvUnowned<'local>, f: F) -> T
where
    T: Default,
    F: FnOnce(*mut jni::sys::JNIEnv) -> Result<T, Error>,
{
    let raw = env.as_raw();
    // The value leaves through `out`, not inside the closure's `Result`: returned in the `Result`,
    // a 4-byte value was stored into the 8-byte slot it shares with the error's pointer and read
    // back whole, a store-forwarding stall on every typed call (seen in `perf annotate`).
    let mut out = T::default();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(raw).map(|v| out = v))) {
        Ok(Ok(())) => out,
        Ok(Err(e)) => {
            let mut env = env;
            env.with_env(|env| {
                e.throw(env);
                Ok::<(), Error>(())
            })
            .resolve::<ThrowMapped>();
            T::default()
        }
        Err(payload) => {
            let mut env = env;
            env.with_env(|_env| -> Result<(), Error> { std::panic::resume_unwind(payload) })
                .resolve::<ThrowMapped>();
            T::default()
        }
    }
}

/// Runs `f` with an `Env`, mapping errors and panics to Java exceptions.
#[inline]
pub fn entry<'local, T, F>(env: &mut EnvUnowned<'local>, f: F) -> T
where
    T: Default,
    F: FnOnce(&mut Env<'local>) -> Result<T, Error>,
{
    env.with_env(f).resolve::<ThrowMapped>()
}
