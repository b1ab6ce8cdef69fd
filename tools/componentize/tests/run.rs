//! The tests/c programs as WASI 0.2 components behave like their preview 1 builds.
//!
//! The first test to need them runs `scripts/build-wasm-tests.sh <target>/tmp/test-wasm` (clang-14 compiles
//! tests/c/*.c into preview 1 modules, installing itself with apt-get when missing), with COMPONENTIZE set to
//! the componentize binary cargo built for these tests, so the script's componentize step writes
//! `<target>/tmp/test-wasm/p2/<name>.wasm` without a nested cargo build. Each program then runs twice with
//! the same inputs as java/core's WasiTest gives it: the preview 1 module through
//! `wasmtime_wasi::p1::add_to_linker_sync` (what wasmbridge's Linker.defineWasi does) and the component as
//! the Wasmtime CLI runs a command (`wasmtime_wasi::p2::add_to_linker_sync`, `Command`,
//! `wasi:cli/run.run`). The tests assert what WasiTest asserts, and that both builds agree, except where
//! noted (see `exit_codes`).
//!
//! The module `python` (tests/run/python.rs, in this binary so that Wasmtime is linked into one test
//! binary only) checks the componentize-py component; it is ignored unless WASMBRIDGE_PY_COMPONENT is set.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use wasmtime::component::{Component, ResourceTable};
use wasmtime::{Engine, Module, Store};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::bindings::sync::Command;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The directory with the preview 1 modules, and p2/ with the components; built once per test binary.
fn programs() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("test-wasm");
        let started = Instant::now();
        let status = Process::new("bash")
            .arg(root().join("scripts/build-wasm-tests.sh"))
            .arg(&out)
            .env("COMPONENTIZE", env!("CARGO_BIN_EXE_componentize"))
            .status()
            .expect("cannot run bash");
        assert!(
            status.success(),
            "scripts/build-wasm-tests.sh failed: {status}"
        );
        eprintln!("build-wasm-tests.sh took {:?}", started.elapsed());
        out
    })
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::default)
}

fn module(name: &str) -> Module {
    static MODULES: OnceLock<Mutex<HashMap<String, Module>>> = OnceLock::new();
    let mut cache = MODULES.get_or_init(Default::default).lock().unwrap();
    cache
        .entry(name.to_owned())
        .or_insert_with(|| {
            Module::from_file(engine(), programs().join(format!("{name}.wasm"))).unwrap()
        })
        .clone()
}

fn component(name: &str) -> Component {
    static COMPONENTS: OnceLock<Mutex<HashMap<String, Component>>> = OnceLock::new();
    let mut cache = COMPONENTS.get_or_init(Default::default).lock().unwrap();
    cache
        .entry(name.to_owned())
        .or_insert_with(|| {
            Component::from_file(engine(), programs().join(format!("p2/{name}.wasm"))).unwrap()
        })
        .clone()
}

/// What a program gets: WasiTest's WasiConfig.
#[derive(Clone, Default)]
struct Input {
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Vec<u8>,
    /// host directory, guest path, read-only
    preopens: Vec<(PathBuf, String, bool)>,
    /// The capacity of the stdout capture (1 MiB when 0).
    stdout_capacity: usize,
}

impl Input {
    fn args(args: &[&str]) -> Input {
        Input {
            args: args.iter().map(|s| s.to_string()).collect(),
            ..Input::default()
        }
    }

    fn env(mut self, k: &str, v: &str) -> Input {
        // Like WasiConfig.Builder.env: a name given again keeps its place and takes the new value.
        match self.env.iter_mut().find(|(name, _)| name == k) {
            Some(entry) => entry.1 = v.into(),
            None => self.env.push((k.into(), v.into())),
        }
        self
    }

    fn stdin(mut self, bytes: &[u8]) -> Input {
        self.stdin = bytes.to_vec();
        self
    }

    fn preopen(mut self, host: &Path, guest: &str, read_only: bool) -> Input {
        self.preopens
            .push((host.to_owned(), guest.into(), read_only));
        self
    }
}

