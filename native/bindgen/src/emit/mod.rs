//! Writing the planned files: Java types of WIT types, and one emitter per kind of generated file
//! (records, variants, enums and flags in `types`; interfaces in `interfaces`; resources in
//! `resources`).

mod interfaces;
mod resources;
mod types;

use std::collections::HashSet;

use wit_parser::{Type, TypeDefKind, TypeId, TypeOwner};

use crate::docs::doc_text;
use crate::jfile::{fqn, JFile};
use crate::plan::{Gen, Side};
use crate::GenResult;

impl Gen<'_> {
    /// The Java type of a WIT type in `file` (`boxed` in type arguments).
    pub(crate) fn jtype(&self, file: &mut JFile, ty: Type, boxed: bool) -> GenResult<String> {
        let prim = |p: &str, b: &str| -> String {
            if boxed {
                b.to_owned()
            } else {
                p.to_owned()
            }
        };
        Ok(match ty {
            Type::Bool => prim("boolean", &file.name("java.lang.Boolean")),
            Type::S8 => prim("byte", &file.name("java.lang.Byte")),
            Type::S16 | Type::U8 => prim("short", &file.name("java.lang.Short")),
            Type::S32 | Type::U16 | Type::Char => prim("int", &file.name("java.lang.Integer")),
            Type::S64 | Type::U32 | Type::U64 => prim("long", &file.name("java.lang.Long")),
            Type::F32 => prim("float", &file.name("java.lang.Float")),
            Type::F64 => prim("double", &file.name("java.lang.Double")),
            Type::String => file.name("java.lang.String"),
            Type::ErrorContext => {
                return Err("error-context is not supported by the Java bindings".into())
            }
            Type::Id(id) => {
                if let Some(r) = self.resource_of(ty) {
                    return Ok(match self.resource_side.get(&r) {
                        Some(Side::Import) => file.name(&self.java_type_fqn(r)?),
                        _ => file.name("dev.wasmbridge.component.ResourceHandle"),
                    });
                }
                let def = &self.resolve.types[id];
                match &def.kind {
                    TypeDefKind::Type(t) => self.jtype(file, *t, boxed)?,
                    TypeDefKind::Record(_) | TypeDefKind::Variant(_) | TypeDefKind::Enum(_) => {
                        file.name(&self.java_type_fqn(id)?)
                    }
                    TypeDefKind::Flags(_) => {
                        let e = file.name(&self.java_type_fqn(id)?);
                        format!("{}<{e}>", file.name("java.util.EnumSet"))
                    }
                    TypeDefKind::Tuple(t) => {
                        let tuple = file.name(&fqn(&self.base, &format!("Tuple{}", t.types.len())));
                        if t.types.is_empty() {
                            tuple
                        } else {
                            let args = t
                                .types
                                .iter()
                                .map(|t| self.jtype(file, *t, true))
                                .collect::<GenResult<Vec<_>>>()?;
                            format!("{tuple}<{}>", args.join(", "))
                        }
                    }
                    TypeDefKind::Option(t) => {
                        let t = self.jtype(file, *t, true)?;
                        format!("{}<{t}>", file.name("java.util.Optional"))
                    }
                    TypeDefKind::Result(r) => {
                        let side = |file: &mut JFile, t: Option<Type>| match t {
                            Some(t) => self.jtype(file, t, true),
                            None => Ok(file.name("java.lang.Void")),
                        };
                        let ok = side(file, r.ok)?;
                        let err = side(file, r.err)?;
                        format!(
                            "{}<{ok}, {err}>",
                            file.name("dev.wasmbridge.component.Result")
                        )
                    }
                    TypeDefKind::List(t) => match self.dealias(*t) {
                        Type::U8 | Type::S8 => "byte[]".to_owned(),
                        _ => {
                            let t = self.jtype(file, *t, true)?;
                            format!("{}<{t}>", file.name("java.util.List"))
                        }
                    },
                    other => {
                        return Err(format!(
                            "{} types are not supported by the Java bindings",
                            other.as_str()
                        ))
                    }
                }
            }
        })
    }

    // ----- writing

    pub(crate) fn put(&mut self, package: &str, simple: &str, source: String) -> GenResult<()> {
        let path = format!("{}{simple}.java", package.replace('.', "/") + "/");
        let path = path.trim_start_matches('/').to_owned();
        match self.files.get(&path) {
            Some(existing) if *existing != source => Err(format!(
                "two generated Java types are both named {}: rename one of them in WIT",
                fqn(package, simple)
            )),
            _ => {
                self.files.insert(path, source);
                Ok(())
            }
        }
    }

    pub(crate) fn new_file(&self, package: &str, nested: &[String]) -> JFile {
        let empty = HashSet::new();
        JFile::new(
            package,
            self.package_types.get(package).unwrap_or(&empty),
            nested,
        )
    }

    pub(crate) fn emit(&mut self) -> GenResult<()> {
        let mut ids: Vec<(TypeId, (String, String))> =
            self.types.iter().map(|(k, v)| (*k, v.clone())).collect();
        ids.sort_by(|a, b| a.1.cmp(&b.1));
        for (id, (package, simple)) in ids {
            let def = &self.resolve.types[id];
            let source = match &def.kind {
                TypeDefKind::Record(_) => self.emit_record(id, &package, &simple)?,
                TypeDefKind::Variant(_) => self.emit_variant(id, &package, &simple)?,
                TypeDefKind::Enum(_) | TypeDefKind::Flags(_) => {
                    self.emit_enum(id, &package, &simple)?
                }
                TypeDefKind::Resource => match self.resource_side.get(&id) {
                    Some(Side::Export) => self.emit_guest_resource(id, &package, &simple)?,
                    _ => self.emit_host_resource(id, &package, &simple)?,
                },
                _ => continue,
            };
            self.put(&package, &simple, source)?;
        }
        for ui in 0..self.units.len() {
            if self.units[ui].functions.is_empty() {
                continue;
            }
            let source = match self.units[ui].side {
                Side::Export => self.emit_exports(ui)?,
                Side::Import => self.emit_imports(ui)?,
            };
            let (package, name) = (
                self.units[ui].package.clone(),
                self.units[ui].java_name.clone(),
            );
            self.put(&package, &name, source)?;
        }
        let exceptions: Vec<String> = self.exceptions.keys().cloned().collect();
        for e in exceptions {
            let source = self.emit_exception(&self.exceptions[&e])?;
            let (package, simple) = (
                self.exceptions[&e].package.clone(),
                self.exceptions[&e].simple.clone(),
            );
            self.put(&package, &simple, source)?;
        }
        let tuples: Vec<usize> = self.tuples.iter().copied().collect();
        for n in tuples {
            let source = self.emit_tuple(n);
            let base = self.base.clone();
            self.put(&base, &format!("Tuple{n}"), source)?;
        }
        Ok(())
    }

    pub(crate) fn type_doc(&self, id: TypeId, kind: &str) -> String {
        let def = &self.resolve.types[id];
        let name = def.name.as_deref().unwrap_or_default();
        let wit = format!(
            "The WIT {kind} {{@code {name}}}{}.",
            self.owner_text(def.owner)
        );
        match doc_text(&def.docs) {
            Some(d) => format!("{d}\n\n<p>{wit}"),
            None => wit,
        }
    }

    pub(crate) fn owner_text(&self, owner: TypeOwner) -> String {
        match owner {
            TypeOwner::Interface(i) => match self.resolve.id_of(i) {
                Some(n) => format!(" of {{@code {n}}}"),
                None => String::new(),
            },
            TypeOwner::World(w) => {
                format!(" of the world {{@code {}}}", self.resolve.worlds[w].name)
            }
            TypeOwner::None => String::new(),
        }
    }

    pub(crate) fn wit_name_annotation(file: &mut JFile, wit: &str) -> String {
        format!(
            "@{}(\"{wit}\")",
            file.name("dev.wasmbridge.component.WitName")
        )
    }
}
