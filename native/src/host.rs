//! Host functions: Java implementations of wasm imports (`Linker.defineFunction`), and the
//! `Caller` they see.
//!
//! A host function is a closure holding a global reference to its Java `HostDefinition`. When wasm
//! calls it, the closure encodes the arguments as slots (`values.rs`; straight from raw values when
//! the signature has no reference), puts them in the store's call slots (an array only when they do
//! not fit), lends the store to the `Caller` (so Java may call back into this store), and calls
//! `HostDefinition.invoke` with raw JNI on the environment of the native call that is running wasm
//! (no thread attach, no lookup by name, no local frame). A Java exception thrown there travels
//! through wasm as [`JavaThrown`] and is rethrown, as the same object, to the Java code that called
//! into wasm.

use std::mem::MaybeUninit;

use jni::objects::{JByteArray, JClass, JObject, JString, JThrowable};
use jni::refs::Global;
use jni::sys::jlong;
use jni::EnvUnowned;
use wasmtime::{AsContextMut, Caller, FuncType, Val, ValRaw, ValType};

use crate::bridge::cache;
use crate::bridge::error::{Error, JavaThrown, Result};
use crate::bridge::ffi::entry;
use crate::bridge::handle;
use crate::instance;
use crate::linker::LinkerBox;
use crate::stack;
use crate::store::{self, StoreData};
use crate::types;
use crate::values;

/// One defined host function: its Java target and its signature.
struct HostEntry {
    target: Global<JObject<'static>>,
    /// The upcall stub calling `HostDefinition.fromStub(storeId)` (JDK 22+, numbers-only signatures),
    /// used when the slots fit the store's call slots; JNI through `target` otherwise.
    stub: Option<HostStub>,
    params: Vec<ValType>,
    results: Vec<ValType>,
    /// `max(parameter slots, result slots)`: the size of the slot array shared both ways.
    slots: usize,
}

fn val_types(codes: &[u8]) -> Result<Vec<ValType>> {
    codes.iter().map(|&c| types::val_type(c)).collect()
}

/// A generic host function's FFM upcall stub: `void (int storeId, uint8_t *failed)` (Java's
/// `FfmUpcalls.stub` of `HostDefinition.fromStub`), and the Java object that keeps it alive.
struct HostStub {
    call: unsafe extern "C" fn(i32, *mut u8),
    _keep: Global<JObject<'static>>,
}

/// Calls `HostDefinition.invoke(store, array)` with raw JNI (no `Env`, no local frame: it makes no
/// local reference); `array` null means the slots are in the store's call slots. A thrown Java
/// exception becomes [`JavaThrown`].
fn call_java(
    env: *mut jni::sys::JNIEnv,
    store: jni::sys::jobject,
    target: &Global<JObject<'static>>,
    array: jni::sys::jobject,
) -> wasmtime::Result<()> {
    let args = [jni::sys::jvalue { l: store }, jni::sys::jvalue { l: array }];
    // SAFETY: env is this thread's JNIEnv for the running native call and `store` that call's
    // local reference to the Store; the method ID was looked up in JNI_OnLoad on HostDefinition
    // as (Ldev/wasmbridge/Store;[J)V, `target` is a HostDefinition and `array` null or a long[].
    unsafe {
        ((**env).v1_1.CallVoidMethodA)(
            env,
            target.as_raw(),
            cache::get().host_invoke.into_raw(),
            args.as_ptr(),
        );
    }
    // SAFETY: as above; ExceptionCheck may be called with an exception pending.
    if unsafe { ((**env).v1_2.ExceptionCheck)(env) } {
        Err(take_pending(env))
    } else {
        Ok(())
    }
}

/// Deletes a local reference made during a host call when the call ends, however it ends.
struct LocalRef {
    env: *mut jni::sys::JNIEnv,
    obj: jni::sys::jobject,
}

impl Drop for LocalRef {
    fn drop(&mut self) {
        // SAFETY: `obj` is a live local reference of this thread's running native call; deleting
        // a local reference is allowed with an exception pending.
        unsafe { ((**self.env).v1_1.DeleteLocalRef)(self.env, self.obj) };
    }
}