/// How a program ended.
#[derive(Debug, Clone, PartialEq)]
enum End {
    /// `_start` returned (preview 1), `run` returned `ok` (0.2).
    Returned,
    /// `run` returned `err` (0.2 only): the Wasmtime CLI's exit status 1.
    RunErr,
    /// proc_exit / wasi:cli/exit.
    Exit(i32),
    /// A trap, with its message and cause chain.
    Trap(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Run {
    end: End,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl Run {
    /// The exit status the Wasmtime CLI gives a program that did not trap.
    fn code(&self) -> i32 {
        match &self.end {
            End::Returned => 0,
            End::RunErr => 1,
            End::Exit(code) => *code,
            End::Trap(e) => panic!("trapped: {e}"),
        }
    }

    fn out(&self) -> String {
        String::from_utf8(self.stdout.clone()).unwrap()
    }

    fn err(&self) -> String {
        String::from_utf8(self.stderr.clone()).unwrap()
    }

    fn lines(&self) -> Vec<String> {
        self.out().lines().map(str::to_owned).collect()
    }
}

fn ended(result: wasmtime::Result<End>) -> End {
    match result {
        Ok(end) => end,
        Err(e) => match e.downcast_ref::<I32Exit>() {
            Some(exit) => End::Exit(exit.0),
            None => End::Trap(format!("{e:?}")),
        },
    }
}

/// A context builder with `input`, and its capture pipes.
fn builder(input: &Input) -> (WasiCtxBuilder, MemoryOutputPipe, MemoryOutputPipe) {
    let stdout = MemoryOutputPipe::new(match input.stdout_capacity {
        0 => 1 << 20,
        n => n,
    });
    let stderr = MemoryOutputPipe::new(1 << 20);
    let mut b = WasiCtxBuilder::new();
    b.allow_blocking_current_thread(true)
        .args(&input.args)
        .envs(&input.env)
        .stdin(MemoryInputPipe::new(input.stdin.clone()))
        .stdout(stdout.clone())
        .stderr(stderr.clone());
    for (host, guest, read_only) in &input.preopens {
        let perms = if *read_only {
            FsPerms::ReadOnly
        } else {
            FsPerms::ReadWrite
        };
        b.preopened_dir(host, guest, perms).unwrap();
    }
    (b, stdout, stderr)
}

/// The preview 1 module, the way wasmbridge's Linker.defineWasi runs it.
fn run_p1(program: &str, input: &Input) -> Run {
    let (mut b, stdout, stderr) = builder(input);
    let mut store: Store<WasiP1Ctx> = Store::new(engine(), b.build_p1());
    let mut linker = wasmtime::Linker::new(engine());
    wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |cx| cx).unwrap();
    let end = ended((|| {
        let instance = linker.instantiate(&mut store, &module(program))?;
        let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
        start.call(&mut store, ())?;
        Ok(End::Returned)
    })());
    Run {
        end,
        stdout: stdout.contents().to_vec(),
        stderr: stderr.contents().to_vec(),
    }
}

struct P2 {
    ctx: WasiCtx,
    table: ResourceTable,
}

impl WasiView for P2 {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }
}

/// The component, the way the Wasmtime CLI runs a command.
fn run_p2(program: &str, input: &Input) -> Run {
    let (mut b, stdout, stderr) = builder(input);
    let data = P2 {
        ctx: b.build(),
        table: ResourceTable::new(),
    };
    let mut store = Store::new(engine(), data);
    let mut linker = wasmtime::component::Linker::new(engine());
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).unwrap();
    // Instantiation must work: a missing import is a failed test, not a trap to compare.
    let command = Command::instantiate(&mut store, &component(program), &linker)
        .unwrap_or_else(|e| panic!("instantiating p2/{program}.wasm: {e:?}"));
    let end = ended(
        command
            .wasi_cli_run()
            .call_run(&mut store)
            .map(|r| match r {
                Ok(()) => End::Returned,
                Err(()) => End::RunErr,
            }),
    );
    Run {
        end,
        stdout: stdout.contents().to_vec(),
        stderr: stderr.contents().to_vec(),
    }
}

