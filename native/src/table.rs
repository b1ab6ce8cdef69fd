//! `Table`: size, get, set and grow for reference tables, references in slot form.

use jni::objects::{JByteArray, JClass};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;
use wasmtime::RootScope;

use crate::bridge::error::{Error, Result};
use crate::bridge::ffi::entry;
use crate::store;
use crate::types::Encoder;
use crate::values;

fn index(i: jlong) -> Result<u64> {
    u64::try_from(i).map_err(|_| Error::OutOfBounds(format!("table index {i} is negative")))
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_tableType<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    table: jint,
) -> JByteArray<'l> {
    entry(&mut env, |env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let cx = unsafe { store::context(store) }?;
        let t = cx.data().table(table)?;
        let mut e = Encoder::default();
        e.table_type(&t.ty(&cx));
        Ok(env.byte_array_from_slice(&e.0)?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_tableSize<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    table: jint,
) -> jlong {
    entry(&mut env, |_env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let cx = unsafe { store::context(store) }?;
        let t = cx.data().table(table)?;
        Ok(t.size(&cx) as jlong)
    })
}

/// The element at `i` in slot form.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_tableGet<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    table: jint,
    i: jlong,
) -> jlong {
    entry(&mut env, |_env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let t = cx.data().table(table)?;
        let mut scope = RootScope::new(&mut cx);
        let size = t.size(&scope);
        let r = t.get(&mut scope, index(i)?).ok_or_else(|| {
            Error::OutOfBounds(format!(
                "table index {i} is outside the table of {size} elements"
            ))
        })?;
        values::ref_to_slot(&mut scope, &r)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_tableSet<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    table: jint,
    i: jlong,
    slot: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let t = cx.data().table(table)?;
        let ty = t.ty(&cx);
        let size = t.size(&cx);
        let at = index(i)?;
        if at >= size {
            return Err(Error::OutOfBounds(format!(
                "table index {i} is outside the table of {size} elements"
            )));
        }
        let mut scope = RootScope::new(&mut cx);
        let r = values::ref_from_slot(&mut scope, ty.element(), slot)?;
        t.set(&mut scope, at, r)
            .map_err(|e| Error::IllegalArgument(format!("{e:#}")))
    })
}

/// Grows by `delta` elements filled with `init`; returns the previous size.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_tableGrow<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    table: jint,
    delta: jlong,
    init: jlong,
) -> jlong {
    entry(&mut env, |_env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let t = cx.data().table(table)?;
        let ty = t.ty(&cx);
        let delta = u64::try_from(delta)
            .map_err(|_| Error::IllegalArgument(format!("cannot grow by {delta} elements")))?;
        let mut scope = RootScope::new(&mut cx);
        let r = values::ref_from_slot(&mut scope, ty.element(), init)?;
        let old = t
            .grow(&mut scope, delta, r)
            .map_err(|e| Error::Wasm(format!("table cannot grow by {delta} elements: {e:#}")))?;
        Ok(old as jlong)
    })
}
