//! The typed shapes: numeric signatures that cross JNI with primitives only, both ways.
//!
//! One table (the `shapes!` invocation below) drives everything: for each shape it generates the
//! [`Typed`] variant checked once by `Function.as(..)`, the fast-path native `Native.call<Shape>`
//! that calls it, and the host side `Linker.define(.., Class, ..)` uses (a `func_wrap` closure
//! calling the Java functional interface's method with raw JNI), and the natives that make them
//! (`funcTyped`, `linkerDefineTyped`, `linkerDefineStub`). The Java side's table is the
//! `dev.wasmbridge.Shape` enum, in the same order; the test at the end of this file checks they
//! agree. A new shape is one line here and one row (plus its native declaration) there.

use jni::objects::{JClass, JObject, JString};
use jni::refs::Global;
use jni::sys::{jint, jlong};
use jni::EnvUnowned;
use wasmtime::{Caller, TypedFunc};

use crate::bridge::error::{Error, Result};
use crate::bridge::ffi::entry;
use crate::bridge::handle;
use crate::linker::LinkerBox;
use crate::store::{self, JavaFrame, StoreData};

/// The method IDs of the shapes' functional interfaces, in [`METHODS`]'s order.
static METHOD_IDS: once_cell::sync::OnceCell<Vec<jni::objects::JMethodID>> =
    once_cell::sync::OnceCell::new();

/// Looks up [`METHODS`] once (`JNI_OnLoad`, after `bridge::cache::init`).
pub fn init_cache(env: &mut jni::Env<'_>) -> jni::errors::Result<()> {
    if METHOD_IDS.get().is_some() {
        return Ok(());
    }
    let mut ids = Vec::with_capacity(METHODS.len());
    for (class, method, sig) in METHODS {
        let c = env.find_class(jni::strings::JNIString::new(*class))?;
        let sig = jni::signature::RuntimeMethodSignature::from_str(sig)?;
        let sig = jni::signature::MethodSignature::from(&sig);
        ids.push(env.get_method_id(&c, jni::strings::JNIString::new(*method), sig)?);
        env.delete_local_ref(c);
    }
    let _ = METHOD_IDS.set(ids);
    Ok(())
}

/// The IDs [`init_cache`] looked up; `JNI_OnLoad` has filled them before any native method runs.
fn method_ids() -> &'static [jni::objects::JMethodID] {
    match METHOD_IDS.get() {
        Some(ids) => ids,
        // JNI_OnLoad failing makes System.load fail, so no native method is reachable.
        None => std::process::abort(),
    }
}

/// What the test below compares with the Java table: the shape's name in Java's spelling
/// (`INT_BINARY_OPERATOR`) and its wasm signature (`(i32, i32) -> i32`).
#[cfg(test)]
pub struct ShapeInfo {
    pub name: &'static str,
    pub signature: &'static str,
}

