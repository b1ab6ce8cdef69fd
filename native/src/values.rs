//! Wasm values in the raw call convention: every value is one `long` slot, `v128` two (low half
//! first). References: 0 is null; a funcref is its function index + 1; an externref is the Java
//! store's key for the object + 1. anyref and exnref cross only as null.

use wasmtime::{AsContextMut, ExternRef, Ref, RefType, Val, ValType, V128};

use crate::bridge::error::{Error, Result};
use crate::store::{self, StoreData};
use crate::types::{self, VAL_EXNREF, VAL_EXTERNREF, VAL_FUNCREF};

/// What an externref created by wasmbridge carries: the Java store's key for the object.
pub struct JavaKey(pub u64);

/// Reads one value of type `ty` from `slots` at `*pos`, advancing `*pos`.
pub fn from_slots(
    mut cx: impl AsContextMut<Data = StoreData>,
    ty: &ValType,
    slots: &[i64],
    pos: &mut usize,
) -> Result<Val> {
    let n = types::slots(ty);
    let s = slots
        .get(*pos..*pos + n)
        .ok_or_else(|| Error::IllegalArgument("too few argument slots".into()))?;
    *pos += n;
    Ok(match ty {
        ValType::I32 => Val::I32(s[0] as i32),
        ValType::I64 => Val::I64(s[0]),
        ValType::F32 => Val::F32(s[0] as u32),
        ValType::F64 => Val::F64(s[0] as u64),
        ValType::V128 => Val::V128(V128::from(
            (s[0] as u64 as u128) | ((s[1] as u64 as u128) << 64),
        )),
        ValType::Ref(r) => Val::from(ref_from_slot(&mut cx, r, s[0])?),
    })
}

/// A reference from its slot, for a location of type `r`.
pub fn ref_from_slot(
    mut cx: impl AsContextMut<Data = StoreData>,
    r: &RefType,
    slot: i64,
) -> Result<Ref> {
    let code = types::ref_code(r);
    if slot == 0 {
        if !r.is_nullable() {
            return Err(Error::IllegalArgument(format!(
                "null is not allowed for the non-nullable {r}"
            )));
        }
        return Ok(null_ref(code));
    }
    let mut cx = cx.as_context_mut();
    match code {
        VAL_FUNCREF => {
            let index = i32::try_from(slot - 1)
                .map_err(|_| Error::IllegalArgument(format!("bad funcref slot {slot}")))?;
            Ok(Ref::Func(Some(cx.data().func(index)?)))
        }
        VAL_EXTERNREF => {
            let r = ExternRef::new(&mut cx, JavaKey((slot - 1) as u64))
                .map_err(|e| Error::Wasm(format!("{e:#}")))?;
            Ok(Ref::Extern(Some(r)))
        }
        _ => Err(Error::IllegalArgument(format!(
            "only null can be passed for {r}"
        ))),
    }
}

fn null_ref(code: u8) -> Ref {
    match code {
        VAL_FUNCREF => Ref::Func(None),
        VAL_EXTERNREF => Ref::Extern(None),
        VAL_EXNREF => Ref::Exn(None),
        _ => Ref::Any(None),
    }
}

/// The placeholder a result vector starts with.
pub fn placeholder(ty: &ValType) -> Val {
    match ty {
        ValType::Ref(r) => Val::from(null_ref(types::ref_code(r))),
        _ => Val::I32(0),
    }
}

/// Appends `val` to `out` in slot form.
pub fn to_slots(
    mut cx: impl AsContextMut<Data = StoreData>,
    val: &Val,
    out: &mut Vec<i64>,
) -> Result<()> {
    match val {
        Val::I32(v) => out.push(i64::from(*v)),
        Val::I64(v) => out.push(*v),
        Val::F32(bits) => out.push(i64::from(*bits)),
        Val::F64(bits) => out.push(*bits as i64),
        Val::V128(v) => {
            let v = v.as_u128();
            out.push(v as u64 as i64);
            out.push((v >> 64) as u64 as i64);
        }
        Val::FuncRef(f) => out.push(ref_to_slot(&mut cx, &Ref::Func(*f))?),
        Val::ExternRef(e) => out.push(ref_to_slot(&mut cx, &Ref::Extern(*e))?),
        Val::AnyRef(a) => out.push(ref_to_slot(&mut cx, &Ref::Any(*a))?),
        Val::ExnRef(e) => out.push(ref_to_slot(&mut cx, &Ref::Exn(*e))?),
        Val::ContRef(_) => {
            return Err(Error::Wasm(
                "continuation references cannot cross to Java".into(),
            ))
        }
    }
    Ok(())
}

/// The slot of a reference.
pub fn ref_to_slot(mut cx: impl AsContextMut<Data = StoreData>, r: &Ref) -> Result<i64> {
    let mut cx = cx.as_context_mut();
    match r {
        Ref::Func(None) | Ref::Extern(None) | Ref::Any(None) | Ref::Exn(None) => Ok(0),
        Ref::Func(Some(f)) => Ok(i64::from(store::add_func(&mut cx, *f)?) + 1),
        Ref::Extern(Some(e)) => {
            let data = e.data(&cx).map_err(|e| Error::Wasm(format!("{e:#}")))?;
            match data.and_then(|d| d.downcast_ref::<JavaKey>()) {
                Some(JavaKey(k)) => Ok(*k as i64 + 1),
                None => Err(Error::Wasm(
                    "this externref was not created by Java and cannot cross to Java".into(),
                )),
            }
        }
        Ref::Any(Some(_)) => Err(Error::Wasm(
            "non-null anyref values cannot cross to Java".into(),
        )),
        Ref::Exn(Some(_)) => Err(Error::Wasm(
            "non-null exnref values cannot cross to Java".into(),
        )),
    }
}
