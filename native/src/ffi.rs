//! The entry wrapper every exported function goes through.
//!
//! `entry` upgrades the JNI environment, catches panics, and turns an `Err` or a panic into the Java
//! exception `error.rs` names, returning the type's default value to Java (which ignores it because
//! an exception is pending).

use jni::errors::ErrorPolicy;
use jni::{Env, EnvUnowned};

use crate::error::Error;

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

/// Runs `f` with an `Env`, mapping errors and panics to Java exceptions.
#[inline]
pub fn entry<'local, T, F>(env: &mut EnvUnowned<'local>, f: F) -> T
where
    T: Default,
    F: FnOnce(&mut Env<'local>) -> Result<T, Error>,
{
    env.with_env(f).resolve::<ThrowMapped>()
}
