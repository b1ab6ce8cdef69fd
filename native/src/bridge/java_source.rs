//! Reading the Java sources of the constants both sides share, for the tests that check Java and
//! Rust agree (`abi.rs`'s, and those of the runtime's own tables: `shapes.rs`, `http/`).

/// The core module's Java sources, from the crate's directory.
pub const JAVA: &str = "../java/core/src/main/java/dev/wasmbridge";

/// The text of `file`, relative to [`JAVA`].
pub fn java(file: &str) -> String {
    let path = format!("{}/{JAVA}/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// `static final int|long NAME = VALUE;` lines of a Java source, in order.
pub fn java_constants(src: &str) -> Vec<(String, i64)> {
    src.lines()
        .map(str::trim)
        .filter_map(|l| {
            let rest = l
                .strip_prefix("static final int ")
                .or_else(|| l.strip_prefix("static final long "))?;
            let (name, value) = rest.strip_suffix(';')?.split_once(" = ")?;
            Some((name.to_owned(), value.trim_end_matches('L').parse().ok()?))
        })
        .collect()
}

/// The constants of `enum NAME { ... }` in a Java source, in declaration order, each with the
/// text of its first string argument if it has one.
pub fn java_enum(src: &str, name: &str) -> Vec<(String, Option<String>)> {
    let start = src
        .find(&format!("enum {name} "))
        .unwrap_or_else(|| panic!("no enum {name}"));
    let body = &src[start..];
    let body = &body[body.find('{').expect("enum body") + 1..];
    let mut out = Vec::new();
    for line in body.lines().map(str::trim) {
        if line.starts_with("/**") || line.starts_with('*') || line.starts_with("//") {
            continue;
        }
        let ident: String = line
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
            .collect();
        if ident.is_empty() {
            if line.is_empty() {
                continue;
            }
            break;
        }
        let rest = &line[ident.len()..];
        if !(rest.is_empty() || rest.starts_with([',', ';', '('])) {
            break;
        }
        let text = rest
            .split_once('"')
            .and_then(|(_, r)| r.split_once('"'))
            .map(|(t, _)| t.to_owned());
        out.push((ident, text));
        if rest.ends_with(';') {
            break;
        }
    }
    out
}

/// The names of [`java_enum`]'s constants.
pub fn names(v: &[(String, Option<String>)]) -> Vec<&str> {
    v.iter().map(|(n, _)| n.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_enum_reader_reads_constants_and_their_first_string() {
        let src = "enum E {\n /** doc */\n A(\"x\", 1),\n\n B_2(\"y\") ,\n C;\n int f; }";
        assert_eq!(
            java_enum(src, "E"),
            [
                ("A".into(), Some("x".into())),
                ("B_2".into(), Some("y".into())),
                ("C".into(), None)
            ]
        );
    }
}