/// Runs the Java side of a host function with the store lent to `caller`: `slots` holds the
/// argument slots going in and the result slots coming out. They cross through the store's call
/// slots when they fit (no array; the upcall stub if there is one, else one JNI call), else
/// through a `long[]` made for the call.
fn call_with_slots(
    caller: &mut Caller<'_, StoreData>,
    host: &HostEntry,
    slots: &mut [i64],
) -> wasmtime::Result<()> {
    let store = caller.data().frame.store;
    let target = &host.target;
    lent(caller, |env, sb| {
        if slots.len() <= store::CALL_SLOTS {
            let io = sb.call_slots();
            // SAFETY: at most CALL_SLOTS values, inside the live store's call slots, on the thread
            // that owns the store. The Java side copies the arguments out before it runs the
            // function (which may make calls of its own through these slots) and writes the
            // results after.
            unsafe { std::ptr::copy_nonoverlapping(slots.as_ptr(), io, slots.len()) };
            match &host.stub {
                Some(stub) if stack::room_for_stub() => {
                    let mut failed = 0u8;
                    // SAFETY: a live stub (kept by `_keep`) of this C signature; its adapter lets
                    // no exception out and raises `failed` when the Java side threw.
                    unsafe { (stub.call)(sb.java_id(), &mut failed) };
                    if failed != 0 {
                        return Err(take_stub_failure(env));
                    }
                }
                _ => call_java(env, store, target, std::ptr::null_mut())?,
            }
            // SAFETY: as above.
            unsafe { std::ptr::copy_nonoverlapping(io, slots.as_mut_ptr(), slots.len()) };
            return Ok(());
        }
        let len = jni::sys::jsize::try_from(slots.len())
            .map_err(|_| wasmtime::Error::msg("too many host function slots"))?;
        // SAFETY: env is this thread's JNIEnv for the running native call.
        let array = unsafe { ((**env).v1_1.NewLongArray)(env, len) };
        if array.is_null() {
            return Err(take_pending(env));
        }
        let _array = LocalRef { env, obj: array };
        // SAFETY: `array` is a new long[len] and `slots` holds len values; in bounds, so nothing
        // is thrown.
        unsafe { ((**env).v1_1.SetLongArrayRegion)(env, array, 0, len, slots.as_ptr()) };
        call_java(env, store, target, array)?;
        // SAFETY: as above, with no exception pending (call_java took any).
        unsafe { ((**env).v1_1.GetLongArrayRegion)(env, array, 0, len, slots.as_mut_ptr()) };
        Ok(())
    })
}

/// A host function with a reference among its parameters or results: values through `Val`.
fn invoke(
    caller: &mut Caller<'_, StoreData>,
    host: &HostEntry,
    params: &[Val],
    results: &mut [Val],
) -> wasmtime::Result<()> {
    let mut slots = Vec::with_capacity(host.slots);
    for v in params {
        values::to_slots(&mut *caller, v, &mut slots).map_err(to_wasmtime)?;
    }
    slots.resize(host.slots, 0);
    call_with_slots(caller, host, &mut slots)?;
    let mut pos = 0;
    for (r, ty) in results.iter_mut().zip(&host.results) {
        *r = values::from_slots(&mut *caller, ty, &slots, &mut pos).map_err(to_wasmtime)?;
    }
    Ok(())
}

/// A host function of numbers only: raw values to slots and back, with no `Val` and, when the
/// slots fit the store's call slots, no allocation.
fn invoke_numeric(
    caller: &mut Caller<'_, StoreData>,
    host: &HostEntry,
    raw: &mut [MaybeUninit<ValRaw>],
) -> wasmtime::Result<()> {
    let mut small = [0i64; store::CALL_SLOTS];
    let mut large = Vec::new();
    let slots: &mut [i64] = match small.get_mut(..host.slots) {
        Some(s) => s,
        None => {
            large.resize(host.slots, 0);
            &mut large
        }
    };
    let mut at = 0;
    for (p, v) in host.params.iter().zip(raw.iter()) {
        // SAFETY: wasmtime hands in one initialised value per parameter, of its declared type.
        let v = unsafe { v.assume_init_ref() };
        crate::func::slots_of(p, v, |x| {
            if let Some(s) = slots.get_mut(at) {
                *s = x;
            }
            at += 1;
        })
        .map_err(to_wasmtime)?;
    }
    call_with_slots(caller, host, slots)?;
    let mut pos = 0;
    for (r, out) in host.results.iter().zip(raw.iter_mut()) {
        let n = types::slots(r);
        let s = slots
            .get(pos..pos + n)
            .ok_or_else(|| wasmtime::Error::msg("too few result slots"))?;
        out.write(crate::func::raw_of(r, s).map_err(to_wasmtime)?);
        pos += n;
    }
    Ok(())
}

fn to_wasmtime(e: Error) -> wasmtime::Error {
    wasmtime::Error::msg(e.to_string())
}

