//! wasmbridge's native half: Wasmtime behind JNI.
//!
//! Two layers. `bridge/` is the JNI plumbing and depends on nothing above it: the codes both sides
//! share (`abi.rs`), the one table from failures to Java exceptions (`error.rs`), the entry wrapper
//! every exported function goes through (`ffi.rs`), the cached classes and method IDs (`cache.rs`)
//! and the `long` handles objects cross as (`handle.rs`). Above it, the runtime: one file per
//! facade type (`engine.rs` for `Engine`, ...), views owned by a store crossing as indices
//! (`store.rs`), and the folders `component/`, `wasi/` and `http/`.
//!
//! The runtime is layered too, bottom up: `engine`, `stack`, `types`; `module`, `store`; `linker`,
//! `instance`, `memory`, `values`; `func`, `global`, `table`, `instance_pre`, `wasi`; `component`,
//! `host`; `http`, `shapes`. The store names none of the features above it: what `wasi/`, `http/`
//! and `component/` keep per store it holds as extensions ([`store::StoreData::ext`]), and a WASI
//! wait runs the HTTP exchange through `wasi`'s own `Pump` trait. `tests/layers.rs` reads the
//! sources and fails on any import circle among the top-level modules.

pub mod bridge;
pub mod component;
pub mod engine;
pub mod func;
pub mod global;
pub mod host;
pub mod http;
pub mod instance;
pub mod instance_pre;
mod jni_floor;
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
        vm.attach_current_thread(|env| {
            bridge::cache::init(env)?;
            // Each layer above the bridge caches its own IDs.
            shapes::init_cache(env)?;
            // WASI stdio streams backed by Java streams (wasi/stdio.rs), the HTTP exchanges (http/mod.rs).
            wasi::init_cache(env)?;
            http::init_cache(env)
        })
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
