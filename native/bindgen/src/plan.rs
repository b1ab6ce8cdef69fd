//! The plan: every Java name and package, what is imported and what exported, decided before any
//! file is written; and the walk that refuses what the bindings cannot express.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use wit_parser::{
    Function, FunctionKind, Handle, InterfaceId, Resolve, Type, TypeDefKind, TypeId, TypeOwner,
    WorldId, WorldItem, WorldKey,
};

use crate::docs::doc_text;
use crate::jfile::fqn;
use crate::names::{lower_camel, package_segment, upper_camel, upper_camel_of};
use crate::GenResult;

/// Which side implements a WIT interface, resource or function.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Side {
    /// Imported by the world: Java implements it (host).
    Import,
    /// Exported by the world: the component implements it (guest).
    Export,
}

/// The functions of one WIT interface, or of the world's root imports or exports, as one Java
/// interface.
pub(crate) struct Unit<'a> {
    pub(crate) package: String,
    pub(crate) java_name: String,
    /// `ns:pkg/iface@version` (or an inline interface's name); `None` for the world's root.
    pub(crate) wit_name: Option<String>,
    /// The WIT interface; `None` for the world's root.
    pub(crate) iface: Option<InterfaceId>,
    pub(crate) side: Side,
    pub(crate) docs: Option<String>,
    pub(crate) functions: Vec<&'a Function>,
    /// The resources defined here, in order.
    pub(crate) resources: Vec<TypeId>,
}

/// A checked exception class for a `result`'s error, as a function's return (the exception form).
pub(crate) struct ExceptionSpec {
    pub(crate) package: String,
    pub(crate) simple: String,
    pub(crate) err: Option<Type>,
    /// What the error is, for the Javadoc.
    pub(crate) what: String,
}

/// The generator of one world: what the plan decided, and the files the emitters write.
pub(crate) struct Gen<'a> {
    pub(crate) resolve: &'a Resolve,
    pub(crate) world: WorldId,
    pub(crate) base: String,
    /// The Java name of each generated WIT type (records, variants, enums, flags, resources).
    pub(crate) types: HashMap<TypeId, (String, String)>,
    /// Which side each resource is on.
    pub(crate) resource_side: HashMap<TypeId, Side>,
    pub(crate) units: Vec<Unit<'a>>,
    /// The interface each resource is defined in, as an index into `units` (for its functions).
    pub(crate) resource_unit: HashMap<TypeId, usize>,
    pub(crate) exceptions: BTreeMap<String, ExceptionSpec>,
    pub(crate) tuples: BTreeSet<usize>,
    pub(crate) package_types: HashMap<String, HashSet<String>>,
    pub(crate) files: BTreeMap<String, String>,
    pub(crate) origin: String,
}

