//! Java sources from WIT: `dev.wasmbridge.component.JavaBindgen` behind JNI.
//!
//! wit-parser reads the WIT (a directory of `.wit` files, one file, a binary WIT package, or the world a
//! component binary embeds) and resolves it; this file walks the resolved world and writes one Java
//! source per type, in the shapes `ComponentInstance.bind` and `ComponentLinker.implement` accept (the
//! contract of the typed bindings). The layout and the type mapping are documented on the Java side,
//! in `JavaBindgen`'s Javadoc; the generator itself needs no JVM ([`generate`] is tested by cargo).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use jni::objects::{JClass, JObject, JObjectArray, JString};
use jni::EnvUnowned;
use wasmtime::component::wit_parser::decoding::{self, DecodedWasm};
use wasmtime::component::wit_parser::{
    Docs, Function, FunctionKind, Handle, InterfaceId, Resolve, Type, TypeDefKind, TypeId,
    TypeOwner, WorldId, WorldItem, WorldKey,
};

use crate::bridge::error::{Error, Result};
use crate::bridge::ffi::entry;

/// The name the generated sources give as their generator (`@Generated`, header comments).
const GENERATOR: &str = "dev.wasmbridge.component.JavaBindgen";

/// Java's keywords, literals and the restricted identifiers that cannot name a method, field or
/// package: such a WIT name gets a trailing `_` (which the runtime drops again).
const JAVA_RESERVED: &[&str] = &[
    "_",
    "abstract",
    "assert",
    "boolean",
    "break",
    "byte",
    "case",
    "catch",
    "char",
    "class",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extends",
    "false",
    "final",
    "finally",
    "float",
    "for",
    "goto",
    "if",
    "implements",
    "import",
    "instanceof",
    "int",
    "interface",
    "long",
    "native",
    "new",
    "null",
    "package",
    "permits",
    "private",
    "protected",
    "public",
    "record",
    "return",
    "sealed",
    "short",
    "static",
    "strictfp",
    "super",
    "switch",
    "synchronized",
    "this",
    "throw",
    "throws",
    "transient",
    "true",
    "try",
    "var",
    "void",
    "volatile",
    "while",
    "yield",
];

/// Methods of `java.lang.Object` (and the names a record may not give a component): a WIT function
/// or field of one of these names gets a trailing `_`.
const OBJECT_MEMBERS: &[&str] = &[
    "clone",
    "equals",
    "finalize",
    "getClass",
    "hashCode",
    "notify",
    "notifyAll",
    "toString",
    "wait",
];

/// The `java.lang` classes generated code names unqualified: a generated type of one of these names
/// is always written fully qualified elsewhere, so that it never shadows them.
const JAVA_LANG: &[&str] = &[
    "Boolean",
    "Byte",
    "Double",
    "Exception",
    "Float",
    "Integer",
    "Long",
    "Object",
    "Override",
    "Short",
    "String",
    "Void",
];

// ---------------------------------------------------------------------------------------------
// Names

/// The words of a kebab-case WIT name (WIT words are lower-case, or an upper-case acronym).
fn words(name: &str) -> impl Iterator<Item = &str> {
    name.split('-').filter(|w| !w.is_empty())
}

fn capitalized(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// `dark-magenta` -> `DarkMagenta` (a type name).
pub fn upper_camel(name: &str) -> String {
    words(name).map(capitalized).collect()
}

/// `next-color` -> `nextColor` (a function, field or parameter name), escaped.
pub fn lower_camel(name: &str) -> String {
    let mut out = String::new();
    for (i, w) in words(name).enumerate() {
        if i == 0 {
            out.push_str(&w.to_ascii_lowercase());
        } else {
            out.push_str(&capitalized(w));
        }
    }
    escape(out)
}

/// `dark-magenta` -> `DARK_MAGENTA` (an enum constant).
pub fn upper_snake(name: &str) -> String {
    words(name)
        .map(|w| w.to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// `error-handling` -> `error_handling` (a package name segment), escaped.
pub fn package_segment(name: &str) -> String {
    escape(
        words(name)
            .map(|w| w.to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join("_"),
    )
}

/// `default` -> `default_`: Java keywords, literals, restricted identifiers and `Object`'s methods.
pub fn escape(ident: String) -> String {
    if JAVA_RESERVED.contains(&ident.as_str()) || OBJECT_MEMBERS.contains(&ident.as_str()) {
        ident + "_"
    } else {
        ident
    }
}

/// The WIT name the runtime derives from a Java name when there is no `@WitName` (the contract's
/// rule, as `TypedCodec.kebab`): a trailing `_` dropped; `UPPER_SNAKE` lower-cased with `-`;
/// otherwise a `-` before each upper-case letter that starts a word.
pub fn java_to_wit(java: &str) -> String {
    let s = java.strip_suffix('_').unwrap_or(java);
    if s == s.to_uppercase() {
        return s.to_lowercase().replace('_', "-");
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            out.push('-');
            continue;
        }
        if c.is_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev != '_'
                && (prev.is_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_uppercase() && next_lower))
            {
                out.push('-');
            }
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// `@WitName("...")` when the runtime's default would not find `wit` from `java`.
fn needs_wit_name(java: &str, wit: &str) -> bool {
    java_to_wit(java) != wit
}

fn is_java_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !JAVA_RESERVED.contains(&s)
}

/// A name from `base` that is not in `taken` (`base`, `base_`, `base__`, ...).
fn fresh(base: &str, taken: &HashSet<String>) -> String {
    let mut name = base.to_owned();
    while taken.contains(&name) {
        name.push('_');
    }
    name
}

// ---------------------------------------------------------------------------------------------
// Javadoc

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('@', "&#64;")
        .replace("*/", "*&#47;")
}

/// One line of WIT doc text as Javadoc HTML: `<`, `>`, `&`, `@` escaped, `` `code` `` as `{@code code}`.
fn doc_html(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('`') {
        out.push_str(&escape_html(&rest[..i]));
        let after = &rest[i + 1..];
        match after.find('`') {
            Some(j) if j > 0 => {
                let code = &after[..j];
                if code.contains(['{', '}', '@']) || code.contains("*/") {
                    let _ = write!(out, "<code>{}</code>", escape_html(code));
                } else {
                    let _ = write!(out, "{{@code {code}}}");
                }
                rest = &after[j + 1..];
            }
            _ => {
                out.push('`');
                rest = after;
            }
        }
    }
    out.push_str(&escape_html(rest));
    out
}

/// The doc comment's text as Javadoc HTML, or `None` when WIT has none: a blank line starts a `<p>`,
/// a fenced block (```` ``` ````) is a `<pre>`.
fn doc_text(docs: &Docs) -> Option<String> {
    let text = docs
        .contents
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())?;
    let mut out = String::new();
    let mut fence = false;
    let mut blank = false;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim_start().starts_with("```") {
            if fence {
                out.push_str("\n</pre>");
            } else {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str("<pre>");
            }
            fence = !fence;
            blank = false;
            continue;
        }
        if fence {
            out.push('\n');
            out.push_str(&escape_html(line));
            continue;
        }
        if line.trim().is_empty() {
            blank = true;
            continue;
        }
        if blank && !out.is_empty() {
            out.push_str("\n\n<p>");
        } else if !out.is_empty() {
            out.push('\n');
        }
        blank = false;
        out.push_str(&doc_html(line));
    }
    if fence {
        out.push_str("\n</pre>");
    }
    Some(out)
}

