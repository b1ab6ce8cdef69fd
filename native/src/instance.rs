//! `Instance`: an instantiated module's exports.

use jni::objects::{JByteArray, JClass, JString};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;
use wasmtime::Extern;

use crate::bridge::error::{Error, Result};
use crate::bridge::ffi::entry;
use crate::store::{self, StoreData};
use crate::types::{Encoder, KIND_FUNC, KIND_GLOBAL, KIND_MEMORY, KIND_TABLE, KIND_TAG};

/// Registers an export and returns `kind << KIND_SHIFT | index` (`abi.rs`).
pub fn register(cx: &mut wasmtime::StoreContextMut<'_, StoreData>, item: Extern) -> Result<jlong> {
    let (kind, index) = match item {
        Extern::Func(f) => (KIND_FUNC, store::add_func(&mut *cx, f)?),
        Extern::Memory(m) => (KIND_MEMORY, store::add_memory(cx, m)?),
        Extern::Global(g) => (KIND_GLOBAL, store::add_global(cx, g)?),
        Extern::Table(t) => (KIND_TABLE, store::add_table(cx, t)?),
        Extern::SharedMemory(_) => {
            return Err(Error::IllegalArgument(
                "shared memories are not supported yet".into(),
            ));
        }
        Extern::Tag(_) => (KIND_TAG, -1),
    };
    Ok((jlong::from(kind) << crate::bridge::abi::KIND_SHIFT) | jlong::from(index as u32))
}

/// The export `name` as `kind << KIND_SHIFT | index`, or -1 when there is no such export.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_instanceExport<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    instance: jint,
    name: JString<'l>,
) -> jlong {
    entry(&mut env, |env| {
        let name = name.try_to_string(env)?;
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let instance = cx.data().instance(instance)?;
        match instance.get_export(&mut cx, &name) {
            Some(item) => register(&mut cx, item),
            None => Ok(-1),
        }
    })
}

/// All exports of an instance with their types, in the `types.rs` encoding.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_instanceExports<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    instance: jint,
) -> JByteArray<'l> {
    entry(&mut env, |env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let instance = cx.data().instance(instance)?;
        let exports: Vec<(String, Extern)> = instance
            .exports(&mut cx)
            .map(|e| (e.name().to_owned(), e.into_extern()))
            .collect();
        let mut e = Encoder::default();
        e.len(exports.len());
        for (name, item) in &exports {
            e.str(name);
            e.extern_type(&item.ty(&cx));
        }
        Ok(env.byte_array_from_slice(&e.0)?)
    })
}
