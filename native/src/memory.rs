//! `Memory`: bounds-checked access to linear memory, and the zero-copy buffer view.

use jni::objects::{JByteArray, JByteBuffer, JClass};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;
use wasmtime::{AsContext, Memory, StoreContext};

use crate::bridge::error::{Error, Result};
use crate::bridge::ffi::entry;
use crate::store::{self, StoreData};
use crate::types::Encoder;

/// The byte range `[addr, addr + len)` of `memory`, or an out-of-bounds error naming it.
fn range(
    memory: &Memory,
    cx: impl AsContext,
    addr: jlong,
    len: usize,
) -> Result<std::ops::Range<usize>> {
    let size = memory.data_size(&cx);
    usize::try_from(addr)
        .ok()
        .and_then(|start| Some(start..start.checked_add(len)?))
        .filter(|r| r.end <= size)
        .ok_or_else(|| {
            Error::OutOfBounds(format!(
                "{len} bytes at address {addr} are outside linear memory of {size} bytes"
            ))
        })
}

fn memory_of<'a>(cx: &StoreContext<'a, StoreData>, index: jint) -> Result<Memory> {
    cx.data().memory(index)
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_memoryType<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    memory: jint,
) -> JByteArray<'l> {
    entry(&mut env, |env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let cx = unsafe { store::context(store) }?;
        let m = cx.data().memory(memory)?;
        let mut e = Encoder::default();
        e.memory_type(&m.ty(&cx));
        Ok(env.byte_array_from_slice(&e.0)?)
    })
}

/// Current size in bytes.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_memorySize<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    memory: jint,
) -> jlong {
    entry(&mut env, |_env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let cx = unsafe { store::context(store) }?;
        let m = cx.data().memory(memory)?;
        Ok(m.data_size(&cx) as jlong)
    })
}

/// Grows by `delta` pages; returns the previous size in pages.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_memoryGrow<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    memory: jint,
    delta: jlong,
) -> jlong {
    entry(&mut env, |_env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let m = cx.data().memory(memory)?;
        let delta = u64::try_from(delta)
            .map_err(|_| Error::IllegalArgument(format!("cannot grow by {delta} pages")))?;
        let old = m
            .grow(&mut cx, delta)
            .map_err(|e| Error::Wasm(format!("memory cannot grow by {delta} pages: {e:#}")))?;
        Ok(old as jlong)
    })
}

/// Copies `len` bytes at `addr` into `dst[off..]`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_memoryRead<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    memory: jint,
    addr: jlong,
    dst: JByteArray<'l>,
    off: jint,
    len: jint,
) {
    entry(&mut env, |env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let cx = unsafe { store::context(store) }?;
        let cx = cx.as_context();
        let m = memory_of(&cx, memory)?;
        let r = range(&m, &cx, addr, usize::try_from(len).unwrap_or(usize::MAX))?;
        let bytes = &m.data(&cx)[r];
        // SAFETY: u8 and i8 have the same size and alignment.
        let bytes = unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<i8>(), bytes.len()) };
        dst.set_region(env, off, bytes)?;
        Ok(())
    })
}

/// Copies `src[off..off+len]` to `addr`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_memoryWrite<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    memory: jint,
    addr: jlong,
    src: JByteArray<'l>,
    off: jint,
    len: jint,
) {
    entry(&mut env, |env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let m = cx.data().memory(memory)?;
        let r = range(&m, &cx, addr, usize::try_from(len).unwrap_or(usize::MAX))?;
        let bytes = &mut m.data_mut(&mut cx)[r];
        // SAFETY: u8 and i8 have the same size and alignment.
        let bytes =
            unsafe { std::slice::from_raw_parts_mut(bytes.as_mut_ptr().cast::<i8>(), bytes.len()) };
        src.get_region(env, off, bytes)?;
        Ok(())
    })
}

/// Loads a little-endian value of `width` bytes (1, 2, 4 or 8) at `addr`, zero-extended.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_memoryLoad<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    memory: jint,
    addr: jlong,
    width: jint,
) -> jlong {
    entry(&mut env, |_env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let cx = unsafe { store::context(store) }?;
        let m = cx.data().memory(memory)?;
        let width = check_width(width)?;
        let r = range(&m, &cx, addr, width)?;
        let mut buf = [0u8; 8];
        buf[..width].copy_from_slice(&m.data(&cx)[r]);
        Ok(i64::from_le_bytes(buf))
    })
}