/// Defines `module`/`name` as a host function with the given parameter and result type codes,
/// implemented by the Java `HostDefinition` `target`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_linkerDefineFunction<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    module: JString<'l>,
    name: JString<'l>,
    params: JByteArray<'l>,
    results: JByteArray<'l>,
    target: JObject<'l>,
    stub: jlong,
    keep: JObject<'l>,
) {
    entry(&mut env, |env| {
        let module = module.try_to_string(env)?;
        let name = name.try_to_string(env)?;
        let params = val_types(&env.convert_byte_array(&params)?)?;
        let results = val_types(&env.convert_byte_array(&results)?)?;
        // SAFETY: live linker handle (Handle.acquire); LinkerBox locks itself.
        let l = unsafe { handle::get::<LinkerBox>(linker) }?;
        let slots = params
            .iter()
            .map(types::slots)
            .sum::<usize>()
            .max(results.iter().map(types::slots).sum());
        let numeric = params.iter().chain(&results).all(|t| !t.is_ref());
        let stub = match usize::try_from(stub) {
            Ok(0) => None,
            Ok(address) if numeric && !keep.is_null() => Some(HostStub {
                // SAFETY: Java's `Upcalls.stub` made `address` for `HostDefinition.fromStub(int)`:
                // the C signature `void (int32_t, uint8_t *)`, alive while `keep` is reachable.
                call: unsafe {
                    std::mem::transmute::<usize, unsafe extern "C" fn(i32, *mut u8)>(address)
                },
                _keep: env.new_global_ref(keep)?,
            }),
            _ => {
                return Err(Error::IllegalArgument(format!(
                    "bad upcall stub {stub} for a host function"
                )))
            }
        };
        let host = HostEntry {
            target: env.new_global_ref(target)?,
            stub,
            params: params.clone(),
            results: results.clone(),
            slots,
        };
        l.edit(|linker, _| {
            let ty = FuncType::new(linker.engine(), params, results);
            if numeric {
                // SAFETY: invoke_numeric reads only the parameters' values, each as its declared
                // type, and writes one value of its declared type per result; every type is a
                // number or v128, so no reference is read or written.
                unsafe {
                    linker.func_new_unchecked(&module, &name, ty, move |mut caller, raw| {
                        invoke_numeric(&mut caller, &host, raw)
                    })
                }
                .map(|_| ())
            } else {
                linker
                    .func_new(&module, &name, ty, move |mut caller, params, results| {
                        invoke(&mut caller, &host, params, results)
                    })
                    .map(|_| ())
            }
        })
        .map_err(|e| Error::Link(format!("{e:#}")))
    })
}

/// The export `name` of the instance whose code called the running host function, as
/// `kind << KIND_SHIFT | index` (like `instanceExport`), or -1 if it has none by that name.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_callerExport<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    name: JString<'l>,
) -> jlong {
    entry(&mut env, |env| {
        let name = name.try_to_string(env)?;
        // SAFETY: live store handle owned by this thread (Store.enter).
        let sb = unsafe { store::boxed(store) }?;
        // SAFETY: as above; the caller is only returned while its host call runs.
        let caller = unsafe { sb.caller() }.ok_or_else(|| {
            Error::IllegalState("a Caller is only valid while its host function runs".into())
        })?;
        match caller.get_export(&name) {
            Some(item) => instance::register(&mut caller.as_context_mut(), item),
            None => Ok(-1),
        }
    })
}

/// Runs `call` for a typed host function with the store lent to the caller (so the Java code may
/// call back into it), on the thread's own stack, with the JNIEnv of the Java call running wasm;
/// refuses a host call that has no Java caller. The part [`upcall`] and [`upcall_stub`] share.
#[inline(always)]
fn lent<R>(
    caller: &mut Caller<'_, StoreData>,
    call: impl FnOnce(*mut jni::sys::JNIEnv, &store::StoreBox) -> wasmtime::Result<R>,
) -> wasmtime::Result<R> {
    let frame = caller.data().frame;
    if frame.env.is_null() {
        return Err(wasmtime::Error::msg(
            "host function called without a Java caller",
        ));
    }
    // SAFETY: frame.handle is the live handle of the store running this call.
    let sb = unsafe { store::boxed(frame.handle) }.map_err(to_wasmtime)?;
    let env = frame.env;
    sb.lend(caller, frame.private, || call(env, sb))
}

/// Calls a typed host function's Java object with raw JNI (no `Env` on the success path), with
/// the store lent to the caller so the Java code may call back into it. A thrown Java exception
/// becomes [`JavaThrown`]. Inlined into each shape's trampoline: passing `call`'s captures through
/// memory costs a stalled store-to-load forward per call.
#[inline(always)]
pub fn upcall<R>(
    caller: &mut Caller<'_, StoreData>,
    call: impl FnOnce(*mut jni::sys::JNIEnv) -> R,
) -> wasmtime::Result<R> {
    // Every JNI call, the exception check included, runs inside `lend`: on the thread's own stack.
    lent(caller, |env, _| checked(env, call))
}

