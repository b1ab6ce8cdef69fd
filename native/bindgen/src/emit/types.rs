//! Records, variants, enums and flags, the exception classes of `result` errors, and the `TupleN` records.

use std::fmt::Write as _;

use wit_parser::{Docs, TypeDefKind, TypeId};

use crate::docs::{doc_text, javadoc, tag_text};
use crate::jfile::fqn;
use crate::names::{lower_camel, upper_camel, upper_snake};
use crate::plan::{ExceptionSpec, Gen};
use crate::GenResult;

impl Gen<'_> {
    pub(crate) fn emit_record(&self, id: TypeId, package: &str, simple: &str) -> GenResult<String> {
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
            let ann = Self::wit_name_annotation(&mut file, &field.name);
            components.push(format!("        {ann} {ty} {java}"));
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

    pub(crate) fn emit_enum(&self, id: TypeId, package: &str, simple: &str) -> GenResult<String> {
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
            let _ = writeln!(body, "    {}", Self::wit_name_annotation(&mut file, name));
            let sep = if i + 1 < n { "," } else { "" };
            let _ = writeln!(body, "    {java}{sep}");
        }
        body.push_str("}\n");
        file.body = body;
        Ok(file.finish(&self.origin))
    }

    pub(crate) fn emit_variant(
        &self,
        id: TypeId,
        package: &str,
        simple: &str,
    ) -> GenResult<String> {
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
            let _ = writeln!(
                body,
                "    {}",
                Self::wit_name_annotation(&mut file, &case.name)
            );
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

    pub(crate) fn emit_exception(&self, spec: &ExceptionSpec) -> GenResult<String> {
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

    pub(crate) fn emit_tuple(&self, n: usize) -> String {
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
