//! The native baseline of the wasmbridge benchmarks: the kernels of `tests/bench` run by Wasmtime
//! 48 from Rust, with the `Config` wasmbridge's `Engine.create()` builds (Cranelift `Speed`,
//! parallel compilation, signal-based traps, `memory_may_move(false)`; no fuel, no epochs; the
//! default 512 KiB wasm stack). Each figure is the physical limit for the JMH row beside it.
//!
//! ```text
//! wasmbridge-bench KERNEL_DIR [--quick] [--out FILE] [--component FILE] [--only PREFIX]
//! ```
//!
//! `--component` names the component of the component-call benchmarks (`component.rs`); by default
//! `tests/components/bench.wat` of this repository. `--only` runs only the benchmarks whose result
//! name starts with PREFIX (`--only component.` for the component calls alone, `--only http.` for
//! the `wasi:http` requests of `wasi_http.rs`; the footprint runs only with `--only footprint`).
//!
//! Writes JSON: `{"meta": {...}, "results": [{"name", "ns", "min", "stdev", "samples"}],
//! "footprint": [{"name", "instances", "kib_per_instance", "us_per_instance"}]}`. Each
//! result is the mean time per operation over the samples after a warm-up; a sample runs the
//! operation in a batch sized to last about 20 ms (5 ms in quick mode).

mod compile;
mod component;
mod plugin;
mod sqlite;
mod wasi_http;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use wasmtime::{
    Config, Engine, InstanceAllocationStrategy, InstancePre, Linker, Memory, Module, OptLevel,
    PoolingAllocationConfig, Store, TypedFunc,
};

/// 1 MiB: the copy and SHA-256 input size, the same as the JMH benchmarks.
const MIB: usize = 1 << 20;
/// Host calls per `host_loop` invocation (JMH uses the same number).
const HOST_CALLS: i32 = 1000;
/// Live instances for the footprint measurement.
const FOOTPRINT_INSTANCES: usize = 1000;
/// The component of the component-call benchmarks, unless `--component` names another.
const BENCH_COMPONENT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/components/bench.wat"
);
const USAGE: &str =
    "usage: wasmbridge-bench KERNEL_DIR [--quick] [--out FILE] [--component FILE] [--only PREFIX]";

struct Timing {
    warmup: Duration,
    sample: Duration,
    samples: usize,
}

struct Bench {
    timing: Timing,
    /// Only the benchmarks whose names start with this run (`--only`).
    only: Option<String>,
    results: Vec<String>,
    footprint: Vec<String>,
}

impl Bench {
    /// Times `op`, which performs `ops` operations per call; records ns per operation.
    fn run(&mut self, name: &str, ops: u64, mut op: impl FnMut()) {
        if !self.selected(name) {
            return;
        }
        let start = Instant::now();
        let mut calls = 0u64;
        while start.elapsed() < self.timing.warmup || calls < 3 {
            op();
            calls += 1;
        }
        let per_call = start.elapsed().as_secs_f64() / calls as f64;
        let batch = ((self.timing.sample.as_secs_f64() / per_call) as u64).max(1);
        let mut samples = Vec::with_capacity(self.timing.samples);
        for _ in 0..self.timing.samples {
            let t = Instant::now();
            for _ in 0..batch {
                op();
            }
            samples.push(t.elapsed().as_secs_f64() * 1e9 / (batch * ops) as f64);
        }
        let n = samples.len() as f64;
        let mean = samples.iter().sum::<f64>() / n;
        let min = samples.iter().cloned().fold(f64::INFINITY, f64::min);
        let var = samples.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        eprintln!(
            "{name:<32} {mean:>14.2} ns/op  (min {min:.2}, stdev {:.2}, {} samples x {batch})",
            var.sqrt(),
            samples.len()
        );
        self.results.push(format!(
            "{{\"name\": \"{name}\", \"ns\": {mean:.4}, \"min\": {min:.4}, \"stdev\": {:.4}, \"samples\": {}}}",
            var.sqrt(),
            samples.len()
        ));
    }
}

