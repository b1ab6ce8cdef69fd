//! `Store`: all wasm state of one user (instances, memories, ...), used by one thread at a time.
//!
//! Java enforces the one-thread rule before any call gets here. Views that Java holds (instances,
//! functions, memories, globals, tables, typed views) are indices into registries kept in the
//! store's data, so a view is a pair of `long` store handle and `int` index and dies with the store.
//! Registering the same thing again returns its existing index: a store's registries grow with what
//! the guest holds, never with the number of calls.
//!
//! Re-entrancy: while a host function runs, Wasmtime has lent the store to that function's
//! `Caller`. A native call Java makes meanwhile (same thread, same store) must go through that
//! `Caller`, not through the `Store` the outer call is using: `StoreBox::active` points to it and
//! [`context`] picks it. What is lent across a call (the `Caller`, the JNI frame, the stack wasm
//! runs on) is restored by guards, so an unwinding panic leaves no pointer to a frame that is gone.

use std::any::{Any, TypeId};
use std::cell::{Cell, UnsafeCell};
use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jni::objects::{JClass, JLongArray};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;
use wasmtime::{
    AsContextMut, Func, Global, Instance, Memory, Store, StoreContextMut, StoreLimits,
    StoreLimitsBuilder, Table, UpdateDeadline,
};

use crate::bridge::abi;
use crate::bridge::error::{Error, Result, StackRefused};
use crate::bridge::ffi::entry;
use crate::bridge::handle::{self, Tagged};
use crate::engine::EngineBox;
use crate::stack;

/// A registry of views handed to Java: a vector indexed by the `int` Java holds, and the index of
/// each entry by its identity, so registering the same thing twice returns the first index.
struct Registry<T, K> {
    items: Vec<T>,
    ids: HashMap<K, jint>,
}

impl<T, K> Default for Registry<T, K> {
    fn default() -> Self {
        Registry {
            items: Vec::new(),
            ids: HashMap::new(),
        }
    }
}

impl<T: Copy, K: std::hash::Hash + Eq> Registry<T, K> {
    fn get(&self, i: jint, what: &str) -> Result<T> {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.items.get(i).copied())
            .ok_or_else(|| {
                Error::IllegalArgument(format!("no {what} with index {i} in this store"))
            })
    }

    /// The index of `item` (known by `key`), registering it if it is new.
    fn add(&mut self, key: K, item: T, what: &str) -> Result<jint> {
        if let Some(&i) = self.ids.get(&key) {
            return Ok(i);
        }
        let i = jint::try_from(self.items.len())
            .map_err(|_| Error::IllegalState(format!("too many {what} views in one store")))?;
        self.items.push(item);
        self.ids.insert(key, i);
        Ok(i)
    }

    fn len(&self) -> usize {
        self.items.len()
    }
}

/// The identity of an extern Wasmtime offers no key for (globals, tables, and memories without an
/// address of their own): its `Debug` form, which names its store, instance and index.
fn debug_key(item: &impl std::fmt::Debug) -> String {
    format!("{item:?}")
}

/// What identifies a memory: the address of its bytes, which never moves (the engine is built with
/// `memory_may_move(false)`) and is unique while the memory has a reservation; a memory of no bytes
/// and no reservation falls back to its `Debug` form.
#[derive(Hash, PartialEq, Eq)]
enum MemoryKey {
    Base(usize),
    Debug(String),
}

/// The state the features above the store keep per store: WASI 0.2's context and captured output
/// (`wasi/`), `wasi:http`'s context (`http/`), the component instances and handles Java holds
/// (`component/`). The store carries one value of each type, made with `Default` on first use, and
/// names none of those types: a feature reaches its own state through [`StoreData::ext`], so no
/// module above the store is reached from here (as `http::Extensions` carries a request's state
/// for the layers of a server). A lookup compares a handful of type IDs.
#[derive(Default)]
struct Extensions(Vec<(TypeId, Box<dyn Any + Send>)>);

impl Extensions {
    /// The index of the `T`, if there is one (type IDs compared in place: no call per entry).
    fn find<T: Any>(&self) -> Option<usize> {
        let id = TypeId::of::<T>();
        self.0.iter().position(|(t, _)| *t == id)
    }

