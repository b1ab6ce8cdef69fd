//! Component resources as Java sees them.
//!
//! - **Handles** (`ResourceHandle`): a resource a component hands to Java (a guest resource, or a
//!   host resource Wasmtime implements, such as WASI's streams) lives in the store's
//!   [`HandleTable`] under a key `generation << 32 | index`, so a stale key (dropped, moved into a
//!   call, or a borrow whose host call has returned) is refused, never confused with a new one.
//! - **Host resources implemented in Java**: a resource type the linker defines
//!   (`ComponentLinker.Instance.defineResource`) is `ResourceType::host_dynamic(payload)`; a value of
//!   it is a Java object, kept in the Java store's host-object table under its `rep`. Only the rep
//!   crosses.
//!
//! [`StoreHandles`] converts both ways for one call: `own` handles move out of the table only once
//! every argument has been read (a bad argument leaves them usable), and the borrows it creates for
//! the call are dropped when the call ends.

use jni::objects::{JClass, JObject};
use jni::sys::{jboolean, jlong};
use jni::EnvUnowned;
use wasmtime::component::{ResourceAny, ResourceDynamic, Type};
use wasmtime::StoreContextMut;

use super::values::{Exported, Handles};
use super::StoreComponents;
use crate::bridge::error::{Error, Result};
use crate::bridge::ffi::entry;
use crate::store::{self, JavaFrame, StoreData};

/// The resource handles Java holds (see the module's notes).
#[derive(Default)]
pub struct HandleTable {
    slots: Vec<Slot>,
    free: Vec<u32>,
    /// Borrows lent to host functions now running, innermost last (invalid once the call returns).
    borrows: Vec<u64>,
}

#[derive(Default)]
struct Slot {
    generation: u32,
    entry: Option<(ResourceAny, bool)>,
}

impl HandleTable {
    /// How many handles are live.
    pub fn live(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    fn slot(&mut self, key: u64) -> Result<&mut Slot> {
        let index = (key & 0xFFFF_FFFF) as usize;
        let generation = (key >> 32) as u32;
        match self.slots.get_mut(index) {
            Some(s) if s.generation == generation && s.entry.is_some() => Ok(s),
            _ => Err(Error::IllegalState(
                "the resource handle was dropped, moved into a call, or is a borrow whose call has \
                 returned"
                    .into(),
            )),
        }
    }

    /// The resource at `key` and whether it is owned.
    fn get(&mut self, key: u64) -> Result<(ResourceAny, bool)> {
        self.slot(key)?
            .entry
            .ok_or_else(|| Error::IllegalState("the resource handle is gone".into()))
    }

    /// Takes the handle at `key` out of the table.
    pub fn take(&mut self, key: u64) -> Result<(ResourceAny, bool)> {
        let slot = self.slot(key)?;
        let entry = slot.entry.take();
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push((key & 0xFFFF_FFFF) as u32);
        entry.ok_or_else(|| Error::IllegalState("the resource handle is gone".into()))
    }

    /// Puts `r` in the table; a borrow is remembered so that its host call's end drops it.
    fn register(&mut self, r: ResourceAny) -> Result<u64> {
        let index = match self.free.pop() {
            Some(i) => i,
            None => {
                let i = u32::try_from(self.slots.len())
                    .map_err(|_| Error::IllegalState("too many resource handles".into()))?;
                self.slots.push(Slot::default());
                i
            }
        };
        let slot = &mut self.slots[index as usize];
        slot.entry = Some((r, r.owned()));
        let key = (u64::from(slot.generation) << 32) | u64::from(index);
        if !r.owned() {
            self.borrows.push(key);
        }
        Ok(key)
    }

    /// How many borrows are lent now (a host call's mark).
    pub fn borrow_mark(&self) -> usize {
        self.borrows.len()
    }

    /// Ends the borrows lent since `mark` (the host call they were lent to returned): they leave
    /// the table and must be dropped in the store ([`drop_all`]).
    pub fn end_borrows(&mut self, mark: usize) -> Vec<ResourceAny> {
        let mut ended = Vec::new();
        while self.borrows.len() > mark {
            if let Some(key) = self.borrows.pop() {
                if let Ok((r, _)) = self.take(key) {
                    ended.push(r);
                }
            }
        }
        ended
    }
}

/// Drops resources Wasmtime still tracks (borrows whose call ended); a failure means the entry is
/// gone already, which is what we want.
pub fn drop_all(cx: &mut StoreContextMut<'_, StoreData>, resources: Vec<ResourceAny>) {
    for r in resources {
        let _ = r.resource_drop(&mut *cx);
    }
}

/// The resource type of an `own` or `borrow` type.
fn resource_type(ty: &Type) -> Result<wasmtime::component::ResourceType> {
    match ty {
        Type::Own(r) | Type::Borrow(r) => Ok(*r),
        _ => Err(Error::IllegalState("not a resource type".into())),
    }
}

/// The conversions of one call (see the module's notes).
pub struct StoreHandles<'a, 'b> {
    cx: &'a mut StoreContextMut<'b, StoreData>,
    /// Owned handles passed as `own`: taken out of the table by [`StoreHandles::commit`].
    moves: Vec<u64>,
    /// Handles of Java objects lent as borrows for this call, dropped by [`StoreHandles::finish`].
    lent: Vec<ResourceAny>,
}

impl<'a, 'b> StoreHandles<'a, 'b> {
    pub fn new(cx: &'a mut StoreContextMut<'b, StoreData>) -> StoreHandles<'a, 'b> {
        StoreHandles {
            cx,
            moves: Vec::new(),
            lent: Vec::new(),
        }
    }

