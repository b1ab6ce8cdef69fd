//! `Store`: all wasm state of one user (instances, memories, ...), used by one thread at a time.
//!
//! Java enforces the one-thread rule before any call gets here. Views that Java holds (instances,
//! functions, memories, globals, tables) are indices into registries kept in the store's data, so a
//! view is a pair of `long` store handle and `int` index and dies with the store.

use std::collections::HashMap;

use jni::objects::JClass;
use jni::sys::{jint, jlong};
use jni::EnvUnowned;
use wasmtime::{AsContextMut, Func, Global, Instance, Memory, Store, StoreContextMut, Table};

use crate::engine::EngineBox;
use crate::error::{Error, Result};
use crate::ffi::entry;
use crate::handle::{self, Tagged};

/// The data of every store: registries of the views handed to Java.
#[derive(Default)]
pub struct StoreData {
    instances: Vec<Instance>,
    funcs: Vec<Func>,
    /// Deduplicates functions by their VMFuncRef address so returning the same funcref repeatedly
    /// does not grow `funcs`.
    func_ids: HashMap<usize, jint>,
    memories: Vec<Memory>,
    globals: Vec<Global>,
    tables: Vec<Table>,
}

pub struct StoreBox {
    pub store: Store<StoreData>,
}

impl Tagged for StoreBox {
    const TAG: u32 = 0x5701_0003;
    const NAME: &'static str = "Store";
}

fn push<T>(v: &mut Vec<T>, item: T, what: &str) -> Result<jint> {
    let i = jint::try_from(v.len())
        .map_err(|_| Error::IllegalState(format!("too many {what} views in one store")))?;
    v.push(item);
    Ok(i)
}

fn lookup<T: Copy>(v: &[T], i: jint, what: &str) -> Result<T> {
    usize::try_from(i)
        .ok()
        .and_then(|i| v.get(i).copied())
        .ok_or_else(|| Error::IllegalArgument(format!("no {what} with index {i} in this store")))
}

impl StoreData {
    pub fn add_instance(&mut self, i: Instance) -> Result<jint> {
        push(&mut self.instances, i, "instance")
    }
    pub fn instance(&self, i: jint) -> Result<Instance> {
        lookup(&self.instances, i, "instance")
    }
    pub fn func(&self, i: jint) -> Result<Func> {
        lookup(&self.funcs, i, "function")
    }
    pub fn memory(&self, i: jint) -> Result<Memory> {
        lookup(&self.memories, i, "memory")
    }
    pub fn add_memory(&mut self, m: Memory) -> Result<jint> {
        push(&mut self.memories, m, "memory")
    }
    pub fn global(&self, i: jint) -> Result<Global> {
        lookup(&self.globals, i, "global")
    }
    pub fn add_global(&mut self, g: Global) -> Result<jint> {
        push(&mut self.globals, g, "global")
    }
    pub fn table(&self, i: jint) -> Result<Table> {
        lookup(&self.tables, i, "table")
    }
    pub fn add_table(&mut self, t: Table) -> Result<jint> {
        push(&mut self.tables, t, "table")
    }
}

/// Registers a function (deduplicated) and returns its index.
pub fn add_func(mut cx: impl AsContextMut<Data = StoreData>, f: Func) -> Result<jint> {
    let mut cx = cx.as_context_mut();
    let key = f.to_raw(&mut cx) as usize;
    if let Some(&i) = cx.data().func_ids.get(&key) {
        return Ok(i);
    }
    let data = cx.data_mut();
    let i = push(&mut data.funcs, f, "function")?;
    data.func_ids.insert(key, i);
    Ok(i)
}

/// The store behind a handle, as a context for Wasmtime calls.
///
/// # Safety
/// `handle` is a live store handle and the calling thread owns the store (Java's `Store.enter`).
pub unsafe fn context<'a>(handle: jlong) -> Result<StoreContextMut<'a, StoreData>> {
    // SAFETY: forwarded contract; the owning thread has exclusive use of the store.
    let sb = unsafe { handle::get_mut::<StoreBox>(handle) }?;
    Ok(sb.store.as_context_mut())
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_storeNew<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
) -> jlong {
    entry(&mut env, |_env| {
        // SAFETY: Java passes a live engine handle (Handle.acquire).
        let engine = unsafe { handle::get::<EngineBox>(engine) }?;
        let store = Store::new(&engine.engine, StoreData::default());
        Ok(handle::into_handle(StoreBox { store }))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_storeFree<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: Java frees each handle once, after its last use.
        unsafe { handle::free::<StoreBox>(store) };
        Ok(())
    })
}
