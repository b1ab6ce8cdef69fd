//! `Store`: all wasm state of one user (instances, memories, ...), used by one thread at a time.
//!
//! Java enforces the one-thread rule before any call gets here. Views that Java holds (instances,
//! functions, memories, globals, tables) are indices into registries kept in the store's data, so a
//! view is a pair of `long` store handle and `int` index and dies with the store.
//!
//! Re-entrancy: while a host function runs, Wasmtime has lent the store to that function's
//! `Caller`. A native call Java makes meanwhile (same thread, same store) must go through that
//! `Caller`, not through the `Store` the outer call is using: `StoreBox::active` points to it and
//! [`context`] picks it.

use std::cell::{Cell, UnsafeCell};
use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jni::objects::{JClass, JLongArray};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;
use wasmtime::{
    AsContextMut, Func, Global, Instance, Memory, Store, StoreContextMut, StoreLimits,
    StoreLimitsBuilder, Table, UpdateDeadline,
};

use crate::engine::EngineBox;
use crate::error::{Error, Result};
use crate::ffi::entry;
use crate::handle::{self, Tagged};

/// The data of every store: registries of the views handed to Java.
#[derive(Default)]
pub struct StoreData {
    instances: Vec<Instance>,
    funcs: Vec<Func>,
    /// Signatures of `funcs`, computed on first call (same index). Boxed so an entry's address
    /// stays put while the vector grows: a call reads its signature through a pointer.
    #[allow(
        clippy::vec_box,
        reason = "entries must not move when the vector grows"
    )]
    sigs: Vec<Option<Box<Sig>>>,
    /// Reusable argument and result buffers of the generic call path.
    pub scratch: Scratch,
    /// Deduplicates functions by their VMFuncRef address so returning the same funcref repeatedly
    /// does not grow `funcs`.
    func_ids: HashMap<usize, jint>,
    memories: Vec<Memory>,
    /// Typed views of functions (`Function.asIntBinaryOperator()` ...). Boxed so an entry's address
    /// stays put while the vector grows: a call runs through a pointer to its entry.
    #[allow(
        clippy::vec_box,
        reason = "entries must not move when the vector grows"
    )]
    typed: Vec<Box<crate::func::Typed>>,
    globals: Vec<Global>,
    tables: Vec<Table>,
    /// The store's WASI preview 1 context (`wasi.rs`); built empty on first use if never configured.
    pub wasi: Option<wasmtime_wasi::p1::WasiP1Ctx>,
    /// The pipes holding the WASI output the store captures (`wasi.rs`).
    pub wasi_captured: crate::wasi::Captured,
    /// The JNI frame of the native call that is running wasm now (`host.rs` calls Java through it).
    pub frame: JavaFrame,
    /// When running wasm must stop (`Store.setDeadline`); checked at every epoch tick.
    deadline: Option<Instant>,
    /// The store box's interrupt flag (`Store.interrupt()`), shared so host code that blocks (a WASI
    /// sleep) can see it too.
    interrupt: Arc<AtomicBool>,
    /// Resource limits (`Store.setLimits`), enforced through Wasmtime's limiter.
    limits: StoreLimits,
}

impl StoreData {
    /// Whether running wasm must stop now: an interrupt was requested (the request is consumed) or the
    /// deadline has passed.
    pub fn must_stop(&self) -> bool {
        let expired = self.deadline.is_some_and(|d| Instant::now() >= d);
        self.interrupt.swap(false, Ordering::AcqRel) || expired
    }
}

/// The JNI environment, the Java `Store` object and the store handle of the innermost native call
/// running wasm. The first two are valid only during that call; `with_frame` installs and restores
/// them.
#[derive(Clone, Copy)]
pub struct JavaFrame {
    pub env: *mut jni::sys::JNIEnv,
    pub store: jni::sys::jobject,
    pub handle: jlong,
}

impl Default for JavaFrame {
    fn default() -> Self {
        JavaFrame {
            env: std::ptr::null_mut(),
            store: std::ptr::null_mut(),
            handle: 0,
        }
    }
}

// SAFETY: a JavaFrame is only read on the thread that set it, during the call that set it (Java's
// one-thread-per-store rule); Send is needed because wasmtime requires store data to be Send.
unsafe impl Send for JavaFrame {}