impl<'a> Gen<'a> {
    /// A generator for `world` of `resolve`, its Java sources under `base`; nothing planned yet.
    pub(crate) fn new(resolve: &'a Resolve, world: WorldId, base: &str) -> Gen<'a> {
        let w = &resolve.worlds[world];
        let origin = match w.package {
            Some(p) => format!("world {}", resolve.id_of_name(p, &w.name)),
            None => format!("world {}", w.name),
        };
        Gen {
            resolve,
            world,
            base: base.to_owned(),
            types: HashMap::new(),
            resource_side: HashMap::new(),
            units: Vec::new(),
            resource_unit: HashMap::new(),
            exceptions: BTreeMap::new(),
            tuples: BTreeSet::new(),
            package_types: HashMap::new(),
            files: BTreeMap::new(),
            origin,
        }
    }

    // ----- planning: every Java name, before any file is written

    pub(crate) fn plan(&mut self) -> GenResult<()> {
        let resolve = self.resolve;
        let world = &resolve.worlds[self.world];
        let world_name = upper_camel(&world.name);
        let mut root_imports = Unit {
            package: self.base.clone(),
            java_name: format!("{world_name}Imports"),
            wit_name: None,
            iface: None,
            side: Side::Import,
            docs: None,
            functions: Vec::new(),
            resources: Vec::new(),
        };
        let mut root_exports = Unit {
            package: self.base.clone(),
            java_name: world_name,
            wit_name: None,
            iface: None,
            side: Side::Export,
            docs: doc_text(&world.docs),
            functions: Vec::new(),
            resources: Vec::new(),
        };
        // An interface the world both imports and exports is two Java packages, `P.imports...` and
        // `P.exports...` (the resolve's nominal type ids make them two interfaces with types of their
        // own); every other interface keeps its one package.
        let mut interfaces: Vec<(&WorldKey, InterfaceId, Side)> = Vec::new();
        for (side, items) in [
            (Side::Import, &world.imports),
            (Side::Export, &world.exports),
        ] {
            for (key, item) in items {
                match item {
                    WorldItem::Interface { id, .. } => interfaces.push((key, *id, side)),
                    WorldItem::Function(f) => match side {
                        Side::Import => root_imports.functions.push(f),
                        Side::Export => root_exports.functions.push(f),
                    },
                    WorldItem::Type { id, .. } => {
                        if matches!(resolve.types[*id].kind, TypeDefKind::Resource) {
                            root_imports.resources.push(*id);
                        }
                    }
                }
            }
        }
        let imported: HashSet<String> = interfaces
            .iter()
            .filter(|(_, _, side)| *side == Side::Import)
            .map(|(key, _, _)| resolve.name_world_key(key))
            .collect();
        let both: HashSet<String> = interfaces
            .iter()
            .filter(|(_, _, side)| *side == Side::Export)
            .map(|(key, _, _)| resolve.name_world_key(key))
            .filter(|name| imported.contains(name))
            .collect();
        let mut units = Vec::new();
        for (key, id, side) in interfaces {
            let split = both.contains(&resolve.name_world_key(key));
            units.push(self.interface_unit(key, id, side, split)?);
        }
        self.units = versioned(resolve, units)?;
        self.units.push(root_imports);
        self.units.push(root_exports);

        // Types: those defined in the world's interfaces and in the world itself.
        let mut owners: Vec<(TypeOwner, String)> = Vec::new();
        for u in &self.units {
            if let Some(id) = u.iface {
                owners.push((TypeOwner::Interface(id), u.package.clone()));
            }
        }
        owners.push((TypeOwner::World(self.world), self.base.clone()));
        for (owner, package) in owners {
            let defined: Vec<(String, TypeId)> = match owner {
                TypeOwner::Interface(id) => resolve.interfaces[id]
                    .types
                    .iter()
                    .map(|(n, t)| (n.clone(), *t))
                    .collect(),
                _ => world
                    .imports
                    .iter()
                    .filter_map(|(k, item)| match (k, item) {
                        (WorldKey::Name(n), WorldItem::Type { id, .. }) => Some((n.clone(), *id)),
                        _ => None,
                    })
                    .collect(),
            };
            for (name, id) in defined {
                let def = &resolve.types[id];
                if def.owner != owner || matches!(def.kind, TypeDefKind::Type(_)) {
                    continue;
                }
                match def.kind {
                    TypeDefKind::Record(_)
                    | TypeDefKind::Variant(_)
                    | TypeDefKind::Enum(_)
                    | TypeDefKind::Flags(_)
                    | TypeDefKind::Resource => {
                        self.types.insert(id, (package.clone(), upper_camel(&name)));
                    }
                    _ => {}
                }
            }
        }
        for (i, u) in self.units.iter_mut().enumerate() {
            if let Some(iface) = u.iface {
                for id in resolve.interfaces[iface].types.values() {
                    let def = &resolve.types[*id];
                    if def.owner == TypeOwner::Interface(iface)
                        && matches!(def.kind, TypeDefKind::Resource)
                    {
                        u.resources.push(*id);
                    }
                }
            }
            for id in &u.resources {
                self.resource_side.insert(*id, u.side);
                self.resource_unit.insert(*id, i);
            }
        }
        // A Java interface named like one of its package's types gets a suffix.
        let taken: HashSet<(String, String)> = self.types.values().cloned().collect();
        for u in &mut self.units {
            if taken.contains(&(u.package.clone(), u.java_name.clone())) {
                u.java_name.push_str("Interface");
            }
        }

        // Exceptions and tuples, found through every function and type.
        let mut visited = HashSet::new();
        for ui in 0..self.units.len() {
            let functions = self.units[ui].functions.clone();
            for f in functions {
                if f.kind.is_async() {
                    return Err(format!(
                        "`{}`: async functions are not supported by the Java bindings",
                        f.name
                    ));
                }
                for t in f.parameter_and_result_types() {
                    self.walk(t, &mut visited)?;
                }
                if let Some(spec) = self.exception_for(ui, f) {
                    self.exceptions
                        .entry(fqn(&spec.package, &spec.simple))
                        .or_insert(spec);
                }
            }
        }
        let ids: Vec<TypeId> = self.types.keys().copied().collect();
        for id in ids {
            self.walk(Type::Id(id), &mut visited)?;
        }

        let mut package_types: HashMap<String, HashSet<String>> = HashMap::new();
        for (p, s) in self.types.values() {
            package_types
                .entry(p.clone())
                .or_default()
                .insert(s.clone());
        }
        for u in &self.units {
            if !u.functions.is_empty() {
                package_types
                    .entry(u.package.clone())
                    .or_default()
                    .insert(u.java_name.clone());
            }
        }
        for e in self.exceptions.values() {
            package_types
                .entry(e.package.clone())
                .or_default()
                .insert(e.simple.clone());
        }
        for n in &self.tuples {
            package_types
                .entry(self.base.clone())
                .or_default()
                .insert(format!("Tuple{n}"));
        }
        self.package_types = package_types;
        Ok(())
    }

    /// The unit of an interface of the world; `split` for one the world both imports and exports,
    /// whose package then starts with `imports` or `exports`.
    fn interface_unit(
        &self,
        key: &WorldKey,
        id: InterfaceId,
        side: Side,
        split: bool,
    ) -> GenResult<Unit<'a>> {
        let resolve = self.resolve;
        let iface = &resolve.interfaces[id];
        let world_package = resolve.worlds[self.world].package;
        let base = match (split, side) {
            (false, _) => self.base.clone(),
            (true, Side::Import) => format!("{}.imports", self.base),
            (true, Side::Export) => format!("{}.exports", self.base),
        };
        // A named import or export (`import c: iface;`, or an inline interface) is its name's package.
        let package = match (key, &iface.name, iface.package) {
            (WorldKey::Name(n), _, _) => format!("{base}.{}", package_segment(n)),
            (_, Some(name), Some(p)) if Some(p) == world_package => {
                format!("{base}.{}", package_segment(name))
            }
            (_, Some(name), Some(p)) => {
                let pn = &resolve.packages[p].name;
                format!(
                    "{base}.{}.{}.{}",
                    package_segment(&pn.namespace),
                    package_segment(&pn.name),
                    package_segment(name)
                )
            }
            _ => return Err("an anonymous interface without a name in the world".into()),
        };
        let short = match (key, &iface.name) {
            (WorldKey::Name(n), _) => n.clone(),
            (_, Some(n)) => n.clone(),
            _ => String::from("interface"),
        };
        Ok(Unit {
            package,
            java_name: upper_camel(&short),
            wit_name: Some(resolve.name_world_key(key)),
            iface: Some(id),
            side,
            docs: doc_text(&iface.docs),
            functions: iface.functions.values().collect(),
            resources: Vec::new(),
        })
    }