    /// The index of the `T`, made now if there is none.
    fn index<T: Any + Send + Default>(&mut self) -> usize {
        match self.find::<T>() {
            Some(i) => i,
            None => {
                self.0.push((TypeId::of::<T>(), Box::new(T::default())));
                self.0.len() - 1
            }
        }
    }
}

/// What [`Extensions`] holds at an index it found for `T`.
fn downcast<T: Any>(e: &mut (TypeId, Box<dyn Any + Send>)) -> &mut T {
    match e.1.downcast_mut::<T>() {
        Some(t) => t,
        None => unreachable!("Extensions holds a {} there", std::any::type_name::<T>()),
    }
}

/// The error for using a store from inside one of its own Java stdio streams: Wasmtime holds the
/// store for the WASI call that is writing or reading, so a second borrow would alias it
/// ([`StoreBox`] counts the streams running, `wasi/stdio.rs` marks them).
pub fn inside_stdio() -> Error {
    Error::IllegalState(
        "a Store cannot be used from inside its own WASI stdin/stdout/stderr stream".into(),
    )
}

/// Stops wasm running in a store: an interrupt aimed at the call running now, and a deadline.
/// Shared (`Arc`) with code that blocks outside wasm (WASI sleeps, reads of a Java stdin stream) so
/// it can stop at the same moment.
///
/// The interrupt rule: `interrupt()` raises a flag; the running call consumes it at its next check
/// (an epoch tick, a WASI sleep or read) and traps; every outermost call lowers it as it starts. So
/// an interrupt made while no call runs is dropped by the next call, one made while a call runs stops
/// that call, and one that arrives as a call ends is dropped with it. One store per call, no more.
#[derive(Default)]
pub struct Stop {
    /// Raised by `interrupt`, lowered by each outermost call as it starts.
    interrupted: AtomicBool,
    /// Nanoseconds after [`base`] at which running wasm must stop, plus one; 0 for none.
    deadline: AtomicU64,
}

/// The instant deadlines count from.
fn base() -> Instant {
    static BASE: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *BASE.get_or_init(Instant::now)
}

impl Stop {
    /// An outermost call starts: an interrupt raised before it was aimed at no call.
    #[inline]
    fn begin(&self) {
        self.interrupted.store(false, Ordering::Relaxed);
    }

    /// Interrupts the call running now (see the rule above). Any thread.
    pub fn interrupt(&self) {
        self.interrupted.store(true, Ordering::Release);
    }

    /// Sets the deadline `nanos` from now (negative: none).
    fn set_deadline(&self, nanos: jlong) {
        let at = u64::try_from(nanos)
            .ok()
            .and_then(|n| Instant::now().checked_add(Duration::from_nanos(n)))
            .map_or(0, |at| {
                u64::try_from(at.duration_since(base()).as_nanos())
                    .unwrap_or(u64::MAX - 1)
                    .saturating_add(1)
            });
        self.deadline.store(at, Ordering::Release);
    }

    /// Whether running wasm must stop now: an interrupt hit the running call (it is consumed: the
    /// trap it causes ends the call) or the deadline has passed.
    pub fn must_stop(&self) -> bool {
        self.interrupted.swap(false, Ordering::AcqRel) || self.expired()
    }

    fn expired(&self) -> bool {
        match self.deadline.load(Ordering::Acquire) {
            0 => false,
            at => base().elapsed().as_nanos() >= u128::from(at - 1),
        }
    }
}

