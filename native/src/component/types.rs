//! Component types encoded for Java (`dev.wasmbridge.component.ValueCodec.readType`, `ComponentTypes`).
//!
//! A WIT type is its kind (`WitType.Kind` ordinal, [`crate::bridge::abi`]'s `WIT_*`) then its parts: a list
//! its element type; a record a count and (name, type) pairs; a tuple a count and types; a variant a
//! count and (name, has-payload byte, payload type) triples; an enum or flags a count and names; an
//! option its type; a result (has-ok byte, ok type, has-err byte, err type); own/borrow the resource's
//! name; an unsupported type a description. A function is a count of (name, type) parameters, a
//! has-result byte, the result type, and an async byte. An item (import or export) is its kind
//! (`ITEM_*`) then, for a function its type, for an instance its exports (count, (name, item)), for a
//! type the type; resources, modules, components and core functions have no payload.

use wasmtime::component::types::{ComponentFunc, ComponentItem};
use wasmtime::component::{ResourceType, Type};
use wasmtime::Engine;

use crate::bridge::abi::*;
use crate::types::Encoder;

/// The names a component gives its resource types (`wasi:io/streams.input-stream`), to name the
/// resource of an `own`/`borrow` (Wasmtime's types do not carry it); for a host resource implemented
/// in Java, also its payload (`ResourceType::host_dynamic`).
#[derive(Default, Clone)]
pub struct ResourceNames(Vec<Named>);

#[derive(Clone)]
struct Named {
    ty: ResourceType,
    name: String,
    host: Option<u32>,
}

impl ResourceNames {
    /// Names `ty` (a first name sticks); `host` is the payload of a Java-implemented resource.
    pub fn add(&mut self, ty: ResourceType, name: String, host: Option<u32>) {
        if !self.0.iter().any(|n| n.ty == ty) {
            self.0.push(Named { ty, name, host });
        }
    }

    /// Adds every name of `other`.
    pub fn extend(&mut self, other: &ResourceNames) {
        for n in &other.0 {
            self.add(n.ty, n.name.clone(), n.host);
        }
    }

    /// The resource names declared by `items` (imports or exports) and their nested instances;
    /// `host` gives the payload of the Java-implemented ones.
    pub fn collect<'a>(
        &mut self,
        engine: &Engine,
        prefix: &str,
        items: impl Iterator<Item = (&'a str, ComponentItem)>,
        host: &dyn Fn(&ResourceType) -> Option<u32>,
    ) {
        for (name, item) in items {
            match item {
                ComponentItem::Resource(ty) => {
                    let full = if prefix.is_empty() {
                        name.to_owned()
                    } else {
                        format!("{prefix}.{name}")
                    };
                    self.add(ty, full, host(&ty));
                }
                ComponentItem::ComponentInstance(inst) => {
                    let exports: Vec<(&str, ComponentItem)> =
                        inst.exports(engine).map(|(n, e)| (n, e.ty)).collect();
                    self.collect(engine, name, exports.into_iter(), host);
                }
                _ => {}
            }
        }
    }

    /// The name of `ty` (`resource` if unknown).
    pub fn name(&self, ty: &ResourceType) -> &str {
        self.0
            .iter()
            .find(|n| n.ty == *ty)
            .map_or("resource", |n| n.name.as_str())
    }

    /// The payload of `ty` if a Java object implements it.
    pub fn host_payload(&self, ty: &ResourceType) -> Option<u32> {
        self.0.iter().find(|n| n.ty == *ty).and_then(|n| n.host)
    }