    /// Follows `type x = y` aliases (and `use`) to the type they name.
    pub(crate) fn dealias(&self, mut ty: Type) -> Type {
        while let Type::Id(id) = ty {
            match self.resolve.types[id].kind {
                TypeDefKind::Type(t) => ty = t,
                _ => break,
            }
        }
        ty
    }

    pub(crate) fn dealias_id(&self, id: TypeId) -> TypeId {
        match self.dealias(Type::Id(id)) {
            Type::Id(id) => id,
            _ => id,
        }
    }

    /// The resource a type is a handle of (or the resource itself, written bare).
    pub(crate) fn resource_of(&self, ty: Type) -> Option<TypeId> {
        let Type::Id(id) = self.dealias(ty) else {
            return None;
        };
        match self.resolve.types[id].kind {
            TypeDefKind::Handle(Handle::Own(r) | Handle::Borrow(r)) => Some(self.dealias_id(r)),
            TypeDefKind::Resource => Some(id),
            _ => None,
        }
    }

    /// Records tuple arities and refuses types the bindings cannot express.
    pub(crate) fn walk(&mut self, ty: Type, visited: &mut HashSet<TypeId>) -> GenResult<()> {
        let Type::Id(id) = ty else {
            return match ty {
                Type::ErrorContext => {
                    Err("error-context is not supported by the Java bindings".into())
                }
                _ => Ok(()),
            };
        };
        if !visited.insert(id) {
            return Ok(());
        }
        let resolve = self.resolve;
        let def = &resolve.types[id];
        let what = def
            .name
            .clone()
            .unwrap_or_else(|| def.kind.as_str().to_owned());
        let unsupported = |k: &str| {
            Err(format!(
                "`{what}`: {k} types are not supported by the Java bindings"
            ))
        };
        match &def.kind {
            TypeDefKind::Record(r) => {
                for f in &r.fields {
                    self.walk(f.ty, visited)?;
                }
            }
            TypeDefKind::Variant(v) => {
                for c in v.cases.iter().filter_map(|c| c.ty) {
                    self.walk(c, visited)?;
                }
            }
            TypeDefKind::Tuple(t) => {
                self.tuples.insert(t.types.len());
                for t in &t.types {
                    self.walk(*t, visited)?;
                }
            }
            TypeDefKind::Option(t) | TypeDefKind::List(t) | TypeDefKind::Type(t) => {
                self.walk(*t, visited)?
            }
            TypeDefKind::Result(r) => {
                for t in r.ok.iter().chain(r.err.iter()) {
                    self.walk(*t, visited)?;
                }
            }
            TypeDefKind::Enum(_)
            | TypeDefKind::Flags(_)
            | TypeDefKind::Resource
            | TypeDefKind::Handle(_) => {}
            TypeDefKind::Map(..) => return unsupported("map"),
            TypeDefKind::FixedLengthList(..) => return unsupported("fixed-length list"),
            TypeDefKind::Future(_) => return unsupported("future"),
            TypeDefKind::Stream(_) => return unsupported("stream"),
            TypeDefKind::Unknown => return unsupported("unresolved"),
        }
        Ok(())
    }

