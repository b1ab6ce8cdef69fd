//! Compile time from Rust: the floor of the JMH class `CompileTime`. The same large module
//! (`bench/build-large-module.sh`: `large.wasm` in `java/bench/target/large-module`, beside the
//! kernel directory) compiled by `Module::new` on the benchmark engine (parallel compilation), on
//! an engine without parallel compilation, and loaded precompiled by `Module::deserialize` of the
//! bytes `Module::serialize` made once. Result names: `compile.new`, `compile.new_serial`,
//! `compile.deserialize`.
//!
//! A compile takes seconds, so these are not timed by `Bench::run` (a warm-up of a second, then
//! batches of 20 ms): each sample is one compile, after one compile of warm-up, as JMH's
//! single-shot mode does. The module is looked up as `KERNEL_DIR/../large-module/large.wasm`, or
//! the file `WASMBRIDGE_BENCH_LARGE_MODULE` names; when it is missing the rows are skipped with a
//! note.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use wasmtime::{Config, Engine, Module, OptLevel};

use crate::Bench;

/// Compile samples in quick mode (`--quick`) and otherwise.
const SAMPLES_QUICK: usize = 3;
const SAMPLES: usize = 8;
/// Precompiled loads are milliseconds: more samples.
const DESERIALIZE_SAMPLES: usize = 50;

/// The large module's path for the kernel directory `dir`.
fn module_path(dir: &Path) -> PathBuf {
    match std::env::var_os("WASMBRIDGE_BENCH_LARGE_MODULE") {
        Some(p) => PathBuf::from(p),
        None => dir.join("..").join("large-module").join("large.wasm"),
    }
}

/// Times `samples` single runs of `op` after one of warm-up; records ms as ns per operation, in
/// the format of `Bench::run`.
fn single_shot(bench: &mut Bench, name: &str, samples: usize, mut op: impl FnMut()) {
    if !bench.selected(name) {
        return;
    }
    op();
    let mut times = Vec::with_capacity(samples);
    for _ in 0..samples {
        let t = Instant::now();
        op();
        times.push(t.elapsed().as_secs_f64() * 1e9);
    }
    let n = times.len() as f64;
    let mean = times.iter().sum::<f64>() / n;
    let min = times.iter().cloned().fold(f64::INFINITY, f64::min);
    let var = times.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    eprintln!(
        "{name:<32} {:>14.2} ms/op  (min {:.2}, stdev {:.2}, {} single shots)",
        mean / 1e6,
        min / 1e6,
        var.sqrt() / 1e6,
        times.len()
    );
    bench.results.push(format!(
        "{{\"name\": \"{name}\", \"ns\": {mean:.4}, \"min\": {min:.4}, \"stdev\": {:.4}, \"samples\": {}}}",
        var.sqrt(),
        times.len()
    ));
}

/// Runs the compile-time rows on `engine` (the benchmark engine) and on one like it without
/// parallel compilation.
pub fn run(bench: &mut Bench, engine: &Engine, dir: &Path) {
    // `--only compile.new` selects some rows, `--only comp` all of them: read the module for either.
    let wanted = bench
        .only
        .as_deref()
        .is_none_or(|p| p.starts_with("compile.") || "compile.".starts_with(p));
    if !wanted {
        return;
    }
    let path = module_path(dir);
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!(
            "compile: {} is missing (bench/build-large-module.sh makes it); compile-time rows skipped",
            path.display()
        );
        return;
    };
    let samples = if bench.timing.samples <= 10 {
        SAMPLES_QUICK
    } else {
        SAMPLES
    };
    single_shot(bench, "compile.new", samples, || {
        black_box(Module::new(engine, &bytes).expect("compile"));
    });

    let mut config = Config::new();
    config.cranelift_opt_level(OptLevel::Speed);
    config.parallel_compilation(false);
    config.signals_based_traps(true);
    config.memory_may_move(false);
    let serial = Engine::new(&config).expect("engine");
    single_shot(bench, "compile.new_serial", samples, || {
        black_box(Module::new(&serial, &bytes).expect("compile"));
    });

    let precompiled = Module::new(engine, &bytes)
        .and_then(|m| m.serialize())
        .expect("serialize");
    single_shot(bench, "compile.deserialize", DESERIALIZE_SAMPLES, || {
        // SAFETY: the bytes are what `Module::serialize` of this engine made just above.
        black_box(unsafe { Module::deserialize(engine, &precompiled) }.expect("deserialize"));
    });
}