/// A Javadoc comment at `indent`: the main text, then block tags (`@param x text`, ...), each of
/// which may span lines.
fn javadoc(indent: &str, main: &str, tags: &[String]) -> String {
    let mut out = format!("{indent}/**\n");
    for line in main.lines() {
        if line.is_empty() {
            let _ = writeln!(out, "{indent} *");
        } else {
            let _ = writeln!(out, "{indent} * {line}");
        }
    }
    if !tags.is_empty() {
        let _ = writeln!(out, "{indent} *");
        for tag in tags {
            for (i, line) in tag.lines().enumerate() {
                if i == 0 {
                    let _ = writeln!(out, "{indent} * {line}");
                } else if !line.trim().is_empty() {
                    let _ = writeln!(out, "{indent} *     {}", line.trim());
                }
            }
        }
    }
    let _ = writeln!(out, "{indent} */");
    out
}

/// A one-line description for a tag: the doc's text with paragraphs joined.
fn tag_text(docs: &Docs, fallback: String) -> String {
    doc_text(docs)
        .map(|t| t.replace("\n\n<p>", " ").replace('\n', " "))
        .unwrap_or(fallback)
}

// ---------------------------------------------------------------------------------------------
// Java source files

/// One Java source being written: its package, the simple names that shadow imports in it, and the
/// imports it needs.
struct JFile {
    package: String,
    /// Top-level types of the package (they shadow any import of the same simple name).
    package_types: HashSet<String>,
    /// Types nested in this file's type (they shadow even the package's types).
    nested: HashSet<String>,
    imports: BTreeMap<String, String>,
    body: String,
}

impl JFile {
    fn new(package: &str, package_types: &HashSet<String>, nested: &[String]) -> JFile {
        JFile {
            package: package.to_owned(),
            package_types: package_types.clone(),
            nested: nested.iter().cloned().collect(),
            imports: BTreeMap::new(),
            body: String::new(),
        }
    }

    /// How this file names the class `fqn`: simple when that is unambiguous (adding an import when
    /// needed), fully qualified otherwise.
    fn name(&mut self, fqn: &str) -> String {
        let (package, simple) = fqn.rsplit_once('.').unwrap_or(("", fqn));
        if self.nested.contains(simple) {
            return fqn.to_owned();
        }
        if package == self.package {
            return simple.to_owned();
        }
        if self.package_types.contains(simple) {
            return fqn.to_owned();
        }
        if package == "java.lang" {
            return simple.to_owned();
        }
        if JAVA_LANG.contains(&simple) {
            return fqn.to_owned();
        }
        match self.imports.get(simple) {
            Some(f) if f == fqn => simple.to_owned(),
            Some(_) => fqn.to_owned(),
            None => {
                self.imports.insert(simple.to_owned(), fqn.to_owned());
                simple.to_owned()
            }
        }
    }

    fn generated(&mut self) -> String {
        let g = self.name("javax.annotation.processing.Generated");
        format!("@{g}(\"{GENERATOR}\")\n")
    }

    fn finish(self, origin: &str) -> String {
        let mut out = format!(
            "// Generated by wasmbridge ({GENERATOR}) from WIT {origin}. Do not edit: regenerate.\n"
        );
        if !self.package.is_empty() {
            let _ = writeln!(out, "package {};", self.package);
        }
        out.push('\n');
        if !self.imports.is_empty() {
            for fqn in self.imports.values().collect::<BTreeSet<_>>() {
                let _ = writeln!(out, "import {fqn};");
            }
            out.push('\n');
        }
        out.push_str(&self.body);
        out
    }
}

fn fqn(package: &str, simple: &str) -> String {
    if package.is_empty() {
        simple.to_owned()
    } else {
        format!("{package}.{simple}")
    }
}

// ---------------------------------------------------------------------------------------------
// The generator

/// Which side implements a WIT interface, resource or function.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    /// Imported by the world: Java implements it (host).
    Import,
    /// Exported by the world: the component implements it (guest).
    Export,
}

/// The functions of one WIT interface, or of the world's root imports or exports, as one Java
/// interface.
struct Unit<'a> {
    package: String,
    java_name: String,
    /// `ns:pkg/iface@version` (or an inline interface's name); `None` for the world's root.
    wit_name: Option<String>,
    /// The WIT interface; `None` for the world's root.
    iface: Option<InterfaceId>,
    side: Side,
    docs: Option<String>,
    functions: Vec<&'a Function>,
    /// The resources defined here, in order.
    resources: Vec<TypeId>,
}

/// A checked exception class for a `result`'s error, as a function's return (the exception form).
struct ExceptionSpec {
    package: String,
    simple: String,
    err: Option<Type>,
    /// What the error is, for the Javadoc.
    what: String,
}

struct Gen<'a> {
    resolve: &'a Resolve,
    world: WorldId,
    base: String,
    /// The Java name of each generated WIT type (records, variants, enums, flags, resources).
    types: HashMap<TypeId, (String, String)>,
    /// Which side each resource is on.
    resource_side: HashMap<TypeId, Side>,
    units: Vec<Unit<'a>>,
    /// The interface each resource is defined in, as an index into `units` (for its functions).
    resource_unit: HashMap<TypeId, usize>,
    exceptions: BTreeMap<String, ExceptionSpec>,
    tuples: BTreeSet<usize>,
    package_types: HashMap<String, HashSet<String>>,
    files: BTreeMap<String, String>,
    origin: String,
}

type GenResult<T> = std::result::Result<T, String>;

/// Java sources for the world `world` (needed only when the WIT defines several) of the WIT at
/// `path`: a directory of `.wit` files (with `deps/`), one `.wit` file, a binary WIT package, or a
/// component binary (its embedded world). Returns relative path -> source.
pub fn generate(
    path: &Path,
    world: Option<&str>,
    java_package: &str,
) -> GenResult<BTreeMap<String, String>> {
    let (resolve, world) = load(path, world)?;
    generate_world(&resolve, world, java_package)
}

