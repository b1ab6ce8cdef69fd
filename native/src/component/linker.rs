//! `ComponentLinker`: names for a component's imports (host functions written in Java, WASI 0.2),
//! instantiation, and `ComponentInstancePre`.
//!
//! A host function is a `func_new` closure holding a global reference to its Java
//! `ComponentHostDefinition`. When the guest calls it, the closure encodes the arguments by the
//! import's type (`values.rs`), lends the store (Java may call back into it), calls
//! `ComponentHostDefinition.invoke(Store, byte[]) -> byte[]` on the JNI environment of the native call
//! running wasm, and decodes the result. Borrowed resource handles lent to Java end when it returns.
//! A Java exception travels through the guest as `bridge::error::JavaThrown`, like a core host function's.

use jni::objects::{JByteArray, JClass, JObject, JString, JValue};
use jni::refs::Global;
use jni::signature::ReturnType;
use jni::sys::{jboolean, jint, jlong};
use jni::EnvUnowned;
use std::sync::atomic::{AtomicU32, Ordering};

use wasmtime::component::types::ComponentFunc;
use wasmtime::component::{Component, InstancePre, Linker, ResourceType, Val};
use wasmtime::StoreContextMut;

use super::resources::{self, StoreHandles};
use super::StoreComponents;
use super::{types, values, ComponentBox};
use crate::bridge::cache;
use crate::bridge::error::JavaThrown;
use crate::bridge::error::{Error, Result};
use crate::bridge::ffi::entry;
use crate::bridge::handle::{self, Tagged};
use crate::engine::EngineBox;
use crate::linker::LinkerBox;
use crate::store::{self, JavaFrame, StoreData};

/// A component linker (`LinkerBox` over Wasmtime's component linker and the host resources it
/// defines).
pub type ComponentLinkerBox = LinkerBox<Definitions>;

/// What a component linker holds.
#[derive(Clone)]
pub struct Definitions {
    pub linker: Linker<StoreData>,
    /// The resources implemented in Java: `host_dynamic(payload)` and the payload.
    pub resources: Vec<(ResourceType, u32)>,
}

impl Definitions {
    /// The names of `component`'s imported resource types as this linker resolves them (a component
    /// whose imports do not type-check gets none: instantiation reports that).
    fn import_names(&self, component: &Component) -> types::ResourceNames {
        let mut names = types::ResourceNames::default();
        if let Ok(ty) = self.linker.substituted_component_type(component) {
            let engine = component.engine();
            let imports: Vec<_> = ty.imports(engine).map(|(n, i)| (n, i.ty)).collect();
            let host =
                |t: &ResourceType| self.resources.iter().find(|(r, _)| r == t).map(|&(_, p)| p);
            names.collect(engine, "", imports.into_iter(), &host);
        }
        names
    }
}

impl Tagged for ComponentLinkerBox {
    const TAG: u32 = 0x5701_0011;
    const NAME: &'static str = "ComponentLinker";
}

/// A pre-instantiated component, shared by threads.
pub struct ComponentPreBox {
    pub pre: InstancePre<StoreData>,
    /// The names of its imported resource types.
    names: types::ResourceNames,
}

impl Tagged for ComponentPreBox {
    const TAG: u32 = 0x5701_0012;
    const NAME: &'static str = "ComponentInstancePre";
}

fn link_error(e: wasmtime::Error) -> Error {
    Error::Link(format!("{e:#}"))
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_linkerNew<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
) -> jlong {
    entry(&mut env, |_env| {
        // SAFETY: Java passes a live engine handle (Handle.acquire).
        let engine = unsafe { handle::get::<EngineBox>(engine) }?;
        Ok(handle::into_handle(ComponentLinkerBox::new(Definitions {
            linker: Linker::new(&engine.engine),
            resources: Vec::new(),
        })))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_linkerFree<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: Java frees each handle once, after its last use.
        unsafe { handle::free::<ComponentLinkerBox>(linker) };
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_linkerAllowShadowing<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    allow: jboolean,
) {
    entry(&mut env, |_env| {
        // SAFETY: live linker handle (Handle.acquire); the box locks itself.
        let l = unsafe { handle::get::<ComponentLinkerBox>(linker) }?;
        l.set_shadowing(allow, |d, allow| {
            d.linker.allow_shadowing(allow);
        });
        Ok(())
    })
}

/// Defines WASI 0.2 (`wasi:cli`, `wasi:io`, `wasi:filesystem`, `wasi:clocks`, `wasi:random`,
/// `wasi:sockets`), each store serving it from its own context, its waits ending at the store's
/// deadline or interrupt (`wasi/p2.rs`).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_linkerDefineWasi<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: live linker handle (Handle.acquire); the box locks itself.
        let l = unsafe { handle::get::<ComponentLinkerBox>(linker) }?;
        l.edit(|d, shadowing| crate::wasi::add_p2_to_linker(&mut d.linker, shadowing))
            .map_err(link_error)
    })
}

