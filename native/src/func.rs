//! `Function`: calls into wasm through the generic slot convention (see `values.rs`).

use jni::objects::{JByteArray, JClass, JLongArray, JObject};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;
use wasmtime::{AsContextMut, RootScope, ValRaw, ValType};

use crate::bridge::error::{Error, Result};
use crate::bridge::ffi::entry;
use crate::store::{self, JavaFrame};
use crate::types::{self, Encoder};
use crate::values;

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_funcType<'l>(
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
pub extern "system" fn Java_dev_wasmbridge_Native_funcCall<'l>(
    env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store_obj: JObject<'l>,
    store: jlong,
    func: jint,
    args: JLongArray<'l>,
    results: JLongArray<'l>,
) {
    // `fast`: no `Env` on the success path; the arrays are accessed with raw JNI (below).
    crate::bridge::ffi::fast(env, |raw_env| {
        let frame = JavaFrame::new(raw_env, store_obj.as_raw(), store);
        let arrays = LongArrays {
            env: raw_env,
            args: args.as_raw(),
            results: results.as_raw(),
        };
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let (f, sig) = store::func_sig(&mut cx, func)?;
        // SAFETY: signatures are boxed and live as long as the store (see store::func_sig).
        let sig = unsafe { &*sig };
        call_with_scratch(&mut cx, f, sig, frame, arrays)
    })
}

/// [`call_with`] on the store's scratch buffers, put back afterwards; a re-entrant call meanwhile
/// finds them empty and allocates.
fn call_with_scratch(
    cx: &mut wasmtime::StoreContextMut<'_, store::StoreData>,
    f: wasmtime::Func,
    sig: &store::Sig,
    frame: JavaFrame,
    io: impl SlotIo,
) -> Result<()> {
    let mut scratch = std::mem::take(&mut cx.data_mut().scratch);
    let outcome = call_with(cx, f, sig, frame, &mut scratch, io);
    scratch.params.clear();
    scratch.results.clear();
    cx.data_mut().scratch = scratch;
    outcome
}

/// `Function.callRaw`'s path for calls whose argument and result slots fit the store's call slots
/// (`store::CALL_SLOTS`): Java has written `args` argument slots there through its direct buffer;
/// the `results` result slots are written back there. No arrays cross JNI.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_funcCallSlots<'l>(
    env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store_obj: JObject<'l>,
    store: jlong,
    func: jint,
    args: jint,
    results: jint,
) {
    crate::bridge::ffi::fast(env, |raw_env| {
        let frame = JavaFrame::new(raw_env, store_obj.as_raw(), store);
        let count = |n: jint| {
            usize::try_from(n)
                .ok()
                .filter(|&n| n <= store::CALL_SLOTS)
                .ok_or_else(|| {
                    Error::IllegalArgument(format!("{n} slots do not fit the call slots"))
                })
        };
        // SAFETY: live store handle owned by this thread (Store.enter).
        let sb = unsafe { store::boxed(store) }?;
        let io = StoreSlots {
            ptr: sb.call_slots(),
            args: count(args)?,
            results: count(results)?,
        };
        // SAFETY: as above.
        let mut cx = unsafe { store::context_of(sb) }?;
        let (f, sig) = store::func_sig(&mut cx, func)?;
        // SAFETY: signatures are boxed and live as long as the store (see store::func_sig).
        let sig = unsafe { &*sig };
        if sig.numeric {
            return call_numeric_slots(&mut cx, f, sig, frame, &io);
        }
        call_with_scratch(&mut cx, f, sig, frame, io)
    })
}

/// Where a call's argument slots come from and its result slots go.
trait SlotIo {
    /// Copies all the argument slots into `out` (resized to their number).
    fn read_args(&self, out: &mut Vec<i64>) -> Result<()>;
    /// Copies `slots` out as the results; their number must be the one Java expects.
    fn write_results(&self, slots: &[i64]) -> Result<()>;
}

/// The store's call slots (`StoreBox::call_slots`): `args` argument slots in, `results` result slots out.
/// Read before wasm runs and written after it returns, so a nested call in between (a host
/// function calling back into the store) may use them meanwhile.
struct StoreSlots {
    ptr: *mut i64,
    args: usize,
    results: usize,
}

impl SlotIo for StoreSlots {
    fn read_args(&self, out: &mut Vec<i64>) -> Result<()> {
        out.clear();
        // SAFETY: `ptr` points at CALL_SLOTS values of the live store, and args <= CALL_SLOTS.
        out.extend((0..self.args).map(|i| unsafe { self.ptr.add(i).read() }));
        Ok(())
    }

    fn write_results(&self, slots: &[i64]) -> Result<()> {
        if slots.len() != self.results {
            return Err(Error::IllegalArgument(
                "result slot count does not match the function type".into(),
            ));
        }
        for (i, v) in slots.iter().enumerate() {
            // SAFETY: as in read_args; results <= CALL_SLOTS.
            unsafe { self.ptr.add(i).write(*v) };
        }
        Ok(())
    }
}

