//! `Function`: calls into wasm through the generic slot convention (see `values.rs`).

use jni::objects::{JByteArray, JClass, JLongArray};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;
use wasmtime::RootScope;

use crate::error::{Error, Result};
use crate::ffi::entry;
use crate::store;
use crate::types::Encoder;
use crate::values;

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_funcType<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
) -> JByteArray<'l> {
    entry(&mut env, |env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let cx = unsafe { store::context(store) }?;
        let ty = cx.data().func(func)?.ty(&cx);
        let mut e = Encoder::default();
        e.func_type(&ty);
        Ok(env.byte_array_from_slice(&e.0)?)
    })
}

/// Calls a function: `args` holds the parameters' slots, `results` receives the results' slots.
/// Java sizes both arrays from the function's type.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_funcCall<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
    args: JLongArray<'l>,
    results: JLongArray<'l>,
) {
    entry(&mut env, |env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let f = cx.data().func(func)?;
        let ty = f.ty(&cx);
        let mut arg_slots = vec![0i64; args.len(env)?];
        args.get_region(env, 0, &mut arg_slots)?;
        // References created for the call are unrooted when the scope ends.
        let mut scope = RootScope::new(&mut cx);
        let mut pos = 0;
        let params = ty
            .params()
            .map(|p| values::from_slots(&mut scope, &p, &arg_slots, &mut pos))
            .collect::<Result<Vec<_>>>()?;
        if pos != arg_slots.len() {
            return Err(Error::IllegalArgument(format!(
                "expected {pos} argument slots, got {}",
                arg_slots.len()
            )));
        }
        let mut out = ty
            .results()
            .map(|r| values::placeholder(&r))
            .collect::<Vec<_>>();
        f.call(&mut scope, &params, &mut out)
            .map_err(|e| Error::from_wasm(e, Error::Wasm))?;
        let mut result_slots = Vec::with_capacity(out.len());
        for v in &out {
            values::to_slots(&mut scope, v, &mut result_slots)?;
        }
        if result_slots.len() != results.len(env)? {
            return Err(Error::IllegalArgument(
                "result array does not match the function type".into(),
            ));
        }
        results.set_region(env, 0, &result_slots)?;
        Ok(())
    })
}