/// Stores the low `width` bytes of `bits` little-endian at `addr`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_memoryStore<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    memory: jint,
    addr: jlong,
    width: jint,
    bits: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let m = cx.data().memory(memory)?;
        let width = check_width(width)?;
        let r = range(&m, &cx, addr, width)?;
        m.data_mut(&mut cx)[r].copy_from_slice(&bits.to_le_bytes()[..width]);
        Ok(())
    })
}

fn check_width(width: jint) -> Result<usize> {
    match width {
        1 | 2 | 4 | 8 => Ok(width as usize),
        _ => Err(Error::IllegalArgument(format!("bad access width {width}"))),
    }
}

/// A direct ByteBuffer over the memory's current bytes. The engine never moves linear memory
/// (`memory_may_move(false)`), and Java keeps the store alive while a buffer is reachable.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_memoryBuffer<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    memory: jint,
) -> JByteBuffer<'l> {
    entry(&mut env, |env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let cx = unsafe { store::context(store) }?;
        let m = cx.data().memory(memory)?;
        let (ptr, len) = (m.data_ptr(&cx), m.data_size(&cx));
        // SAFETY: [ptr, ptr+len) is the memory's accessible range; it does not move, and Java keeps
        // the store (which owns the mapping) alive until the buffer is unreachable.
        Ok(unsafe { env.new_direct_byte_buffer(ptr, len) }?)
    })
}

/// The address of `[pos, pos+len)` of a direct buffer, checked against its capacity.
fn direct_range(
    env: &jni::Env<'_>,
    buf: &JByteBuffer<'_>,
    pos: jint,
    len: jint,
) -> Result<*mut u8> {
    let cap = env.get_direct_buffer_capacity(buf)?;
    let (pos, len) = (
        usize::try_from(pos).unwrap_or(usize::MAX),
        usize::try_from(len).unwrap_or(usize::MAX),
    );
    if pos.checked_add(len).is_none_or(|end| end > cap) {
        return Err(Error::OutOfBounds(format!(
            "{len} bytes at {pos} are outside the buffer of {cap} bytes"
        )));
    }
    let base = env.get_direct_buffer_address(buf)?;
    // SAFETY: pos + len <= capacity, so the offset stays inside the buffer's allocation.
    Ok(unsafe { base.add(pos) })
}

/// Copies `len` bytes at `addr` into the direct buffer `dst` at `pos`: one memcpy.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_memoryReadDirect<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    memory: jint,
    addr: jlong,
    dst: JByteBuffer<'l>,
    pos: jint,
    len: jint,
) {
    entry(&mut env, |env| {
        let to = direct_range(env, &dst, pos, len)?;
        // SAFETY: live store handle owned by this thread (Store.enter).
        let cx = unsafe { store::context(store) }?;
        let m = cx.data().memory(memory)?;
        let r = range(&m, &cx, addr, r_len(len))?;
        let from = &m.data(&cx)[r];
        // SAFETY: `to` has room for len bytes (direct_range); linear memory and a Java direct buffer
        // cannot overlap unless the buffer is this memory's own view, which memmove handles.
        unsafe { std::ptr::copy(from.as_ptr(), to, from.len()) };
        Ok(())
    })
}

/// Copies `len` bytes of the direct buffer `src` at `pos` to `addr`: one memcpy.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_memoryWriteDirect<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    memory: jint,
    addr: jlong,
    src: JByteBuffer<'l>,
    pos: jint,
    len: jint,
) {
    entry(&mut env, |env| {
        let from = direct_range(env, &src, pos, len)?;
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let m = cx.data().memory(memory)?;
        let r = range(&m, &cx, addr, r_len(len))?;
        let to = &mut m.data_mut(&mut cx)[r];
        // SAFETY: `from` has len readable bytes (direct_range); overlap is handled by memmove.
        unsafe { std::ptr::copy(from, to.as_mut_ptr(), to.len()) };
        Ok(())
    })
}

fn r_len(len: jint) -> usize {
    usize::try_from(len).unwrap_or(usize::MAX)
}