/// Runs both builds with the same input and checks that they agree; returns the component's run.
fn run(program: &str, input: Input) -> Run {
    let p1 = run_p1(program, &input);
    let p2 = run_p2(program, &input);
    assert_eq!(
        p1, p2,
        "{program}: preview 1 (left) and component (right) differ"
    );
    p2
}

fn lines(expected: &[&str]) -> Vec<String> {
    expected.iter().map(|s| s.to_string()).collect()
}

/// Deterministic pseudo-random bytes.
fn payload(size: usize) -> Vec<u8> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    (0..size)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect()
}

/// A fresh empty directory under the test's temporary directory.
fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("componentize-run")
        .join(format!("{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn names(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect()
}

// The components themselves

#[test]
fn every_program_is_a_command_component_importing_only_wasi_0_2() {
    let sources: BTreeSet<String> = fs::read_dir(root().join("tests/c"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".c").map(str::to_owned)
        })
        .collect();
    assert!(!sources.is_empty());
    let mut all = BTreeSet::new();
    for name in &sources {
        let path = programs().join(format!("p2/{name}.wasm"));
        let bytes = fs::read(&path).unwrap();
        assert!(
            wasmparser::Parser::is_component(&bytes),
            "{}",
            path.display()
        );
        // The script's component is what the library makes in-process: the encoding is deterministic.
        let module = fs::read(programs().join(format!("{name}.wasm"))).unwrap();
        let (kind, encoded) = wasmbridge_componentize::componentize(&module).unwrap();
        assert_eq!(kind, wasmbridge_componentize::Kind::Command);
        assert!(encoded == bytes, "{name}: the script's component differs");
        let ty = component(name).component_type();
        let imports: Vec<String> = ty.imports(engine()).map(|(n, _)| n.to_owned()).collect();
        let exports: Vec<String> = ty.exports(engine()).map(|(n, _)| n.to_owned()).collect();
        for import in &imports {
            assert!(
                import.starts_with("wasi:") && import.contains("@0.2."),
                "{name} imports {import}"
            );
        }
        assert_eq!(exports.len(), 1, "{name} exports {exports:?}");
        assert!(
            exports[0].starts_with("wasi:cli/run@0.2."),
            "{name} exports {exports:?}"
        );
        eprintln!(
            "p2/{name}.wasm: {} bytes, {} imports",
            bytes.len(),
            imports.len()
        );
        all.extend(imports);
        all.extend(exports);
    }
    eprintln!("interfaces: {all:?}");
}

#[test]
fn the_library_refuses_what_is_not_a_preview1_module() {
    use wasmbridge_componentize::{componentize, inspect, Kind};
    let not_wasm = componentize(b"hello").unwrap_err().to_string();
    assert!(not_wasm.contains("not a WebAssembly binary"), "{not_wasm}");
    let truncated = componentize(b"\0asm\x01\0\0\0\x01")
        .unwrap_err()
        .to_string();
    assert!(!truncated.is_empty());
    let component = fs::read(programs().join("p2/echo.wasm")).unwrap();
    let already = componentize(&component).unwrap_err().to_string();
    assert!(already.contains("already a component"), "{already}");
    // (module (func (export "_start"))): a command with no WASI import.
    let no_wasi: &[u8] = &[
        0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, // header
        1, 4, 1, 0x60, 0, 0, // type section: () -> ()
        3, 2, 1, 0, // function section
        7, 0x0a, 1, 6, b'_', b's', b't', b'a', b'r', b't', 0, 0, // export "_start"
        0x0a, 4, 1, 2, 0, 0x0b, // code section
    ];
    assert_eq!(inspect(no_wasi).unwrap().kind, Kind::Command);
    let e = componentize(no_wasi).unwrap_err().to_string();
    assert!(
        e.contains("imports nothing from wasi_snapshot_preview1"),
        "{e}"
    );
    // Invalid code is reported by wit-component's validation, not a panic.
    let mut invalid = no_wasi.to_vec();
    let end = invalid.len() - 1;
    invalid[end] = 0x00; // the body's `end` becomes `unreachable`: no end
    assert!(componentize(&invalid).is_err());
}