impl Bench {
    /// Whether `--only` selects the benchmark `name`.
    fn selected(&self, name: &str) -> bool {
        self.only.as_deref().is_none_or(|p| name.starts_with(p))
    }
}

/// The engine configuration of wasmbridge's `Engine.create()` (native/src/engine.rs `build`).
fn make_engine(pooling: bool) -> Engine {
    let mut config = Config::new();
    config.cranelift_opt_level(OptLevel::Speed);
    config.consume_fuel(false);
    config.epoch_interruption(false);
    config.parallel_compilation(true);
    config.signals_based_traps(true);
    config.memory_may_move(false);
    if pooling {
        config.allocation_strategy(InstanceAllocationStrategy::Pooling(
            PoolingAllocationConfig::new(),
        ));
    }
    Engine::new(&config).expect("engine")
}

fn load(engine: &Engine, dir: &Path, name: &str) -> Module {
    let path = dir.join(format!("{name}.wasm"));
    Module::from_file(engine, &path).unwrap_or_else(|e| panic!("{}: {e:#}", path.display()))
}

/// Resident set size of this process in KiB (Linux /proc/self/status VmRSS).
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir: Option<PathBuf> = None;
    let mut quick = false;
    let mut out: Option<PathBuf> = None;
    let mut component_path = PathBuf::from(BENCH_COMPONENT);
    let mut only: Option<String> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--quick" => quick = true,
            "--out" => out = args.next().map(PathBuf::from),
            "--component" => match args.next() {
                Some(p) => component_path = PathBuf::from(p),
                None => {
                    eprintln!("{USAGE} (--component needs a file)");
                    std::process::exit(2);
                }
            },
            "--only" => match args.next() {
                Some(p) => only = Some(p),
                None => {
                    eprintln!("{USAGE} (--only needs a prefix)");
                    std::process::exit(2);
                }
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            _ if dir.is_none() && !a.starts_with('-') => dir = Some(PathBuf::from(a)),
            other => {
                eprintln!("{USAGE} (unexpected {other})");
                std::process::exit(2);
            }
        }
    }
    let Some(dir) = dir else {
        eprintln!("{USAGE}");
        std::process::exit(2);
    };
    let timing = if quick {
        Timing {
            warmup: Duration::from_millis(200),
            sample: Duration::from_millis(5),
            samples: 10,
        }
    } else {
        Timing {
            warmup: Duration::from_millis(1000),
            sample: Duration::from_millis(20),
            samples: 50,
        }
    };
    let mut bench = Bench {
        timing,
        only,
        results: Vec::new(),
        footprint: Vec::new(),
    };

    // Footprint first, on fresh engines in a fresh process: after the benchmarks, the memory they
    // freed (kept by the allocator, still resident) absorbed the 1000 instances and the growth of
    // the resident set read 0.0 KiB per instance.
    if bench.selected("footprint") {
        footprint(&mut bench, "default", false, &dir);
        footprint(&mut bench, "pooling", true, &dir);
    }

    let engine = make_engine(false);
    let calls = load(&engine, &dir, "calls");
    let host = load(&engine, &dir, "host");
    let sha = load(&engine, &dir, "sha256");
    let matmul = load(&engine, &dir, "matmul");

    // Compute and call overhead: Rust -> wasm.
    {
        let mut store = Store::new(&engine, ());
        let linker = Linker::new(&engine);
        let i = linker.instantiate(&mut store, &calls).unwrap();
        let add: TypedFunc<(i32, i32), i32> = i.get_typed_func(&mut store, "add").unwrap();
        let fib: TypedFunc<i32, i32> = i.get_typed_func(&mut store, "fib").unwrap();
        assert_eq!(add.call(&mut store, (40, 2)).unwrap(), 42);
        assert_eq!(fib.call(&mut store, 20).unwrap(), 6765);
        bench.run("trivial.add", 1, || {
            black_box(add.call(&mut store, (black_box(1), black_box(2))).unwrap());
        });
        bench.run("fib.fib20", 1, || {
            black_box(fib.call(&mut store, black_box(20)).unwrap());
        });
    }
    {
        let mut store = Store::new(&engine, ());
        let linker = Linker::new(&engine);
        let i = linker.instantiate(&mut store, &sha).unwrap();
        let input_ptr: TypedFunc<(), i32> = i.get_typed_func(&mut store, "input_ptr").unwrap();
        let sha256: TypedFunc<i32, i32> = i.get_typed_func(&mut store, "sha256").unwrap();
        let memory: Memory = i.get_memory(&mut store, "memory").unwrap();
        let ptr = input_ptr.call(&mut store, ()).unwrap() as usize;
        let src: Vec<u8> = (0..MIB).map(|i| (i * 31 + 7) as u8).collect();
        memory.data_mut(&mut store)[ptr..ptr + MIB].copy_from_slice(&src);
        bench.run("sha256.1mib", 1, || {
            black_box(sha256.call(&mut store, black_box(MIB as i32)).unwrap());
        });

        // Copies between host memory and linear memory, and the plain memcpy limit.
        let mut dst = vec![0u8; MIB];
        bench.run("copy.in", 1, || {
            memory.data_mut(&mut store)[ptr..ptr + MIB].copy_from_slice(black_box(&src));
            black_box(&memory);
        });
        bench.run("copy.out", 1, || {
            dst.copy_from_slice(&memory.data(&store)[ptr..ptr + MIB]);
            black_box(&mut dst);
        });
        let mut plain = vec![0u8; MIB];
        bench.run("copy.memcpy", 1, || {
            plain.copy_from_slice(black_box(&src));
            black_box(&mut plain);
        });
    }
    {
        let mut store = Store::new(&engine, ());
        let linker = Linker::new(&engine);
        let i = linker.instantiate(&mut store, &matmul).unwrap();
        let mm: TypedFunc<i32, i32> = i.get_typed_func(&mut store, "matmul").unwrap();
        bench.run("matmul.128", 1, || {
            black_box(mm.call(&mut store, black_box(128)).unwrap());
        });
    }

    // wasm -> host round trip.
    {
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        linker
            .func_wrap("env", "add", |a: i32, b: i32| a.wrapping_add(b))
            .unwrap();
        let i = linker.instantiate(&mut store, &host).unwrap();
        let hl: TypedFunc<i32, i32> = i.get_typed_func(&mut store, "host_loop").unwrap();
        assert_eq!(hl.call(&mut store, 10).unwrap(), 45);
        bench.run("host.call", HOST_CALLS as u64, || {
            black_box(hl.call(&mut store, black_box(HOST_CALLS)).unwrap());
        });
    }

    // Component-model calls, dynamic (`Val`) and typed, on the benchmark engine.
    component::run(&mut bench, &engine, &component_path);

    // Compile time of the large module (bench/build-large-module.sh), fresh and precompiled.
    compile::run(&mut bench, &engine, &dir);
    // A real program: SQLite through WASI preview 1, an instance per run.
    sqlite::run(&mut bench, &engine, &dir);
    // The plugin call: a string into the guest's allocator, transformed, read back (`plugin.rs`).
    plugin::run(&mut bench, &engine, &dir);
    // One wasi:http request per operation: new store, instantiate, handle, response (`wasi_http.rs`).
    wasi_http::run(&mut bench, &engine, &dir);

    // Instantiate the small module and call it once, per request.
    {
        let linker: Linker<()> = Linker::new(&engine);
        bench.run("instantiate.linker", 1, || {
            let mut store = Store::new(&engine, ());
            let i = linker.instantiate(&mut store, &calls).unwrap();
            let add: TypedFunc<(i32, i32), i32> = i.get_typed_func(&mut store, "add").unwrap();
            black_box(add.call(&mut store, (1, 2)).unwrap());
        });
        let pre: InstancePre<()> = linker.instantiate_pre(&calls).unwrap();
        bench.run("instantiate.pre", 1, || {
            let mut store = Store::new(&engine, ());
            let i = pre.instantiate(&mut store).unwrap();
            let add: TypedFunc<(i32, i32), i32> = i.get_typed_func(&mut store, "add").unwrap();
            black_box(add.call(&mut store, (1, 2)).unwrap());
        });
        bench.run("instantiate.store", 1, || {
            black_box(Store::new(&engine, ()));
        });
    }
    {
        let pooled = make_engine(true);
        let calls = load(&pooled, &dir, "calls");
        let linker: Linker<()> = Linker::new(&pooled);
        let pre = linker.instantiate_pre(&calls).unwrap();
        bench.run("instantiate.pooling", 1, || {
            let mut store = Store::new(&pooled, ());
            let i = pre.instantiate(&mut store).unwrap();
            let add: TypedFunc<(i32, i32), i32> = i.get_typed_func(&mut store, "add").unwrap();
            black_box(add.call(&mut store, (1, 2)).unwrap());
        });
        bench.run("instantiate.pooling_nocall", 1, || {
            let mut store = Store::new(&pooled, ());
            black_box(pre.instantiate(&mut store).unwrap());
        });
    }

    let json = format!(
        "{{\n\"meta\": {{\"wasmtime\": \"48.0.8\", \"quick\": {quick}, \"host_calls\": {HOST_CALLS}}},\n\"results\": [\n{}\n],\n\"footprint\": [\n{}\n]\n}}\n",
        bench.results.join(",\n"),
        bench.footprint.join(",\n")
    );
    match out {
        Some(path) => std::fs::write(&path, json)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display())),
        None => print!("{json}"),
    }
}

