//! The native crate's modules stay layered: `bridge/` names no module above it, and no import
//! circle joins the top-level modules of the runtime (`store.rs` holds the features' state as
//! extensions without naming their types; see `StoreData::ext`).
//!
//! Reads the sources, so a `crate::x` path anywhere outside test code counts as a dependency on
//! `x`, whether in a `use`, a type or an expression. Comments and test code (`#[cfg(test)]`
//! modules, inline or in their own files) do not count.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The references of one top-level module: target module -> places (`file:line`).
type Refs = BTreeMap<String, Vec<String>>;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Top-level modules (files and folders of `src/`, not `lib.rs`) with their source files.
fn modules() -> BTreeMap<String, Vec<PathBuf>> {
    let mut mods = BTreeMap::new();
    for entry in fs::read_dir(src()).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            let mut files = Vec::new();
            collect(&path, &mut files);
            mods.insert(name, files);
        } else if path.extension().is_some_and(|e| e == "rs") && name != "lib" {
            mods.insert(name, vec![path]);
        }
    }
    mods
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("a source folder is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// Files that some `#[cfg(test)] mod x;` declares: test code.
fn test_files(mods: &BTreeMap<String, Vec<PathBuf>>) -> BTreeSet<PathBuf> {
    let mut test = BTreeSet::new();
    let all = mods
        .values()
        .flatten()
        .cloned()
        .chain([src().join("lib.rs")]);
    for file in all {
        let text = fs::read_to_string(&file).expect("a source file is readable");
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(name) = line
                .trim_start_matches("pub ")
                .strip_prefix("mod ")
                .and_then(|rest| rest.strip_suffix(';'))
            else {
                continue;
            };
            if i > 0 && lines[i - 1] == "#[cfg(test)]" {
                let dir = if file
                    .file_name()
                    .is_some_and(|f| f == "mod.rs" || f == "lib.rs")
                {
                    file.parent().unwrap().to_path_buf()
                } else {
                    file.with_extension("")
                };
                test.insert(dir.join(format!("{name}.rs")));
                test.insert(dir.join(name).join("mod.rs"));
            }
        }
    }
    test
}

/// `text` without comments' lines and without inline `#[cfg(test)] mod x { ... }` blocks.
fn code(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut skip_depth: Option<i32> = None;
    let mut depth = 0i32;
    let mut test_attr = false;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let opens = line.matches('{').count() as i32;
        let closes = line.matches('}').count() as i32;
        if skip_depth.is_none() && test_attr && line.contains("mod ") && line.ends_with('{') {
            skip_depth = Some(depth);
        }
        test_attr = line == "#[cfg(test)]";
        depth += opens - closes;
        if let Some(d) = skip_depth {
            if depth <= d {
                skip_depth = None;
            }
            continue;
        }
        if !line.starts_with("//") {
            out.push((n + 1, raw.to_owned()));
        }
    }
    out
}

/// The modules a `crate::` path starting at `rest` names: `x::...` or `{x, y::{...}}`.
fn named(rest: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let Some(group) = rest.strip_prefix('{') else {
        return vec![ident(rest)];
    };
    let (mut names, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                names.push(ident(&group[start..i]));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                names.push(ident(&group[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    names
}

fn graph() -> BTreeMap<String, Refs> {
    let mods = modules();
    let test = test_files(&mods);
    let mut graph = BTreeMap::new();
    for (name, files) in &mods {
        let mut refs = Refs::new();
        for file in files.iter().filter(|f| !test.contains(*f)) {
            let text = fs::read_to_string(file).expect("a source file is readable");
            // A multi-line `use crate::{...}` is read as one line.
            let lines = code(&text);
            let joined: Vec<(usize, String)> = {
                let mut v: Vec<(usize, String)> = Vec::new();
                let mut open: Option<(usize, String)> = None;
                for (n, l) in lines {
                    match open.take() {
                        Some((m, mut acc)) => {
                            acc.push_str(l.trim());
                            if acc.matches('{').count() <= acc.matches('}').count() {
                                v.push((m, acc));
                            } else {
                                open = Some((m, acc));
                            }
                        }
                        None if l.trim_start().starts_with("use crate::{")
                            && l.matches('{').count() > l.matches('}').count() =>
                        {
                            open = Some((n, l.trim().to_owned()))
                        }
                        None => v.push((n, l)),
                    }
                }
                v
            };
            let rel = file.strip_prefix(src()).unwrap().display().to_string();
            for (n, line) in joined {
                for (at, _) in line.match_indices("crate::") {
                    for target in named(&line[at + "crate::".len()..]) {
                        if &target != name && mods.contains_key(&target) {
                            refs.entry(target).or_default().push(format!("{rel}:{n}"));
                        }
                    }
                }
            }
        }
        graph.insert(name.clone(), refs);
    }
    graph
}

/// A circle of the graph, if it has one (as a path that starts and ends at one module).
fn circle(graph: &BTreeMap<String, Refs>) -> Option<Vec<String>> {
    fn visit(
        m: &str,
        graph: &BTreeMap<String, Refs>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(m.to_owned(), 1);
        path.push(m.to_owned());
        for next in graph[m].keys() {
            match state.get(next) {
                Some(1) => {
                    let from = path.iter().position(|p| p == next).unwrap();
                    let mut c = path[from..].to_vec();
                    c.push(next.clone());
                    return Some(c);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(next, graph, state, path) {
                        return Some(c);
                    }
                }
            }
        }
        path.pop();
        state.insert(m.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in graph.keys() {
        if !state.contains_key(m) {
            if let Some(c) = visit(m, graph, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn the_bridge_names_nothing_above_it() {
    let graph = graph();
    assert!(
        graph["bridge"].is_empty(),
        "bridge/ names modules above it: {:?}",
        graph["bridge"]
    );
}

#[test]
fn no_import_circle_joins_the_top_level_modules() {
    let graph = graph();
    if let Some(c) = circle(&graph) {
        let steps: Vec<String> = c
            .windows(2)
            .map(|w| format!("{} -> {} at {:?}", w[0], w[1], graph[&w[0]][&w[1]]))
            .collect();
        panic!("an import circle: {}", steps.join("; "));
    }
}

/// The reader itself: the places it must see, and what it must not.
#[test]
fn the_reader_finds_paths_and_skips_comments_and_tests() {
    assert_eq!(named("store::{self, X}"), vec!["store"]);
    assert_eq!(
        named("{bridge::abi, store::{Stop, StoreData}, wasi}"),
        vec!["bridge", "store", "wasi"]
    );
    let text = "use crate::a;\n// crate::b\n#[cfg(test)]\nmod tests {\n    use crate::c;\n}\nfn f() { crate::d::g() }\n";
    let lines: Vec<String> = code(text).into_iter().map(|(_, l)| l).collect();
    assert_eq!(
        lines,
        vec!["use crate::a;", "#[cfg(test)]", "fn f() { crate::d::g() }"]
    );
    let mut g = BTreeMap::new();
    g.insert("a".to_owned(), Refs::from([("b".to_owned(), vec![])]));
    g.insert("b".to_owned(), Refs::from([("a".to_owned(), vec![])]));
    assert_eq!(circle(&g), Some(vec!["a".into(), "b".into(), "a".into()]));
    // And on the real sources it sees the runtime's dependencies on the store and the bridge.
    let graph = graph();
    assert!(graph["func"].contains_key("store"), "{:?}", graph["func"]);
    assert!(graph["component"].contains_key("bridge"));
    assert!(graph["http"].contains_key("wasi"));
}
