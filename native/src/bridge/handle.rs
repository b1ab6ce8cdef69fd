//! Native objects cross to Java as `long` handles: a boxed value behind a type tag.
//!
//! Java guarantees a handle is live (its `Handle` class refuses use after close, and the natives are
//! package-private in `dev.wasmbridge`, reachable only through the facade's checks); the tag catches a
//! handle of one type passed where another is expected, which would otherwise be memory corruption.

use jni::sys::jlong;

use crate::bridge::error::{Error, Result};

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

/// Frees the value behind a handle. A zero handle, or one whose tag is not `T`'s, is left alone: the
/// tag is read through the raw pointer before any `Box` is built, so a handle of another type is
/// never freed as this one.
///
/// # Safety
/// As for `get`, and the handle must not be used again.
pub unsafe fn free<T: Tagged>(handle: jlong) {
    // SAFETY: forwarded contract; `checked` reads only the tag.
    let Ok(ptr) = (unsafe { checked::<T>(handle) }) else {
        return;
    };
    // SAFETY: the tag says ptr is a Boxed<T> made by Box::into_raw in into_handle; per the contract
    // it is freed once. The tag is cleared first so a stale copy of the handle fails `checked`
    // for as long as the allocator leaves the memory untouched.
    unsafe {
        std::ptr::addr_of_mut!((*ptr).tag).write(0);
        drop(Box::from_raw(ptr));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct A(u64);
    impl Tagged for A {
        const TAG: u32 = 0x7e57_0001;
        const NAME: &'static str = "A";
    }
    struct B;
    impl Tagged for B {
        const TAG: u32 = 0x7e57_0002;
        const NAME: &'static str = "B";
    }

    #[test]
    fn a_handle_of_another_type_is_refused_and_not_freed() {
        let h = into_handle(A(7));
        // SAFETY: h is live; B's free must read only the tag and leave the A alone.
        unsafe {
            free::<B>(h);
            assert!(matches!(get::<B>(h), Err(Error::IllegalArgument(_))));
            assert_eq!(get::<A>(h).map(|a| a.0).ok(), Some(7));
            free::<A>(h);
            free::<A>(0);
        }
    }
}