#[test]
fn the_binary_reports_errors_on_stderr_with_status_1() {
    let bin = env!("CARGO_BIN_EXE_componentize");
    let dir = temp_dir("binary");
    let usage = Process::new(bin).output().unwrap();
    assert_eq!(usage.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("usage: componentize IN.wasm OUT.wasm"));
    let text = dir.join("text.wasm");
    fs::write(&text, "not wasm").unwrap();
    let bad = Process::new(bin)
        .arg(&text)
        .arg(dir.join("out.wasm"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.starts_with("componentize: ") && stderr.contains("not a WebAssembly binary"),
        "{stderr}"
    );
    assert!(!dir.join("out.wasm").exists());
    let missing = Process::new(bin)
        .arg(dir.join("missing.wasm"))
        .arg(dir.join("out.wasm"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    let ok = Process::new(bin)
        .arg(programs().join("args.wasm"))
        .arg(dir.join("out.wasm"))
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(ok.stdout.is_empty() && ok.stderr.is_empty());
    assert_eq!(
        fs::read(dir.join("out.wasm")).unwrap(),
        fs::read(programs().join("p2/args.wasm")).unwrap()
    );
}

// Arguments and environment

#[test]
fn arguments_reach_the_program_exactly() {
    let r = run(
        "args",
        Input::args(&["args.wasm", "one", "two words", "", "ünïcødé ✓"]),
    );
    assert_eq!(r.code(), 0);
    assert_eq!(
        r.lines(),
        lines(&[
            "argc=5",
            "argv[0]=args.wasm",
            "argv[1]=one",
            "argv[2]=two words",
            "argv[3]=",
            "argv[4]=ünïcødé ✓"
        ])
    );
    assert_eq!(run("args", Input::default()).out(), "argc=0\n");
    assert_eq!(
        run("args", Input::args(&["args", "shared"])).lines(),
        lines(&["argc=2", "argv[0]=args", "argv[1]=shared"])
    );
}

#[test]
fn explicit_environment_is_all_the_program_sees() {
    let input = Input::args(&["env"])
        .env("A", "1")
        .env("B", "two words=x")
        .env("A", "replaced");
    let r = run("env", input);
    assert_eq!(r.lines(), lines(&["A=replaced", "B=two words=x"]));
    assert_eq!(r.err(), "2 variables\n");
}

#[test]
fn inherited_environment_with_explicit_variables_winning() {
    let mut input = Input::args(&["env"]);
    let mut expected = BTreeMap::new();
    for (k, v) in std::env::vars_os() {
        if let (Some(k), Some(v)) = (k.to_str(), v.to_str()) {
            if k != "PATH" && k != "WASMBRIDGE_EXTRA" {
                input = input.env(k, v);
                expected.insert(k.to_owned(), v.to_owned());
            }
        }
    }
    input = input.env("PATH", "/override").env("WASMBRIDGE_EXTRA", "x");
    expected.insert("PATH".into(), "/override".into());
    expected.insert("WASMBRIDGE_EXTRA".into(), "x".into());
    let r = run("env", input);
    assert_eq!(r.err(), format!("{} variables\n", expected.len()));
    let mut seen = BTreeMap::new();
    for line in r.lines() {
        if let Some((k, v)) = line.split_once('=') {
            if !k.is_empty() {
                seen.insert(k.to_owned(), v.to_owned());
            }
        }
    }
    expected.retain(|_, v| !v.contains('\n'));
    seen.retain(|k, _| expected.contains_key(k));
    assert_eq!(seen, expected);
    let single = run(
        "env",
        Input::args(&["env", "PATH", "NOT_SET_ANYWHERE"]).env("PATH", "/override"),
    );
    assert_eq!(
        single.lines(),
        lines(&["PATH=/override", "NOT_SET_ANYWHERE unset"])
    );
}

// Standard streams

#[test]
fn stdin_is_echoed_to_stdout() {
    let input = payload(100_000);
    let r = run("echo", Input::default().stdin(&input));
    assert_eq!(r.code(), 0);
    assert!(r.stdout == input, "stdout differs from stdin");
    assert_eq!(r.err(), "echoed 100000 bytes\n");
    let empty = run("echo", Input::default());
    assert_eq!(empty.out(), "");
    assert_eq!(empty.err(), "echoed 0 bytes\n");
}

#[test]
fn a_full_stdout_capture_is_a_write_error_for_the_guest() {
    // WasiTest.captureStopsAtItsLimitWithAnIOError: the guest sees EIO at the capture's limit and
    // returns 3 from main. Both builds see the same EIO; the component's exit status is 1, not 3, because
    // the adapter's proc_exit knows only success and failure (see exit_codes).
    let input = Input {
        stdin: payload(100),
        stdout_capacity: 10,
        ..Input::default()
    };
    let p1 = run_p1("echo", &input);
    assert_eq!(p1.end, End::Exit(3));
    assert_eq!(p1.stdout, payload(10));
    assert_eq!(p1.err(), "stdout write failed: I/O error (errno 29)\n");
    let p2 = run_p2("echo", &input);
    assert_eq!(p2.end, End::Exit(1));
    assert_eq!((&p2.stdout, &p2.stderr), (&p1.stdout, &p1.stderr));
}

// Files

#[test]
fn a_read_write_preopen_supports_every_file_operation() {
    let dir = temp_dir("rw");
    fs::write(dir.join("given.txt"), "from the host\n").unwrap();
    for build in ["p1", "p2"] {
        // Each build starts from the same directory contents.
        for name in names(&dir) {
            if name != "given.txt" {
                fs::remove_file(dir.join(name)).unwrap();
            }
        }
        let input = Input::args(&["files", "rw", "/data"]).preopen(&dir, "/data", false);
        let r = if build == "p1" {
            run_p1("files", &input)
        } else {
            run_p2("files", &input)
        };
        assert_eq!(r.code(), 0, "{build}: {}", r.out());
        assert_eq!(
            r.lines(),
            lines(&[
                "create: ok",
                "exclusive create of an existing file: refused (File exists)",
                "read a.txt: hello, preopen",
                "size: 15, regular: 1",
                "rename: ok",
                "read b.txt: hello, preopen",
                "read sub/c.txt: c",
                "more",
                "list: b.txt given.txt sub",
                "list sub: c.txt",
                "read given.txt: from the host",
                "delete: ok",
                "list: b.txt given.txt",
            ]),
            "{build}"
        );
        assert_eq!(
            fs::read_to_string(dir.join("b.txt")).unwrap(),
            "hello, preopen\n"
        );
        assert_eq!(
            names(&dir),
            BTreeSet::from(["b.txt".to_owned(), "given.txt".to_owned()])
        );
    }
}

#[test]
fn a_read_only_preopen_refuses_every_change() {
    let dir = temp_dir("ro");
    fs::write(dir.join("given.txt"), "read me\n").unwrap();
    let r = run(
        "files",
        Input::args(&["files", "ro", "/data"]).preopen(&dir, "/data", true),
    );
    assert_eq!(r.code(), 0, "{}", r.out());
    let lines = r.lines();
    assert_eq!(lines[0], "read given.txt: read me");
    assert_eq!(lines[1], "list: given.txt");
    let attempts = &lines[2..lines.len() - 1];
    assert_eq!(attempts.len(), 8, "{}", r.out());
    for line in attempts {
        assert!(line.contains(": refused ("), "{line}");
    }
    assert_eq!(lines[lines.len() - 1], "read given.txt again: read me");
    assert_eq!(names(&dir), BTreeSet::from(["given.txt".to_owned()]));
}

/// root/outside/secret.txt, and root/sandbox with inside.txt, sub/, and symlinks link-file (to the
/// secret), link-dir (to outside/) and link-up (to ..).
fn sandbox(root: &Path) -> PathBuf {
    let outside = root.join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("secret.txt"), "TOP SECRET\n").unwrap();
    let sandbox = root.join("sandbox");
    fs::create_dir(&sandbox).unwrap();
    fs::write(sandbox.join("inside.txt"), "inside\n").unwrap();
    fs::create_dir(sandbox.join("sub")).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), sandbox.join("link-file")).unwrap();
    std::os::unix::fs::symlink(&outside, sandbox.join("link-dir")).unwrap();
    std::os::unix::fs::symlink("..", sandbox.join("link-up")).unwrap();
    sandbox
}

