//! Classes and method IDs looked up once, in `JNI_OnLoad`, so no native call searches by name.

use jni::objects::{JClass, JMethodID, JStaticMethodID};
use jni::refs::Global;
use jni::{jni_sig, jni_str, Env};
use once_cell::sync::OnceCell;

pub struct Cache {
    pub wasm_exception: Global<JClass<'static>>,
    pub compile_exception: Global<JClass<'static>>,
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
    /// The functional interfaces of typed host functions (`Linker.defineIntBinary` ...).
    pub typed_host: TypedHostMethods,
}

/// Method IDs of the `java.util.function` interfaces typed host functions implement.
pub struct TypedHostMethods {
    /// `java.util.function.IntSupplier.getAsInt()I`
    pub int_supplier: JMethodID,
    /// `java.util.function.LongSupplier.getAsLong()J`
    pub long_supplier: JMethodID,
    /// `java.util.function.IntUnaryOperator.applyAsInt(I)I`
    pub int_unary: JMethodID,
    /// `java.util.function.IntBinaryOperator.applyAsInt(II)I`
    pub int_binary: JMethodID,
    /// `java.util.function.LongUnaryOperator.applyAsLong(J)J`
    pub long_unary: JMethodID,
    /// `java.util.function.LongBinaryOperator.applyAsLong(JJ)J`
    pub long_binary: JMethodID,
    /// `java.util.function.DoubleUnaryOperator.applyAsDouble(D)D`
    pub double_unary: JMethodID,
    /// `java.util.function.DoubleBinaryOperator.applyAsDouble(DD)D`
    pub double_binary: JMethodID,
    /// `java.lang.Runnable.run()V`
    pub runnable: JMethodID,
    /// `java.util.function.IntConsumer.accept(I)V`
    pub int_consumer: JMethodID,
    /// `java.util.function.LongConsumer.accept(J)V`
    pub long_consumer: JMethodID,
}

static CACHE: OnceCell<Cache> = OnceCell::new();

fn class(
    env: &mut Env<'_>,
    name: &'static jni::strings::JNIStr,
) -> jni::errors::Result<Global<JClass<'static>>> {
    let local = env.find_class(name)?;
    env.new_global_ref(local)
}

/// Fills the cache. `find_class` inside `JNI_OnLoad` resolves through the class loader that
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
    // WASI stdio streams backed by Java streams keep their own IDs (wasi.rs).
    crate::wasi::init_cache(env)?;
    let int_supplier = {
        let c = env.find_class(jni_str!("java/util/function/IntSupplier"))?;
        env.get_method_id(&c, jni_str!("getAsInt"), jni_sig!("()I"))?
    };
    let long_supplier = {
        let c = env.find_class(jni_str!("java/util/function/LongSupplier"))?;
        env.get_method_id(&c, jni_str!("getAsLong"), jni_sig!("()J"))?
    };
    let int_unary = {
        let c = env.find_class(jni_str!("java/util/function/IntUnaryOperator"))?;
        env.get_method_id(&c, jni_str!("applyAsInt"), jni_sig!("(I)I"))?
    };
    let int_binary = {
        let c = env.find_class(jni_str!("java/util/function/IntBinaryOperator"))?;
        env.get_method_id(&c, jni_str!("applyAsInt"), jni_sig!("(II)I"))?
    };
    let long_unary = {
        let c = env.find_class(jni_str!("java/util/function/LongUnaryOperator"))?;
        env.get_method_id(&c, jni_str!("applyAsLong"), jni_sig!("(J)J"))?
    };
    let long_binary = {
        let c = env.find_class(jni_str!("java/util/function/LongBinaryOperator"))?;
        env.get_method_id(&c, jni_str!("applyAsLong"), jni_sig!("(JJ)J"))?
    };
    let double_unary = {
        let c = env.find_class(jni_str!("java/util/function/DoubleUnaryOperator"))?;
        env.get_method_id(&c, jni_str!("applyAsDouble"), jni_sig!("(D)D"))?
    };
    let double_binary = {
        let c = env.find_class(jni_str!("java/util/function/DoubleBinaryOperator"))?;
        env.get_method_id(&c, jni_str!("applyAsDouble"), jni_sig!("(DD)D"))?
    };
    let runnable = {
        let c = env.find_class(jni_str!("java/lang/Runnable"))?;
        env.get_method_id(&c, jni_str!("run"), jni_sig!("()V"))?
    };
    let int_consumer = {
        let c = env.find_class(jni_str!("java/util/function/IntConsumer"))?;
        env.get_method_id(&c, jni_str!("accept"), jni_sig!("(I)V"))?
    };
    let long_consumer = {
        let c = env.find_class(jni_str!("java/util/function/LongConsumer"))?;
        env.get_method_id(&c, jni_str!("accept"), jni_sig!("(J)V"))?
    };
    let typed_host = TypedHostMethods {
        int_supplier,
        long_supplier,
        int_unary,
        int_binary,
        long_unary,
        long_binary,
        double_unary,
        double_binary,
        runnable,
        int_consumer,
        long_consumer,
    };
    let cache = Cache {
        wasm_exception: class(env, jni_str!("dev/wasmbridge/WasmException"))?,
        compile_exception: class(env, jni_str!("dev/wasmbridge/CompileException"))?,
        link_exception: class(env, jni_str!("dev/wasmbridge/LinkException"))?,
        illegal_argument: class(env, jni_str!("java/lang/IllegalArgumentException"))?,
        illegal_state: class(env, jni_str!("java/lang/IllegalStateException"))?,
        out_of_bounds: class(env, jni_str!("java/lang/IndexOutOfBoundsException"))?,
        trap_exception,
        trap_from_native,
        wasi_exit,
        wasi_exit_new,
        host_invoke,
        typed_host,
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
