//! `Global`: read and write wasm globals through the slot convention (see `values.rs`).

use jni::objects::{JByteArray, JClass, JLongArray};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;
use wasmtime::{Mutability, RootScope};

use crate::bridge::error::Error;
use crate::bridge::ffi::entry;
use crate::store;
use crate::types::{self, Encoder};
use crate::values;

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_globalType<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    global: jint,
) -> JByteArray<'l> {
    entry(&mut env, |env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let cx = unsafe { store::context(store) }?;
        let g = cx.data().global(global)?;
        let mut e = Encoder::default();
        e.global_type(&g.ty(&cx));
        Ok(env.byte_array_from_slice(&e.0)?)
    })
}

/// Writes the global's value in slot form into `out` (two slots for v128).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_globalGet<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    global: jint,
    out: JLongArray<'l>,
) {
    entry(&mut env, |env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let g = cx.data().global(global)?;
        let mut scope = RootScope::new(&mut cx);
        let v = g.get(&mut scope);
        let mut slots = Vec::with_capacity(2);
        values::to_slots(&mut scope, &v, &mut slots)?;
        out.set_region(env, 0, &slots)?;
        Ok(())
    })
}

/// Sets the global from its slot form.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_globalSet<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    global: jint,
    input: JLongArray<'l>,
) {
    entry(&mut env, |env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let g = cx.data().global(global)?;
        let ty = g.ty(&cx);
        if ty.mutability() == Mutability::Const {
            return Err(Error::IllegalState("the global is immutable".into()));
        }
        let mut slots = vec![0i64; types::slots(ty.content())];
        input.get_region(env, 0, &mut slots)?;
        let mut scope = RootScope::new(&mut cx);
        let v = values::from_slots(&mut scope, ty.content(), &slots, &mut 0)?;
        g.set(&mut scope, v)
            .map_err(|e| Error::IllegalArgument(format!("{e:#}")))
    })
}
