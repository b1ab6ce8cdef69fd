//! `InstancePre`: a module with its imports already resolved by a linker, instantiated cheaply per
//! store and shared by every thread.

use jni::objects::{JClass, JObject};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;
use wasmtime::InstancePre;

use crate::bridge::error::Error;
use crate::bridge::ffi::entry;
use crate::bridge::handle::{self, Tagged};
use crate::linker::LinkerBox;
use crate::module::ModuleBox;
use crate::store::{self, JavaFrame, StoreData};

pub struct InstancePreBox {
    pub pre: InstancePre<StoreData>,
}

impl Tagged for InstancePreBox {
    const TAG: u32 = 0x5701_0005;
    const NAME: &'static str = "InstancePre";
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_instancePreNew<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
    module: jlong,
) -> jlong {
    entry(&mut env, |_env| {
        // SAFETY: live handles (Handle.acquire); LinkerBox locks itself.
        let linker = unsafe { handle::get::<LinkerBox>(linker) }?.snapshot();
        // SAFETY: as above.
        let m = unsafe { handle::get::<ModuleBox>(module) }?;
        let pre = linker
            .instantiate_pre(&m.module)
            .map_err(|e| Error::Link(format!("{e:#}")))?;
        Ok(handle::into_handle(InstancePreBox { pre }))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_instancePreInstantiate<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    pre: jlong,
    store_obj: JObject<'l>,
    store: jlong,
) -> jint {
    entry(&mut env, |env| {
        let frame = JavaFrame::new(env.get_raw(), store_obj.as_raw(), store);
        // SAFETY: live handle, shared by threads (InstancePre is Sync).
        let p = unsafe { handle::get::<InstancePreBox>(pre) }?;
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let instance = store::with_frame(&mut cx, frame, |cx| p.pre.instantiate(cx))
            .map_err(|e| Error::from_wasm(e, Error::Link))?;
        cx.data_mut().add_instance(instance)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_instancePreFree<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    pre: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: Java frees each handle once, after its last use.
        unsafe { handle::free::<InstancePreBox>(pre) };
        Ok(())
    })
}
