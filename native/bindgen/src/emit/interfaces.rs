//! Java interfaces for WIT interfaces: an exported one to bind to an instance, an imported one to
//! implement and define in a linker; function signatures and their Javadoc.

use std::collections::HashSet;
use std::fmt::Write as _;

use wit_parser::{Function, FunctionKind, Type};

use crate::docs::{doc_text, javadoc};
use crate::jfile::{fqn, JFile};
use crate::names::{fresh, lower_camel};
use crate::plan::{Gen, Side};
use crate::GenResult;

impl<'a> Gen<'a> {
    /// The parameters of a function as Java (name, type), and the Java return type and thrown
    /// exception (the exception form for a returned `result`). `wrap` makes handles of the guest
    /// resources of unit `wrap` (at the top level) their wrapper classes.
    pub(crate) fn signature(
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
    pub(crate) fn function_doc(
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

    pub(crate) fn throws_clause(sig: &Signature) -> String {
        sig.throws
            .as_ref()
            .map(|x| format!(" throws {x}"))
            .unwrap_or_default()
    }

    /// The Java method names of a unit's functions in the flat form, unique within it (each carries
    /// `@WitName` with its WIT name, so what the name became here never matters to the runtime).
    pub(crate) fn flat_names(&self, ui: usize, reserved: &[&str]) -> Vec<String> {
        let mut taken: HashSet<String> = reserved.iter().map(|s| s.to_string()).collect();
        let fs = &self.units[ui].functions;
        let mut names = vec![String::new(); fs.len()];
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
            names[i] = name;
        }
        names
    }

    pub(crate) fn interface_annotation(&self, file: &mut JFile, ui: usize) -> String {
        match &self.units[ui].wit_name {
            Some(n) => format!(
                "@{}(\"{n}\")\n",
                file.name("dev.wasmbridge.component.WitInterface")
            ),
            None => String::new(),
        }
    }

    /// An exported interface (or the world's root exports): a Java interface to bind to an instance.
    pub(crate) fn emit_exports(&self, ui: usize) -> GenResult<String> {
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
        for (f, name) in u.functions.iter().zip(&names) {
            let sig = self.signature(&mut file, f, ui, None)?;
            body.push('\n');
            body.push_str(&self.function_doc("    ", f, &sig, 0, &[]));
            let _ = writeln!(
                body,
                "    {}",
                Self::wit_name_annotation(&mut file, &f.name)
            );
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

    /// An imported interface (or the world's root imports): the Java interface to implement, its flat
    /// form `Flat` and `define`, which puts an implementation into a linker.
    pub(crate) fn emit_imports(&self, ui: usize) -> GenResult<String> {
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
        for (f, name) in u.functions.iter().zip(&names) {
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
            let _ = writeln!(
                flat,
                "        {}",
                Self::wit_name_annotation(&mut file, &f.name)
            );
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
}

pub(crate) struct Param {
    pub(crate) java: String,
    pub(crate) ty: String,
    /// A guest resource's wrapper class (the call passes its handle).
    pub(crate) wrapped: bool,
    pub(crate) docs: String,
}

pub(crate) struct Signature {
    pub(crate) params: Vec<Param>,
    pub(crate) ret: String,
    /// The result is a guest resource's wrapper class (the call wraps the handle).
    pub(crate) wrapped_ret: bool,
    pub(crate) throws: Option<String>,
}

impl Signature {
    pub(crate) fn list(params: &[Param]) -> String {
        params
            .iter()
            .map(|p| format!("{} {}", p.ty, p.java))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(crate) fn param_list(&self) -> String {
        Self::list(&self.params)
    }
}