/// Defines `wasi:http` 0.2's `types` and `outgoing-handler` (wasmtime-wasi-http), each store serving
/// them from its own context: what an HTTP handler component imports beside WASI 0.2 (`http/`).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_linkerDefineWasiHttp<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: live linker handle (Handle.acquire); the box locks itself.
        let l = unsafe { handle::get::<ComponentLinkerBox>(linker) }?;
        l.edit(|d, _| wasmtime_wasi_http::p2::add_only_http_to_linker_sync(&mut d.linker))
            .map_err(link_error)
    })
}

/// Defines every import of `component` this linker lacks as a function that traps.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_linkerDefineUnknownAsTraps<
    'l,
>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    component: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: live handles (Handle.acquire); the box locks itself.
        let l = unsafe { handle::get::<ComponentLinkerBox>(linker) }?;
        // SAFETY: as above.
        let c = unsafe { handle::get::<ComponentBox>(component) }?;
        l.edit(|d, _| define_missing_as_traps(&mut d.linker, &c.component))
            .map_err(link_error)
    })
}

/// Defines as traps the imports of `component` that `linker` cannot satisfy, and nothing else.
///
/// Wasmtime's `define_unknown_imports_as_traps` opens every import by its exact name and stubs each
/// item it does not find there, so an import the linker serves under a compatible version, or a type
/// an instance re-exports from another (`wasi:io/streams`' `error`, defined in `wasi:io/error`), gets a
/// stub that shadows the real definition: "mismatched resource types". Here only the top-level imports
/// the linker's own type check refuses are stubbed, one at a time, until it accepts the component or
/// stubbing does not help (instantiating then says what is wrong).
fn define_missing_as_traps(
    linker: &mut Linker<StoreData>,
    component: &Component,
) -> wasmtime::Result<()> {
    let engine = component.engine().clone();
    let ty = component.component_type();
    let mut stubbed = std::collections::HashSet::new();
    loop {
        let Err(e) = linker.instantiate_pre(component) else {
            return Ok(());
        };
        let Some(name) = missing_import(&e) else {
            return Ok(());
        };
        if !stubbed.insert(name.clone()) {
            return Ok(());
        }
        let Some((_, item)) = ty.imports(&engine).find(|(n, _)| *n == name) else {
            return Ok(());
        };
        stub(&mut linker.root(), &name, &name, &item.ty, &engine)?;
    }
}

/// The import a type check failed on, from Wasmtime's message ("component imports instance
/// `wasi:io/streams@0.2.0`, but a matching implementation was not found in the linker").
fn missing_import(e: &wasmtime::Error) -> Option<String> {
    let outer = e.to_string();
    let rest = outer.strip_prefix("component imports ")?;
    let start = rest.find('`')? + 1;
    let end = start + rest[start..].find('`')?;
    rest.ends_with("a matching implementation was not found in the linker")
        .then(|| rest[start..end].to_owned())
}

