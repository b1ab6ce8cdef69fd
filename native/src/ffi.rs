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

/// `JniFloor.noop()`: the JNI floor the benchmarks compare every call path with.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_JniFloor_noop(
    _env: jni::EnvUnowned<'_>,
    _class: jni::objects::JClass<'_>,
) {
}

/// `JniFloor.wasmtimeTypedLoop(n)`: `n` calls of a trivial export through `TypedFunc::call` from
/// inside this library (one engine and store per thread, made on first use): Wasmtime's own typed
/// call as a shared library pays it, without JNI per call. The benchmarks' floor for the typed call.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_JniFloor_wasmtimeTypedLoop<'l>(
    mut env: EnvUnowned<'l>,
    _class: jni::objects::JClass<'l>,
    n: jni::sys::jint,
) -> jni::sys::jint {
    type Floor = (wasmtime::Store<()>, wasmtime::TypedFunc<(i32, i32), i32>);
    thread_local! {
        static FLOOR: std::cell::RefCell<Option<Floor>> = const { std::cell::RefCell::new(None) };
    }
    fn make() -> Result<Floor, Error> {
        let engine = wasmtime::Engine::default();
        let wasm = crate::module::wat_to_binary(
            "(module (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))",
        )?;
        let made = (|| -> wasmtime::Result<Floor> {
            let module = wasmtime::Module::new(&engine, wasm)?;
            let mut store = wasmtime::Store::new(&engine, ());
            let instance = wasmtime::Instance::new(&mut store, &module, &[])?;
            let add = instance.get_typed_func::<(i32, i32), i32>(&mut store, "add")?;
            Ok((store, add))
        })();
        made.map_err(|e| Error::IllegalState(format!("{e:#}")))
    }
    entry(&mut env, |_env| {
        if n < 0 {
            return Err(Error::IllegalArgument(format!("negative count {n}")));
        }
        FLOOR.with(|floor| {
            let mut floor = floor.borrow_mut();
            if floor.is_none() {
                *floor = Some(make()?);
            }
            let Some((store, add)) = floor.as_mut() else {
                return Err(Error::IllegalState("floor store missing".into()));
            };
            let mut sum = 0;
            for i in 0..n {
                sum = add
                    .call(&mut *store, (sum, i))
                    .map_err(|e| Error::IllegalState(format!("{e:#}")))?;
            }
            Ok(sum)
        })
    })
}