    /// How many types are named.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no type is named.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Writes a WIT type.
pub fn wit_type(e: &mut Encoder, ty: &Type, names: &ResourceNames) {
    match ty {
        Type::Bool => e.u8(WIT_BOOL),
        Type::S8 => e.u8(WIT_S8),
        Type::U8 => e.u8(WIT_U8),
        Type::S16 => e.u8(WIT_S16),
        Type::U16 => e.u8(WIT_U16),
        Type::S32 => e.u8(WIT_S32),
        Type::U32 => e.u8(WIT_U32),
        Type::S64 => e.u8(WIT_S64),
        Type::U64 => e.u8(WIT_U64),
        Type::Float32 => e.u8(WIT_F32),
        Type::Float64 => e.u8(WIT_F64),
        Type::Char => e.u8(WIT_CHAR),
        Type::String => e.u8(WIT_STRING),
        Type::List(l) => {
            e.u8(WIT_LIST);
            wit_type(e, &l.ty(), names);
        }
        Type::Record(r) => {
            e.u8(WIT_RECORD);
            e.len(r.fields().len());
            for f in r.fields() {
                e.str(f.name);
                wit_type(e, &f.ty, names);
            }
        }
        Type::Tuple(t) => {
            e.u8(WIT_TUPLE);
            e.len(t.types().len());
            for t in t.types() {
                wit_type(e, &t, names);
            }
        }
        Type::Variant(v) => {
            e.u8(WIT_VARIANT);
            e.len(v.cases().len());
            for c in v.cases() {
                e.str(c.name);
                optional(e, c.ty.as_ref(), names);
            }
        }
        Type::Enum(en) => {
            e.u8(WIT_ENUM);
            e.len(en.names().len());
            for n in en.names() {
                e.str(n);
            }
        }
        Type::Option(o) => {
            e.u8(WIT_OPTION);
            wit_type(e, &o.ty(), names);
        }
        Type::Result(r) => {
            e.u8(WIT_RESULT);
            optional(e, r.ok().as_ref(), names);
            optional(e, r.err().as_ref(), names);
        }
        Type::Flags(f) => {
            e.u8(WIT_FLAGS);
            e.len(f.names().len());
            for n in f.names() {
                e.str(n);
            }
        }
        Type::Own(r) => {
            e.u8(WIT_OWN);
            e.str(names.name(r));
        }
        Type::Borrow(r) => {
            e.u8(WIT_BORROW);
            e.str(names.name(r));
        }
        Type::Map(_) => unsupported(e, "map<...>"),
        Type::Future(_) => unsupported(e, "future<...>"),
        Type::Stream(_) => unsupported(e, "stream<...>"),
        Type::ErrorContext => unsupported(e, "error-context"),
        Type::FixedLengthList(_) => unsupported(e, "list<T, N>"),
    }
}

fn optional(e: &mut Encoder, ty: Option<&Type>, names: &ResourceNames) {
    e.bool(ty.is_some());
    if let Some(t) = ty {
        wit_type(e, t, names);
    }
}

fn unsupported(e: &mut Encoder, what: &str) {
    e.u8(WIT_UNSUPPORTED);
    e.str(what);
}

/// Writes a component function's type.
pub fn func_type(e: &mut Encoder, f: &ComponentFunc, names: &ResourceNames) {
    e.len(f.params().len());
    for (name, ty) in f.params() {
        e.str(name);
        wit_type(e, &ty, names);
    }
    let result = f.results().next();
    optional(e, result.as_ref(), names);
    e.bool(f.async_());
}

/// Writes an import or export.
pub fn item(e: &mut Encoder, engine: &Engine, item: &ComponentItem, names: &ResourceNames) {
    match item {
        ComponentItem::ComponentFunc(f) => {
            e.u8(ITEM_FUNC);
            func_type(e, f, names);
        }
        ComponentItem::ComponentInstance(inst) => {
            e.u8(ITEM_INSTANCE);
            let exports: Vec<(&str, ComponentItem)> =
                inst.exports(engine).map(|(n, x)| (n, x.ty)).collect();
            items(e, engine, exports.iter().map(|(n, i)| (*n, i)), names);
        }
        ComponentItem::Resource(_) => e.u8(ITEM_RESOURCE),
        ComponentItem::Type(t) => {
            e.u8(ITEM_TYPE);
            wit_type(e, t, names);
        }
        ComponentItem::Module(_) => e.u8(ITEM_MODULE),
        ComponentItem::Component(_) => e.u8(ITEM_COMPONENT),
        ComponentItem::CoreFunc(_) => e.u8(ITEM_CORE_FUNC),
    }
}

/// Writes a count and (name, item) pairs.
pub fn items<'a>(
    e: &mut Encoder,
    engine: &Engine,
    list: impl ExactSizeIterator<Item = (&'a str, &'a ComponentItem)>,
    names: &ResourceNames,
) {
    e.len(list.len());
    for (name, i) in list {
        e.str(name);
        item(e, engine, i, names);
    }
}

/// A component's imports and exports.
pub fn component_type(
    e: &mut Encoder,
    engine: &Engine,
    ty: &wasmtime::component::types::Component,
) {
    let imports: Vec<(&str, ComponentItem)> = ty.imports(engine).map(|(n, x)| (n, x.ty)).collect();
    let exports: Vec<(&str, ComponentItem)> = ty.exports(engine).map(|(n, x)| (n, x.ty)).collect();
    let mut names = ResourceNames::default();
    names.collect(
        engine,
        "",
        imports.iter().map(|(n, i)| (*n, i.clone())),
        &|_| None,
    );
    names.collect(
        engine,
        "",
        exports.iter().map(|(n, i)| (*n, i.clone())),
        &|_| None,
    );
    items(e, engine, imports.iter().map(|(n, i)| (*n, i)), &names);
    items(e, engine, exports.iter().map(|(n, i)| (*n, i)), &names);
}
