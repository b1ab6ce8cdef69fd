//! wasmbridge's native half: Wasmtime behind JNI.
//!
//! One file per facade type (`engine.rs` for `Engine`, ...). Every exported function goes through
//! `ffi::entry`, which maps failures with the one table in `error.rs`. Objects cross as `long`
//! handles (`handle.rs`); views owned by a store cross as indices (`store.rs`).

pub mod abi;
mod cache;
pub mod component;
pub mod engine;
pub mod error;
mod ffi;
pub mod func;
pub mod global;
pub mod handle;
pub mod host;
pub mod http;
pub mod instance;
pub mod instance_pre;
pub mod linker;
pub mod memory;
pub mod module;
pub mod shapes;
pub mod stack;
pub mod store;
pub mod table;
pub mod types;
pub mod values;
pub mod wasi;

use std::ffi::c_void;

use jni::sys::{jint, JNI_ERR, JNI_VERSION_1_8};
use jni::JavaVM;

/// Caches classes and method IDs (see `cache.rs`). Failing here fails `System.load`.
///
/// # Safety
/// Called by the JVM only, with its own `JavaVM` pointer.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn JNI_OnLoad(
    vm: *mut jni::sys::JavaVM,
    _reserved: *mut c_void,
) -> jint {
    let outcome = std::panic::catch_unwind(|| {
        // SAFETY: the JVM passes its own valid JavaVM pointer to JNI_OnLoad.
        let vm = unsafe { JavaVM::from_raw(vm) };
        vm.attach_current_thread(cache::init)
    });
    match outcome {
        Ok(Ok(())) => JNI_VERSION_1_8,
        // The JVM turns JNI_ERR into an UnsatisfiedLinkError without a reason; say it here.
        Ok(Err(e)) => {
            eprintln!("wasmbridge: cannot initialise the native library: {e}");
            JNI_ERR
        }
        Err(_) => {
            eprintln!("wasmbridge: cannot initialise the native library: panic in JNI_OnLoad");
            JNI_ERR
        }
    }
}