/// The data of every store: registries of the views handed to Java.
#[derive(Default)]
pub struct StoreData {
    instances: Vec<Instance>,
    funcs: Registry<Func, usize>,
    /// Signatures of `funcs`, computed on first call (same index). Boxed so an entry's address
    /// stays put while the vector grows: a call reads its signature through a pointer.
    #[allow(
        clippy::vec_box,
        reason = "entries must not move when the vector grows"
    )]
    sigs: Vec<Option<Box<Sig>>>,
    /// Reusable argument and result buffers of the generic call path.
    pub scratch: Scratch,
    memories: Registry<Memory, MemoryKey>,
    /// Typed views of functions (`Function.as(..)`, built by `shapes.rs`), by function index and
    /// shape: pointers into `typed_boxes`, a call runs through one.
    typed: Registry<*const (dyn Any + Send), (jint, u32)>,
    /// The typed views, boxed so an entry's address stays put while the vector grows.
    #[allow(
        clippy::vec_box,
        reason = "entries must not move when the vector grows"
    )]
    typed_boxes: Vec<Box<dyn Any + Send>>,
    globals: Registry<Global, String>,
    tables: Registry<Table, String>,
    /// The store's WASI preview 1 context (`wasi/`); built empty on first use if never configured.
    pub wasi: Option<wasmtime_wasi::p1::WasiP1Ctx>,
    /// The state the features above the store keep per store (see [`Extensions`]).
    exts: Extensions,
    /// The JNI frame of the native call that is running wasm now (`host.rs` calls Java through it).
    pub frame: JavaFrame,
    /// The interrupt and the deadline (`Store.interrupt()`, `Store.setDeadline`), checked at every
    /// epoch tick.
    pub stop: Arc<Stop>,
    /// Resource limits (`Store.setLimits`), enforced through Wasmtime's limiter.
    limits: StoreLimits,
    /// The stack an outermost entry needs: the engine's `max_wasm_stack` and the slack of the
    /// entry's own frames (`stack.rs`).
    stack_need: usize,
    /// The stack bounds of the thread this store last entered wasm on (`stack.rs`).
    stack_bounds: stack::Bounds,
    /// Where on that thread's stack an outermost entry fits in place (`stack.rs`).
    stack_room: stack::Room,
}

// SAFETY: the raw pointers in `typed` point into `typed_boxes`, owned by the same StoreData and
// moved with it; Send is needed because wasmtime requires store data to be Send.
unsafe impl Send for StoreData {}

impl StoreData {
    /// This store's `T`, a feature's state (see [`Extensions`]); made with `Default` on first use.
    pub fn ext<T: Any + Send + Default>(&mut self) -> &mut T {
        let i = self.exts.index::<T>();
        downcast(&mut self.exts.0[i])
    }

    /// Sets this store's `T` (see [`Extensions`]), replacing the one it had.
    pub fn set_ext<T: Any + Send>(&mut self, value: T) {
        match self.exts.find::<T>() {
            Some(i) => self.exts.0[i].1 = Box::new(value),
            None => self.exts.0.push((TypeId::of::<T>(), Box::new(value))),
        }
    }

    /// This store's `T` if it has been made (see [`Extensions`]).
    pub fn ext_ref<T: Any>(&self) -> Option<&T> {
        self.exts
            .find::<T>()
            .and_then(|i| self.exts.0[i].1.downcast_ref())
    }

    /// Two features' states at once (`A` and `B` are different types), each made on first use.
    pub fn ext_pair<A, B>(&mut self) -> (&mut A, &mut B)
    where
        A: Any + Send + Default,
        B: Any + Send + Default,
    {
        let (i, j) = (self.exts.index::<A>(), self.exts.index::<B>());
        match self.exts.0.get_disjoint_mut([i, j]) {
            Ok([a, b]) => (downcast(a), downcast(b)),
            Err(_) => unreachable!("ext_pair of one type twice"),
        }
    }

    /// Whether running wasm must stop now (see [`Stop::must_stop`]).
    pub fn must_stop(&self) -> bool {
        self.stop.must_stop()
    }
}

/// The JNI environment, the Java `Store` object and the store handle of the innermost native call
/// running wasm, and whether that wasm runs on the thread's private stack (`stack.rs`). The first
/// two are valid only during that call; `with_frame` installs and restores them.
#[derive(Clone, Copy)]
pub struct JavaFrame {
    pub env: *mut jni::sys::JNIEnv,
    pub store: jni::sys::jobject,
    pub handle: jlong,
    pub private: bool,
}