macro_rules! shapes {
    ($(
        $variant:ident, $class:literal . $method:literal $jsig:literal, $native:ident,
        ($($arg:ident: $ty:ident => $jv:ident),*) -> $ret:ty, $upcall:ident;
    )*) => {
        /// A function checked once against one shape (variants spelled as in Java's `Shape`).
        #[allow(non_camel_case_types, reason = "the names of the Java enum constants")]
        pub enum Typed {
            $($variant(TypedFunc<($($ty,)*), $ret>),)*
        }

        /// The interface class, its method and the method's JNI signature, per shape (in order).
        pub const METHODS: &[(&str, &str, &str)] = &[$(($class, $method, $jsig)),*];

        #[cfg(test)]
        pub const INFO: &[ShapeInfo] = &[$(ShapeInfo {
            name: stringify!($variant),
            signature: concat!("(", shapes!(@list $($ty),*), ") -> ", stringify!($ret)),
        }),*];

        /// Checks `f` against shape number `shape` (the order of the table).
        pub fn typed(
            shape: u32,
            f: wasmtime::Func,
            cx: &wasmtime::StoreContextMut<'_, StoreData>,
        ) -> Result<Typed> {
            let mismatch = |e: wasmtime::Error| Error::IllegalArgument(format!("{e:#}"));
            let mut n = 0u32;
            $(
                if shape == n {
                    return Ok(Typed::$variant(f.typed(cx).map_err(mismatch)?));
                }
                n += 1;
            )*
            let _ = n;
            Err(Error::IllegalArgument(format!("unknown typed shape {shape}")))
        }

        $(
            /// The fast-path call of one shape: primitives in, primitive out, no allocation, no
            /// `Env` unless it fails.
            #[unsafe(no_mangle)]
            pub extern "system" fn $native<'l>(
                env: EnvUnowned<'l>,
                _class: JClass<'l>,
                store_obj: JObject<'l>,
                store: jlong,
                typed: jint,
                $($arg: $ty),*
            ) -> $ret {
                crate::bridge::ffi::fast(env, |raw_env| {
                    // SAFETY: live store handle owned by this thread (Store.enter).
                    let mut cx = unsafe { store::context(store) }?;
                    let entry = cx.data().typed(typed)?;
                    // SAFETY: typed entries are boxed and live as long as the store (StoreData::typed).
                    let Typed::$variant(f) = (unsafe { &*entry }) else {
                        return Err(Error::IllegalArgument(format!(
                            "typed function {typed} has another shape"
                        )));
                    };
                    let frame = JavaFrame::new(raw_env, store_obj.as_raw(), store);
                    store::with_frame(&mut cx, frame, |cx| f.call(cx, ($($arg,)*)))
                        .map_err(|e| Error::from_wasm(e, Error::Wasm))
                })
            }
        )*

        /// Defines `module`/`name` on `linker` as a host function of shape `shape`, implemented by
        /// `target`, a Java object of the shape's interface (Java checked it).
        pub fn define_host(
            linker: &mut wasmtime::Linker<StoreData>,
            module: &str,
            name: &str,
            shape: u32,
            target: Global<JObject<'static>>,
        ) -> Result<()> {
            let methods = method_ids();
            let mut n = 0u32;
            $(
                if shape == n {
                    let mid = *methods.get(n as usize).ok_or_else(|| {
                        Error::IllegalState("shape method IDs are missing".into())
                    })?;
                    return linker
                        .func_wrap(module, name, move |mut caller: Caller<'_, StoreData>, $($arg: $ty),*| -> wasmtime::Result<$ret> {
                            #[allow(unused_unsafe, reason = "the argument list may be empty")]
                            let args: &[jni::sys::jvalue] = &[$(jni::sys::jvalue { $jv: $arg }),*];
                            crate::host::upcall(&mut caller, |env| {
                                // SAFETY: env is this thread's JNIEnv; target is a live global
                                // reference to an object of the interface `mid` was looked up on
                                // (Java checked the type), and `args` matches the method.
                                unsafe {
                                    ((**env).v1_1.$upcall)(env, target.as_raw(), mid.into_raw(), args.as_ptr())
                                }
                            })
                        })
                        .map(|_| ())
                        .map_err(|e| Error::Link(format!("{e:#}")));
                }
                n += 1;
            )*
            let _ = (n, target);
            Err(Error::IllegalArgument(format!("unknown typed shape {shape}")))
        }

        /// Defines `module`/`name` on `linker` as a host function of shape `shape` that calls
        /// `address`, an upcall stub of the JDK's foreign function API with the shape's C signature
        /// plus a trailing `uint8_t *failed` (Java's `FfmUpcalls`, made from the same interface
        /// method); `keep` is the Java object that keeps the stub alive, held as long as the function;
        /// `target` the interface's object, called through JNI when the stack is too low for the stub
        /// (`host::upcall_stub`).
        pub fn define_stub(
            linker: &mut wasmtime::Linker<StoreData>,
            module: &str,
            name: &str,
            shape: u32,
            address: usize,
            keep: Global<JObject<'static>>,
            target: Global<JObject<'static>>,
        ) -> Result<()> {
            if address == 0 {
                return Err(Error::IllegalArgument("upcall stub address is null".into()));
            }
            let methods = method_ids();
            let mut n = 0u32;
            $(
                if shape == n {
                    let mid = *methods.get(n as usize).ok_or_else(|| {
                        Error::IllegalState("shape method IDs are missing".into())
                    })?;
                    // SAFETY: `address` is a live FFM upcall stub (kept alive by `keep`, which the
                    // closure owns) whose C signature is this shape's parameters and result plus a
                    // pointer to the failure flag: Java built it from the same interface method.
                    let stub = unsafe {
                        std::mem::transmute::<usize, unsafe extern "C" fn($($ty,)* *mut u8) -> $ret>(address)
                    };
                    return linker
                        .func_wrap(module, name, move |mut caller: Caller<'_, StoreData>, $($arg: $ty),*| -> wasmtime::Result<$ret> {
                            let _keep = &keep;
                            crate::host::upcall_stub(
                                &mut caller,
                                // SAFETY: as above; `failed` points at a live local of `upcall_stub`.
                                |failed| unsafe { stub($($arg,)* failed) },
                                |env| {
                                    #[allow(unused_unsafe, reason = "the argument list may be empty")]
                                    let args: &[jni::sys::jvalue] = &[$(jni::sys::jvalue { $jv: $arg }),*];
                                    // SAFETY: as in define_host: a live global reference to an
                                    // object of the interface `mid` belongs to, and matching `args`.
                                    unsafe {
                                        ((**env).v1_1.$upcall)(env, target.as_raw(), mid.into_raw(), args.as_ptr())
                                    }
                                },
                            )
                        })
                        .map(|_| ())
                        .map_err(|e| Error::Link(format!("{e:#}")));
                }
                n += 1;
            )*
            let _ = (n, keep, target);
            Err(Error::IllegalArgument(format!("unknown typed shape {shape}")))
        }
    };
    (@list) => { "" };
    (@list $first:ident $(, $rest:ident)*) => { concat!(stringify!($first) $(, ", ", stringify!($rest))*) };
}