/// Defines `item` as `name` in `at`: functions that trap (saying `path`), instances item by item,
/// resources as host resources. An item `at` already has stays as it is.
fn stub(
    at: &mut wasmtime::component::LinkerInstance<'_, StoreData>,
    name: &str,
    path: &str,
    item: &wasmtime::component::types::ComponentItem,
    engine: &wasmtime::Engine,
) -> wasmtime::Result<()> {
    use wasmtime::component::types::ComponentItem;
    match item {
        ComponentItem::ComponentFunc(_) => {
            let path = path.to_owned();
            // Already defined: the definition stays (shadowing is refused).
            let _ = at.func_new(name, move |_, _, _, _| {
                Err(wasmtime::Error::msg(format!(
                    "unknown import: `{path}` has not been defined"
                )))
            });
        }
        ComponentItem::ComponentInstance(instance) => {
            let mut inner = at.instance(name)?;
            for (export, item) in instance.exports(engine) {
                stub(
                    &mut inner,
                    export,
                    &format!("{path}#{export}"),
                    &item.ty,
                    engine,
                )?;
            }
        }
        ComponentItem::Resource(_) => {
            let _ = at.resource(name, ResourceType::host::<()>(), |_, _| Ok(()));
        }
        // Types need no definition; a core module or a component cannot be stubbed as traps: the
        // instantiation names it.
        _ => {}
    }
    Ok(())
}

/// One host function: its Java target.
struct HostEntry {
    target: Global<JObject<'static>>,
}

/// Defines `name` in the linker instance `instance` (null: the root) as a host function implemented
/// by the Java `ComponentHostDefinition` `target`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_linkerDefineFunction<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    instance: JString<'l>,
    name: JString<'l>,
    target: JObject<'l>,
) {
    entry(&mut env, |env| {
        let instance = if instance.is_null() {
            None
        } else {
            Some(instance.try_to_string(env)?)
        };
        let name = name.try_to_string(env)?;
        let host = HostEntry {
            target: env.new_global_ref(target)?,
        };
        // SAFETY: live linker handle (Handle.acquire); the box locks itself.
        let l = unsafe { handle::get::<ComponentLinkerBox>(linker) }?;
        l.edit(|d, _| {
            let linker = &mut d.linker;
            let f = move |mut cx: StoreContextMut<'_, StoreData>,
                          ty: ComponentFunc,
                          params: &[Val],
                          results: &mut [Val]|
                  -> wasmtime::Result<()> {
                invoke(&mut cx, &host, &ty, params, results)
            };
            match &instance {
                None => linker.root().func_new(&name, f),
                Some(i) => linker.instance(i)?.func_new(&name, f),
            }
        })
        .map_err(link_error)
    })
}

fn to_wasmtime(e: Error) -> wasmtime::Error {
    match e {
        Error::JavaThrown(t) => wasmtime::Error::new(JavaThrown(t)),
        other => wasmtime::Error::msg(other.to_string()),
    }
}

/// A host function's body (see the module's notes).
fn invoke(
    cx: &mut StoreContextMut<'_, StoreData>,
    host: &HostEntry,
    ty: &ComponentFunc,
    params: &[Val],
    results: &mut [Val],
) -> wasmtime::Result<()> {
    let frame = cx.data().frame;
    if frame.env.is_null() {
        return Err(wasmtime::Error::msg(
            "host function called without a Java caller",
        ));
    }
    let mark = cx.data_mut().ext::<StoreComponents>().handles.borrow_mark();
    let mut handles = StoreHandles::new(cx);
    let outcome = (|| -> Result<()> {
        let mut args = Vec::new();
        for ((_, t), v) in ty.params().zip(params) {
            values::write(&mut args, &t, v, &mut handles)?;
        }
        let mut type_bytes = crate::types::Encoder::default();
        types::func_type(
            &mut type_bytes,
            ty,
            &handles.cx().data_mut().ext::<StoreComponents>().names,
        );
        let out = upcall(handles.cx(), frame, |env, store| {
            let ty = env.byte_array_from_slice(&type_bytes.0)?;
            let array = env.byte_array_from_slice(&args)?;
            let jargs = [
                JValue::Object(store).as_jni(),
                JValue::Object(&ty).as_jni(),
                JValue::Object(&array).as_jni(),
            ];
            // SAFETY: the method ID was looked up in JNI_OnLoad on ComponentHostDefinition as
            // (Ldev/wasmbridge/Store;[B[B)[B, and target is one.
            let v = unsafe {
                env.call_method_unchecked(
                    &host.target,
                    cache::get().component_host_invoke,
                    ReturnType::Array,
                    &jargs,
                )
            }?;
            let obj = v.l()?;
            if obj.is_null() {
                return Ok(Vec::new());
            }
            // SAFETY: the method's declared return type is byte[].
            let bytes = unsafe { JByteArray::from_raw(env, obj.into_raw()) };
            env.convert_byte_array(&bytes)
        })?;
        let mut reader = values::Reader::new(&out);
        if let (Some(t), Some(slot)) = (ty.results().next(), results.first_mut()) {
            *slot = values::read(&mut reader, &t, &mut handles)?;
        }
        if !reader.done() {
            return Err(Error::IllegalState(
                "the host function returned more bytes than its result".into(),
            ));
        }
        handles.commit();
        Ok(())
    })();
    handles.finish();
    let ended = cx
        .data_mut()
        .ext::<StoreComponents>()
        .handles
        .end_borrows(mark);
    resources::drop_all(cx, ended);
    outcome.map_err(to_wasmtime)
}

