//! The benchmarks' floors (`dev.wasmbridge.internal.JniFloor`): natives that measure JNI and
//! Wasmtime alone, for the JMH suite to compare every call path with. Not used at run time.

use crate::bridge::error::Error;
use crate::bridge::ffi::entry;
use jni::EnvUnowned;

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
