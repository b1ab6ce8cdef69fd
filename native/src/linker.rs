//! `Linker`: names for imports, and instantiation. Shared by every thread.
//!
//! The Wasmtime linker sits behind a lock as an `Arc`: an instantiation takes a snapshot (a
//! reference count) and releases the lock before running a start function, so a host function it
//! calls may define names on the same linker (copy-on-write: the snapshot keeps the old map).

use std::sync::{Arc, PoisonError, RwLock};

use jni::objects::{JClass, JObject, JString};
use jni::sys::{jboolean, jint, jlong};
use jni::EnvUnowned;
use wasmtime::{Extern, Linker};

use crate::bridge::error::{Error, Result};
use crate::bridge::ffi::entry;
use crate::bridge::handle::{self, Tagged};
use crate::engine::EngineBox;
use crate::module::ModuleBox;
use crate::store::{self, JavaFrame, StoreData};
use crate::types::{KIND_FUNC, KIND_GLOBAL, KIND_MEMORY, KIND_TABLE};

/// A Wasmtime linker shared by threads: core modules' (`Linker<StoreData>`, the default) or
/// components' (`component::Linker<StoreData>`, `component/linker.rs`).
pub struct LinkerBox<L: Clone = Linker<StoreData>> {
    state: RwLock<State<L>>,
}

struct State<L> {
    linker: Arc<L>,
    /// Whether the linker allows shadowing (`allowShadowing`); Wasmtime's linkers have no getter
    /// and `wasi::add_to_linker` must restore it after shadowing one WASI function.
    shadowing: bool,
}

impl<L: Clone> LinkerBox<L> {
    pub fn new(linker: L) -> LinkerBox<L> {
        LinkerBox {
            state: RwLock::new(State {
                linker: Arc::new(linker),
                shadowing: false,
            }),
        }
    }

    /// The definitions as they are now, for one instantiation; no lock is held afterwards.
    pub fn snapshot(&self) -> Arc<L> {
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        state.linker.clone()
    }

    /// Changes the definitions: `f` gets the linker and its shadowing setting. A snapshot still in
    /// use keeps the old definitions (the linker is copied then).
    pub fn edit<R>(&self, f: impl FnOnce(&mut L, bool) -> R) -> R {
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        let shadowing = state.shadowing;
        f(Arc::make_mut(&mut state.linker), shadowing)
    }

    /// Sets whether later definitions may replace earlier ones: `allow(linker, allowed)` sets it on
    /// the Wasmtime linker.
    pub fn set_shadowing(&self, allowed: bool, allow: impl FnOnce(&mut L, bool)) {
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        allow(Arc::make_mut(&mut state.linker), allowed);
        state.shadowing = allowed;
    }
}

impl Tagged for LinkerBox {
    const TAG: u32 = 0x5701_0004;
    const NAME: &'static str = "Linker";
}

fn link_error(e: wasmtime::Error) -> Error {
    Error::Link(format!("{e:#}"))
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_linkerNew<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
) -> jlong {
    entry(&mut env, |_env| {
        // SAFETY: Java passes a live engine handle (Handle.acquire).
        let engine = unsafe { handle::get::<EngineBox>(engine) }?;
        Ok(handle::into_handle(LinkerBox::new(Linker::new(
            &engine.engine,
        ))))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_linkerFree<'l>(
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
pub extern "system" fn Java_dev_wasmbridge_Native_linkerAllowShadowing<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    allow: jboolean,
) {
    entry(&mut env, |_env| {
        // SAFETY: live linker handle (Handle.acquire); LinkerBox locks itself.
        let l = unsafe { handle::get::<LinkerBox>(linker) }?;
        l.set_shadowing(allow, |linker, allow| {
            linker.allow_shadowing(allow);
        });
        Ok(())
    })
}

/// Instantiates `module` in the store and returns the instance's index.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_linkerInstantiate<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    store_obj: JObject<'l>,
    store: jlong,
    module: jlong,
) -> jint {
    entry(&mut env, |env| {
        let frame = JavaFrame::new(env.get_raw(), store_obj.as_raw(), store);
        // SAFETY: live handles (Handle.acquire); the calling thread owns the store (Store.enter).
        let linker = unsafe { handle::get::<LinkerBox>(linker) }?.snapshot();
        // SAFETY: as above.
        let m = unsafe { handle::get::<ModuleBox>(module) }?;
        // SAFETY: as above.
        let mut cx = unsafe { store::context(store) }?;
        // The start function may call host functions: they need the JNI frame.
        let instance = store::with_frame(&mut cx, frame, |cx| linker.instantiate(cx, &m.module))
            .map_err(|e| Error::from_wasm(e, Error::Link))?;
        cx.data_mut().add_instance(instance)
    })
}

/// Defines `module`/`name` as an extern (by kind and index) of the store.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_linkerDefine<'l>(
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
        // SAFETY: live handles (Handle.acquire); the calling thread owns the store (Store.enter).
        let l = unsafe { handle::get::<LinkerBox>(linker) }?;
        // SAFETY: as above.
        let cx = unsafe { store::context(store) }?;
        let item = extern_of(cx.data(), kind, index)?;
        l.edit(|linker, _| linker.define(&cx, &module, &name, item).map(|_| ()))
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
/// Defines each import of `module` that the linker does not provide: as a function that traps
/// (`Linker.defineUnknownImportsAsTraps`), or, with `default_values`, as a function returning zeros
/// or an item holding its type's default (`Linker.defineUnknownImportsAsDefaultValues`, which needs
/// the store for the items it makes).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_linkerDefineUnknownImports<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    store: jlong,
    module: jlong,
    default_values: jboolean,
) {
    entry(&mut env, |_env| {
        // SAFETY: live handles (Handle.acquire); the calling thread owns the store (Store.enter)
        // when there is one.
        let l = unsafe { handle::get::<LinkerBox>(linker) }?;
        // SAFETY: as above.
        let m = unsafe { handle::get::<ModuleBox>(module) }?;
        if default_values {
            // SAFETY: as above.
            let mut cx = unsafe { store::context(store) }?;
            l.edit(|linker, _| linker.define_unknown_imports_as_default_values(&mut cx, &m.module))
        } else {
            l.edit(|linker, _| linker.define_unknown_imports_as_traps(&m.module))
        }
        .map_err(link_error)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_linkerDefineInstance<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    store: jlong,
    module: JString<'l>,
    instance: jint,
) {
    entry(&mut env, |env| {
        let module = module.try_to_string(env)?;
        // SAFETY: live handles (Handle.acquire); the calling thread owns the store (Store.enter).
        let l = unsafe { handle::get::<LinkerBox>(linker) }?;
        // SAFETY: as above.
        let mut cx = unsafe { store::context(store) }?;
        let instance = cx.data().instance(instance)?;
        l.edit(|linker, _| linker.instance(&mut cx, &module, instance).map(|_| ()))
            .map_err(link_error)?;
        Ok(())
    })
}
