//! Component values to and from the bytes that cross JNI, directed by the WIT type (the layout
//! `dev.wasmbridge.component.ValueCodec` documents): one buffer each way per call, never a JNI call
//! per value.

use wasmtime::component::{ResourceAny, Type, Val};

use crate::bridge::abi::{RESOURCE_HANDLE, RESOURCE_HOST};
use crate::bridge::error::{Error, Result};

/// Where resources come from and go to (`component::StoreHandles`). On the wire a resource is a tag
/// byte and its payload: [`RESOURCE_HANDLE`] and the u64 key of a handle in the store's table, or
/// [`RESOURCE_HOST`] and the u32 rep of a Java object in the store's host-object table.
pub trait Handles {
    /// The resource behind the handle `key`, for a parameter of type `ty` (an `own` moves out of
    /// the table once every value is read).
    fn handle(&mut self, key: u64, ty: &Type) -> Result<ResourceAny>;
    /// A host resource (a Java object, `rep` in Java's table) as a value of type `ty`.
    fn host(&mut self, rep: u32, ty: &Type) -> Result<ResourceAny>;
    /// What Java gets for `r`, of type `ty`: a host object's rep or a handle's key.
    fn export(&mut self, r: ResourceAny, ty: &Type) -> Result<Exported>;
}

/// A resource as Java gets it.
pub enum Exported {
    /// A handle in the store's table, by key.
    Handle(u64),
    /// A Java object in Java's host-object table, by rep.
    Host(u32),
}

/// Reads values from a byte slice.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, pos: 0 }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(Error::IllegalArgument(
                "component value bytes end too early".into(),
            ));
        };
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn len(&mut self) -> Result<usize> {
        usize::try_from(self.u32()?).map_err(|_| Error::IllegalArgument("length too large".into()))
    }

    /// Whether every byte was read.
    pub fn done(&self) -> bool {
        self.pos == self.bytes.len()
    }
}

/// The value of type `ty` at the reader's position.
pub fn read(r: &mut Reader<'_>, ty: &Type, handles: &mut dyn Handles) -> Result<Val> {
    Ok(match ty {
        Type::Bool => Val::Bool(r.u8()? != 0),
        Type::S8 => Val::S8(i8::from_le_bytes(r.array()?)),
        Type::U8 => Val::U8(r.u8()?),
        Type::S16 => Val::S16(i16::from_le_bytes(r.array()?)),
        Type::U16 => Val::U16(u16::from_le_bytes(r.array()?)),
        Type::S32 => Val::S32(i32::from_le_bytes(r.array()?)),
        Type::U32 => Val::U32(r.u32()?),
        Type::S64 => Val::S64(i64::from_le_bytes(r.array()?)),
        Type::U64 => Val::U64(u64::from_le_bytes(r.array()?)),
        Type::Float32 => Val::Float32(f32::from_bits(r.u32()?)),
        Type::Float64 => Val::Float64(f64::from_bits(u64::from_le_bytes(r.array()?))),
        Type::Char => {
            let cp = r.u32()?;
            Val::Char(char::from_u32(cp).ok_or_else(|| {
                Error::IllegalArgument(format!("U+{cp:X} is not a Unicode scalar value"))
            })?)
        }
        Type::String => {
            let n = r.len()?;
            let s = std::str::from_utf8(r.take(n)?)
                .map_err(|e| Error::IllegalArgument(format!("string is not UTF-8: {e}")))?;
            Val::String(s.to_owned())
        }
        Type::List(l) => {
            let n = r.len()?;
            let elem = l.ty();
            if matches!(elem, Type::U8) {
                Val::List(r.take(n)?.iter().map(|&b| Val::U8(b)).collect())
            } else {
                let mut v = Vec::with_capacity(n.min(1 << 16));
                for _ in 0..n {
                    v.push(read(r, &elem, handles)?);
                }
                Val::List(v)
            }
        }
        Type::Record(rec) => {
            let mut fields = Vec::with_capacity(rec.fields().len());
            for f in rec.fields() {
                fields.push((f.name.to_owned(), read(r, &f.ty, handles)?));
            }
            Val::Record(fields)
        }
        Type::Tuple(t) => {
            let mut v = Vec::with_capacity(t.types().len());
            for t in t.types() {
                v.push(read(r, &t, handles)?);
            }
            Val::Tuple(v)
        }
        Type::Variant(var) => {
            let i = r.len()?;
            let c = var
                .cases()
                .nth(i)
                .ok_or_else(|| Error::IllegalArgument(format!("no variant case {i}")))?;
            let payload = match &c.ty {
                Some(t) => Some(Box::new(read(r, t, handles)?)),
                None => None,
            };
            Val::Variant(c.name.to_owned(), payload)
        }
        Type::Enum(e) => {
            let i = r.len()?;
            let name = e
                .names()
                .nth(i)
                .ok_or_else(|| Error::IllegalArgument(format!("no enum case {i}")))?;
            Val::Enum(name.to_owned())
        }
        Type::Option(o) => match r.u8()? {
            0 => Val::Option(None),
            _ => Val::Option(Some(Box::new(read(r, &o.ty(), handles)?))),
        },
        Type::Result(res) => {
            let ok = r.u8()? == 0;
            let side = if ok { res.ok() } else { res.err() };
            let value = match side {
                Some(t) => Some(Box::new(read(r, &t, handles)?)),
                None => None,
            };
            Val::Result(if ok { Ok(value) } else { Err(value) })
        }
        Type::Flags(f) => {
            let names: Vec<&str> = f.names().collect();
            let mut set = Vec::new();
            for w in 0..names.len().div_ceil(32) {
                let word = r.u32()?;
                for b in 0..32 {
                    if word >> b & 1 != 0 {
                        let name = names.get(w * 32 + b).ok_or_else(|| {
                            Error::IllegalArgument(format!("flag bit {} out of range", w * 32 + b))
                        })?;
                        set.push((*name).to_owned());
                    }
                }
            }
            Val::Flags(set)
        }
        Type::Own(_) | Type::Borrow(_) => match r.u8()? {
            RESOURCE_HANDLE => Val::Resource(handles.handle(u64::from_le_bytes(r.array()?), ty)?),
            RESOURCE_HOST => Val::Resource(handles.host(r.u32()?, ty)?),
            tag => return Err(Error::IllegalArgument(format!("bad resource tag {tag}"))),
        },
        other => {
            return Err(Error::IllegalArgument(format!(
                "values of type {} cannot cross yet",
                describe(other)
            )))
        }
    })
}