fn assert_no_escape(name: &str, guest: &str) {
    for build in ["p1", "p2"] {
        let root = temp_dir(&format!("{name}-{build}"));
        let sandbox = sandbox(&root);
        let secret = root.join("outside/secret.txt");
        let input = Input::args(&["escape", guest, secret.to_str().unwrap()])
            .preopen(&sandbox, guest, false);
        let r = if build == "p1" {
            run_p1("escape", &input)
        } else {
            run_p2("escape", &input)
        };
        assert_eq!(r.code(), 0, "{build}: {}{}", r.out(), r.err());
        let lines = r.lines();
        assert_eq!(
            lines.last().map(String::as_str),
            Some("done"),
            "{}",
            r.out()
        );
        let mut attempts = 0;
        for line in &lines[..lines.len() - 1] {
            if line.starts_with("control ") {
                assert!(line.ends_with(": ok"), "{build}: {line}");
            } else {
                attempts += 1;
                assert!(
                    line.contains(": refused (") && !line.contains("ESCAPED"),
                    "{build}: {line}"
                );
            }
        }
        assert_eq!(attempts, 20, "{build}: {}", r.out());
        assert_eq!(
            names(&root),
            BTreeSet::from(["outside".to_owned(), "sandbox".to_owned()])
        );
        assert_eq!(
            names(&root.join("outside")),
            BTreeSet::from(["secret.txt".to_owned()])
        );
        assert_eq!(fs::read_to_string(&secret).unwrap(), "TOP SECRET\n");
        assert!(sandbox.join("inside.txt").exists());
        // The exact refusals are printed side by side by escape_reasons_agree.
    }
}