/// A host resource's destructor: `ComponentHostResource.destroy(Store, int rep)`.
fn destroy(
    cx: &mut StoreContextMut<'_, StoreData>,
    target: &Global<JObject<'static>>,
    rep: u32,
) -> wasmtime::Result<()> {
    let frame = cx.data().frame;
    if frame.env.is_null() {
        return Err(wasmtime::Error::msg(
            "resource destructor called without a Java caller",
        ));
    }
    upcall(cx, frame, |env, store| {
        let jargs = [
            JValue::Object(store).as_jni(),
            JValue::Int(rep as jint).as_jni(),
        ];
        // SAFETY: the method ID was looked up in JNI_OnLoad on ComponentHostResource as
        // (Ldev/wasmbridge/Store;I)V, and target is one.
        unsafe {
            env.call_method_unchecked(
                target,
                cache::get().component_resource_destroy,
                ReturnType::Primitive(jni::signature::Primitive::Void),
                &jargs,
            )
        }?;
        Ok(())
    })
    .map_err(to_wasmtime)
}

/// Calls Java from a component host function or destructor: lends the store (Java may call back
/// into it), runs `f` on the JNI environment of the native call running wasm with the Java
/// `Store` object, and turns a Java exception into [`Error::JavaThrown`].
fn upcall<R>(
    cx: &mut StoreContextMut<'_, StoreData>,
    frame: JavaFrame,
    f: impl FnOnce(&mut jni::Env<'_>, &JObject<'_>) -> jni::errors::Result<R>,
) -> Result<R> {
    // SAFETY: frame.handle is the live handle of the store running this call.
    let sb = unsafe { store::boxed(frame.handle) }?;
    sb.lend_context(cx, frame.private, || call_java(frame, f))
}

/// Runs `f` on the JNI environment of the native method that is running wasm on this thread, with
/// its Java `Store`; a Java exception becomes [`Error::JavaThrown`]. Runs on the thread's own stack
/// while the store is lent.
fn call_java<R>(
    frame: JavaFrame,
    f: impl FnOnce(&mut jni::Env<'_>, &JObject<'_>) -> jni::errors::Result<R>,
) -> Result<R> {
    // SAFETY: frame.env is the JNIEnv of the native method that is running wasm on this thread
    // (set by store::with_frame for the duration of that call).
    let mut unowned = unsafe { EnvUnowned::from_raw(frame.env) };
    let outcome = unowned.with_env_no_catch(|env| -> jni::errors::Result<Result<R>> {
        env.with_local_frame(8, |env| {
            // SAFETY: frame.store is a local reference of the native method running wasm, valid
            // until it returns; this wrapper does not delete it.
            let store_obj = unsafe { JObject::from_raw(env, frame.store) };
            match f(env, &store_obj) {
                Ok(r) => Ok(Ok(r)),
                Err(jni::errors::Error::JavaException) => {
                    let thrown = env.exception_occurred();
                    env.exception_clear();
                    match thrown {
                        Some(t) => Ok(Err(Error::JavaThrown(env.new_global_ref(t)?))),
                        None => Err(jni::errors::Error::JavaException),
                    }
                }
                Err(e) => Err(e),
            }
        })
    });
    match outcome.into_outcome() {
        jni::Outcome::Ok(r) => r,
        jni::Outcome::Err(e) => Err(Error::Wasm(format!("calling Java failed: {e}"))),
        jni::Outcome::Panic(p) => std::panic::resume_unwind(p),
    }
}

