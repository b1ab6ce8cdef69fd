//! Classes and method IDs looked up once, in `JNI_OnLoad`, so no native call searches by name.

use jni::objects::{JClass, JMethodID, JStaticMethodID};
use jni::refs::Global;
use jni::{jni_sig, jni_str, Env};
use once_cell::sync::OnceCell;

pub struct Cache {
    pub wasm_exception: Global<JClass<'static>>,
    pub compile_exception: Global<JClass<'static>>,
    /// `CompileException(String message, long offset, int line, int column)`
    pub compile_exception_new: JMethodID,
    pub link_exception: Global<JClass<'static>>,
    pub illegal_argument: Global<JClass<'static>>,
    pub illegal_state: Global<JClass<'static>>,
    pub out_of_bounds: Global<JClass<'static>>,
    pub trap_exception: Global<JClass<'static>>,
    /// `TrapException.fromNative(int code, String message, long[] frameNumbers, String[] frameNames)`
    pub trap_from_native: JStaticMethodID,
    pub wasi_exit: Global<JClass<'static>>,
    /// `WasiExitException(int exitCode)`
    pub wasi_exit_new: JMethodID,
    /// `HostDefinition.invoke(Store store, long[] slots)`
    pub host_invoke: JMethodID,
    /// `component.ComponentHostDefinition.invoke(Store store, byte[] type, byte[] args) -> byte[]`
    pub component_host_invoke: JMethodID,
    /// `ComponentHostResource.destroy(Store, int)`.
    pub component_resource_destroy: JMethodID,
    /// `dev.wasmbridge.Upcalls`, and its `static Throwable takeFailure()` (`host::upcall_stub`).
    pub upcalls: Global<JClass<'static>>,
    pub upcalls_take_failure: JStaticMethodID,
}

static CACHE: OnceCell<Cache> = OnceCell::new();

fn class(
    env: &mut Env<'_>,
    name: &'static jni::strings::JNIStr,
) -> jni::errors::Result<Global<JClass<'static>>> {
    let local = env.find_class(name)?;
    env.new_global_ref(local)
}

/// Fills the cache (the runtime's modules fill their own after it: `JNI_OnLoad` in `lib.rs`). `find_class` inside `JNI_OnLoad` resolves through the class loader that
/// loaded this library, which is the loader of the wasmbridge classes.
pub fn init(env: &mut Env<'_>) -> jni::errors::Result<()> {
    if CACHE.get().is_some() {
        return Ok(());
    }
    let trap_exception = class(env, jni_str!("dev/wasmbridge/TrapException"))?;
    let trap_from_native = env.get_static_method_id(
        &trap_exception,
        jni_str!("fromNative"),
        jni_sig!("(ILjava/lang/String;[J[Ljava/lang/String;)Ljava/lang/Throwable;"),
    )?;
    let wasi_exit = class(env, jni_str!("dev/wasmbridge/wasi/WasiExitException"))?;
    let wasi_exit_new = env.get_method_id(&wasi_exit, jni_str!("<init>"), jni_sig!("(I)V"))?;
    let host_definition = env.find_class(jni_str!("dev/wasmbridge/HostDefinition"))?;
    let host_invoke = env.get_method_id(
        &host_definition,
        jni_str!("invoke"),
        jni_sig!("(Ldev/wasmbridge/Store;[J)V"),
    )?;
    let component_host =
        env.find_class(jni_str!("dev/wasmbridge/component/ComponentHostDefinition"))?;
    let component_host_invoke = env.get_method_id(
        &component_host,
        jni_str!("invoke"),
        jni_sig!("(Ldev/wasmbridge/Store;[B[B)[B"),
    )?;
    let component_resource =
        env.find_class(jni_str!("dev/wasmbridge/component/ComponentHostResource"))?;
    let component_resource_destroy = env.get_method_id(
        &component_resource,
        jni_str!("destroy"),
        jni_sig!("(Ldev/wasmbridge/Store;I)V"),
    )?;
    let upcalls = class(env, jni_str!("dev/wasmbridge/Upcalls"))?;
    let upcalls_take_failure = env.get_static_method_id(
        &upcalls,
        jni_str!("takeFailure"),
        jni_sig!("()Ljava/lang/Throwable;"),
    )?;
    let compile_exception = class(env, jni_str!("dev/wasmbridge/CompileException"))?;
    let compile_exception_new = env.get_method_id(
        &compile_exception,
        jni_str!("<init>"),
        jni_sig!("(Ljava/lang/String;JII)V"),
    )?;
    let cache = Cache {
        wasm_exception: class(env, jni_str!("dev/wasmbridge/WasmException"))?,
        compile_exception,
        compile_exception_new,
        link_exception: class(env, jni_str!("dev/wasmbridge/LinkException"))?,
        illegal_argument: class(env, jni_str!("java/lang/IllegalArgumentException"))?,
        illegal_state: class(env, jni_str!("java/lang/IllegalStateException"))?,
        out_of_bounds: class(env, jni_str!("java/lang/IndexOutOfBoundsException"))?,
        trap_exception,
        trap_from_native,
        wasi_exit,
        wasi_exit_new,
        host_invoke,
        component_host_invoke,
        component_resource_destroy,
        upcalls,
        upcalls_take_failure,
    };
    let _ = CACHE.set(cache);
    Ok(())
}

/// The cache; `JNI_OnLoad` has filled it before any native method can run.
pub fn get() -> &'static Cache {
    match CACHE.get() {
        Some(c) => c,
        // JNI_OnLoad failing makes System.load fail, so no native method is reachable.
        None => std::process::abort(),
    }
}