#[test]
fn the_guest_cannot_leave_a_preopen() {
    assert_no_escape("escape", "/sandbox");
}

#[test]
fn the_guest_cannot_leave_a_preopen_mounted_as_root() {
    assert_no_escape("escape-root", "/");
}

#[test]
fn escape_reasons_agree() {
    // The same attempts are refused for the same reasons (errno) in both builds.
    let mut outputs = Vec::new();
    for build in ["p1", "p2"] {
        let root = temp_dir(&format!("reasons-{build}"));
        let sandbox = sandbox(&root);
        let secret = root.join("outside/secret.txt");
        let input = Input::args(&["escape", "/sandbox", secret.to_str().unwrap()])
            .preopen(&sandbox, "/sandbox", false);
        let r = if build == "p1" {
            run_p1("escape", &input)
        } else {
            run_p2("escape", &input)
        };
        outputs.push(r.out());
    }
    assert_eq!(outputs[0], outputs[1]);
}

// Clocks and randomness

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[test]
fn clocks_and_randomness_work() {
    let mut randoms = Vec::new();
    for build in ["p1", "p2"] {
        let before = now_ms();
        let r = if build == "p1" {
            run_p1("clock_random", &Input::default())
        } else {
            run_p2("clock_random", &Input::default())
        };
        let after = now_ms();
        assert_eq!(r.code(), 0, "{build}: {}", r.err());
        let v: HashMap<String, String> = r
            .lines()
            .iter()
            .map(|l| {
                let (k, v) = l.split_once('=').unwrap();
                (k.to_owned(), v.to_owned())
            })
            .collect();
        let realtime: i64 = v["realtime_ms"].parse().unwrap();
        assert!(
            realtime >= before - 1000 && realtime <= after + 1000,
            "{build}: {realtime} not in {before}..{after}"
        );
        let time: i64 = v["time"].parse().unwrap();
        assert!(
            (time * 1000 - realtime).abs() < 5000,
            "{build}: time() {time}"
        );
        assert_eq!(v["monotonic_ok"], "1", "{build}");
        let slept: i64 = v["slept_ms"].parse().unwrap();
        assert!((20..10_000).contains(&slept), "{build}: slept {slept} ms");
        assert!(v["resolution_ns"].parse::<i64>().unwrap() > 0, "{build}");
        for key in ["random1", "random2"] {
            let hex = &v[key];
            assert!(
                hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
                "{build}: {hex}"
            );
            assert!(hex.bytes().any(|b| b != b'0'), "{build}: {hex}");
            randoms.push(hex.clone());
        }
    }
    let distinct: BTreeSet<_> = randoms.iter().collect();
    assert_eq!(distinct.len(), randoms.len(), "{randoms:?}");
}

