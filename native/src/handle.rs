//! Native objects cross to Java as `long` handles: a boxed value behind a type tag.
//!
//! Java guarantees a handle is live (its `Handle` class refuses use after close), the tag catches a
//! handle of one type passed where another is expected, which would otherwise be memory corruption.

use jni::sys::jlong;

use crate::error::{Error, Result};

/// A type that can live behind a handle; `TAG` is unique per type.
pub trait Tagged {
    const TAG: u32;
    const NAME: &'static str;
}

#[repr(C)]
struct Boxed<T> {
    tag: u32,
    value: T,
}

/// Moves `value` to the heap and returns its handle.
pub fn into_handle<T: Tagged>(value: T) -> jlong {
    Box::into_raw(Box::new(Boxed { tag: T::TAG, value })) as jlong
}

/// Checks the handle is non-null and of type `T`, and returns the pointer.
///
/// # Safety
/// `handle` must come from `into_handle` and not have been freed; Java's `Handle` ensures that.
unsafe fn checked<T: Tagged>(handle: jlong) -> Result<*mut Boxed<T>> {
    let ptr = handle as *mut Boxed<T>;
    if ptr.is_null() {
        return Err(Error::IllegalState(format!("{} handle is null", T::NAME)));
    }
    // SAFETY: per the contract the pointer is a live Boxed<U> for some U; all start with the u32
    // tag (repr(C)), so reading just the tag through the raw pointer is valid.
    let tag = unsafe { std::ptr::addr_of!((*ptr).tag).read() };
    if tag != T::TAG {
        return Err(Error::IllegalArgument(format!(
            "handle is not a {}",
            T::NAME
        )));
    }
    Ok(ptr)
}

/// Borrows the value behind a handle for shared use.
///
/// # Safety
/// As for `checked`.
pub unsafe fn get<'a, T: Tagged>(handle: jlong) -> Result<&'a T> {
    // SAFETY: checked() verified the tag; the value is live per the contract.
    unsafe { checked::<T>(handle).map(|p| &(*p).value) }
}

/// Borrows the value behind a handle exclusively.
///
/// # Safety
/// As for `get`, and no other borrow of the value may be live: Java serialises the callers (a
/// store's owner thread, a linker's write lock).
pub unsafe fn get_mut<'a, T: Tagged>(handle: jlong) -> Result<&'a mut T> {
    // SAFETY: checked() verified the tag; exclusivity is per the contract.
    unsafe { checked::<T>(handle).map(|p| &mut (*p).value) }
}

/// Frees the value behind a handle. A zero handle is ignored.
///
/// # Safety
/// As for `get`, and the handle must not be used again.
pub unsafe fn free<T: Tagged>(handle: jlong) {
    let ptr = handle as *mut Boxed<T>;
    if ptr.is_null() {
        return;
    }
    // SAFETY: per the contract, ptr came from Box::into_raw in into_handle and is freed once.
    let mut boxed = unsafe { Box::from_raw(ptr) };
    if boxed.tag == T::TAG {
        boxed.tag = 0;
        drop(boxed);
    } else {
        // Not ours to free: leak rather than free with the wrong type.
        std::mem::forget(boxed);
    }
}