fn describe(ty: &Type) -> &'static str {
    match ty {
        Type::Map(_) => "map",
        Type::Future(_) => "future",
        Type::Stream(_) => "stream",
        Type::ErrorContext => "error-context",
        Type::FixedLengthList(_) => "fixed-length list",
        _ => "this",
    }
}

/// A value that cannot be written as `ty`: one of a kind that cannot cross to Java yet (a `stream`,
/// a `future`, ...), or (a bug) one that is not of its type. Said in WIT, without the value.
fn mismatch(ty: &Type) -> Error {
    let wit = super::wave::wit_name(ty);
    if matches!(
        ty,
        Type::Map(_)
            | Type::Future(_)
            | Type::Stream(_)
            | Type::ErrorContext
            | Type::FixedLengthList(_)
    ) {
        return Error::IllegalArgument(format!(
            "a value of type {wit} cannot cross between a component and Java yet"
        ));
    }
    Error::IllegalArgument(format!("a component value does not match its type {wit}"))
}

/// Writes `v`, a value of type `ty` (Wasmtime checked it), to `out`.
pub fn write(out: &mut Vec<u8>, ty: &Type, v: &Val, handles: &mut dyn Handles) -> Result<()> {
    match (ty, v) {
        (Type::Bool, Val::Bool(b)) => out.push(u8::from(*b)),
        (Type::S8, Val::S8(x)) => out.extend_from_slice(&x.to_le_bytes()),
        (Type::U8, Val::U8(x)) => out.push(*x),
        (Type::S16, Val::S16(x)) => out.extend_from_slice(&x.to_le_bytes()),
        (Type::U16, Val::U16(x)) => out.extend_from_slice(&x.to_le_bytes()),
        (Type::S32, Val::S32(x)) => out.extend_from_slice(&x.to_le_bytes()),
        (Type::U32, Val::U32(x)) => out.extend_from_slice(&x.to_le_bytes()),
        (Type::S64, Val::S64(x)) => out.extend_from_slice(&x.to_le_bytes()),
        (Type::U64, Val::U64(x)) => out.extend_from_slice(&x.to_le_bytes()),
        (Type::Float32, Val::Float32(x)) => out.extend_from_slice(&x.to_bits().to_le_bytes()),
        (Type::Float64, Val::Float64(x)) => out.extend_from_slice(&x.to_bits().to_le_bytes()),
        (Type::Char, Val::Char(c)) => out.extend_from_slice(&u32::from(*c).to_le_bytes()),
        (Type::String, Val::String(s)) => {
            len(out, s.len());
            out.extend_from_slice(s.as_bytes());
        }
        (Type::List(l), Val::List(items)) => {
            len(out, items.len());
            let elem = l.ty();
            for item in items {
                write(out, &elem, item, handles)?;
            }
        }
        (Type::Record(rec), Val::Record(fields)) => {
            for (f, (_, value)) in rec.fields().zip(fields) {
                write(out, &f.ty, value, handles)?;
            }
        }
        (Type::Tuple(t), Val::Tuple(values)) => {
            for (t, value) in t.types().zip(values) {
                write(out, &t, value, handles)?;
            }
        }
        (Type::Variant(var), Val::Variant(name, payload)) => {
            let (i, c) = var
                .cases()
                .enumerate()
                .find(|(_, c)| c.name == name)
                .ok_or_else(|| mismatch(ty))?;
            len(out, i);
            if let (Some(t), Some(p)) = (&c.ty, payload) {
                write(out, t, p, handles)?;
            }
        }
        (Type::Enum(e), Val::Enum(name)) => {
            let i = e
                .names()
                .position(|n| n == name)
                .ok_or_else(|| mismatch(ty))?;
            len(out, i);
        }
        (Type::Option(o), Val::Option(value)) => match value {
            None => out.push(0),
            Some(x) => {
                out.push(1);
                write(out, &o.ty(), x, handles)?;
            }
        },
        (Type::Result(res), Val::Result(value)) => {
            let (tag, side, x) = match value {
                Ok(x) => (0, res.ok(), x),
                Err(x) => (1, res.err(), x),
            };
            out.push(tag);
            if let (Some(t), Some(x)) = (side, x) {
                write(out, &t, x, handles)?;
            }
        }
        (Type::Flags(f), Val::Flags(set)) => {
            let names: Vec<&str> = f.names().collect();
            let mut words = vec![0u32; names.len().div_ceil(32)];
            for s in set {
                let i = names
                    .iter()
                    .position(|n| n == s)
                    .ok_or_else(|| mismatch(ty))?;
                words[i / 32] |= 1 << (i % 32);
            }
            for w in words {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        (Type::Own(_) | Type::Borrow(_), Val::Resource(r)) => match handles.export(*r, ty)? {
            Exported::Handle(key) => {
                out.push(RESOURCE_HANDLE);
                out.extend_from_slice(&key.to_le_bytes());
            }
            Exported::Host(rep) => {
                out.push(RESOURCE_HOST);
                out.extend_from_slice(&rep.to_le_bytes());
            }
        },
        _ => return Err(mismatch(ty)),
    }
    Ok(())
}

fn len(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

/// A placeholder of type `ty` for a result slot (`Func::call` overwrites it).
pub fn placeholder() -> Val {
    Val::Bool(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoHandles;
    impl Handles for NoHandles {
        fn handle(&mut self, _: u64, _: &Type) -> Result<ResourceAny> {
            Err(Error::IllegalState("no resources here".into()))
        }
        fn host(&mut self, _: u32, _: &Type) -> Result<ResourceAny> {
            Err(Error::IllegalState("no resources here".into()))
        }
        fn export(&mut self, _: ResourceAny, _: &Type) -> Result<Exported> {
            Err(Error::IllegalState("no resources here".into()))
        }
    }

    #[test]
    fn bytes_that_end_early_or_are_not_utf8_are_refused() {
        let mut r = Reader::new(&[5, 0, 0, 0, b'a']);
        assert!(matches!(
            read(&mut r, &Type::String, &mut NoHandles),
            Err(Error::IllegalArgument(_))
        ));
        let mut r = Reader::new(&[2, 0, 0, 0, 0xC3, 0x28]);
        assert!(matches!(
            read(&mut r, &Type::String, &mut NoHandles),
            Err(Error::IllegalArgument(m)) if m.contains("UTF-8")
        ));
        let surrogate = 0xD800u32.to_le_bytes();
        let mut r = Reader::new(&surrogate);
        assert!(read(&mut r, &Type::Char, &mut NoHandles).is_err());
    }

    #[test]
    fn values_that_cannot_cross_are_named_in_wit() {
        // A function returning stream<u8> (what a WASI 0.3 component exports): its result type.
        let engine = wasmtime::Engine::default();
        let component = wasmtime::component::Component::new(
            &engine,
            r#"(component
                (core module $m (func (export "f") (result i32) unreachable) (memory (export "mem") 1))
                (core instance $i (instantiate $m))
                (type $s (stream u8))
                (func (export "f") (result $s) (canon lift (core func $i "f"))))"#,
        )
        .unwrap();
        let f = component
            .component_type()
            .exports(&engine)
            .find_map(|(n, e)| match e.ty {
                wasmtime::component::types::ComponentItem::ComponentFunc(f) if n == "f" => Some(f),
                _ => None,
            })
            .expect("f");
        let ty = f.results().next().unwrap();
        let Error::IllegalArgument(m) = mismatch(&ty) else {
            panic!("not an argument error")
        };
        assert_eq!(
            m,
            "a value of type stream<u8> cannot cross between a component and Java yet"
        );
        let Error::IllegalArgument(m) = mismatch(&Type::String) else {
            panic!("not an argument error")
        };
        assert_eq!(m, "a component value does not match its type string");
    }

    #[test]
    fn scalars_round_trip() {
        let cases = [
            (Type::U64, Val::U64(u64::MAX)),
            (Type::S64, Val::S64(i64::MIN)),
            (Type::Float32, Val::Float32(f32::from_bits(0x7fa0_0001))),
            (Type::Char, Val::Char('\u{1F600}')),
            (Type::String, Val::String("h\u{e9}llo".into())),
        ];
        for (ty, v) in cases {
            let mut out = Vec::new();
            write(&mut out, &ty, &v, &mut NoHandles).unwrap();
            let mut r = Reader::new(&out);
            let back = read(&mut r, &ty, &mut NoHandles).unwrap();
            assert!(r.done());
            assert_eq!(format!("{back:?}"), format!("{v:?}"));
        }
    }

    /// The golden files that keep this layout and Java's `dev.wasmbridge.component` codecs in step
    /// (`GoldenValuesTest` reads the same files). One file per case, `<case>.bin`: the WIT type in
    /// `types.rs`'s encoding, then the value in this module's. A case's type is the parameter of
    /// `echo-<function>` in `tests/components/echo.wat` (every kind but resources, which need a
    /// store on both sides and are covered by `ResourceTest`). Both directions: [`write`] must
    /// produce the file's bytes (what Rust sends Java: results, host function arguments), and
    /// [`read`] must take them back to the same value (what Java sends Rust: arguments, host
    /// results, which Java's test checks it writes byte for byte).
    ///
    /// A file that differs fails the test; `WASMBRIDGE_UPDATE_GOLDEN=1 cargo test -p
    /// wasmbridge-jni component::values` rewrites them all (then commit them with the change of
    /// layout, and Java's test says whether Java follows).
    #[test]
    fn golden_files_match_the_layout() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../java/core/src/test/resources/golden/component-values");
        let update = std::env::var_os("WASMBRIDGE_UPDATE_GOLDEN").is_some_and(|v| v == "1");
        let types = echo_types();
        let mut stale = Vec::new();
        for (case, function, value) in golden_cases() {
            let ty = types
                .iter()
                .find(|(n, _)| *n == format!("echo-{function}"))
                .map(|(_, t)| t.clone())
                .unwrap_or_else(|| panic!("echo.wat has no echo-{function}"));
            let mut e = crate::types::Encoder::default();
            super::super::types::wit_type(&mut e, &ty, &Default::default());
            let type_len = e.0.len();
            let mut bytes = e.0;
            write(&mut bytes, &ty, &value, &mut NoHandles).unwrap();

            let mut r = Reader::new(&bytes[type_len..]);
            let back = read(&mut r, &ty, &mut NoHandles).unwrap();
            assert!(r.done(), "{case}: bytes left over");
            assert_eq!(format!("{back:?}"), format!("{value:?}"), "{case}");

            let path = dir.join(format!("{case}.bin"));
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &bytes).unwrap();
            } else if std::fs::read(&path).ok().as_deref() != Some(&bytes[..]) {
                stale.push(case);
            }
        }
        assert!(
            stale.is_empty(),
            "golden files missing or different from what values.rs writes: {stale:?} in {}; \
             if the layout changed on purpose, rerun with WASMBRIDGE_UPDATE_GOLDEN=1",
            dir.display()
        );
    }

    /// The parameter type of each function `tests/components/echo.wat` exports.
    fn echo_types() -> Vec<(String, Type)> {
        use wasmtime::component::types::ComponentItem;
        let engine = wasmtime::Engine::default();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/components/echo.wat");
        let component = wasmtime::component::Component::from_file(&engine, path).unwrap();
        let mut out = Vec::new();
        for (name, item) in component.component_type().exports(&engine) {
            if let (ComponentItem::ComponentInstance(inst), "test:echo/guest") = (item.ty, name) {
                for (f, item) in inst.exports(&engine) {
                    if let ComponentItem::ComponentFunc(func) = item.ty {
                        out.push((f.to_owned(), func.params().next().unwrap().1));
                    }
                }
            }
        }
        out
    }

    /// (file name, echo function, value): every kind and the edges of its layout.
    fn golden_cases() -> Vec<(&'static str, &'static str, Val)> {
        let s = |x: &str| Val::String(x.to_owned());
        let point = |x: i32, y: i32| {
            Val::Record(vec![("x".into(), Val::S32(x)), ("y".into(), Val::S32(y))])
        };
        let some = |v: Val| Val::Option(Some(Box::new(v)));
        let flags = |names: &[&str]| Val::Flags(names.iter().map(|n| (*n).to_owned()).collect());
        let wide = (0..20)
            .map(|i| {
                let v = match i % 3 {
                    0 => Val::U64(u64::MAX - i),
                    1 => Val::Float32(i as f32 + 0.5),
                    _ => Val::String(format!("w{i}")),
                };
                (format!("w{i}"), v)
            })
            .collect();
        vec![
            ("bool-true", "bool", Val::Bool(true)),
            ("bool-false", "bool", Val::Bool(false)),
            ("s8-min", "s8", Val::S8(i8::MIN)),
            ("u8-max", "u8", Val::U8(u8::MAX)),
            ("s16-min", "s16", Val::S16(i16::MIN)),
            ("u16-max", "u16", Val::U16(u16::MAX)),
            ("s32-min", "s32", Val::S32(i32::MIN)),
            ("u32-max", "u32", Val::U32(u32::MAX)),
            ("s64-min", "s64", Val::S64(i64::MIN)),
            ("u64-max", "u64", Val::U64(u64::MAX)),
            (
                "f32-nan-payload",
                "f32",
                Val::Float32(f32::from_bits(0x7fa0_0001)),
            ),
            ("f64-negative", "f64", Val::Float64(-1.5e300)),
            ("char-astral", "char", Val::Char('\u{1F600}')),
            ("string-utf8", "string", s("h\u{e9}llo, \u{1F30D}!")),
            ("string-empty", "string", s("")),
            (
                "bytes",
                "bytes",
                Val::List(vec![Val::U8(0), Val::U8(1), Val::U8(255)]),
            ),
            (
                "strings",
                "strings",
                Val::List(vec![s("a"), s(""), s("\u{e9}t\u{e9}")]),
            ),
            (
                "nested-lists",
                "nested",
                Val::List(vec![
                    Val::List(vec![Val::U32(1), Val::U32(u32::MAX)]),
                    Val::List(vec![]),
                ]),
            ),
            ("record-point", "point", point(-1, 2)),
            (
                "record-person",
                "person",
                Val::Record(vec![
                    ("name".into(), s("Ada")),
                    ("age".into(), Val::U8(36)),
                    ("email".into(), some(s("ada@example.org"))),
                    ("tags".into(), Val::List(vec![s("math"), s("engines")])),
                    ("score".into(), Val::Float64(99.5)),
                ]),
            ),
            ("record-wide", "wide", Val::Record(wide)),
            (
                "tuple",
                "tuple",
                Val::Tuple(vec![Val::U8(7), s("seven"), Val::Float64(7.25)]),
            ),
            (
                "variant-payload",
                "shape",
                Val::Variant("square".into(), Some(Box::new(Val::U32(4)))),
            ),
            (
                "variant-no-payload",
                "shape",
                Val::Variant("none".into(), None),
            ),
            ("enum-last", "color", Val::Enum("blue".into())),
            ("option-some", "opt", some(Val::U32(3))),
            ("option-none", "opt", Val::Option(None)),
            ("option-some-none", "nested-opt", some(Val::Option(None))),
            ("option-some-some", "nested-opt", some(some(s("in")))),
            (
                "result-ok",
                "res",
                Val::Result(Ok(Some(Box::new(s("fine"))))),
            ),
            (
                "result-err",
                "res",
                Val::Result(Err(Some(Box::new(Val::U32(4))))),
            ),
            ("result-unit-ok", "res-unit-ok", Val::Result(Ok(None))),
            ("result-plain-err", "res-plain", Val::Result(Err(None))),
            ("flags-some", "perms", flags(&["read", "exec"])),
            ("flags-none", "perms", flags(&[])),
            ("flags-32", "many-flags", flags(&["f0", "f15", "f31"])),
            (
                "list-of-records",
                "points",
                Val::List(vec![point(1, 2), point(-3, 4)]),
            ),
        ]
    }
}