// Exit codes

/// The one place where the builds differ: Wasmtime 48's preview-1 adapter implements `proc_exit(n)` as
/// `wasi:cli/exit.exit(if n == 0 { ok } else { err })`, and wasmtime-wasi turns `err` into exit status 1,
/// so every nonzero status becomes 1 (the adapter does not use the unstable `exit-with-code`). For the same
/// reason the preview 1 host's rule that statuses from 126 on are traps never applies to the component.
#[test]
fn exit_codes() {
    let r = run("exit", Input::args(&["exit", "return0"]));
    assert_eq!(r.end, End::Returned);
    assert_eq!(r.out(), "bye");
    let r = run("exit", Input::args(&["exit", "exit0"]));
    assert_eq!(r.end, End::Exit(0));
    assert_eq!(r.out(), "bye");
    for (how, code) in [
        ("exit1", 1),
        ("exit42", 42),
        ("return7", 7),
        ("exit125", 125),
    ] {
        let input = Input::args(&["exit", how]);
        let p1 = run_p1("exit", &input);
        let p2 = run_p2("exit", &input);
        assert_eq!(p1.end, End::Exit(code), "{how}");
        assert_eq!(p2.end, End::Exit(1), "{how}");
        assert_eq!(p1.out(), "bye", "{how}");
        assert_eq!(p2.out(), "bye", "{how}");
    }
}

#[test]
fn exit_codes_from_126_on_trap_only_in_preview1_and_abort_traps_in_both() {
    let input = Input::args(&["exit", "exit126"]);
    match run_p1("exit", &input).end {
        End::Trap(e) => assert!(e.contains("invalid exit status"), "{e}"),
        other => panic!("exit126 ended with {other:?}"),
    }
    assert_eq!(run_p2("exit", &input).end, End::Exit(1));
    let input = Input::args(&["exit", "abort"]);
    for r in [run_p1("exit", &input), run_p2("exit", &input)] {
        match &r.end {
            End::Trap(e) => assert!(e.contains("unreachable"), "{e}"),
            other => panic!("abort ended with {other:?}"),
        }
    }
}

// Sharing one engine and compiled component across stores and threads

#[test]
fn one_component_serves_many_stores_on_many_threads() {
    let counter = Arc::new(Mutex::new(0));
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let counter = counter.clone();
            std::thread::spawn(move || {
                let arg = format!("thread {i}");
                let r = run_p2("args", &Input::args(&["args", &arg]));
                assert_eq!(
                    r.lines(),
                    lines(&["argc=2", "argv[0]=args", &format!("argv[1]={arg}")])
                );
                *counter.lock().unwrap() += 1;
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(*counter.lock().unwrap(), 4);
}

// The component written in Python (ignored unless WASMBRIDGE_PY_COMPONENT is set when compiling)

#[path = "run/python.rs"]
mod python;
