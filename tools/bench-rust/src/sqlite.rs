//! A real program: SQLite (`tests/bench/wasi/sqlite_bench.c` with the amalgamation of the
//! libsqlite3-sys crate, built by `bench/build-sqlite.sh` into `KERNEL_DIR/sqlite.wasm`), a WASI
//! preview 1 command that inserts and queries [`ROWS`] rows in an in-memory database and prints one
//! line. The floor of the JMH class `Sqlite`: Wasmtime's own WASI preview 1
//! (`wasmtime_wasi::p1`, as wasmbridge's native side uses it), the module compiled once and
//! prepared against the linker once; per run a new WASI context with the arguments and stdout and
//! stderr captured in memory (`MemoryOutputPipe`), a new store, a new instance, `_start`. Result
//! name: `sqlite.run` (ns per run).

use std::hint::black_box;
use std::path::Path;

use wasmtime::{Engine, InstancePre, Linker, Module, Store};
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{I32Exit, WasiCtxBuilder};

use crate::Bench;

/// Rows per run: the JMH benchmark's `SqliteRunner.ROWS`.
pub const ROWS: u32 = 5000;

/// Runs the program once in a new store and instance; returns its stdout.
fn run_once(engine: &Engine, pre: &InstancePre<WasiP1Ctx>, args: &[String]) -> String {
    let stdout = MemoryOutputPipe::new(1 << 20);
    let stderr = MemoryOutputPipe::new(1 << 20);
    let wasi = WasiCtxBuilder::new()
        .args(args)
        .stdout(stdout.clone())
        .stderr(stderr.clone())
        .build_p1();
    let mut store = Store::new(engine, wasi);
    let instance = pre
        .instantiate(&mut store)
        .expect("instantiate sqlite.wasm");
    let start = instance
        .get_typed_func::<(), ()>(&mut store, "_start")
        .expect("_start");
    if let Err(e) = start.call(&mut store, ()) {
        // proc_exit(0) is a success; main returning 0 does not call it.
        let status = e.downcast_ref::<I32Exit>().map(|x| x.0);
        if status != Some(0) {
            panic!(
                "sqlite_bench failed ({e:#}): {}",
                String::from_utf8_lossy(&stderr.contents())
            );
        }
    }
    String::from_utf8(stdout.contents().to_vec()).expect("UTF-8 output")
}

/// Times one whole run of the program (`sqlite.run`), when `dir` holds `sqlite.wasm`.
pub fn run(bench: &mut Bench, engine: &Engine, dir: &Path) {
    if !bench.selected("sqlite.") {
        return;
    }
    let path = dir.join("sqlite.wasm");
    if !path.is_file() {
        eprintln!(
            "sqlite: no {} (bench/build-sqlite.sh builds it), skipped",
            path.display()
        );
        return;
    }
    let module =
        Module::from_file(engine, &path).unwrap_or_else(|e| panic!("{}: {e:#}", path.display()));
    let mut linker: Linker<WasiP1Ctx> = Linker::new(engine);
    p1::add_to_linker_sync(&mut linker, |ctx| ctx).expect("WASI preview 1");
    let pre = linker.instantiate_pre(&module).expect("link sqlite.wasm");
    let args = ["sqlite_bench".to_string(), ROWS.to_string()];
    let line = run_once(engine, &pre, &args);
    assert!(
        line.starts_with(&format!("rows={ROWS} ")),
        "unexpected output of sqlite_bench: {line}"
    );
    eprintln!("sqlite: {}", line.trim_end());
    bench.run("sqlite.run", 1, || {
        black_box(run_once(engine, &pre, &args));
    });
}
