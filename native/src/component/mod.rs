//! The component model: `dev.wasmbridge.component` (`ComponentNative`) behind JNI.
//!
//! `Component` here is a compiled component (and its binary, for its WIT text); a store keeps the
//! component instances, functions and resource handles Java holds in [`StoreComponents`], like the
//! core registries of `store.rs`. A call's values cross in the store's direct call buffer (Java's
//! `ComponentStoreState.io`), arguments in and the result out, in the encoding of `values.rs`; types
//! in the encoding of `types.rs`. Calls go through `store::with_frame` like core calls, so the
//! stack rule, fuel, deadlines and interrupts apply the same way.

pub mod linker;
pub mod resources;
pub mod types;
pub mod values;
mod wave;

use std::collections::HashMap;
use std::sync::Arc;

use jni::objects::{JByteArray, JClass, JObject, JString};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;
use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Component, ComponentExportIndex, Func, Instance, Type, Val};
use wasmtime::StoreContextMut;

use crate::bridge::abi;
use crate::bridge::error::{Error, Result};
use crate::bridge::ffi::entry;
use crate::bridge::handle::{self, Tagged};
use crate::engine::EngineBox;
use crate::store::{self, JavaFrame, StoreData};
use crate::types::Encoder;

/// A compiled component and the binary it came from (for its WIT text; empty for a precompiled one).
pub struct ComponentBox {
    pub component: Component,
    binary: Arc<[u8]>,
}

impl Tagged for ComponentBox {
    const TAG: u32 = 0x5701_0010;
    const NAME: &'static str = "Component";
}

fn compile_error(e: wasmtime::Error) -> Error {
    Error::compile(format!("{e:#}"))
}

/// What a store holds of components for Java: instances, functions (with their types, for the
/// value codec), and the resource handles Java holds.
#[derive(Default)]
pub struct StoreComponents {
    instances: Vec<Instance>,
    #[allow(
        clippy::vec_box,
        reason = "a call runs through a pointer to its entry while re-entrant calls may add more"
    )]
    funcs: Vec<Box<CompFunc>>,
    func_ids: HashMap<(jint, ComponentExportIndex), jint>,
    pub handles: resources::HandleTable,
    /// The names of the resource types of this store's instances, host ones with their payload.
    pub names: types::ResourceNames,
    /// A call's result bytes that did not fit Java's buffer, until `funcResult` takes them.
    pending_result: Vec<u8>,
    /// Buffers reused by calls; a re-entrant call meanwhile finds them empty and allocates.
    scratch: CallScratch,
}

/// A result buffer larger than this is let go after its call (as Java's call buffer, `IO_KEPT`).
const SCRATCH_KEPT: usize = 1 << 20;

/// The buffers of one call, kept in the store between calls.
#[derive(Default)]
struct CallScratch {
    params: Vec<Val>,
    results: Vec<Val>,
    out: Vec<u8>,
}

/// A component function with its parameter and result types.
pub struct CompFunc {
    pub func: Func,
    /// The parameters' names and types.
    pub params: Vec<(String, Type)>,
    pub result: Option<Type>,
}

impl StoreComponents {
    fn instance(&self, i: jint) -> Result<Instance> {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.instances.get(i).copied())
            .ok_or_else(|| {
                Error::IllegalArgument(format!("no component instance {i} in this store"))
            })
    }

    /// The function at `i`; the pointer stays valid while the store lives (entries are boxed and
    /// never removed).
    fn func(&self, i: jint) -> Result<*const CompFunc> {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.funcs.get(i))
            .map(|b| &**b as *const CompFunc)
            .ok_or_else(|| {
                Error::IllegalArgument(format!("no component function {i} in this store"))
            })
    }

    /// The sizes of the registries: instances, functions, live resource handles.
    pub fn sizes(&self) -> [usize; 3] {
        [self.instances.len(), self.funcs.len(), self.handles.live()]
    }
}

