//! Resources: a class wrapping a handle for a resource the component exports, a Java interface for
//! one it imports.

use std::collections::HashSet;
use std::fmt::Write as _;

use wit_parser::{Function, FunctionKind, TypeId};

use crate::docs::javadoc;
use crate::emit::interfaces::{Param, Signature};
use crate::jfile::fqn;
use crate::names::{fresh, lower_camel};
use crate::plan::Gen;
use crate::GenResult;

impl<'a> Gen<'a> {
    /// The resource functions of `resource` in its unit, in WIT order.
    pub(crate) fn resource_functions(&self, resource: TypeId) -> Vec<&'a Function> {
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
    /// A resource of an exported interface: an `AutoCloseable` wrapper of a handle and the bound
    /// interface, with the resource's methods.
    pub(crate) fn emit_guest_resource(
        &self,
        id: TypeId,
        package: &str,
        simple: &str,
    ) -> GenResult<String> {
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
                .map(|i| all_names[i].clone())
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
    pub(crate) fn emit_host_resource(
        &self,
        id: TypeId,
        package: &str,
        simple: &str,
    ) -> GenResult<String> {
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
}