shapes! {
    INT_SUPPLIER, "java/util/function/IntSupplier"."getAsInt" "()I", Java_dev_wasmbridge_Native_callIntSupplier, () -> i32, CallIntMethodA;
    LONG_SUPPLIER, "java/util/function/LongSupplier"."getAsLong" "()J", Java_dev_wasmbridge_Native_callLongSupplier, () -> i64, CallLongMethodA;
    FLOAT_SUPPLIER, "dev/wasmbridge/Functions$FloatSupplier"."getAsFloat" "()F", Java_dev_wasmbridge_Native_callFloatSupplier, () -> f32, CallFloatMethodA;
    DOUBLE_SUPPLIER, "java/util/function/DoubleSupplier"."getAsDouble" "()D", Java_dev_wasmbridge_Native_callDoubleSupplier, () -> f64, CallDoubleMethodA;
    INT_UNARY_OPERATOR, "java/util/function/IntUnaryOperator"."applyAsInt" "(I)I", Java_dev_wasmbridge_Native_callIntUnaryOperator, (a: i32 => i) -> i32, CallIntMethodA;
    LONG_UNARY_OPERATOR, "java/util/function/LongUnaryOperator"."applyAsLong" "(J)J", Java_dev_wasmbridge_Native_callLongUnaryOperator, (a: i64 => j) -> i64, CallLongMethodA;
    FLOAT_UNARY_OPERATOR, "dev/wasmbridge/Functions$FloatUnaryOperator"."applyAsFloat" "(F)F", Java_dev_wasmbridge_Native_callFloatUnaryOperator, (a: f32 => f) -> f32, CallFloatMethodA;
    DOUBLE_UNARY_OPERATOR, "java/util/function/DoubleUnaryOperator"."applyAsDouble" "(D)D", Java_dev_wasmbridge_Native_callDoubleUnaryOperator, (a: f64 => d) -> f64, CallDoubleMethodA;
    INT_BINARY_OPERATOR, "java/util/function/IntBinaryOperator"."applyAsInt" "(II)I", Java_dev_wasmbridge_Native_callIntBinaryOperator, (a: i32 => i, b: i32 => i) -> i32, CallIntMethodA;
    LONG_BINARY_OPERATOR, "java/util/function/LongBinaryOperator"."applyAsLong" "(JJ)J", Java_dev_wasmbridge_Native_callLongBinaryOperator, (a: i64 => j, b: i64 => j) -> i64, CallLongMethodA;
    FLOAT_BINARY_OPERATOR, "dev/wasmbridge/Functions$FloatBinaryOperator"."applyAsFloat" "(FF)F", Java_dev_wasmbridge_Native_callFloatBinaryOperator, (a: f32 => f, b: f32 => f) -> f32, CallFloatMethodA;
    DOUBLE_BINARY_OPERATOR, "java/util/function/DoubleBinaryOperator"."applyAsDouble" "(DD)D", Java_dev_wasmbridge_Native_callDoubleBinaryOperator, (a: f64 => d, b: f64 => d) -> f64, CallDoubleMethodA;
    INT_TERNARY_OPERATOR, "dev/wasmbridge/Functions$IntTernaryOperator"."applyAsInt" "(III)I", Java_dev_wasmbridge_Native_callIntTernaryOperator, (a: i32 => i, b: i32 => i, c: i32 => i) -> i32, CallIntMethodA;
    RUNNABLE, "java/lang/Runnable"."run" "()V", Java_dev_wasmbridge_Native_callRunnable, () -> (), CallVoidMethodA;
    INT_CONSUMER, "java/util/function/IntConsumer"."accept" "(I)V", Java_dev_wasmbridge_Native_callIntConsumer, (a: i32 => i) -> (), CallVoidMethodA;
    LONG_CONSUMER, "java/util/function/LongConsumer"."accept" "(J)V", Java_dev_wasmbridge_Native_callLongConsumer, (a: i64 => j) -> (), CallVoidMethodA;
    FLOAT_CONSUMER, "dev/wasmbridge/Functions$FloatConsumer"."accept" "(F)V", Java_dev_wasmbridge_Native_callFloatConsumer, (a: f32 => f) -> (), CallVoidMethodA;
    DOUBLE_CONSUMER, "java/util/function/DoubleConsumer"."accept" "(D)V", Java_dev_wasmbridge_Native_callDoubleConsumer, (a: f64 => d) -> (), CallVoidMethodA;
    INT_BI_CONSUMER, "dev/wasmbridge/Functions$IntBiConsumer"."accept" "(II)V", Java_dev_wasmbridge_Native_callIntBiConsumer, (a: i32 => i, b: i32 => i) -> (), CallVoidMethodA;
    INT_TO_LONG_FUNCTION, "java/util/function/IntToLongFunction"."applyAsLong" "(I)J", Java_dev_wasmbridge_Native_callIntToLongFunction, (a: i32 => i) -> i64, CallLongMethodA;
    INT_TO_DOUBLE_FUNCTION, "java/util/function/IntToDoubleFunction"."applyAsDouble" "(I)D", Java_dev_wasmbridge_Native_callIntToDoubleFunction, (a: i32 => i) -> f64, CallDoubleMethodA;
    LONG_TO_INT_FUNCTION, "java/util/function/LongToIntFunction"."applyAsInt" "(J)I", Java_dev_wasmbridge_Native_callLongToIntFunction, (a: i64 => j) -> i32, CallIntMethodA;
    LONG_TO_DOUBLE_FUNCTION, "java/util/function/LongToDoubleFunction"."applyAsDouble" "(J)D", Java_dev_wasmbridge_Native_callLongToDoubleFunction, (a: i64 => j) -> f64, CallDoubleMethodA;
    DOUBLE_TO_INT_FUNCTION, "java/util/function/DoubleToIntFunction"."applyAsInt" "(D)I", Java_dev_wasmbridge_Native_callDoubleToIntFunction, (a: f64 => d) -> i32, CallIntMethodA;
    DOUBLE_TO_LONG_FUNCTION, "java/util/function/DoubleToLongFunction"."applyAsLong" "(D)J", Java_dev_wasmbridge_Native_callDoubleToLongFunction, (a: f64 => d) -> i64, CallLongMethodA;
    INT_BI_TO_LONG_FUNCTION, "dev/wasmbridge/Functions$IntBiToLongFunction"."applyAsLong" "(II)J", Java_dev_wasmbridge_Native_callIntBiToLongFunction, (a: i32 => i, b: i32 => i) -> i64, CallLongMethodA;
}