/// Compiles a component from its binary or its text (component WAT).
fn compile(engine: &wasmtime::Engine, bytes: &[u8]) -> Result<ComponentBox> {
    crate::module::refuse_precompiled(bytes)?;
    let binary: Arc<[u8]> = if bytes.starts_with(b"\0asm") {
        Arc::from(bytes)
    } else {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| Error::compile("neither a component binary nor UTF-8 text"))?;
        Arc::from(crate::module::wat_to_binary(text)?)
    };
    if wasmparser::Parser::is_core_wasm(&binary) {
        return Err(Error::compile(
            "this is a core module, not a component: load it with Module.fromBytes",
        ));
    }
    let component = Component::from_binary(engine, &binary).map_err(compile_error)?;
    Ok(ComponentBox { component, binary })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_componentNew<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    bytes: JByteArray<'l>,
) -> jlong {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live engine handle (Handle.acquire).
        let engine = unsafe { handle::get::<EngineBox>(engine) }?;
        let bytes = env.convert_byte_array(&bytes)?;
        Ok(handle::into_handle(compile(&engine.engine, &bytes)?))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_componentValidate<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    bytes: JByteArray<'l>,
) {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live engine handle (Handle.acquire).
        let engine = unsafe { handle::get::<EngineBox>(engine) }?;
        let bytes = env.convert_byte_array(&bytes)?;
        // Wasmtime validates as it compiles: a component that compiles is valid.
        compile(&engine.engine, &bytes).map(|_| ())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_componentFree<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    component: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: Java frees each handle once, after its last use.
        unsafe { handle::free::<ComponentBox>(component) };
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_componentSerialize<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    component: jlong,
) -> JByteArray<'l> {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live component handle (Handle.acquire).
        let c = unsafe { handle::get::<ComponentBox>(component) }?;
        let bytes = c
            .component
            .serialize()
            .map_err(|e| Error::Wasm(format!("{e:#}")))?;
        Ok(env.byte_array_from_slice(&bytes)?)
    })
}

/// Loads a precompiled component. Only bytes from `Component.serialize` of a trusted source: they are
/// machine code (Wasmtime checks the version and the engine's settings, not the code).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_componentDeserialize<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    bytes: JByteArray<'l>,
) -> jlong {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live engine handle (Handle.acquire).
        let engine = unsafe { handle::get::<EngineBox>(engine) }?;
        let bytes = env.convert_byte_array(&bytes)?;
        if wasmtime::Engine::detect_precompiled(&bytes) != Some(wasmtime::Precompiled::Component) {
            return Err(Error::compile(
                "not a precompiled Wasmtime component (use Component.fromBytes for .wasm files)",
            ));
        }
        // SAFETY: the caller vouches that the bytes come from `serialize` of a trusted source
        // (documented on Component.deserializeTrusted); Wasmtime checks their version and settings.
        let component = unsafe { Component::deserialize(&engine.engine, &bytes) }
            .map_err(|e| Error::compile(format!("cannot load the precompiled component: {e:#}")))?;
        Ok(handle::into_handle(ComponentBox {
            component,
            binary: Arc::from(Vec::new()),
        }))
    })
}

/// The component's imports and exports (`types.rs` encoding).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_componentType<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    component: jlong,
) -> JByteArray<'l> {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live component handle (Handle.acquire).
        let c = unsafe { handle::get::<ComponentBox>(component) }?;
        let mut e = Encoder::default();
        types::component_type(&mut e, c.component.engine(), &c.component.component_type());
        Ok(env.byte_array_from_slice(&e.0)?)
    })
}

/// The component's world in WIT text, decoded from its binary by wit-component.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_componentWit<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    component: jlong,
) -> JString<'l> {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live component handle (Handle.acquire).
        let c = unsafe { handle::get::<ComponentBox>(component) }?;
        if c.binary.is_empty() {
            return Err(Error::IllegalState(
                "a precompiled component has no WIT text (its binary is not kept)".into(),
            ));
        }
        Ok(JString::from_str(env, wit_text(&c.binary)?)?)
    })
}

/// How much stack decoding a component's WIT may use: wit-parser recurses along the binary's type
/// nesting, which a valid but hostile component makes deeper than a Java thread's stack.
const WIT_STACK: usize = 256 << 20;

