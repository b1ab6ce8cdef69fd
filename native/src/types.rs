//! Wasm types encoded for Java in one byte array (decoded by `dev.wasmbridge.TypeCodec`).
//!
//! Little-endian; counts and lengths are u32; strings are UTF-8 with a u32 length.
//! ValType: its code (`abi.rs`, `ValType` ordinals). ExternType: its kind byte (`abi.rs`) then its
//! payload.

pub use crate::bridge::abi::{
    KIND_FUNC, KIND_GLOBAL, KIND_MEMORY, KIND_TABLE, KIND_TAG, VAL_ANYREF, VAL_EXNREF,
    VAL_EXTERNREF, VAL_F32, VAL_F64, VAL_FUNCREF, VAL_I32, VAL_I64, VAL_V128,
};
use wasmtime::{
    ExternType, FuncType, GlobalType, HeapType, MemoryType, Mutability, RefType, TableType, ValType,
};

/// The Java-visible code of a value type. Typed references collapse to their top type's family.
pub fn val_code(ty: &ValType) -> u8 {
    match ty {
        ValType::I32 => VAL_I32,
        ValType::I64 => VAL_I64,
        ValType::F32 => VAL_F32,
        ValType::F64 => VAL_F64,
        ValType::V128 => VAL_V128,
        ValType::Ref(r) => ref_code(r),
    }
}

pub fn ref_code(r: &RefType) -> u8 {
    match r.heap_type() {
        HeapType::Func | HeapType::ConcreteFunc(_) | HeapType::NoFunc => VAL_FUNCREF,
        HeapType::Extern | HeapType::NoExtern => VAL_EXTERNREF,
        HeapType::Exn | HeapType::ConcreteExn(_) | HeapType::NoExn => VAL_EXNREF,
        _ => VAL_ANYREF,
    }
}

/// The value type of a Java-side code (the inverse of `val_code` for the top types).
pub fn val_type(code: u8) -> crate::bridge::error::Result<ValType> {
    Ok(match code {
        VAL_I32 => ValType::I32,
        VAL_I64 => ValType::I64,
        VAL_F32 => ValType::F32,
        VAL_F64 => ValType::F64,
        VAL_V128 => ValType::V128,
        VAL_FUNCREF => ValType::FUNCREF,
        VAL_EXTERNREF => ValType::EXTERNREF,
        VAL_ANYREF => ValType::ANYREF,
        VAL_EXNREF => ValType::EXNREF,
        other => {
            return Err(crate::bridge::error::Error::IllegalArgument(format!(
                "unknown value type code {other}"
            )))
        }
    })
}

/// Number of `long` slots a value of this type takes in the raw call convention.
pub fn slots(ty: &ValType) -> usize {
    if matches!(ty, ValType::V128) {
        2
    } else {
        1
    }
}

#[derive(Default)]
pub struct Encoder(pub Vec<u8>);

impl Encoder {
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub fn bool(&mut self, v: bool) {
        self.0.push(u8::from(v));
    }
    pub fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }
    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    pub fn opt_u64(&mut self, v: Option<u64>) {
        self.bool(v.is_some());
        self.u64(v.unwrap_or(0));
    }

    pub fn func_type(&mut self, ty: &FuncType) {
        self.len(ty.params().len());
        for p in ty.params() {
            self.u8(val_code(&p));
        }
        self.len(ty.results().len());
        for r in ty.results() {
            self.u8(val_code(&r));
        }
    }

    pub fn global_type(&mut self, ty: &GlobalType) {
        self.u8(val_code(ty.content()));
        self.bool(ty.mutability() == Mutability::Var);
    }

    pub fn table_type(&mut self, ty: &TableType) {
        self.u8(ref_code(ty.element()));
        self.u64(ty.minimum());
        self.opt_u64(ty.maximum());
        self.bool(ty.is_64());
    }

    pub fn memory_type(&mut self, ty: &MemoryType) {
        self.u64(ty.minimum());
        self.opt_u64(ty.maximum());
        self.bool(ty.is_64());
        self.bool(ty.is_shared());
        self.u64(ty.page_size());
    }

    pub fn extern_type(&mut self, ty: &ExternType) {
        match ty {
            ExternType::Func(f) => {
                self.u8(KIND_FUNC);
                self.func_type(f);
            }
            ExternType::Global(g) => {
                self.u8(KIND_GLOBAL);
                self.global_type(g);
            }
            ExternType::Table(t) => {
                self.u8(KIND_TABLE);
                self.table_type(t);
            }
            ExternType::Memory(m) => {
                self.u8(KIND_MEMORY);
                self.memory_type(m);
            }
            ExternType::Tag(t) => {
                self.u8(KIND_TAG);
                self.func_type(t.ty());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn func_type_encoding_is_counts_then_codes() {
        let engine = wasmtime::Engine::default();
        let ty = FuncType::new(&engine, [ValType::I32, ValType::F64], [ValType::V128]);
        let mut e = Encoder::default();
        e.func_type(&ty);
        assert_eq!(
            e.0,
            vec![2, 0, 0, 0, VAL_I32, VAL_F64, 1, 0, 0, 0, VAL_V128]
        );
    }

    #[test]
    fn memory_type_encoding_carries_limits_and_page_size() {
        let mut e = Encoder::default();
        e.memory_type(&MemoryType::new(1, Some(3)));
        let mut expected = vec![1, 0, 0, 0, 0, 0, 0, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        expected.extend_from_slice(&65536u64.to_le_bytes());
        assert_eq!(e.0, expected);
    }

    #[test]
    fn v128_takes_two_slots() {
        assert_eq!(slots(&ValType::V128), 2);
        assert_eq!(slots(&ValType::I64), 1);
        assert_eq!(slots(&ValType::EXTERNREF), 1);
    }
}