impl JavaFrame {
    /// The frame of a native call about to run wasm (not yet placed on a stack).
    pub fn new(env: *mut jni::sys::JNIEnv, store: jni::sys::jobject, handle: jlong) -> JavaFrame {
        JavaFrame {
            env,
            store,
            handle,
            private: false,
        }
    }

    /// Installs `frame` here, field by field: the frame is built in registers by the caller, and
    /// copying it whole makes the compiler reload just-written stack bytes in wider pieces (a stalled
    /// store-to-load forward on every call).
    #[inline(always)]
    fn set(&mut self, frame: JavaFrame, private: bool) {
        self.env = frame.env;
        self.store = frame.store;
        self.handle = frame.handle;
        self.private = private;
    }
}

impl Default for JavaFrame {
    fn default() -> Self {
        JavaFrame::new(std::ptr::null_mut(), std::ptr::null_mut(), 0)
    }
}

// SAFETY: a JavaFrame is only read on the thread that set it, during the call that set it (Java's
// one-thread-per-store rule); Send is needed because wasmtime requires store data to be Send.
unsafe impl Send for JavaFrame {}

/// Restores the store's previous frame when dropped, on return or unwind.
struct FrameGuard<'a, 'b> {
    cx: &'a mut StoreContextMut<'b, StoreData>,
    previous: JavaFrame,
}

impl Drop for FrameGuard<'_, '_> {
    fn drop(&mut self) {
        let data = self.cx.data_mut();
        data.frame = self.previous;
    }
}

/// Runs `f` (which calls into wasm) with `frame` as the store's current JNI frame, on a stack with
/// room for the engine's `max_wasm_stack` (`stack.rs`), restoring the previous frame afterwards, so
/// host functions reached from `f` can call Java. An outermost call drops an interrupt raised
/// before it started (see [`Stop`]). When no stack can be had, the error is a [`StackRefused`]
/// (which `Error::from_wasm` maps), so that `f`'s result passes through unwrapped: this is every
/// call's hot path.
#[inline]
pub fn with_frame<T>(
    cx: &mut StoreContextMut<'_, StoreData>,
    frame: JavaFrame,
    f: impl FnOnce(&mut StoreContextMut<'_, StoreData>) -> wasmtime::Result<T>,
) -> wasmtime::Result<T> {
    let data = cx.data_mut();
    let previous = data.frame;
    let outermost = previous.env.is_null();
    // The fast path: room on this thread's stack (from bounds cached in the store), or a nested
    // entry whose store runs on the thread's stack; both run in place.
    let in_place = if outermost {
        data.stack_room.fits(stack::stack_pointer())
    } else {
        !previous.private
    };
    if in_place {
        data.frame.set(frame, false);
        if outermost {
            data.stop.begin();
        }
        let guard = FrameGuard { cx, previous };
        return f(&mut *guard.cx);
    }
    with_frame_slow(cx, frame, previous, f)
}

/// `with_frame` for an entry that may need the private stack (`stack.rs`).
#[inline(never)]
fn with_frame_slow<T>(
    cx: &mut StoreContextMut<'_, StoreData>,
    frame: JavaFrame,
    previous: JavaFrame,
    f: impl FnOnce(&mut StoreContextMut<'_, StoreData>) -> wasmtime::Result<T>,
) -> wasmtime::Result<T> {
    let entry = if previous.env.is_null() {
        stack::Entry::Outermost
    } else {
        stack::Entry::Nested {
            private: previous.private,
        }
    };
    let data = cx.data_mut();
    let need = data.stack_need;
    let mut bounds = data.stack_bounds;
    let outcome = stack::enter(entry, need, &mut bounds, |private| {
        let data = cx.data_mut();
        data.frame.set(frame, private);
        if entry == stack::Entry::Outermost {
            data.stop.begin();
        }
        let guard = FrameGuard { cx, previous };
        f(&mut *guard.cx)
    });
    let data = cx.data_mut();
    data.stack_bounds = bounds;
    data.stack_room = stack::Room::new(bounds, data.stack_need);
    outcome.unwrap_or_else(|e| Err(wasmtime::Error::new(StackRefused(e.to_string()))))
}

pub struct StoreBox {
    store: UnsafeCell<Store<StoreData>>,
    /// Shared with the store's data; `Store.interrupt()` reaches it from any thread.
    stop: Arc<Stop>,
    /// How many of the store's Java WASI stdio streams are running (`wasi/`); while one is,
    /// Wasmtime holds the store and [`context`] refuses.
    in_stdio: Cell<u32>,
    /// What the store is lent to while a host function runs (see [`Lent`]).
    active: Cell<Lent>,
    /// Set by a test (`Store`'s package-private hook): the next host call panics inside its
    /// upcall, with the store lent, to prove the guards restore everything.
    panic_in_next_host_call: Cell<bool>,
    /// The call slots: Java writes a call's argument slots here through a direct buffer over it
    /// (`Native.storeSlots`), `funcCallSlots` reads them before entering wasm and writes the
    /// result slots after; read and written through raw pointers only, on the owning thread.
    slots: UnsafeCell<[i64; CALL_SLOTS]>,
    /// The Java store's id (`StoreIds`): host functions' upcall stubs get it in place of the object.
    java_id: i32,
}

/// How many slots the store's call buffer holds (Java reads it off the buffer's capacity); a call
/// with more argument or result slots passes arrays instead.
pub const CALL_SLOTS: usize = 16;

/// What a store is lent to while a host function runs: a core host function's `Caller`, or the
/// `StoreContextMut` a component host function gets. Type-erased pointers to values on the host
/// function's stack, valid while it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lent {
    /// No host function is running.
    Nothing,
    /// A `*mut wasmtime::Caller<StoreData>`.
    Caller(*mut c_void),
    /// A `*mut StoreContextMut<StoreData>`.
    Context(*mut c_void),
}

/// Puts back what the store was lent to before, on return or unwind.
struct LendGuard<'a> {
    active: &'a Cell<Lent>,
    previous: Lent,
}