/// RSS growth and time for `FOOTPRINT_INSTANCES` live instances, each in its own store (the
/// per-request shape), each called once.
fn footprint(bench: &mut Bench, name: &str, pooling: bool, dir: &Path) {
    let engine = &make_engine(pooling);
    let calls = load(engine, dir, "calls");
    let pre = &Linker::new(engine).instantiate_pre(&calls).unwrap();
    // Warm up the code paths on instances that are dropped again (as the Java Footprint does).
    for _ in 0..50 {
        let mut store = Store::new(engine, ());
        let i = pre.instantiate(&mut store).unwrap();
        let add: TypedFunc<(i32, i32), i32> = i.get_typed_func(&mut store, "add").unwrap();
        black_box(add.call(&mut store, (1, 2)).unwrap());
    }
    let before = rss_kib();
    let t = Instant::now();
    let mut live = Vec::with_capacity(FOOTPRINT_INSTANCES);
    for _ in 0..FOOTPRINT_INSTANCES {
        let mut store = Store::new(engine, ());
        let i = pre.instantiate(&mut store).unwrap();
        let add: TypedFunc<(i32, i32), i32> = i.get_typed_func(&mut store, "add").unwrap();
        black_box(add.call(&mut store, (1, 2)).unwrap());
        live.push((store, i));
    }
    let us = t.elapsed().as_secs_f64() * 1e6 / FOOTPRINT_INSTANCES as f64;
    let kib = (rss_kib().saturating_sub(before)) as f64 / FOOTPRINT_INSTANCES as f64;
    eprintln!("footprint.{name:<22} {kib:>10.1} KiB/instance, {us:.1} us/instance ({FOOTPRINT_INSTANCES} live)");
    bench.footprint.push(format!(
        "{{\"name\": \"{name}\", \"instances\": {FOOTPRINT_INSTANCES}, \"kib_per_instance\": {kib:.2}, \"us_per_instance\": {us:.2}}}"
    ));
    drop(live);
}