/// Makes one JNI upcall with `call` and turns a pending exception into [`JavaThrown`].
#[inline(always)]
fn checked<R>(
    env: *mut jni::sys::JNIEnv,
    call: impl FnOnce(*mut jni::sys::JNIEnv) -> R,
) -> wasmtime::Result<R> {
    let result = call(env);
    // SAFETY: env is this thread's JNIEnv (set for the running native call); ExceptionCheck may be
    // called with an exception pending.
    if unsafe { ((**env).v1_2.ExceptionCheck)(env) } {
        Err(take_pending(env))
    } else {
        Ok(result)
    }
}

/// Calls a typed host function's FFM upcall stub (`shapes::define_stub`): `stub` gets the address of
/// the failure flag the stub's Java adapter raises when the target threw (it never lets an
/// exception into the stub); the exception is then taken from Java's `Upcalls` and becomes
/// [`JavaThrown`], as from a JNI upcall. The store is lent as in [`upcall`], and the stub runs on the
/// thread's own stack, when [`stack::room_for_stub`] says it has room for the adapter; otherwise the
/// call goes through JNI with `jni`, as [`upcall`]'s.
#[inline(always)]
pub fn upcall_stub<R>(
    caller: &mut Caller<'_, StoreData>,
    stub: impl FnOnce(*mut u8) -> R,
    jni: impl FnOnce(*mut jni::sys::JNIEnv) -> R,
) -> wasmtime::Result<R> {
    lent(caller, |env, _| {
        if !stack::room_for_stub() {
            return checked(env, jni);
        }
        let mut failed = 0u8;
        let result = stub(&mut failed);
        if failed != 0 {
            Err(take_stub_failure(env))
        } else {
            Ok(result)
        }
    })
}

/// The exception of a failed upcall stub, from `Upcalls.takeFailure()` (the slow path of
/// `upcall_stub`).
#[cold]
fn take_stub_failure(env: *mut jni::sys::JNIEnv) -> wasmtime::Error {
    let cache = crate::bridge::cache::get();
    // SAFETY: env is this thread's JNIEnv for the running native call; the class and the static
    // method ID were looked up together in JNI_OnLoad, and the method takes no arguments.
    let thrown = unsafe {
        ((**env).v1_1.CallStaticObjectMethodA)(
            env,
            cache.upcalls.as_raw(),
            cache.upcalls_take_failure.into_raw(),
            std::ptr::null(),
        )
    };
    // SAFETY: as above; ExceptionCheck may be called with an exception pending.
    if unsafe { ((**env).v1_2.ExceptionCheck)(env) } {
        return take_pending(env);
    }
    if thrown.is_null() {
        return wasmtime::Error::msg("a host function failed, and its exception could not be kept");
    }
    // SAFETY: env as above; `thrown` is a live local reference to a Throwable.
    let mut unowned = unsafe { EnvUnowned::from_raw(env) };
    let global = unowned
        .with_env_no_catch(|env| -> jni::errors::Result<Global<JThrowable<'static>>> {
            // SAFETY: `thrown` is a local reference of this frame to a Throwable.
            let local = unsafe { JThrowable::from_raw(env, thrown) };
            env.new_global_ref(local)
        })
        .into_outcome();
    match global {
        jni::Outcome::Ok(t) => wasmtime::Error::new(JavaThrown(t)),
        jni::Outcome::Err(e) => wasmtime::Error::msg(format!(
            "a host function threw, and taking the exception failed: {e}"
        )),
        jni::Outcome::Panic(p) => std::panic::resume_unwind(p),
    }
}

/// Takes the pending Java exception into a global reference (the slow path of `upcall`).
fn take_pending(env: *mut jni::sys::JNIEnv) -> wasmtime::Error {
    // SAFETY: env is this thread's JNIEnv for the running native call.
    let mut unowned = unsafe { EnvUnowned::from_raw(env) };
    let taken = unowned
        .with_env_no_catch(
            |env| -> jni::errors::Result<Option<Global<JThrowable<'static>>>> {
                let thrown = env.exception_occurred();
                env.exception_clear();
                thrown.map(|t| env.new_global_ref(t)).transpose()
            },
        )
        .into_outcome();
    match taken {
        jni::Outcome::Ok(Some(t)) => wasmtime::Error::new(JavaThrown(t)),
        jni::Outcome::Ok(None) => {
            wasmtime::Error::msg("a host function failed without an exception")
        }
        jni::Outcome::Err(e) => wasmtime::Error::msg(format!(
            "a host function threw, and taking the exception failed: {e}"
        )),
        jni::Outcome::Panic(p) => std::panic::resume_unwind(p),
    }
}