/// Checks `func` against shape number `shape` (the table above, Java's `Shape`) and
/// registers the typed view (once per function and shape); returns its index.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_funcTyped<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
    shape: jint,
) -> jint {
    entry(&mut env, |_env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let f = cx.data().func(func)?;
        let shape = u32::try_from(shape)
            .map_err(|_| Error::IllegalArgument(format!("unknown typed shape {shape}")))?;
        let view = typed(shape, f, &cx)?;
        cx.data_mut().add_typed(func, shape, || Ok(view))
    })
}

/// Defines `module`/`name` as a typed host function called through an FFM upcall stub (JDK 22+,
/// Java's `Upcalls`): `address` is the stub, `keep` the Java object that keeps it alive, `target`
/// the interface's object, called through JNI when the stack is too low for the stub.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_linkerDefineStub<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    module: JString<'l>,
    name: JString<'l>,
    shape: jni::sys::jint,
    address: jlong,
    keep: JObject<'l>,
    target: JObject<'l>,
) {
    entry(&mut env, |env| {
        let module = module.try_to_string(env)?;
        let name = name.try_to_string(env)?;
        let keep = env.new_global_ref(keep)?;
        let target = env.new_global_ref(target)?;
        let shape = u32::try_from(shape)
            .map_err(|_| Error::IllegalArgument(format!("unknown typed shape {shape}")))?;
        let address = usize::try_from(address)
            .map_err(|_| Error::IllegalArgument(format!("bad upcall stub address {address}")))?;
        // SAFETY: live linker handle (Handle.acquire); LinkerBox locks itself.
        let l = unsafe { handle::get::<LinkerBox>(linker) }?;
        l.edit(|linker, _| define_stub(linker, &module, &name, shape, address, keep, target))
    })
}