/// Runs `f` (which calls into wasm) with `frame` as the store's current JNI frame, restoring the
/// previous one afterwards, so host functions reached from `f` can call Java.
pub fn with_frame<R>(
    cx: &mut StoreContextMut<'_, StoreData>,
    frame: JavaFrame,
    f: impl FnOnce(&mut StoreContextMut<'_, StoreData>) -> R,
) -> R {
    let previous = std::mem::replace(&mut cx.data_mut().frame, frame);
    let result = f(cx);
    cx.data_mut().frame = previous;
    result
}

pub struct StoreBox {
    store: UnsafeCell<Store<StoreData>>,
    /// Set by `Store.interrupt()` from any thread; the epoch callback traps when it sees it.
    interrupt: Arc<AtomicBool>,
    /// How many of the store's Java WASI stdio streams are running (`wasi.rs`); while one is,
    /// Wasmtime holds the store and [`context`] refuses.
    in_stdio: Cell<u32>,
    /// The `Caller` of the host function running now, if any (type-erased `*mut Caller<StoreData>`).
    active: Cell<*mut c_void>,
}

impl StoreBox {
    /// Lends the store to `caller` while `f` (Java code of a host function) runs.
    pub fn lend<R>(
        &self,
        caller: &mut wasmtime::Caller<'_, StoreData>,
        f: impl FnOnce() -> R,
    ) -> R {
        let previous = self
            .active
            .replace((caller as *mut wasmtime::Caller<'_, StoreData>).cast());
        let result = f();
        self.active.set(previous);
        result
    }

    /// The store itself, when no host call has it (a `Caller` holds it during host calls).
    ///
    /// # Safety
    /// The calling thread owns the store (Java's `Store.enter`) and no other borrow of it is live.
    #[allow(
        clippy::mut_from_ref,
        reason = "the Store lives in an UnsafeCell; exclusivity is the caller's contract"
    )]
    unsafe fn store_mut(&self) -> Result<&mut Store<StoreData>> {
        if self.in_stdio.get() != 0 {
            return Err(crate::wasi::inside_stdio());
        }
        if !self.active.get().is_null() {
            return Err(Error::IllegalState(
                "not allowed inside a host function call".into(),
            ));
        }
        // SAFETY: no host call holds the store, and the owning thread has exclusive use of it
        // (Java's Store.enter); the borrow ends with the caller's native call.
        Ok(unsafe { &mut *self.store.get() })
    }

    /// The `Caller` the store is lent to, while a host function runs.
    ///
    /// # Safety
    /// Only on the thread running that host function, and the reference must not outlive it.
    pub unsafe fn caller<'a>(&self) -> Option<&'a mut wasmtime::Caller<'a, StoreData>> {
        let active = self.active.get();
        // SAFETY: set by `lend` from a live `&mut Caller` that stays valid until `lend` returns.
        (!active.is_null())
            .then(|| unsafe { &mut *active.cast::<wasmtime::Caller<'a, StoreData>>() })
    }
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
    pub fn add_typed(&mut self, t: crate::func::Typed) -> Result<jint> {
        push(&mut self.typed, Box::new(t), "typed function")
    }
    /// The typed view at `i`. The pointer stays valid until the store is dropped: entries are
    /// boxed and never removed.
    pub fn typed(&self, i: jint) -> Result<*const crate::func::Typed> {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.typed.get(i))
            .map(|b| &**b as *const crate::func::Typed)
            .ok_or_else(|| {
                Error::IllegalArgument(format!("no typed function with index {i} in this store"))
            })
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

/// A function's parameter and result types, cached per store for the generic call path.
pub struct Sig {
    pub params: Vec<wasmtime::ValType>,
    pub results: Vec<wasmtime::ValType>,
    /// No reference types among them: the generic path may call through raw values
    /// (`Func::call_unchecked`) without Wasmtime's per-call type checks.
    pub numeric: bool,
}

/// Buffers the generic call path reuses from call to call (taken for the call, put back after).
#[derive(Default)]
pub struct Scratch {
    pub slots: Vec<i64>,
    pub params: Vec<wasmtime::Val>,
    pub results: Vec<wasmtime::Val>,
    /// Parameters and then results of a numeric signature, for `Func::call_unchecked`.
    pub raw: Vec<wasmtime::ValRaw>,
}

/// The cached signature of function `i`.
///
/// The pointer stays valid until the store is dropped: entries are boxed and never removed.
pub fn sig(cx: &mut StoreContextMut<'_, StoreData>, i: jint) -> Result<*const Sig> {
    let f = cx.data().func(i)?;
    let at = i as usize; // func() checked 0 <= i < funcs.len()
    if cx.data().sigs.get(at).is_none_or(Option::is_none) {
        let ty = f.ty(&*cx);
        let params: Vec<wasmtime::ValType> = ty.params().collect();
        let results: Vec<wasmtime::ValType> = ty.results().collect();
        let numeric = params.iter().chain(&results).all(|t| !t.is_ref());
        let sig = Sig {
            params,
            results,
            numeric,
        };
        let sigs = &mut cx.data_mut().sigs;
        if sigs.len() <= at {
            sigs.resize_with(at + 1, || None);
        }
        sigs[at] = Some(Box::new(sig));
    }
    match cx.data().sigs.get(at) {
        Some(Some(s)) => Ok(&**s as *const Sig),
        _ => Err(Error::IllegalState(
            "function signature cache is inconsistent".into(),
        )),
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

/// The store behind a handle, as a context for Wasmtime calls: through the active host call's
/// `Caller` if there is one, else the store itself.
///
/// # Safety
/// `handle` is a live store handle and the calling thread owns the store (Java's `Store.enter`).
pub unsafe fn context<'a>(handle: jlong) -> Result<StoreContextMut<'a, StoreData>> {
    // SAFETY: forwarded contract; only a shared borrow of the box is taken.
    let sb = unsafe { handle::get::<StoreBox>(handle) }?;
    // Not from inside one of the store's own Java stdio streams: Wasmtime holds the store there.
    if sb.in_stdio.get() != 0 {
        return Err(crate::wasi::inside_stdio());
    }
    let active = sb.active.get();
    if active.is_null() {
        // SAFETY: no host call is active, so no other borrow of the store is in use; the owning
        // thread has exclusive use of it (Java's Store.enter).
        Ok(unsafe { &mut *sb.store.get() }.as_context_mut())
    } else {
        // SAFETY: `active` was set by `lend` from a live `&mut Caller` whose host call is still
        // running on this thread (it is reset before that call returns); the caller holds the
        // store for the duration, so going through it is the only valid path to the store.
        let caller = unsafe { &mut *active.cast::<wasmtime::Caller<'a, StoreData>>() };
        Ok(caller.as_context_mut())
    }
}

/// The box behind a store handle (for `lend`).
///
/// # Safety
/// As for [`context`].
pub unsafe fn boxed<'a>(handle: jlong) -> Result<&'a StoreBox> {
    // SAFETY: forwarded contract.
    unsafe { handle::get::<StoreBox>(handle) }
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
        let interrupt = Arc::new(AtomicBool::new(false));
        let data = StoreData {
            interrupt: interrupt.clone(),
            ..StoreData::default()
        };
        let mut store = Store::new(&engine.engine, data);
        store.limiter(|d| &mut d.limits);
        if engine.epochs {
            // Check at every tick: an interrupt request, or the deadline.
            store.set_epoch_deadline(1);
            store.epoch_deadline_callback(move |cx| {
                if cx.data().must_stop() {
                    Ok(UpdateDeadline::Interrupt)
                } else {
                    Ok(UpdateDeadline::Continue(1))
                }
            });
        }
        Ok(handle::into_handle(StoreBox {
            store: UnsafeCell::new(store),
            interrupt,
            in_stdio: Cell::new(0),
            active: Cell::new(std::ptr::null_mut()),
        }))
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

/// Sets the fuel left for wasm to consume.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_storeSetFuel<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    fuel: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { context(store) }?;
        let fuel = u64::try_from(fuel).map_err(|_| {
            Error::IllegalArgument(format!("fuel must not be negative, got {fuel}"))
        })?;
        cx.set_fuel(fuel)
            .map_err(|e| Error::IllegalState(format!("{e:#}")))
    })
}

/// The fuel left.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_storeGetFuel<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
) -> jlong {
    entry(&mut env, |_env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let cx = unsafe { context(store) }?;
        let fuel = cx
            .get_fuel()
            .map_err(|e| Error::IllegalState(format!("{e:#}")))?;
        Ok(jlong::try_from(fuel).unwrap_or(jlong::MAX))
    })
}

/// Sets the deadline `nanos` from now (negative: no deadline).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_storeSetDeadline<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    nanos: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { context(store) }?;
        cx.data_mut().deadline = u64::try_from(nanos)
            .ok()
            .and_then(|n| Instant::now().checked_add(Duration::from_nanos(n)));
        Ok(())
    })
}