impl Drop for LendGuard<'_> {
    fn drop(&mut self) {
        self.active.set(self.previous);
    }
}

impl StoreBox {
    /// The call slots (`CALL_SLOTS` values; see the field): valid while the store lives, read and
    /// written through this pointer only on the owning thread.
    #[inline]
    pub fn call_slots(&self) -> *mut i64 {
        self.slots.get().cast::<i64>()
    }

    /// The Java store's id (`StoreIds`), for host functions' upcall stubs.
    #[inline]
    pub fn java_id(&self) -> i32 {
        self.java_id
    }

    /// Lends the store to `caller` while `f` (Java code of a host function, and the JNI calls around
    /// it) runs, on the thread's own stack (`stack.rs`): Java never runs on wasm's private stack.
    /// `private` is the running frame's (`JavaFrame::private`): whether wasm runs on that stack.
    #[inline]
    pub fn lend<R>(
        &self,
        caller: &mut wasmtime::Caller<'_, StoreData>,
        private: bool,
        f: impl FnOnce() -> R,
    ) -> R {
        let lent = Lent::Caller((caller as *mut wasmtime::Caller<'_, StoreData>).cast());
        self.lend_as(lent, private, f)
    }

    /// Like [`StoreBox::lend`], for a component host function, which gets a `StoreContextMut`.
    #[inline]
    pub fn lend_context<R>(
        &self,
        cx: &mut StoreContextMut<'_, StoreData>,
        private: bool,
        f: impl FnOnce() -> R,
    ) -> R {
        let lent = Lent::Context((cx as *mut StoreContextMut<'_, StoreData>).cast());
        self.lend_as(lent, private, f)
    }

    #[inline]
    fn lend_as<R>(&self, lent: Lent, private: bool, f: impl FnOnce() -> R) -> R {
        let test_panic = self.panic_in_next_host_call.replace(false);
        let _guard = LendGuard {
            active: &self.active,
            previous: self.active.replace(lent),
        };
        stack::on_thread_stack(private, || {
            if test_panic {
                panic!("test panic inside a host call (Store's test hook)");
            }
            f()
        })
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
            return Err(inside_stdio());
        }
        if self.active.get() != Lent::Nothing {
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
        match self.active.get() {
            // SAFETY: set by `lend` from a live `&mut Caller` that stays valid until `lend` returns.
            Lent::Caller(p) => Some(unsafe { &mut *p.cast::<wasmtime::Caller<'a, StoreData>>() }),
            Lent::Nothing | Lent::Context(_) => None,
        }
    }
}

impl Tagged for StoreBox {
    const TAG: u32 = 0x5701_0003;
    const NAME: &'static str = "Store";
}

impl StoreData {
    pub fn add_instance(&mut self, i: Instance) -> Result<jint> {
        let n = jint::try_from(self.instances.len())
            .map_err(|_| Error::IllegalState("too many instances in one store".into()))?;
        self.instances.push(i);
        Ok(n)
    }
    pub fn instance(&self, i: jint) -> Result<Instance> {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.instances.get(i).copied())
            .ok_or_else(|| {
                Error::IllegalArgument(format!("no instance with index {i} in this store"))
            })
    }
    pub fn func(&self, i: jint) -> Result<Func> {
        self.funcs.get(i, "function")
    }
    /// Registers the typed view of function `func` as shape `shape` (`shapes.rs`), built by `make`
    /// unless it exists already.
    pub fn add_typed<T: Any + Send>(
        &mut self,
        func: jint,
        shape: u32,
        make: impl FnOnce() -> Result<T>,
    ) -> Result<jint> {
        if let Some(&i) = self.typed.ids.get(&(func, shape)) {
            return Ok(i);
        }
        let boxed: Box<dyn Any + Send> = Box::new(make()?);
        let ptr: *const (dyn Any + Send) = &*boxed;
        let i = self.typed.add((func, shape), ptr, "typed function")?;
        self.typed_boxes.push(boxed);
        Ok(i)
    }
    /// The typed view at `i`, if it is a `T`. The pointer stays valid until the store is dropped:
    /// entries are boxed and never removed.
    pub fn typed<T: Any>(&self, i: jint) -> Result<*const T> {
        let entry = self.typed.get(i, "typed function")?;
        // SAFETY: entries point into `typed_boxes`, which live as long as the store's data.
        match unsafe { &*entry }.downcast_ref::<T>() {
            Some(t) => Ok(t),
            None => Err(Error::IllegalArgument(format!(
                "typed function {i} is not of this kind"
            ))),
        }
    }
    pub fn memory(&self, i: jint) -> Result<Memory> {
        self.memories.get(i, "memory")
    }
    pub fn global(&self, i: jint) -> Result<Global> {
        self.globals.get(i, "global")
    }
    pub fn table(&self, i: jint) -> Result<Table> {
        self.tables.get(i, "table")
    }
    /// The sizes of the registries: instances, functions, memories, globals, tables, typed views.
    pub fn registry_sizes(&self) -> [usize; 6] {
        [
            self.instances.len(),
            self.funcs.len(),
            self.memories.len(),
            self.globals.len(),
            self.tables.len(),
            self.typed.len(),
        ]
    }
}

/// Registers a memory (deduplicated) and returns its index.
pub fn add_memory(cx: &mut StoreContextMut<'_, StoreData>, m: Memory) -> Result<jint> {
    let key = if m.data_size(&*cx) > 0 {
        MemoryKey::Base(m.data_ptr(&*cx) as usize)
    } else {
        MemoryKey::Debug(debug_key(&m))
    };
    cx.data_mut().memories.add(key, m, "memory")
}

/// Registers a global (deduplicated) and returns its index.
pub fn add_global(cx: &mut StoreContextMut<'_, StoreData>, g: Global) -> Result<jint> {
    cx.data_mut().globals.add(debug_key(&g), g, "global")
}

/// Registers a table (deduplicated) and returns its index.
pub fn add_table(cx: &mut StoreContextMut<'_, StoreData>, t: Table) -> Result<jint> {
    cx.data_mut().tables.add(debug_key(&t), t, "table")
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

/// Function `i` and its cached signature.
///
/// The pointer stays valid until the store is dropped: entries are boxed and never removed.
pub fn func_sig(
    cx: &mut StoreContextMut<'_, StoreData>,
    i: jint,
) -> Result<(wasmtime::Func, *const Sig)> {
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
        Some(Some(s)) => Ok((f, &**s as *const Sig)),
        _ => Err(Error::IllegalState(
            "function signature cache is inconsistent".into(),
        )),
    }
}

/// Registers a function (deduplicated by its VMFuncRef address, so returning the same funcref
/// repeatedly does not grow the registry) and returns its index.
pub fn add_func(mut cx: impl AsContextMut<Data = StoreData>, f: Func) -> Result<jint> {
    let mut cx = cx.as_context_mut();
    let key = f.to_raw(&mut cx) as usize;
    cx.data_mut().funcs.add(key, f, "function")
}

/// The store behind a handle, as a context for Wasmtime calls: through the active host call's
/// `Caller` if there is one, else the store itself.
///
/// # Safety
/// `handle` is a live store handle and the calling thread owns the store (Java's `Store.enter`).
pub unsafe fn context<'a>(handle: jlong) -> Result<StoreContextMut<'a, StoreData>> {
    // SAFETY: forwarded contract; only a shared borrow of the box is taken.
    let sb = unsafe { handle::get::<StoreBox>(handle) }?;
    // SAFETY: forwarded contract.
    unsafe { context_of(sb) }
}

/// [`context`] for a box already looked up (`boxed`).
///
/// # Safety
/// As for [`context`], for the store of `sb`.
pub unsafe fn context_of<'a>(sb: &StoreBox) -> Result<StoreContextMut<'a, StoreData>> {
    // Not from inside one of the store's own Java stdio streams: Wasmtime holds the store there.
    if sb.in_stdio.get() != 0 {
        return Err(inside_stdio());
    }
    match sb.active.get() {
        // SAFETY: no host call is active, so no other borrow of the store is in use; the owning
        // thread has exclusive use of it (Java's Store.enter).
        Lent::Nothing => Ok(unsafe { &mut *sb.store.get() }.as_context_mut()),
        // SAFETY: set by `lend` from a live `&mut Caller` whose host call is still running on this
        // thread (it is reset before that call returns, also on unwind); the caller holds the store
        // for the duration, so going through it is the only valid path to it.
        Lent::Caller(p) => {
            Ok(unsafe { &mut *p.cast::<wasmtime::Caller<'a, StoreData>>() }.as_context_mut())
        }
        // SAFETY: as above, for the context a component host function was given.
        Lent::Context(p) => {
            Ok(unsafe { &mut *p.cast::<StoreContextMut<'a, StoreData>>() }.as_context_mut())
        }
    }
}

/// The box behind a store handle (for `lend`, its call slots, [`context_of`]).
///
/// # Safety
/// As for [`context`].
pub unsafe fn boxed<'a>(handle: jlong) -> Result<&'a StoreBox> {
    // SAFETY: forwarded contract.
    unsafe { handle::get::<StoreBox>(handle) }
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_storeNew<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    id: jni::sys::jint,
) -> jlong {
    entry(&mut env, |_env| {
        // SAFETY: Java passes a live engine handle (Handle.acquire).
        let engine = unsafe { handle::get::<EngineBox>(engine) }?;
        let stop = Arc::new(Stop::default());
        let data = StoreData {
            stop: stop.clone(),
            stack_need: stack::need(engine.max_wasm_stack),
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
            stop,
            in_stdio: Cell::new(0),
            active: Cell::new(Lent::Nothing),
            panic_in_next_host_call: Cell::new(false),
            slots: UnsafeCell::new([0; CALL_SLOTS]),
            java_id: id,
        }))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_storeFree<'l>(
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
pub extern "system" fn Java_dev_wasmbridge_Native_storeSetFuel<'l>(
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
pub extern "system" fn Java_dev_wasmbridge_Native_storeGetFuel<'l>(
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
pub extern "system" fn Java_dev_wasmbridge_Native_storeSetDeadline<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    nanos: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let cx = unsafe { context(store) }?;
        cx.data().stop.set_deadline(nanos);
        Ok(())
    })
}

/// Asks the wasm running in the store now to stop with an interrupt trap; does nothing when no call
/// is running (see [`Stop`]). Callable from any thread: it touches only the shared atomic.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_storeInterrupt<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: live store handle (Java holds a Handle use across this call); only the atomic
        // flag is touched, which any thread may do.
        let sb = unsafe { handle::get::<StoreBox>(store) }?;
        sb.stop.interrupt();
        Ok(())
    })
}

/// Sets resource limits from Java's `long[]` (`StoreLimits`, positions in `abi.rs`; unset: no limit
/// for sizes, Wasmtime's default of 10000 for counts).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_storeSetLimits<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    limits: JLongArray<'l>,
) {
    entry(&mut env, |env| {
        let mut v = [abi::UNSET; abi::LIMITS_LENGTH];
        limits.get_region(env, 0, &mut v)?;
        let at = |i: usize| usize::try_from(v[i]).ok();
        let mut b = StoreLimitsBuilder::new();
        if let Some(n) = at(abi::LIMIT_MEMORY_SIZE) {
            b = b.memory_size(n);
        }
        if let Some(n) = at(abi::LIMIT_TABLE_ELEMENTS) {
            b = b.table_elements(n);
        }
        if let Some(n) = at(abi::LIMIT_INSTANCES) {
            b = b.instances(n);
        }
        if let Some(n) = at(abi::LIMIT_TABLES) {
            b = b.tables(n);
        }
        if let Some(n) = at(abi::LIMIT_MEMORIES) {
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

/// The sizes of the store's registries (instances, functions, memories, globals, tables, typed
/// views), for the tests that check a long-lived store stays bounded.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_storeRegistrySizes<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
) -> JLongArray<'l> {
    entry(&mut env, |env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let cx = unsafe { context(store) }?;
        let sizes = cx.data().registry_sizes().map(|n| n as i64);
        let array = env.new_long_array(sizes.len())?;
        array.set_region(env, 0, &sizes)?;
        Ok(array)
    })
}

/// Makes the store's next host call panic inside its upcall, with the store lent to the `Caller`
/// and wasm suspended: the test that proves every guard restores what it lent.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_storePanicInNextHostCall<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let sb = unsafe { boxed(store) }?;
        sb.panic_in_next_host_call.set(true);
        Ok(())
    })
}

/// `Store`'s view of its call slots: a direct buffer of `CALL_SLOTS` longs over `StoreBox::slots`.
/// Java reaches it only between `Store.enter` and `exit` (so never after the store is freed).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_storeSlots<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
) -> jni::objects::JByteBuffer<'l> {
    entry(&mut env, |env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let ptr = unsafe { boxed(store) }?.call_slots();
        // SAFETY: the slots are CALL_SLOTS * 8 bytes inside the store's box, which does not move
        // and outlives every use of the buffer (Java uses it only while it holds the store).
        Ok(unsafe { env.new_direct_byte_buffer(ptr.cast::<u8>(), CALL_SLOTS * 8) }?)
    })
}

#[cfg(test)]
mod tests {
    use super::StoreData;

    #[derive(Default, Debug, PartialEq)]
    struct Counter(u32);

    #[derive(Default, Debug, PartialEq)]
    struct Label(String);

    #[test]
    fn extensions_are_made_on_first_use_one_per_type() {
        let mut data = StoreData::default();
        assert_eq!(data.ext_ref::<Counter>(), None);
        data.ext::<Counter>().0 += 2;
        data.ext::<Counter>().0 += 3;
        assert_eq!(data.ext_ref::<Counter>(), Some(&Counter(5)));
        assert_eq!(
            data.ext_ref::<Label>(),
            None,
            "another type is another extension"
        );
        data.set_ext(Label("a".into()));
        data.set_ext(Label("b".into()));
        assert_eq!(data.ext_ref::<Label>(), Some(&Label("b".into())));
        let (c, l) = data.ext_pair::<Counter, Label>();
        c.0 = 7;
        l.0.push('!');
        assert_eq!(data.ext_ref::<Counter>(), Some(&Counter(7)));
        assert_eq!(data.ext_ref::<Label>(), Some(&Label("b!".into())));
        assert_eq!(data.exts.0.len(), 2);
    }
}