fn load(path: &Path, world: Option<&str>) -> GenResult<(Resolve, WorldId)> {
    if !path.exists() {
        return Err(format!("no such file or directory: {}", path.display()));
    }
    if path.is_file() {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if bytes.starts_with(b"\0asm") {
            let decoded = decoding::decode(&bytes)
                .map_err(|e| format!("cannot read the WIT of {}: {e:#}", path.display()))?;
            return match decoded {
                DecodedWasm::Component(resolve, id) => {
                    let name = &resolve.worlds[id].name;
                    match world {
                        Some(w) if w != name => Err(format!(
                            "{} is a component of world `{name}`, not `{w}`",
                            path.display()
                        )),
                        _ => Ok((resolve, id)),
                    }
                }
                DecodedWasm::WitPackage(resolve, pkg) => {
                    let id = resolve
                        .select_world(&[pkg], world)
                        .map_err(|e| format!("{e:#}"))?;
                    Ok((resolve, id))
                }
            };
        }
    }
    let mut resolve = Resolve::default();
    // A syntax or resolution error renders with its file:line:column and the source line.
    let (pkg, _) = resolve
        .push_path(path)
        .map_err(|e| resolve.render_error(&e))?;
    let id = resolve
        .select_world(&[pkg], world)
        .map_err(|e| format!("{e:#}"))?;
    Ok((resolve, id))
}

/// Java sources for `world` of `resolve` (see [`generate`]).
pub fn generate_world(
    resolve: &Resolve,
    world: WorldId,
    java_package: &str,
) -> GenResult<BTreeMap<String, String>> {
    if !java_package.split('.').all(is_java_identifier) {
        return Err(format!(
            "`{java_package}` is not a Java package name (dot-separated identifiers, no keywords)"
        ));
    }
    let w = &resolve.worlds[world];
    let origin = match w.package {
        Some(p) => format!("world {}", resolve.id_of_name(p, &w.name)),
        None => format!("world {}", w.name),
    };
    let mut g = Gen {
        resolve,
        world,
        base: java_package.to_owned(),
        types: HashMap::new(),
        resource_side: HashMap::new(),
        units: Vec::new(),
        resource_unit: HashMap::new(),
        exceptions: BTreeMap::new(),
        tuples: BTreeSet::new(),
        package_types: HashMap::new(),
        files: BTreeMap::new(),
        origin,
    };
    g.plan()?;
    g.emit()?;
    Ok(g.files)
}

impl<'a> Gen<'a> {
    // ----- planning: every Java name, before any file is written