/// The two `long[]` of a `funcCall`, read and written with raw JNI: the success path of a call
/// builds no `Env` and makes no `ExceptionCheck` (the region calls below cannot throw: lengths
/// are checked first).
struct LongArrays {
    env: *mut jni::sys::JNIEnv,
    args: jni::sys::jlongArray,
    results: jni::sys::jlongArray,
}

impl LongArrays {
    fn len(&self, a: jni::sys::jlongArray) -> Result<usize> {
        if a.is_null() {
            return Err(Error::IllegalArgument("null slot array".into()));
        }
        // SAFETY: env is this thread's JNIEnv for the running native call; `a` is a live local
        // reference to a long[] (the Java signature says so).
        let n = unsafe { ((**self.env).v1_1.GetArrayLength)(self.env, a) };
        Ok(usize::try_from(n).unwrap_or(0))
    }
}

impl SlotIo for LongArrays {
    /// Copies all of `args` into `out` (resized to its length).
    fn read_args(&self, out: &mut Vec<i64>) -> Result<()> {
        let n = self.len(self.args)?;
        out.resize(n, 0);
        // SAFETY: as in `len`; the region is the whole array and `out` holds n elements.
        unsafe {
            ((**self.env).v1_1.GetLongArrayRegion)(
                self.env,
                self.args,
                0,
                n as jni::sys::jsize,
                out.as_mut_ptr(),
            )
        };
        Ok(())
    }

    /// Copies `slots` into `results`, whose length must be the same.
    fn write_results(&self, slots: &[i64]) -> Result<()> {
        if slots.len() != self.len(self.results)? {
            return Err(Error::IllegalArgument(
                "result array does not match the function type".into(),
            ));
        }
        // SAFETY: as in `len`; the region is the whole array, of slots.len() elements.
        unsafe {
            ((**self.env).v1_1.SetLongArrayRegion)(
                self.env,
                self.results,
                0,
                slots.len() as jni::sys::jsize,
                slots.as_ptr(),
            )
        };
        Ok(())
    }
}

/// The body of `funcCall`, with the store's scratch buffers.
fn call_with(
    cx: &mut wasmtime::StoreContextMut<'_, store::StoreData>,
    f: wasmtime::Func,
    sig: &store::Sig,
    frame: JavaFrame,
    scratch: &mut store::Scratch,
    arrays: impl SlotIo,
) -> Result<()> {
    arrays.read_args(&mut scratch.slots)?;
    if sig.numeric {
        return call_numeric(cx, f, sig, frame, scratch, arrays);
    }
    let slots = &mut scratch.slots;
    // References created for the call are unrooted when the scope ends.
    let mut scope = RootScope::new(cx);
    let mut pos = 0;
    scratch.params.clear();
    for p in &sig.params {
        let v = values::from_slots(&mut scope, p, slots, &mut pos)?;
        scratch.params.push(v);
    }
    if pos != slots.len() {
        return Err(Error::IllegalArgument(format!(
            "expected {pos} argument slots, got {}",
            slots.len()
        )));
    }
    scratch.results.clear();
    scratch
        .results
        .extend(sig.results.iter().map(values::placeholder));
    let mut scx = scope.as_context_mut();
    store::with_frame(&mut scx, frame, |cx| {
        f.call(cx, &scratch.params, &mut scratch.results)
    })
    .map_err(|e| Error::from_wasm(e, Error::Wasm))?;
    slots.clear();
    for v in &scratch.results {
        values::to_slots(&mut scope, v, slots)?;
    }
    arrays.write_results(slots)
}

/// The generic path for signatures without references (the argument slots already in
/// `scratch.slots`): raw values through `Func::call_unchecked`, skipping the `Val` conversions and
/// Wasmtime's per-call type checks of `Func::call`, which `sig` makes redundant.
fn call_numeric(
    cx: &mut wasmtime::StoreContextMut<'_, store::StoreData>,
    f: wasmtime::Func,
    sig: &store::Sig,
    frame: JavaFrame,
    scratch: &mut store::Scratch,
    arrays: impl SlotIo,
) -> Result<()> {
    let slots = &mut scratch.slots;
    let raw = &mut scratch.raw;
    raw.clear();
    let mut pos = 0;
    for p in &sig.params {
        let n = types::slots(p);
        let Some(s) = slots.get(pos..pos + n) else {
            return Err(Error::IllegalArgument("too few argument slots".into()));
        };
        pos += n;
        raw.push(raw_of(p, s)?);
    }
    if pos != slots.len() {
        return Err(Error::IllegalArgument(format!(
            "expected {pos} argument slots, got {}",
            slots.len()
        )));
    }
    raw.resize(sig.params.len().max(sig.results.len()), ValRaw::i32(0));
    store::with_frame(cx, frame, |cx| {
        // SAFETY: `raw` holds one value of the right type per parameter (`sig` is this function's
        // own signature) and has room for every result; no references are involved.
        unsafe { f.call_unchecked(cx, std::ptr::from_mut(raw.as_mut_slice())) }
    })
    .map_err(|e| Error::from_wasm(e, Error::Wasm))?;
    slots.clear();
    for (r, v) in sig.results.iter().zip(raw.iter()) {
        slots_of(r, v, |x| slots.push(x))?;
    }
    arrays.write_results(slots)
}