/// The WIT world a component binary carries, as text. Decoded on a thread of its own with a
/// [`WIT_STACK`] stack (only the pages used are committed), whatever the caller's stack.
pub fn wit_text(binary: &[u8]) -> Result<String> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("wasmbridge-wit".into())
            .stack_size(WIT_STACK)
            .spawn_scoped(scope, || decode_wit(binary))
            .map_err(|e| Error::IllegalState(format!("cannot start the WIT decoder: {e}")))?
            .join()
            .unwrap_or_else(|_| {
                Err(Error::IllegalArgument(
                    "cannot read the component's WIT: the decoder failed".into(),
                ))
            })
    })
}

fn decode_wit(binary: &[u8]) -> Result<String> {
    let decoded = wasmtime::component::wit_parser::decoding::decode(binary)
        .map_err(|e| Error::IllegalArgument(format!("cannot read the component's WIT: {e:#}")))?;
    let resolve = decoded.resolve();
    let mut printer = wit_component::WitPrinter::default();
    let main = decoded.package();
    let nested: Vec<_> = resolve
        .packages
        .iter()
        .map(|(id, _)| id)
        .filter(|id| *id != main)
        .collect();
    printer
        .print(resolve, main, &nested)
        .map_err(|e| Error::Wasm(format!("cannot print the component's WIT: {e:#}")))?;
    Ok(printer.output.to_string())
}

/// Instantiation's result: registers the instance and the names of its resource types (`imports`:
/// those of its imports, as the linker resolved them), and returns its index.
pub fn add_instance(
    cx: &mut StoreContextMut<'_, StoreData>,
    i: Instance,
    component: &Component,
    imports: &types::ResourceNames,
) -> Result<jint> {
    let mut names = std::mem::take(&mut cx.data_mut().ext::<StoreComponents>().names);
    names.extend(imports);
    let engine = component.engine().clone();
    for (name, item) in component.component_type().exports(&engine) {
        match item.ty {
            ComponentItem::Resource(_) => {
                if let Some(ty) = i.get_resource(&mut *cx, name) {
                    names.add(ty, name.to_owned(), None);
                }
            }
            ComponentItem::ComponentInstance(inner) => {
                let Some(parent) = i.get_export_index(&mut *cx, None, name) else {
                    continue;
                };
                for (rname, ritem) in inner.exports(&engine) {
                    if !matches!(ritem.ty, ComponentItem::Resource(_)) {
                        continue;
                    }
                    let ty = i
                        .get_export_index(&mut *cx, Some(&parent), rname)
                        .and_then(|idx| i.get_resource(&mut *cx, idx));
                    if let Some(ty) = ty {
                        names.add(ty, format!("{name}.{rname}"), None);
                    }
                }
            }
            _ => {}
        }
    }
    let c = cx.data_mut().ext::<StoreComponents>();
    c.names = names;
    let n = jint::try_from(c.instances.len())
        .map_err(|_| Error::IllegalState("too many component instances in one store".into()))?;
    c.instances.push(i);
    Ok(n)
}

/// The export `path` (names, outermost first: `["wasi:cli/run@0.2.0", "run"]`) of a component
/// instance as a function index, or -1 if there is no such function.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_instanceFunc<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    instance: jint,
    outer: JString<'l>,
    name: JString<'l>,
) -> jint {
    entry(&mut env, |env| {
        let outer = if outer.is_null() {
            None
        } else {
            Some(outer.try_to_string(env)?)
        };
        let name = name.try_to_string(env)?;
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let i = cx.data_mut().ext::<StoreComponents>().instance(instance)?;
        let parent = match &outer {
            Some(o) => match i.get_export_index(&mut cx, None, o) {
                Some(p) => Some(p),
                None => return Ok(abi::NO_EXPORT),
            },
            None => None,
        };
        let Some(index) = i.get_export_index(&mut cx, parent.as_ref(), &name) else {
            return Ok(abi::NO_EXPORT);
        };
        if let Some(&f) = cx
            .data_mut()
            .ext::<StoreComponents>()
            .func_ids
            .get(&(instance, index))
        {
            return Ok(f);
        }
        let Some(func) = i.get_func(&mut cx, index) else {
            return Ok(abi::NOT_A_FUNCTION);
        };
        let ty = func.ty(&cx);
        let entry = CompFunc {
            func,
            params: ty.params().map(|(n, t)| (n.to_owned(), t)).collect(),
            result: ty.results().next(),
        };
        if ty.async_() {
            return Err(Error::IllegalArgument(format!(
                "'{name}' is an async function: wasmbridge calls only synchronous component functions"
            )));
        }
        let c = cx.data_mut().ext::<StoreComponents>();
        let f = jint::try_from(c.funcs.len())
            .map_err(|_| Error::IllegalState("too many component functions in one store".into()))?;
        c.funcs.push(Box::new(entry));
        c.func_ids.insert((instance, index), f);
        Ok(f)
    })
}