    /// The `result` a function returns, if it returns one (through aliases).
    pub(crate) fn returned_result(&self, f: &Function) -> Option<(Option<Type>, Option<Type>)> {
        let Type::Id(id) = self.dealias(f.result?) else {
            return None;
        };
        match &self.resolve.types[id].kind {
            TypeDefKind::Result(r) => Some((r.ok, r.err)),
            _ => None,
        }
    }

    /// The exception class of a function that returns a `result`: `<Error>Exception` beside a named
    /// error type, else `<Function>Exception` beside the function's interface.
    pub(crate) fn exception_for(&self, unit: usize, f: &Function) -> Option<ExceptionSpec> {
        let (_, err) = self.returned_result(f)?;
        if let Some(Type::Id(e)) = err.map(|e| self.dealias(e)) {
            if let Some((package, simple)) = self.types.get(&e) {
                if !matches!(self.resolve.types[e].kind, TypeDefKind::Resource) {
                    let wit = self.resolve.types[e].name.clone().unwrap_or_default();
                    return Some(ExceptionSpec {
                        package: package.clone(),
                        simple: format!("{simple}Exception"),
                        err,
                        what: format!("a {{@code {wit}}} error"),
                    });
                }
            }
        }
        let u = &self.units[unit];
        Some(ExceptionSpec {
            package: u.package.clone(),
            simple: format!("{}Exception", upper_camel_of(&self.flat_base(f))),
            err,
            what: format!("the error of {{@code {}}}", f.name),
        })
    }

    /// A function's name in the flat form: `next-color` -> `nextColor`, `[constructor]counter` ->
    /// `newCounter`, `[method]counter.increment` -> `counterIncrement`.
    pub(crate) fn flat_base(&self, f: &Function) -> String {
        match &f.kind {
            FunctionKind::Constructor(r) => format!("new{}", upper_camel(&self.wit_type_name(*r))),
            FunctionKind::Method(r)
            | FunctionKind::Static(r)
            | FunctionKind::AsyncMethod(r)
            | FunctionKind::AsyncStatic(r) => {
                let resource = self.wit_type_name(*r);
                lower_camel(&format!("{resource}-{}", f.item_name()))
            }
            _ => lower_camel(&f.name),
        }
    }

    pub(crate) fn wit_type_name(&self, id: TypeId) -> String {
        self.resolve.types[self.dealias_id(id)]
            .name
            .clone()
            .unwrap_or_default()
    }

    pub(crate) fn java_type_fqn(&self, id: TypeId) -> GenResult<String> {
        self.types.get(&id).map(|(p, s)| fqn(p, s)).ok_or_else(|| {
            format!(
                "the type `{}` is defined outside the world's interfaces",
                self.wit_type_name(id)
            )
        })
    }
}

/// `units` with a version segment (`v1_0_0` for `@1.0.0`) at the end of the package of each
/// interface that would otherwise share its package with another version of itself; any other clash
/// of packages is an error.
fn versioned<'a>(resolve: &Resolve, mut units: Vec<Unit<'a>>) -> GenResult<Vec<Unit<'a>>> {
    let version = |u: &Unit<'_>| {
        u.iface
            .and_then(|i| resolve.interfaces[i].package)
            .and_then(|p| resolve.packages[p].name.version.as_ref())
            .map(|v| v.to_string())
    };
    let mut by_package: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        by_package.entry(u.package.clone()).or_default().push(i);
    }
    for same in by_package.values().filter(|same| same.len() > 1) {
        let versions: HashSet<Option<String>> = same.iter().map(|i| version(&units[*i])).collect();
        if versions.len() == same.len() && !versions.contains(&None) {
            for i in same {
                let v = version(&units[*i]).unwrap_or_default();
                let segment: String = v
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                units[*i].package.push_str(&format!(".v{segment}"));
            }
        }
    }
    let mut packages: HashMap<String, String> = HashMap::new();
    for u in &units {
        if let Some(other) = packages.insert(u.package.clone(), unit_name(u)) {
            return Err(format!(
                "the interfaces `{other}` and `{}` would both be the Java package {}",
                unit_name(u),
                u.package
            ));
        }
    }
    Ok(units)
}

pub(crate) fn unit_name(u: &Unit<'_>) -> String {
    u.wit_name.clone().unwrap_or_else(|| u.java_name.clone())
}