/// Defines `module`/`name` as a typed host function: `shape` numbers the functional interface
/// `target` implements (the table above, Java's `Shape`).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_linkerDefineTyped<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    module: JString<'l>,
    name: JString<'l>,
    shape: jni::sys::jint,
    target: JObject<'l>,
) {
    entry(&mut env, |env| {
        let module = module.try_to_string(env)?;
        let name = name.try_to_string(env)?;
        let target = env.new_global_ref(target)?;
        let shape = u32::try_from(shape)
            .map_err(|_| Error::IllegalArgument(format!("unknown typed shape {shape}")))?;
        // SAFETY: live linker handle (Handle.acquire); LinkerBox locks itself.
        let l = unsafe { handle::get::<LinkerBox>(linker) }?;
        l.edit(|linker, _| define_host(linker, &module, &name, shape, target))
    })
}

#[cfg(test)]
mod tests {
    use crate::bridge::java_source::{java, java_enum};

    #[test]
    fn shapes_are_the_java_table_in_order() {
        let java = java_enum(&java("Shape.java"), "Shape");
        let rust: Vec<(String, Option<String>)> = crate::shapes::INFO
            .iter()
            .map(|s| (s.name.to_owned(), Some(s.signature.to_owned())))
            .collect();
        assert_eq!(java, rust, "Shape.java and shapes.rs disagree");
        assert_eq!(crate::shapes::METHODS.len(), rust.len());
    }
}