/// A component function's type (`types.rs` encoding of a function), with the resource names of the
/// instance's component.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_funcType<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    func: jint,
) -> JByteArray<'l> {
    entry(&mut env, |env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        // SAFETY: entries are boxed and live as long as the store.
        let f = unsafe { &*cx.data_mut().ext::<StoreComponents>().func(func)? };
        let ty = f.func.ty(&cx);
        let mut e = Encoder::default();
        types::func_type(&mut e, &ty, &cx.data_mut().ext::<StoreComponents>().names);
        Ok(env.byte_array_from_slice(&e.0)?)
    })
}

/// Calls a component function. Its parameters are the `args_len` bytes at `io` in the value
/// encoding; the result's bytes are written at `io` when they fit its `io_cap` bytes, otherwise kept
/// for `funcResult`. Returns the result's length (0 for none). `io` is the address of a direct
/// `ByteBuffer` of `io_cap` bytes that Java keeps reachable for the call; its bytes are read before
/// the guest runs and written after it returns, so a re-entrant call may use the same buffer meanwhile.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_funcCall<'l>(
    env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store_obj: JObject<'l>,
    store: jlong,
    func: jint,
    io: jlong,
    args_len: jint,
    io_cap: jint,
) -> jint {
    // `fast`: no `Env` and no JNI call on the success path.
    crate::bridge::ffi::fast(env, |raw_env| {
        let frame = JavaFrame::new(raw_env, store_obj.as_raw(), store);
        let (Ok(args_len), Ok(io_cap)) = (usize::try_from(args_len), usize::try_from(io_cap))
        else {
            return Err(Error::IllegalArgument("negative buffer length".into()));
        };
        if io == 0 || args_len > io_cap {
            return Err(Error::IllegalArgument(format!(
                "no call buffer, or {args_len} argument bytes in a buffer of {io_cap}"
            )));
        }
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        // SAFETY: entries are boxed and live as long as the store.
        let comps = cx.data_mut().ext::<StoreComponents>();
        let f = unsafe { &*comps.func(func)? };
        let mut scratch = std::mem::take(&mut comps.scratch);
        let args = Args {
            ptr: io as *const u8,
            len: args_len,
        };
        let outcome = call(&mut cx, f, frame, args, &mut scratch);
        let result = outcome.and_then(|()| {
            let n = scratch.out.len();
            let len = jint::try_from(n).map_err(|_| {
                Error::IllegalArgument(format!("a result of {n} bytes is over 2 GiB"))
            })?;
            if n <= io_cap {
                // SAFETY: as above; the guest has returned, and `n` fits the buffer.
                unsafe { std::ptr::copy_nonoverlapping(scratch.out.as_ptr(), io as *mut u8, n) };
            } else {
                cx.data_mut().ext::<StoreComponents>().pending_result =
                    std::mem::take(&mut scratch.out);
            }
            Ok(len)
        });
        scratch.params.clear();
        scratch.results.clear();
        scratch.out.clear();
        if scratch.out.capacity() > SCRATCH_KEPT {
            scratch.out = Vec::new(); // a large result's buffer is not kept for the store's life
        }
        cx.data_mut().ext::<StoreComponents>().scratch = scratch;
        result
    })
}