/// One parameter's raw value from its slots (`s` holds at least its slot count).
pub(crate) fn raw_of(p: &ValType, s: &[i64]) -> Result<ValRaw> {
    let slot = |i: usize| {
        s.get(i)
            .copied()
            .ok_or_else(|| Error::IllegalArgument("too few argument slots".into()))
    };
    Ok(match p {
        ValType::I32 => ValRaw::i32(slot(0)? as i32),
        ValType::I64 => ValRaw::i64(slot(0)?),
        ValType::F32 => ValRaw::f32(slot(0)? as u32),
        ValType::F64 => ValRaw::f64(slot(0)? as u64),
        ValType::V128 => {
            ValRaw::v128((slot(0)? as u64 as u128) | ((slot(1)? as u64 as u128) << 64))
        }
        ValType::Ref(_) => {
            return Err(Error::IllegalState(
                "reference type in a numeric signature".into(),
            ))
        }
    })
}

/// One result's slots from its raw value, given to `out` in order.
pub(crate) fn slots_of(r: &ValType, v: &ValRaw, mut out: impl FnMut(i64)) -> Result<()> {
    match r {
        ValType::I32 => out(i64::from(v.get_i32())),
        ValType::I64 => out(v.get_i64()),
        ValType::F32 => out(i64::from(v.get_f32())),
        ValType::F64 => out(v.get_f64() as i64),
        ValType::V128 => {
            let v = v.get_v128();
            out(v as u64 as i64);
            out((v >> 64) as u64 as i64);
        }
        ValType::Ref(_) => {
            return Err(Error::IllegalState(
                "reference type in a numeric signature".into(),
            ))
        }
    }
    Ok(())
}

/// `funcCallSlots` for a numeric signature: raw values on the stack straight from and to the
/// store's call slots (no scratch vectors), through `Func::call_unchecked` as [`call_numeric`].
fn call_numeric_slots(
    cx: &mut wasmtime::StoreContextMut<'_, store::StoreData>,
    f: wasmtime::Func,
    sig: &store::Sig,
    frame: JavaFrame,
    io: &StoreSlots,
) -> Result<()> {
    let result_slots: usize = sig.results.iter().map(types::slots).sum();
    if result_slots != io.results {
        return Err(Error::IllegalArgument(
            "result slot count does not match the function type".into(),
        ));
    }
    // Every parameter and result takes at least one slot, and both counts are at most
    // CALL_SLOTS (checked above and below), so `raw` has room for both.
    let mut raw = [ValRaw::i32(0); store::CALL_SLOTS];
    let mut pos = 0;
    for (k, p) in sig.params.iter().enumerate() {
        let n = types::slots(p);
        if pos + n > io.args {
            return Err(Error::IllegalArgument("too few argument slots".into()));
        }
        let mut s = [0i64; 2];
        for (j, v) in s.iter_mut().take(n).enumerate() {
            // SAFETY: pos + j < io.args <= CALL_SLOTS, inside the live store's call slots.
            *v = unsafe { io.ptr.add(pos + j).read() };
        }
        let Some(slot) = raw.get_mut(k) else {
            return Err(Error::IllegalArgument("too many parameters".into()));
        };
        *slot = raw_of(p, &s[..n])?;
        pos += n;
    }
    if pos != io.args {
        return Err(Error::IllegalArgument(format!(
            "expected {pos} argument slots, got {}",
            io.args
        )));
    }
    let len = sig.params.len().max(sig.results.len());
    let Some(buffer) = raw.get_mut(..len) else {
        return Err(Error::IllegalArgument(
            "too many parameters or results".into(),
        ));
    };
    store::with_frame(cx, frame, |cx| {
        // SAFETY: `buffer` holds one value of the right type per parameter (`sig` is this
        // function's own signature) and has room for every result; no references are involved.
        unsafe { f.call_unchecked(cx, std::ptr::from_mut(buffer)) }
    })
    .map_err(|e| Error::from_wasm(e, Error::Wasm))?;
    let mut at = 0;
    for (r, v) in sig.results.iter().zip(raw.iter()) {
        slots_of(r, v, |x| {
            // SAFETY: at < result_slots == io.results <= CALL_SLOTS.
            unsafe { io.ptr.add(at).write(x) };
            at += 1;
        })?;
    }
    Ok(())
}
