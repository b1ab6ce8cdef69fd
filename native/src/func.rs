//! `Function`: calls into wasm through the generic slot convention (see `values.rs`).

use jni::objects::{JByteArray, JClass, JLongArray, JObject};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;
use wasmtime::{AsContextMut, RootScope};

use crate::error::{Error, Result};
use crate::ffi::entry;
use crate::store::{self, JavaFrame};
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
/// Java sizes both arrays from the function's type. `store_obj` is the Java `Store`, handed to host
/// functions the call reaches.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_funcCall<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store_obj: JObject<'l>,
    store: jlong,
    func: jint,
    args: JLongArray<'l>,
    results: JLongArray<'l>,
) {
    entry(&mut env, |env| {
        let frame = JavaFrame {
            env: env.get_raw(),
            store: store_obj.as_raw(),
            handle: store,
        };
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
        let mut scx = scope.as_context_mut();
        store::with_frame(&mut scx, frame, |cx| f.call(cx, &params, &mut out))
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