/// Copies the result bytes the last `funcCall` kept (they did not fit its buffer) to the `io_cap`
/// bytes at `io`, a direct `ByteBuffer` Java keeps reachable.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_funcResult<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    io: jlong,
    io_cap: jint,
) {
    entry(&mut env, |_env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let pending = std::mem::take(&mut cx.data_mut().ext::<StoreComponents>().pending_result);
        if io == 0 || usize::try_from(io_cap).map_or(true, |cap| cap < pending.len()) {
            return Err(Error::IllegalArgument(format!(
                "a result of {} bytes does not fit a buffer of {io_cap}",
                pending.len()
            )));
        }
        // SAFETY: Java passes a direct buffer of `io_cap` bytes, at least the result's length.
        unsafe { std::ptr::copy_nonoverlapping(pending.as_ptr(), io as *mut u8, pending.len()) };
        Ok(())
    })
}

/// The address of a direct `ByteBuffer` (the call buffer of `funcCall`).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_bufferAddress<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    buffer: jni::objects::JByteBuffer<'l>,
) -> jlong {
    entry(&mut env, |env| {
        let address = env.get_direct_buffer_address(&buffer)?;
        if address.is_null() {
            return Err(Error::IllegalArgument("not a direct buffer".into()));
        }
        Ok(address as jlong)
    })
}

/// The argument bytes of a `funcCall`: Java's call buffer, which a re-entrant call may overwrite
/// while the guest runs, so no reference to it outlives the reading of the arguments.
#[derive(Clone, Copy)]
struct Args {
    ptr: *const u8,
    len: usize,
}

/// The body of `funcCall`: the result's bytes go to `scratch.out`.
fn call(
    cx: &mut StoreContextMut<'_, StoreData>,
    f: &CompFunc,
    frame: JavaFrame,
    args: Args,
    scratch: &mut CallScratch,
) -> Result<()> {
    let mut handles = resources::StoreHandles::new(cx);
    let outcome = call_with(&mut handles, f, frame, args, scratch);
    handles.finish();
    outcome
}

fn call_with(
    handles: &mut resources::StoreHandles<'_, '_>,
    f: &CompFunc,
    frame: JavaFrame,
    args: Args,
    scratch: &mut CallScratch,
) -> Result<()> {
    let params = &mut scratch.params;
    {
        // SAFETY: Java passes a direct buffer of at least `len` bytes that it keeps reachable
        // for the call; the slice ends with this block, before the guest runs.
        let bytes = unsafe { std::slice::from_raw_parts(args.ptr, args.len) };
        let mut reader = values::Reader::new(bytes);
        for (i, (name, ty)) in f.params.iter().enumerate() {
            let v = values::read(&mut reader, ty, handles).map_err(|e| match e {
                Error::IllegalArgument(m) => {
                    Error::IllegalArgument(format!("argument {i} '{name}': {m}"))
                }
                other => other,
            })?;
            params.push(v);
        }
        if !reader.done() {
            return Err(Error::IllegalArgument(
                "more argument bytes than the function takes".into(),
            ));
        }
    }
    handles.commit();
    let results = &mut scratch.results;
    results.extend(f.result.iter().map(|_| values::placeholder()));
    store::with_frame(handles.cx(), frame, |cx| f.func.call(cx, params, results))
        .map_err(|e| Error::from_wasm(e, Error::Wasm))?;
    if let (Some(ty), Some(v)) = (&f.result, results.first()) {
        values::write(&mut scratch.out, ty, v, handles)?;
    }
    Ok(())
}

/// The sizes of the store's component registries: instances, functions, live resource handles.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_storeComponentSizes<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
) -> jni::objects::JLongArray<'l> {
    entry(&mut env, |env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let sizes = cx
            .data_mut()
            .ext::<StoreComponents>()
            .sizes()
            .map(|n| n as i64);
        let array = env.new_long_array(sizes.len())?;
        array.set_region(env, 0, &sizes)?;
        Ok(array)
    })
}
