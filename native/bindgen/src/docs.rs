//! Javadoc from WIT doc comments: HTML-escaped text, `code` spans, paragraphs and fenced blocks.

use std::fmt::Write as _;

use wit_parser::Docs;

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
pub(crate) fn doc_text(docs: &Docs) -> Option<String> {
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
pub(crate) fn javadoc(indent: &str, main: &str, tags: &[String]) -> String {
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
pub(crate) fn tag_text(docs: &Docs, fallback: String) -> String {
    doc_text(docs)
        .map(|t| t.replace("\n\n<p>", " ").replace('\n', " "))
        .unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn javadoc_text_is_escaped_and_code_spans_kept() {
        assert_eq!(doc_html("\"Hello, <name>!\""), "\"Hello, &lt;name&gt;!\"");
        assert_eq!(
            doc_html("uses `dark-magenta` here"),
            "uses {@code dark-magenta} here"
        );
        assert_eq!(doc_html("a `{x}` b"), "a <code>{x}</code> b");
        assert_eq!(doc_html("end */ @see"), "end *&#47; &#64;see");
        assert_eq!(doc_html("odd ` tick"), "odd ` tick");
        let docs = Docs {
            contents: Some("Intro `x`.\n\n```text\nif (a) {\n\tb(@c)\n}\n```\nAfter.".to_owned()),
        };
        assert_eq!(
            doc_text(&docs).as_deref(),
            Some("Intro {@code x}.\n<pre>\nif (a) {\n\tb(&#64;c)\n}\n</pre>\nAfter.")
        );
    }
}
