//! `Linker`: names for imports, and instantiation. Shared by every thread once set up.

use jni::objects::{JClass, JObject, JString};
use jni::sys::{jboolean, jint, jlong};
use jni::EnvUnowned;
use wasmtime::{Extern, Linker};

use crate::engine::EngineBox;
use crate::error::{Error, Result};
use crate::ffi::entry;
use crate::handle::{self, Tagged};
use crate::module::ModuleBox;
use crate::store::{self, JavaFrame, StoreData};
use crate::types::{KIND_FUNC, KIND_GLOBAL, KIND_MEMORY, KIND_TABLE};

pub struct LinkerBox {
    pub linker: Linker<StoreData>,
    /// Whether the linker allows shadowing (`Linker.allowShadowing`); Wasmtime's linker has no getter
    /// and `wasi.rs` must restore it after shadowing one WASI function.
    pub shadowing: bool,
}

impl Tagged for LinkerBox {
    const TAG: u32 = 0x5701_0004;
    const NAME: &'static str = "Linker";
}

fn link_error(e: wasmtime::Error) -> Error {
    Error::Link(format!("{e:#}"))
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_linkerNew<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
) -> jlong {
    entry(&mut env, |_env| {
        // SAFETY: Java passes a live engine handle (Handle.acquire).
        let engine = unsafe { handle::get::<EngineBox>(engine) }?;
        Ok(handle::into_handle(LinkerBox {
            linker: Linker::new(&engine.engine),
            shadowing: false,
        }))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_linkerFree<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: Java frees each handle once, after its last use.
        unsafe { handle::free::<LinkerBox>(linker) };
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_linkerAllowShadowing<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    allow: jboolean,
) {
    entry(&mut env, |_env| {
        // SAFETY: Java holds the linker's write lock for definitions.
        let l = unsafe { handle::get_mut::<LinkerBox>(linker) }?;
        l.linker.allow_shadowing(allow);
        l.shadowing = allow;
        Ok(())
    })
}

/// Instantiates `module` in the store and returns the instance's index.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_linkerInstantiate<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    store_obj: JObject<'l>,
    store: jlong,
    module: jlong,
) -> jint {
    entry(&mut env, |env| {
        let frame = JavaFrame {
            env: env.get_raw(),
            store: store_obj.as_raw(),
            handle: store,
        };
        // SAFETY: live handles; Java holds the linker's read lock and owns the store.
        let l = unsafe { handle::get::<LinkerBox>(linker) }?;
        // SAFETY: as above.
        let m = unsafe { handle::get::<ModuleBox>(module) }?;
        // SAFETY: as above.
        let mut cx = unsafe { store::context(store) }?;
        // The start function may call host functions: they need the JNI frame.
        let instance = store::with_frame(&mut cx, frame, |cx| l.linker.instantiate(cx, &m.module))
            .map_err(|e| Error::from_wasm(e, Error::Link))?;
        cx.data_mut().add_instance(instance)
    })
}

/// Defines `module`/`name` as an extern (by kind and index) of the store.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_linkerDefine<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    store: jlong,
    module: JString<'l>,
    name: JString<'l>,
    kind: jint,
    index: jint,
) {
    entry(&mut env, |env| {
        let module = module.try_to_string(env)?;
        let name = name.try_to_string(env)?;
        // SAFETY: live handles; Java holds the linker's write lock and owns the store.
        let l = unsafe { handle::get_mut::<LinkerBox>(linker) }?;
        // SAFETY: as above.
        let cx = unsafe { store::context(store) }?;
        let item = extern_of(cx.data(), kind, index)?;
        l.linker
            .define(&cx, &module, &name, item)
            .map_err(link_error)?;
        Ok(())
    })
}

fn extern_of(data: &StoreData, kind: jint, index: jint) -> Result<Extern> {
    Ok(match u8::try_from(kind).unwrap_or(u8::MAX) {
        KIND_FUNC => Extern::Func(data.func(index)?),
        KIND_GLOBAL => Extern::Global(data.global(index)?),
        KIND_TABLE => Extern::Table(data.table(index)?),
        KIND_MEMORY => Extern::Memory(data.memory(index)?),
        _ => {
            return Err(Error::IllegalArgument(format!(
                "unknown extern kind {kind}"
            )))
        }
    })
}

/// Defines every export of an instance under the module name `module`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_linkerDefineInstance<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    store: jlong,
    module: JString<'l>,
    instance: jint,
) {
    entry(&mut env, |env| {
        let module = module.try_to_string(env)?;
        // SAFETY: live handles; Java holds the linker's write lock and owns the store.
        let l = unsafe { handle::get_mut::<LinkerBox>(linker) }?;
        // SAFETY: as above.
        let mut cx = unsafe { store::context(store) }?;
        let instance = cx.data().instance(instance)?;
        l.linker
            .instance(&mut cx, &module, instance)
            .map_err(link_error)?;
        Ok(())
    })
}