    /// The store, for the call itself.
    pub fn cx(&mut self) -> &mut StoreContextMut<'b, StoreData> {
        self.cx
    }

    /// Every argument was read: the `own` handles move into the call.
    pub fn commit(&mut self) {
        for key in self.moves.drain(..) {
            let _ = self
                .cx
                .data_mut()
                .ext::<StoreComponents>()
                .handles
                .take(key);
        }
    }

    /// The call is over: drops the borrows made for it.
    pub fn finish(self) {
        drop_all(self.cx, self.lent);
    }

    fn name(&mut self, ty: &wasmtime::component::ResourceType) -> String {
        self.cx
            .data_mut()
            .ext::<StoreComponents>()
            .names
            .name(ty)
            .to_owned()
    }
}

impl Handles for StoreHandles<'_, '_> {
    fn handle(&mut self, key: u64, ty: &Type) -> Result<ResourceAny> {
        let expected = resource_type(ty)?;
        let (r, owned) = self
            .cx
            .data_mut()
            .ext::<StoreComponents>()
            .handles
            .get(key)?;
        if r.ty() != expected {
            return Err(Error::IllegalArgument(format!(
                "expected a handle to {}, got one to {}",
                self.name(&expected),
                self.name(&r.ty())
            )));
        }
        if matches!(ty, Type::Own(_)) {
            if !owned {
                return Err(Error::IllegalArgument(
                    "a borrowed resource handle cannot be passed as own".into(),
                ));
            }
            if self.moves.contains(&key) {
                return Err(Error::IllegalArgument(
                    "the same owned resource handle is passed twice".into(),
                ));
            }
            self.moves.push(key);
        }
        Ok(r)
    }

    fn host(&mut self, rep: u32, ty: &Type) -> Result<ResourceAny> {
        let expected = resource_type(ty)?;
        let Some(payload) = self
            .cx
            .data_mut()
            .ext::<StoreComponents>()
            .names
            .host_payload(&expected)
        else {
            return Err(Error::IllegalArgument(format!(
                "{} is not a resource the linker implements in Java: pass a ResourceHandle",
                self.name(&expected)
            )));
        };
        // An own handle in the host's table even for a borrow: a borrow can only be made inside a
        // call scope, and an own passed as a borrow parameter lends itself for the call. Without a
        // destructor attached, dropping it afterwards only removes the table entry.
        let r = ResourceDynamic::new_own(rep, payload)
            .try_into_resource_any(&mut *self.cx)
            .map_err(|e| Error::Wasm(format!("{e:#}")))?;
        if matches!(ty, Type::Borrow(_)) {
            self.lent.push(r);
        }
        Ok(r)
    }

    fn export(&mut self, r: ResourceAny, _ty: &Type) -> Result<Exported> {
        if self
            .cx
            .data_mut()
            .ext::<StoreComponents>()
            .names
            .host_payload(&r.ty())
            .is_some()
        {
            let d = r
                .try_into_resource_dynamic(&mut *self.cx)
                .map_err(|e| Error::Wasm(format!("{e:#}")))?;
            return Ok(Exported::Host(d.rep()));
        }
        Ok(Exported::Handle(
            self.cx
                .data_mut()
                .ext::<StoreComponents>()
                .handles
                .register(r)?,
        ))
    }
}

/// Drops the resource handle `key`: an owned one runs its destructor (in the guest, or the host's
/// for a host resource); a borrow is just forgotten.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_resourceDrop<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store_obj: JObject<'l>,
    store: jlong,
    key: jlong,
) {
    entry(&mut env, |env| {
        let frame = JavaFrame::new(env.get_raw(), store_obj.as_raw(), store);
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let (r, _) = cx
            .data_mut()
            .ext::<StoreComponents>()
            .handles
            .take(key as u64)?;
        store::with_frame(&mut cx, frame, |cx| r.resource_drop(cx))
            .map_err(|e| Error::from_wasm(e, Error::Wasm))
    })
}

/// Whether the handle `key` is live (not dropped, moved or ended).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_resourceLive<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    key: jlong,
) -> jboolean {
    entry(&mut env, |_env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        Ok(cx
            .data_mut()
            .ext::<StoreComponents>()
            .handles
            .get(key as u64)
            .is_ok())
    })
}