/// Defines the resource `name` in the linker instance `instance` (null: the root) as one
/// implemented by Java objects; `target` is its `ComponentHostResource`, whose `destroy` runs when
/// a component drops one. Returns the type's payload.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_linkerDefineResource<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    instance: JString<'l>,
    name: JString<'l>,
    target: JObject<'l>,
) -> jint {
    static NEXT_PAYLOAD: AtomicU32 = AtomicU32::new(1);
    entry(&mut env, |env| {
        let instance = if instance.is_null() {
            None
        } else {
            Some(instance.try_to_string(env)?)
        };
        let name = name.try_to_string(env)?;
        let target = env.new_global_ref(target)?;
        let payload = NEXT_PAYLOAD.fetch_add(1, Ordering::Relaxed);
        let ty = ResourceType::host_dynamic(payload);
        // SAFETY: live linker handle (Handle.acquire); the box locks itself.
        let l = unsafe { handle::get::<ComponentLinkerBox>(linker) }?;
        l.edit(|d, _| {
            let dtor = move |mut cx: StoreContextMut<'_, StoreData>, rep: u32| {
                destroy(&mut cx, &target, rep)
            };
            match &instance {
                None => d.linker.root().resource(&name, ty, dtor),
                Some(i) => d.linker.instance(i)?.resource(&name, ty, dtor),
            }?;
            d.resources.push((ty, payload));
            Ok(())
        })
        .map_err(link_error)?;
        Ok(payload as jint)
    })
}

/// Instantiates `component` in the store; returns the instance's index.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_linkerInstantiate<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    store_obj: JObject<'l>,
    store: jlong,
    component: jlong,
) -> jint {
    entry(&mut env, |env| {
        let frame = JavaFrame::new(env.get_raw(), store_obj.as_raw(), store);
        // SAFETY: live handles (Handle.acquire); the calling thread owns the store (Store.enter).
        let linker = unsafe { handle::get::<ComponentLinkerBox>(linker) }?.snapshot();
        // SAFETY: as above.
        let c = unsafe { handle::get::<ComponentBox>(component) }?;
        // SAFETY: as above.
        let mut cx = unsafe { store::context(store) }?;
        let instance = store::with_frame(&mut cx, frame, |cx| {
            linker.linker.instantiate(cx, &c.component)
        })
        .map_err(|e| Error::from_wasm(e, Error::Link))?;
        let names = linker.import_names(&c.component);
        super::add_instance(&mut cx, instance, &c.component, &names)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_preNew<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    component: jlong,
) -> jlong {
    entry(&mut env, |_env| {
        // SAFETY: live handles (Handle.acquire).
        let linker = unsafe { handle::get::<ComponentLinkerBox>(linker) }?.snapshot();
        // SAFETY: as above.
        let c = unsafe { handle::get::<ComponentBox>(component) }?;
        let pre = linker
            .linker
            .instantiate_pre(&c.component)
            .map_err(link_error)?;
        let names = linker.import_names(&c.component);
        Ok(handle::into_handle(ComponentPreBox { pre, names }))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_preInstantiate<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    pre: jlong,
    store_obj: JObject<'l>,
    store: jlong,
) -> jint {
    entry(&mut env, |env| {
        let frame = JavaFrame::new(env.get_raw(), store_obj.as_raw(), store);
        // SAFETY: live handle, shared by threads (InstancePre is Sync).
        let p = unsafe { handle::get::<ComponentPreBox>(pre) }?;
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let instance = store::with_frame(&mut cx, frame, |cx| p.pre.instantiate(cx))
            .map_err(|e| Error::from_wasm(e, Error::Link))?;
        super::add_instance(&mut cx, instance, p.pre.component(), &p.names)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_preFree<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    pre: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: Java frees each handle once, after its last use.
        unsafe { handle::free::<ComponentPreBox>(pre) };
        Ok(())
    })
}