    fn plan(&mut self) -> GenResult<()> {
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
        let mut seen: HashMap<InterfaceId, Side> = HashMap::new();
        let mut packages: HashMap<String, String> = HashMap::new();
        for (side, items) in [
            (Side::Import, &world.imports),
            (Side::Export, &world.exports),
        ] {
            for (key, item) in items {
                match item {
                    WorldItem::Interface { id, .. } => {
                        if let Some(before) = seen.insert(*id, side) {
                            if before != side {
                                return Err(format!(
                                    "the interface `{}` is both imported and exported: not supported",
                                    resolve.name_world_key(key)
                                ));
                            }
                            continue;
                        }
                        let unit = self.interface_unit(key, *id, side)?;
                        if let Some(other) = packages.insert(unit.package.clone(), unit_name(&unit))
                        {
                            return Err(format!(
                                "the interfaces `{other}` and `{}` would both be the Java package {}",
                                unit_name(&unit),
                                unit.package
                            ));
                        }
                        self.units.push(unit);
                    }
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

    fn interface_unit(&self, key: &WorldKey, id: InterfaceId, side: Side) -> GenResult<Unit<'a>> {
        let resolve = self.resolve;
        let iface = &resolve.interfaces[id];
        let world_package = resolve.worlds[self.world].package;
        let package = match (&iface.name, iface.package) {
            (Some(name), Some(p)) if Some(p) == world_package => {
                format!("{}.{}", self.base, package_segment(name))
            }
            (Some(name), Some(p)) => {
                let pn = &resolve.packages[p].name;
                format!(
                    "{}.{}.{}.{}",
                    self.base,
                    package_segment(&pn.namespace),
                    package_segment(&pn.name),
                    package_segment(name)
                )
            }
            _ => match key {
                WorldKey::Name(n) => format!("{}.{}", self.base, package_segment(n)),
                WorldKey::Interface(_) => {
                    return Err("an anonymous interface without a name in the world".into())
                }
            },
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
    fn dealias(&self, mut ty: Type) -> Type {
        while let Type::Id(id) = ty {
            match self.resolve.types[id].kind {
                TypeDefKind::Type(t) => ty = t,
                _ => break,
            }
        }
        ty
    }

    fn dealias_id(&self, id: TypeId) -> TypeId {
        match self.dealias(Type::Id(id)) {
            Type::Id(id) => id,
            _ => id,
        }
    }

    /// The resource a type is a handle of (or the resource itself, written bare).
    fn resource_of(&self, ty: Type) -> Option<TypeId> {
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
    fn walk(&mut self, ty: Type, visited: &mut HashSet<TypeId>) -> GenResult<()> {
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
    fn returned_result(&self, f: &Function) -> Option<(Option<Type>, Option<Type>)> {
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
    fn exception_for(&self, unit: usize, f: &Function) -> Option<ExceptionSpec> {
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
    fn flat_base(&self, f: &Function) -> String {
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

    fn wit_type_name(&self, id: TypeId) -> String {
        self.resolve.types[self.dealias_id(id)]
            .name
            .clone()
            .unwrap_or_default()
    }

    fn java_type_fqn(&self, id: TypeId) -> GenResult<String> {
        self.types.get(&id).map(|(p, s)| fqn(p, s)).ok_or_else(|| {
            format!(
                "the type `{}` is defined outside the world's interfaces",
                self.wit_type_name(id)
            )
        })
    }

    // ----- Java types

    /// The Java type of a WIT type in `file` (`boxed` in type arguments).
    fn jtype(&self, file: &mut JFile, ty: Type, boxed: bool) -> GenResult<String> {
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

    fn put(&mut self, package: &str, simple: &str, source: String) -> GenResult<()> {
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

    fn new_file(&self, package: &str, nested: &[String]) -> JFile {
        let empty = HashSet::new();
        JFile::new(
            package,
            self.package_types.get(package).unwrap_or(&empty),
            nested,
        )
    }

    fn emit(&mut self) -> GenResult<()> {
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

    fn type_doc(&self, id: TypeId, kind: &str) -> String {
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

    fn owner_text(&self, owner: TypeOwner) -> String {
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

    fn wit_name_annotation(file: &mut JFile, wit: &str) -> String {
        format!(
            "@{}(\"{wit}\")",
            file.name("dev.wasmbridge.component.WitName")
        )
    }

    fn emit_record(&self, id: TypeId, package: &str, simple: &str) -> GenResult<String> {
        let def = &self.resolve.types[id];
        let TypeDefKind::Record(r) = &def.kind else {
            unreachable!("emit_record on a non-record")
        };
        let mut file = self.new_file(package, &[]);
        let mut tags = Vec::new();
        let mut components = Vec::new();
        for field in &r.fields {
            let java = lower_camel(&field.name);
            let ty = self.jtype(&mut file, field.ty, false).map_err(|e| {
                format!(
                    "record `{}` field `{}`: {e}",
                    def.name.as_deref().unwrap_or(""),
                    field.name
                )
            })?;
            tags.push(format!(
                "@param {java} {}",
                tag_text(&field.docs, format!("the field {{@code {}}}", field.name))
            ));
            let ann = if needs_wit_name(&java, &field.name) {
                Self::wit_name_annotation(&mut file, &field.name) + " "
            } else {
                String::new()
            };
            components.push(format!("        {ann}{ty} {java}"));
        }
        let mut body = javadoc("", &self.type_doc(id, "record"), &tags);
        body.push_str(&file.generated());
        if components.is_empty() {
            let _ = writeln!(body, "public record {simple}() {{\n}}");
        } else {
            let _ = writeln!(
                body,
                "public record {simple}(\n{}) {{\n}}",
                components.join(",\n")
            );
        }
        file.body = body;
        Ok(file.finish(&self.origin))
    }

    fn emit_enum(&self, id: TypeId, package: &str, simple: &str) -> GenResult<String> {
        let def = &self.resolve.types[id];
        let mut file = self.new_file(package, &[]);
        let (doc, cases): (String, Vec<(&str, &Docs)>) = match &def.kind {
            TypeDefKind::Enum(e) => (
                self.type_doc(id, "enum"),
                e.cases.iter().map(|c| (c.name.as_str(), &c.docs)).collect(),
            ),
            TypeDefKind::Flags(f) => (
                format!(
                    "{}\n\n<p>A value of the flags is an {{@code EnumSet<{simple}>}} of the flags that are set.",
                    self.type_doc(id, "flags")
                ),
                f.flags.iter().map(|c| (c.name.as_str(), &c.docs)).collect(),
            ),
            _ => unreachable!("emit_enum on a type that is neither enum nor flags"),
        };
        let mut body = javadoc("", &doc, &[]);
        body.push_str(&file.generated());
        let _ = writeln!(body, "public enum {simple} {{");
        let n = cases.len();
        for (i, (name, docs)) in cases.into_iter().enumerate() {
            let java = upper_snake(name);
            let text = doc_text(docs).unwrap_or_else(|| format!("{{@code {name}}}."));
            body.push_str(&javadoc("    ", &text, &[]));
            if needs_wit_name(&java, name) {
                let _ = writeln!(body, "    {}", Self::wit_name_annotation(&mut file, name));
            }
            let sep = if i + 1 < n { "," } else { "" };
            let _ = writeln!(body, "    {java}{sep}");
        }
        body.push_str("}\n");
        file.body = body;
        Ok(file.finish(&self.origin))
    }

    fn emit_variant(&self, id: TypeId, package: &str, simple: &str) -> GenResult<String> {
        let def = &self.resolve.types[id];
        let TypeDefKind::Variant(v) = &def.kind else {
            unreachable!("emit_variant on a non-variant")
        };
        let names: Vec<String> = v
            .cases
            .iter()
            .map(|c| {
                let n = upper_camel(&c.name);
                if n == simple {
                    n + "_"
                } else {
                    n
                }
            })
            .collect();
        let mut file = self.new_file(package, &names);
        let doc = format!(
            "{}\n\n<p>One record per case, nested here: {}.",
            self.type_doc(id, "variant"),
            names
                .iter()
                .map(|n| format!("{{@link {n}}}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut body = javadoc("", &doc, &[]);
        body.push_str(&file.generated());
        let permits: Vec<String> = names.iter().map(|n| format!("{simple}.{n}")).collect();
        let _ = writeln!(
            body,
            "public sealed interface {simple} permits {} {{",
            permits.join(", ")
        );
        for (case, java) in v.cases.iter().zip(&names) {
            let text = doc_text(&case.docs)
                .unwrap_or_else(|| format!("The case {{@code {}}}.", case.name));
            let payload = match case.ty {
                Some(t) => Some(self.jtype(&mut file, t, false).map_err(|e| {
                    format!(
                        "variant `{}` case `{}`: {e}",
                        def.name.as_deref().unwrap_or(""),
                        case.name
                    )
                })?),
                None => None,
            };
            let tags = if payload.is_some() {
                vec!["@param value the case's payload".to_owned()]
            } else {
                Vec::new()
            };
            body.push('\n');
            body.push_str(&javadoc("    ", &text, &tags));
            if needs_wit_name(java, &case.name) {
                let _ = writeln!(
                    body,
                    "    {}",
                    Self::wit_name_annotation(&mut file, &case.name)
                );
            }
            let me = file.name(&fqn(package, simple));
            match payload {
                Some(p) => {
                    let _ = writeln!(
                        body,
                        "    record {java}({p} value) implements {me} {{\n    }}"
                    );
                }
                None => {
                    let _ = writeln!(body, "    record {java}() implements {me} {{\n    }}");
                }
            }
        }
        body.push_str("}\n");
        file.body = body;
        Ok(file.finish(&self.origin))
    }

    /// The resource functions of `resource` in its unit, in WIT order.
    fn resource_functions(&self, resource: TypeId) -> Vec<&'a Function> {
        let Some(&ui) = self.resource_unit.get(&resource) else {
            return Vec::new();
        };
        self.units[ui]
            .functions
            .iter()
            .copied()
            .filter(|f| f.kind.resource().map(|r| self.dealias_id(r)) == Some(resource))
            .collect()
    }

    /// The parameters of a function as Java (name, type), and the Java return type and thrown
    /// exception (the exception form for a returned `result`). `wrap` makes handles of the guest
    /// resources of unit `wrap` (at the top level) their wrapper classes.
    fn signature(
        &self,
        file: &mut JFile,
        f: &Function,
        unit: usize,
        wrap: Option<usize>,
    ) -> GenResult<Signature> {
        let at = |e: String| format!("function `{}`: {e}", f.name);
        let top = |file: &mut JFile, t: Type| -> GenResult<(String, bool)> {
            if let (Some(w), Some(r)) = (wrap, self.resource_of(t)) {
                if self.resource_unit.get(&r) == Some(&w)
                    && self.resource_side.get(&r) == Some(&Side::Export)
                {
                    return Ok((file.name(&self.java_type_fqn(r)?), true));
                }
            }
            Ok((self.jtype(file, t, false)?, false))
        };
        let mut params = Vec::new();
        for p in &f.params {
            let (ty, wrapped) = top(file, p.ty).map_err(at)?;
            params.push(Param {
                java: lower_camel(&p.name),
                ty,
                wrapped,
                docs: format!("the parameter {{@code {}}}", p.name),
            });
        }
        let (ret, wrapped_ret, throws) = match (self.returned_result(f), f.result) {
            (Some((ok, _)), _) => {
                let spec = self
                    .exception_for(unit, f)
                    .ok_or_else(|| at("no exception".into()))?;
                let x = file.name(&fqn(&spec.package, &spec.simple));
                match ok {
                    Some(t) => {
                        let (ty, w) = top(file, t).map_err(at)?;
                        (ty, w, Some(x))
                    }
                    None => ("void".to_owned(), false, Some(x)),
                }
            }
            (None, Some(t)) => {
                let (ty, w) = top(file, t).map_err(at)?;
                (ty, w, None)
            }
            (None, None) => ("void".to_owned(), false, None),
        };
        Ok(Signature {
            params,
            ret,
            wrapped_ret,
            throws,
        })
    }

    /// The Javadoc of a function: its WIT docs, `@param`s, `@return` and `@throws`.
    fn function_doc(
        &self,
        indent: &str,
        f: &Function,
        sig: &Signature,
        skip: usize,
        extra: &[String],
    ) -> String {
        let main =
            doc_text(&f.docs).unwrap_or_else(|| format!("The WIT function {{@code {}}}.", f.name));
        let mut tags: Vec<String> = extra.to_vec();
        for p in sig.params.iter().skip(skip) {
            tags.push(format!("@param {} {}", p.java, p.docs));
        }
        if sig.ret != "void" {
            let what = if sig.throws.is_some() {
                "the result's ok value"
            } else {
                "the result"
            };
            tags.push(format!("@return {what}"));
        }
        if let Some(x) = &sig.throws {
            let simple = x.rsplit('.').next().unwrap_or(x);
            tags.push(format!("@throws {simple} when the function returns an error (its value is the exception's {{@code error()}})"));
        }
        javadoc(indent, &main, &tags)
    }

    fn throws_clause(sig: &Signature) -> String {
        sig.throws
            .as_ref()
            .map(|x| format!(" throws {x}"))
            .unwrap_or_default()
    }

    /// The Java method names of a unit's functions in the flat form, unique within it.
    fn flat_names(&self, ui: usize, reserved: &[&str]) -> Vec<(String, bool)> {
        let mut taken: HashSet<String> = reserved.iter().map(|s| s.to_string()).collect();
        let fs = &self.units[ui].functions;
        let mut names = vec![(String::new(), false); fs.len()];
        // Freestanding functions first: their names are the ones users guess.
        let order: Vec<usize> = (0..fs.len())
            .filter(|i| fs[*i].kind.resource().is_none())
            .chain((0..fs.len()).filter(|i| fs[*i].kind.resource().is_some()))
            .collect();
        for i in order {
            let f = fs[i];
            let base = self.flat_base(f);
            let name = fresh(&base, &taken);
            taken.insert(name.clone());
            let annotate =
                f.kind.resource().is_some() || name != base || needs_wit_name(&name, &f.name);
            names[i] = (name, annotate);
        }
        names
    }

    fn interface_annotation(&self, file: &mut JFile, ui: usize) -> String {
        match &self.units[ui].wit_name {
            Some(n) => format!(
                "@{}(\"{n}\")\n",
                file.name("dev.wasmbridge.component.WitInterface")
            ),
            None => String::new(),
        }
    }

    /// An exported interface (or the world's root exports): a Java interface to bind to an instance.
    fn emit_exports(&self, ui: usize) -> GenResult<String> {
        let u = &self.units[ui];
        let mut file = self.new_file(&u.package, &[]);
        let names = self.flat_names(ui, &["bind"]);
        let instance = file.name("dev.wasmbridge.component.ComponentInstance");
        let what = match &u.wit_name {
            Some(n) => format!("The exported WIT interface {{@code {n}}}"),
            None => format!(
                "The functions the WIT world {{@code {}}} exports at its root",
                self.resolve.worlds[self.world].name
            ),
        };
        let resources: Vec<String> = u
            .resources
            .iter()
            .filter_map(|r| self.types.get(r).map(|(_, s)| format!("{{@link {s}}}")))
            .collect();
        let mut main = match &u.docs {
            Some(d) => {
                format!("{d}\n\n<p>{what}: bind it to a component instance with {{@link #bind}}.")
            }
            None => format!("{what}: bind it to a component instance with {{@link #bind}}."),
        };
        if !resources.is_empty() {
            let _ = write!(
                main,
                "\n\n<p>Its resources' functions are here in the flat form, a {{@code ResourceHandle}} for each resource value; {} {}.",
                resources.join(", "),
                if resources.len() == 1 { "wraps them" } else { "wrap them" }
            );
        }
        let mut body = javadoc("", &main, &[]);
        body.push_str(&self.interface_annotation(&mut file, ui));
        body.push_str(&file.generated());
        let _ = writeln!(body, "public interface {} {{", u.java_name);
        for (f, (name, annotate)) in u.functions.iter().zip(&names) {
            let sig = self.signature(&mut file, f, ui, None)?;
            body.push('\n');
            body.push_str(&self.function_doc("    ", f, &sig, 0, &[]));
            if *annotate {
                let _ = writeln!(
                    body,
                    "    {}",
                    Self::wit_name_annotation(&mut file, &f.name)
                );
            }
            let _ = writeln!(
                body,
                "    {} {name}({}){};",
                sig.ret,
                sig.param_list(),
                Self::throws_clause(&sig)
            );
        }
        let me = &u.java_name;
        let _ = write!(
            body,
            "\n{}    static {me} bind({instance} instance) {{\n        return instance.bind({me}.class);\n    }}\n}}\n",
            javadoc(
                "    ",
                &format!("Binds this interface to the functions {} exports.", "{@code instance}"),
                &[
                    "@param instance the component instance".to_owned(),
                    "@return a proxy whose methods call the component's functions".to_owned(),
                    "@throws dev.wasmbridge.component.BindException if the component's functions do not match this interface".to_owned(),
                ],
            )
        );
        file.body = body;
        Ok(file.finish(&self.origin))
    }

    /// A resource of an exported interface: an `AutoCloseable` wrapper of a handle and the bound
    /// interface, with the resource's methods.
    fn emit_guest_resource(&self, id: TypeId, package: &str, simple: &str) -> GenResult<String> {
        let Some(&ui) = self.resource_unit.get(&id) else {
            return Err(format!(
                "the resource `{}` belongs to no interface",
                self.wit_type_name(id)
            ));
        };
        let u = &self.units[ui];
        let mut file = self.new_file(package, &[]);
        let handle_t = file.name("dev.wasmbridge.component.ResourceHandle");
        let objects = file.name("java.util.Objects");
        let api = file.name(&fqn(&u.package, &u.java_name));
        let has_api = !u.functions.is_empty();
        let all_names = self.flat_names(ui, &["bind"]);
        let flat_name = |f: &Function| -> String {
            u.functions
                .iter()
                .position(|g| std::ptr::eq(*g, f))
                .map(|i| all_names[i].0.clone())
                .unwrap_or_default()
        };
        let wit = self.wit_type_name(id);
        let mut main = self.type_doc(id, "resource");
        let _ = write!(
            main,
            "\n\n<p>An object of this class holds a handle to a resource the component owns (or lends) and the bound interface {{@link {}}} its functions go through; {{@link #close}} drops the handle.",
            u.java_name
        );
        let mut body = javadoc("", &main, &[]);
        body.push_str(&file.generated());
        let _ = writeln!(
            body,
            "public final class {simple} implements AutoCloseable {{"
        );
        let _ = writeln!(body, "    private final {handle_t} handle;");
        if has_api {
            let _ = writeln!(body, "    private final {api} api;");
        }
        body.push('\n');
        let (ctor_params, ctor_tags) = if has_api {
            (
                format!("{handle_t} handle, {api} api"),
                vec![
                    "@param handle the handle".to_owned(),
                    "@param api the bound interface the resource's functions are called through"
                        .to_owned(),
                ],
            )
        } else {
            (
                format!("{handle_t} handle"),
                vec!["@param handle the handle".to_owned()],
            )
        };
        body.push_str(&javadoc(
            "    ",
            &format!("Wraps a handle to a {{@code {wit}}}."),
            &ctor_tags,
        ));
        let _ = writeln!(body, "    public {simple}({ctor_params}) {{");
        let _ = writeln!(
            body,
            "        this.handle = {objects}.requireNonNull(handle, \"handle\");"
        );
        if has_api {
            let _ = writeln!(
                body,
                "        this.api = {objects}.requireNonNull(api, \"api\");"
            );
        }
        body.push_str("    }\n");

        let mut taken: HashSet<String> = ["close", "handle", "create"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for f in self.resource_functions(id) {
            let sig = self.signature(&mut file, f, ui, Some(ui))?;
            let flat = flat_name(f);
            let wit_params: HashSet<String> = sig.params.iter().map(|p| p.java.clone()).collect();
            let api_param = fresh("api", &wit_params);
            let call_args = |params: &[Param]| -> String {
                params
                    .iter()
                    .map(|p| {
                        if p.wrapped {
                            format!("{}.handle()", p.java)
                        } else {
                            p.java.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let wrap_ret = |call: String, api_expr: &str| -> String {
                if sig.wrapped_ret {
                    format!("new {}({call}, {api_expr})", sig.ret)
                } else {
                    call
                }
            };
            let ret_kw = if sig.ret == "void" { "" } else { "return " };
            body.push('\n');
            match f.kind {
                FunctionKind::Constructor(_) => {
                    let api_tag = format!("@param {api_param} the bound interface");
                    body.push_str(&self.function_doc("    ", f, &sig, 0, &[api_tag]));
                    let params = sig.param_list();
                    let sep = if params.is_empty() { "" } else { ", " };
                    let _ = writeln!(
                        body,
                        "    public static {} create({api} {api_param}{sep}{params}){} {{\n        {ret_kw}{};\n    }}",
                        sig.ret,
                        Self::throws_clause(&sig),
                        wrap_ret(format!("{api_param}.{flat}({})", call_args(&sig.params)), &api_param)
                    );
                }
                FunctionKind::Static(_) => {
                    let name = fresh(&lower_camel(f.item_name()), &taken);
                    taken.insert(name.clone());
                    let api_tag = format!("@param {api_param} the bound interface");
                    body.push_str(&self.function_doc("    ", f, &sig, 0, &[api_tag]));
                    let params = sig.param_list();
                    let sep = if params.is_empty() { "" } else { ", " };
                    let _ = writeln!(
                        body,
                        "    public static {} {name}({api} {api_param}{sep}{params}){} {{\n        {ret_kw}{};\n    }}",
                        sig.ret,
                        Self::throws_clause(&sig),
                        wrap_ret(format!("{api_param}.{flat}({})", call_args(&sig.params)), &api_param)
                    );
                }
                _ => {
                    let name = fresh(&lower_camel(f.item_name()), &taken);
                    taken.insert(name.clone());
                    body.push_str(&self.function_doc("    ", f, &sig, 1, &[]));
                    let rest = &sig.params[1..];
                    let mut args = vec!["this.handle".to_owned()];
                    if !rest.is_empty() {
                        args.push(call_args(rest));
                    }
                    let _ = writeln!(
                        body,
                        "    public {} {name}({}){} {{\n        {ret_kw}{};\n    }}",
                        sig.ret,
                        Signature::list(rest),
                        Self::throws_clause(&sig),
                        wrap_ret(format!("this.api.{flat}({})", args.join(", ")), "this.api")
                    );
                }
            }
        }
        body.push('\n');
        body.push_str(&javadoc(
            "    ",
            "The handle this object wraps.",
            &["@return the handle".to_owned()],
        ));
        let _ = writeln!(
            body,
            "    public {handle_t} handle() {{\n        return handle;\n    }}\n"
        );
        body.push_str(&javadoc(
            "    ",
            "Drops the handle (the component's resource goes when its last handle does); closing twice is harmless.",
            &[],
        ));
        let _ = writeln!(
            body,
            "    @{}\n    public void close() {{\n        handle.close();\n    }}\n}}",
            file.name("java.lang.Override")
        );
        file.body = body;
        Ok(file.finish(&self.origin))
    }

    /// A resource of an imported interface: a Java interface for the objects behind it.
    fn emit_host_resource(&self, id: TypeId, package: &str, simple: &str) -> GenResult<String> {
        let mut file = self.new_file(package, &[]);
        let unit = self.resource_unit.get(&id).copied();
        let mut main = self.type_doc(id, "resource");
        let home = unit
            .map(|ui| &self.units[ui])
            .filter(|u| !u.functions.is_empty())
            .map(|u| format!("{{@link {}}}", fqn(&u.package, &u.java_name)))
            .unwrap_or_else(|| "its interface".to_owned());
        let _ = write!(
            main,
            "\n\n<p>Implemented in Java: the component calls the methods below on the object {home} gave it; when the component drops the resource, {{@link #close}} runs."
        );
        let mut body = javadoc("", &main, &[]);
        body.push_str(&file.generated());
        let _ = writeln!(body, "public interface {simple} extends AutoCloseable {{");
        let mut taken: HashSet<String> = ["close"].iter().map(|s| s.to_string()).collect();
        for f in self.resource_functions(id) {
            if !matches!(f.kind, FunctionKind::Method(_)) {
                continue;
            }
            let ui = unit.unwrap_or_default();
            let sig = self.signature(&mut file, f, ui, None)?;
            let name = fresh(&lower_camel(f.item_name()), &taken);
            taken.insert(name.clone());
            body.push('\n');
            body.push_str(&self.function_doc("    ", f, &sig, 1, &[]));
            let _ = writeln!(
                body,
                "    {} {name}({}){};",
                sig.ret,
                Signature::list(&sig.params[1..]),
                Self::throws_clause(&sig)
            );
        }
        body.push('\n');
        body.push_str(&javadoc(
            "    ",
            "Runs when the component drops the resource (its last handle); does nothing unless overridden.",
            &[],
        ));
        let _ = writeln!(
            body,
            "    @{}\n    default void close() {{\n    }}\n}}",
            file.name("java.lang.Override")
        );
        file.body = body;
        Ok(file.finish(&self.origin))
    }

    /// An imported interface (or the world's root imports): the Java interface to implement, its flat
    /// form `Flat` and `define`, which puts an implementation into a linker.
    fn emit_imports(&self, ui: usize) -> GenResult<String> {
        let u = &self.units[ui];
        let mut file = self.new_file(&u.package, &["Flat".to_owned()]);
        let linker = file.name("dev.wasmbridge.component.ComponentLinker");
        let objects = file.name("java.util.Objects");
        let names = self.flat_names(ui, &["define", "Flat"]);
        let what = match &u.wit_name {
            Some(n) => format!("The imported WIT interface {{@code {n}}}"),
            None => format!(
                "The functions the WIT world {{@code {}}} imports at its root",
                self.resolve.worlds[self.world].name
            ),
        };
        let mut main = match &u.docs {
            Some(d) => format!("{d}\n\n<p>{what}, implemented in Java: implement this interface and put it into a linker with {{@link #define}}."),
            None => format!("{what}, implemented in Java: implement this interface and put it into a linker with {{@link #define}}."),
        };
        let resources: Vec<String> = u
            .resources
            .iter()
            .filter_map(|r| {
                self.types
                    .get(r)
                    .map(|(p, s)| format!("{{@link {}}}", fqn(p, s)))
            })
            .collect();
        if !resources.is_empty() {
            let _ = write!(
                main,
                "\n\n<p>Its resources are Java objects implementing {}; their constructors and static functions are methods here.",
                resources.join(", ")
            );
        }
        let mut body = javadoc("", &main, &[]);
        body.push_str(&file.generated());
        let _ = writeln!(body, "public interface {} {{", u.java_name);
        let mut flat = String::new();
        let mut adapter = String::new();
        let all_params: HashSet<String> = u
            .functions
            .iter()
            .flat_map(|f| f.params.iter().map(|p| lower_camel(&p.name)))
            .collect();
        let impl_name = fresh("impl", &all_params);
        for (f, (name, annotate)) in u.functions.iter().zip(&names) {
            let sig = self.signature(&mut file, f, ui, None)?;
            let throws = Self::throws_clause(&sig);
            let ret_kw = if sig.ret == "void" { "" } else { "return " };
            // The user-facing method (none for a resource's methods: those are on the resource).
            let target = match f.kind {
                FunctionKind::Method(_) => {
                    let r = f.kind.resource().map(|r| self.dealias_id(r));
                    let rf = r.map(|r| self.resource_functions(r)).unwrap_or_default();
                    let mut taken: HashSet<String> =
                        ["close"].iter().map(|s| s.to_string()).collect();
                    let mut method = String::new();
                    for g in rf
                        .iter()
                        .filter(|g| matches!(g.kind, FunctionKind::Method(_)))
                    {
                        let n = fresh(&lower_camel(g.item_name()), &taken);
                        taken.insert(n.clone());
                        if std::ptr::eq(*g, *f) {
                            method = n;
                        }
                    }
                    let args: Vec<String> =
                        sig.params[1..].iter().map(|p| p.java.clone()).collect();
                    format!("{}.{method}({})", sig.params[0].java, args.join(", "))
                }
                _ => {
                    body.push('\n');
                    body.push_str(&self.function_doc("    ", f, &sig, 0, &[]));
                    let _ = writeln!(
                        body,
                        "    {} {name}({}){throws};",
                        sig.ret,
                        sig.param_list()
                    );
                    let args: Vec<String> = sig.params.iter().map(|p| p.java.clone()).collect();
                    format!("{impl_name}.{name}({})", args.join(", "))
                }
            };
            flat.push('\n');
            flat.push_str(&javadoc(
                "        ",
                &format!("The WIT function {{@code {}}}.", f.name),
                &sig.params
                    .iter()
                    .map(|p| format!("@param {} {}", p.java, p.docs))
                    .chain((sig.ret != "void").then(|| "@return the result".to_owned()))
                    .chain(sig.throws.iter().map(|x| {
                        format!("@throws {} the error", x.rsplit('.').next().unwrap_or(x))
                    }))
                    .collect::<Vec<_>>(),
            ));
            if *annotate {
                let _ = writeln!(
                    flat,
                    "        {}",
                    Self::wit_name_annotation(&mut file, &f.name)
                );
            }
            let _ = writeln!(
                flat,
                "        {} {name}({}){throws};",
                sig.ret,
                sig.param_list()
            );
            let _ = writeln!(
                adapter,
                "            @{}\n            public {} {name}({}){throws} {{\n                {ret_kw}{target};\n            }}\n",
                file.name("java.lang.Override"),
                sig.ret,
                sig.param_list()
            );
        }
        // define
        let me = &u.java_name;
        let instance_expr = match &u.wit_name {
            Some(n) => format!("linker.instance(\"{n}\")"),
            None => "linker.root()".to_owned(),
        };
        body.push('\n');
        body.push_str(&javadoc(
            "    ",
            &format!(
                "Defines {} in {{@code linker}}: {}the functions, implemented by {{@code {impl_name}}}.",
                match &u.wit_name {
                    Some(n) => format!("the interface {{@code {n}}}"),
                    None => "the world's root imports".to_owned(),
                },
                if u.resources.is_empty() { "" } else { "its resources (each object's {@code close()} runs when the component drops it) and " }
            ),
            &[
                "@param linker the linker".to_owned(),
                format!("@param {impl_name} the implementation"),
                "@throws dev.wasmbridge.LinkException if a name is defined already and shadowing is off".to_owned(),
                "@throws NullPointerException if an argument is null".to_owned(),
            ],
        ));
        let _ = writeln!(
            body,
            "    static void define({linker} linker, {me} {impl_name}) {{"
        );
        let _ = writeln!(
            body,
            "        {objects}.requireNonNull({impl_name}, \"{impl_name}\");"
        );
        let _ = writeln!(
            body,
            "        {linker}.Instance instance = {instance_expr};"
        );
        for r in &u.resources {
            let (p, s) = self.types.get(r).cloned().unwrap_or_default();
            let t = file.name(&fqn(&p, &s));
            let _ = writeln!(
                body,
                "        instance.defineResource(\"{}\", {t}.class, {t}::close);",
                self.wit_type_name(*r)
            );
        }
        let _ = writeln!(
            body,
            "        instance.implement(Flat.class, new Flat() {{\n{}\n        }});\n    }}",
            adapter.trim_end()
        );
        body.push('\n');
        body.push_str(&javadoc(
            "    ",
            &format!("The functions of {} in the flat form {{@link #define}} gives the linker: a resource's methods take the resource's object first. Not for implementing directly.", match &u.wit_name {
                Some(n) => format!("{{@code {n}}}"),
                None => "the world's root imports".to_owned(),
            }),
            &[],
        ));
        let annotation = self.interface_annotation(&mut file, ui);
        if !annotation.is_empty() {
            body.push_str("    ");
            body.push_str(&annotation);
        }
        body.push_str("    interface Flat {\n");
        body.push_str(&flat);
        body.push_str("    }\n}\n");
        file.body = body;
        Ok(file.finish(&self.origin))
    }

    fn emit_exception(&self, spec: &ExceptionSpec) -> GenResult<String> {
        let mut file = self.new_file(&spec.package, &[]);
        let simple = &spec.simple;
        let exception = file.name("java.lang.Exception");
        let mut body = javadoc(
            "",
            &format!(
                "Thrown by a generated method whose WIT function returned the error case of its {{@code result}}: {}.",
                spec.what
            ),
            &[],
        );
        body.push_str(&file.generated());
        let _ = writeln!(body, "public final class {simple} extends {exception} {{");
        let _ = writeln!(body, "    private static final long serialVersionUID = 1L;");
        match spec.err {
            Some(t) => {
                let ty = self.jtype(&mut file, t, false)?;
                let string = file.name("java.lang.String");
                let _ = writeln!(body, "\n    /** The error value (not serialized). */\n    private final transient {ty} error;\n");
                body.push_str(&javadoc(
                    "    ",
                    "An exception carrying the error value {@code error}.",
                    &["@param error the error value".to_owned()],
                ));
                let _ = writeln!(
                    body,
                    "    public {simple}({ty} error) {{\n        super({string}.valueOf(error));\n        this.error = error;\n    }}\n"
                );
                body.push_str(&javadoc(
                    "    ",
                    "The error value.",
                    &["@return the error value".to_owned()],
                ));
                let _ = writeln!(
                    body,
                    "    public {ty} error() {{\n        return error;\n    }}\n}}"
                );
            }
            None => {
                body.push('\n');
                body.push_str(&javadoc(
                    "    ",
                    "An exception for an error without a value.",
                    &[],
                ));
                let _ = writeln!(
                    body,
                    "    public {simple}() {{\n        super(\"error\");\n    }}\n}}"
                );
            }
        }
        file.body = body;
        Ok(file.finish(&self.origin))
    }

    fn emit_tuple(&self, n: usize) -> String {
        let mut file = self.new_file(&self.base, &[]);
        let simple = format!("Tuple{n}");
        let mut tags: Vec<String> = (0..n)
            .map(|i| format!("@param <T{i}> the type of value {i}"))
            .collect();
        tags.extend((0..n).map(|i| format!("@param f{i} value {i}")));
        let mut body = javadoc(
            "",
            &format!("A WIT {{@code tuple}} of {n} values, by position."),
            &tags,
        );
        body.push_str(&file.generated());
        let params: Vec<String> = (0..n).map(|i| format!("T{i}")).collect();
        let components: Vec<String> = (0..n).map(|i| format!("T{i} f{i}")).collect();
        if n == 0 {
            let _ = writeln!(body, "public record {simple}() {{\n}}");
        } else {
            let _ = writeln!(
                body,
                "public record {simple}<{}>({}) {{\n}}",
                params.join(", "),
                components.join(", ")
            );
        }
        file.body = body;
        file.finish(&self.origin)
    }
}

fn unit_name(u: &Unit<'_>) -> String {
    u.wit_name.clone().unwrap_or_else(|| u.java_name.clone())
}

fn upper_camel_of(lower: &str) -> String {
    let mut chars = lower.trim_end_matches('_').chars();
    match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

struct Param {
    java: String,
    ty: String,
    /// A guest resource's wrapper class (the call passes its handle).
    wrapped: bool,
    docs: String,
}

struct Signature {
    params: Vec<Param>,
    ret: String,
    /// The result is a guest resource's wrapper class (the call wraps the handle).
    wrapped_ret: bool,
    throws: Option<String>,
}

impl Signature {
    fn list(params: &[Param]) -> String {
        params
            .iter()
            .map(|p| format!("{} {}", p.ty, p.java))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn param_list(&self) -> String {
        Self::list(&self.params)
    }
}

// ---------------------------------------------------------------------------------------------
// JNI

/// `JavaBindgen.generate0(path, world, javaPackage)`: the generated files as an array of path,
/// source, path, source, ...
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_JavaBindgen_generate0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    path: JString<'l>,
    world: JString<'l>,
    java_package: JString<'l>,
) -> JObject<'l> {
    entry(&mut env, |env| {
        let path = path.try_to_string(env)?;
        let world = if world.is_null() {
            None
        } else {
            Some(world.try_to_string(env)?)
        };
        let java_package = java_package.try_to_string(env)?;
        let files = on_wit_thread(|| generate(Path::new(&path), world.as_deref(), &java_package))?;
        let out = JObjectArray::<JString>::new(env, files.len() * 2, JString::null())?;
        for (i, (file, source)) in files.iter().enumerate() {
            // Two local references per file, let go at once: a world may make hundreds of files.
            for (j, text) in [file, source].into_iter().enumerate() {
                let s = JString::from_str(env, text)?;
                out.set_element(env, i * 2 + j, &s)?;
                env.delete_local_ref(s);
            }
        }
        Ok(JObject::from(out))
    })
}

/// Runs the generator on a thread with the stack `component::wit_text` gives wit-parser (it
/// recurses along the WIT's type nesting), mapping its failure to `IllegalArgumentException`.
fn on_wit_thread<T: Send>(f: impl FnOnce() -> GenResult<T> + Send) -> Result<T> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("wasmbridge-bindgen".into())
            .stack_size(super::WIT_STACK)
            .spawn_scoped(scope, f)
            .map_err(|e| Error::IllegalState(format!("cannot start the WIT reader: {e}")))?
            .join()
            .unwrap_or_else(|_| Err("cannot read the WIT: the reader failed".into()))
            .map_err(Error::IllegalArgument)
    })
}

#[cfg(test)]
mod tests;
