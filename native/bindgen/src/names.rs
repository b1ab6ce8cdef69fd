//! Java names from WIT names: types UpperCamelCase, members lowerCamelCase, constants UPPER_SNAKE_CASE,
//! package segments, with Java's reserved words and `Object`'s methods escaped by a trailing `_`.

use std::collections::HashSet;

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
pub(crate) fn upper_camel(name: &str) -> String {
    words(name).map(capitalized).collect()
}

/// `next-color` -> `nextColor` (a function, field or parameter name), escaped.
pub(crate) fn lower_camel(name: &str) -> String {
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
pub(crate) fn upper_snake(name: &str) -> String {
    words(name)
        .map(|w| w.to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// `error-handling` -> `error_handling` (a package name segment), escaped.
pub(crate) fn package_segment(name: &str) -> String {
    escape(
        words(name)
            .map(|w| w.to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join("_"),
    )
}

/// `default` -> `default_`: Java keywords, literals, restricted identifiers and `Object`'s methods.
fn escape(ident: String) -> String {
    if JAVA_RESERVED.contains(&ident.as_str()) || OBJECT_MEMBERS.contains(&ident.as_str()) {
        ident + "_"
    } else {
        ident
    }
}

pub(crate) fn is_java_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !JAVA_RESERVED.contains(&s)
}

/// A name from `base` that is not in `taken` (`base`, `base_`, `base__`, ...).
pub(crate) fn fresh(base: &str, taken: &HashSet<String>) -> String {
    let mut name = base.to_owned();
    while taken.contains(&name) {
        name.push('_');
    }
    name
}

/// `counterIncrement` -> `CounterIncrement` (a trailing `_` of an escaped name dropped).
pub(crate) fn upper_camel_of(lower: &str) -> String {
    let mut chars = lower.trim_end_matches('_').chars();
    match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_convert_from_kebab_case() {
        assert_eq!(upper_camel("dark-magenta"), "DarkMagenta");
        assert_eq!(upper_camel("HTTP-request"), "HttpRequest");
        assert_eq!(lower_camel("next-color"), "nextColor");
        assert_eq!(lower_camel("get-HTTP"), "getHttp");
        assert_eq!(lower_camel("utf8-decode"), "utf8Decode");
        assert_eq!(upper_snake("dark-magenta"), "DARK_MAGENTA");
        assert_eq!(package_segment("error-handling"), "error_handling");
    }

    #[test]
    fn keywords_and_object_methods_get_a_trailing_underscore() {
        assert_eq!(lower_camel("default"), "default_");
        assert_eq!(lower_camel("record"), "record_");
        assert_eq!(lower_camel("yield"), "yield_");
        assert_eq!(lower_camel("to-string"), "toString_");
        assert_eq!(lower_camel("hash-code"), "hashCode_");
        assert_eq!(package_segment("package"), "package_");
        assert_eq!(lower_camel("value"), "value");
    }

    #[test]
    fn fresh_names_avoid_the_taken_ones() {
        let taken: HashSet<String> = ["api".to_owned(), "api_".to_owned()].into();
        assert_eq!(fresh("api", &taken), "api__");
        assert_eq!(fresh("impl", &taken), "impl");
        assert!(is_java_identifier("com"));
        assert!(!is_java_identifier("class"));
        assert!(!is_java_identifier("9lives"));
    }
}