/// Asks the wasm running in the store (now, or in its next call) to stop with an interrupt trap.
/// Callable from any thread: it touches only the shared flag.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_storeInterrupt<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: live store handle (Java holds a Handle use across this call); only the atomic
        // flag is touched, which any thread may do.
        let sb = unsafe { handle::get::<StoreBox>(store) }?;
        sb.interrupt.store(true, Ordering::Release);
        Ok(())
    })
}

/// Sets resource limits: memory bytes, table elements, instances, tables, memories (-1: no limit
/// for sizes, Wasmtime's default of 10000 for counts).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_storeSetLimits<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    limits: JLongArray<'l>,
) {
    entry(&mut env, |env| {
        let mut v = [-1i64; 5];
        limits.get_region(env, 0, &mut v)?;
        let at = |i: usize| usize::try_from(v[i]).ok();
        let mut b = StoreLimitsBuilder::new();
        if let Some(n) = at(0) {
            b = b.memory_size(n);
        }
        if let Some(n) = at(1) {
            b = b.table_elements(n);
        }
        if let Some(n) = at(2) {
            b = b.instances(n);
        }
        if let Some(n) = at(3) {
            b = b.tables(n);
        }
        if let Some(n) = at(4) {
            b = b.memories(n);
        }
        // SAFETY: live store handle owned by this thread (Store.enter).
        let sb = unsafe { boxed(store) }?;
        // SAFETY: as above; no other borrow of the store is live in this native call.
        let s = unsafe { sb.store_mut() }?;
        s.data_mut().limits = b.build();
        // Re-installing the limiter makes Wasmtime read the new instance/table/memory counts.
        s.limiter(|d| &mut d.limits);
        Ok(())
    })
}

/// Counts a Java stdio stream of the store starting (+1) or ending (-1) on the store's thread.
pub fn stdio_depth(handle: jlong, delta: i32) {
    // SAFETY: the stream belongs to the live store whose WASI call is running on this thread.
    if let Ok(sb) = unsafe { boxed(handle) } {
        sb.in_stdio
            .set(sb.in_stdio.get().wrapping_add_signed(delta));
    }
}
