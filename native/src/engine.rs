//! `Engine`: compiler and runtime settings, shared by every thread.

use jni::objects::{JClass, JLongArray, JString};
use jni::sys::{jboolean, jint, jlong};
use jni::EnvUnowned;
use wasmtime::{
    Cache, CacheConfig, Config, Enabled, Engine, InstanceAllocationStrategy, OptLevel,
    PoolingAllocationConfig,
};

use crate::bridge::abi;
use crate::bridge::error::{Error, Result};
use crate::bridge::ffi::entry;
use crate::bridge::handle::{self, Tagged};
use std::path::Path;

pub struct EngineBox {
    pub engine: Engine,
    /// Whether the engine compiles epoch checks in (stores then get a deadline callback).
    pub epochs: bool,
    /// Wasmtime's `max_wasm_stack` as set: what an entry into wasm needs (`stack.rs`).
    pub max_wasm_stack: usize,
}

/// Wasmtime's own default `max_wasm_stack`, set explicitly so `stack.rs` knows it.
pub const DEFAULT_MAX_WASM_STACK: usize = 512 * 1024;

impl Tagged for EngineBox {
    const TAG: u32 = 0x5701_0001;
    const NAME: &'static str = "Engine";
}

/// The settings `EngineConfig` carries; kept separate from JNI so `cargo test` can build engines.
pub struct Settings {
    pub opt_level: jint,
    pub fuel: bool,
    pub epoch_interruption: bool,
    pub max_wasm_stack: jlong,
    pub parallel_compilation: bool,
    pub signals_based_traps: bool,
    /// Pooling allocator limits, or None for on-demand allocation (see [`Pooling`]).
    pub pooling: Option<Pooling>,
    /// Virtual memory reserved per linear memory, bytes (None: Wasmtime's default).
    pub memory_reservation: Option<u64>,
    /// Guard region after each linear memory, bytes (None: Wasmtime's default).
    pub memory_guard_size: Option<u64>,
    /// Wasmtime's on-disk compilation cache: `abi::CACHE_*`, with the directory or configuration
    /// file it names.
    pub cache_mode: jint,
    pub cache_path: Option<String>,
}

/// The pooling allocator's limits; `None` keeps Wasmtime's default for that limit.
#[derive(Default)]
pub struct Pooling {
    pub total_instances: Option<u32>,
    pub total_memories: Option<u32>,
    pub total_tables: Option<u32>,
    pub max_memory_size: Option<usize>,
    pub table_elements: Option<usize>,
    pub memory_keep_resident: Option<usize>,
    pub table_keep_resident: Option<usize>,
    pub pagemap_scan: Option<Enabled>,
}

impl Pooling {
    /// From Java's `long[]` (`PoolingConfig`, positions in `abi.rs`); a negative value keeps the
    /// default.
    fn from_slots(v: &[i64]) -> Result<Pooling> {
        let at = |i: usize| v.get(i).copied().filter(|&x| x >= 0);
        let count = |i: usize| {
            at(i)
                .map(|x| {
                    u32::try_from(x).map_err(|_| {
                        Error::IllegalArgument(format!("pooling limit {x} is too large"))
                    })
                })
                .transpose()
        };
        let size = |i: usize| {
            at(i)
                .map(|x| {
                    usize::try_from(x).map_err(|_| {
                        Error::IllegalArgument(format!("pooling size {x} is too large"))
                    })
                })
                .transpose()
        };
        Ok(Pooling {
            total_instances: count(abi::POOL_INSTANCES)?,
            total_memories: count(abi::POOL_MEMORIES)?,
            total_tables: count(abi::POOL_TABLES)?,
            max_memory_size: size(abi::POOL_MAX_MEMORY_SIZE)?,
            table_elements: size(abi::POOL_TABLE_ELEMENTS)?,
            memory_keep_resident: size(abi::POOL_MEMORY_KEEP_RESIDENT)?,
            table_keep_resident: size(abi::POOL_TABLE_KEEP_RESIDENT)?,
            pagemap_scan: match at(abi::POOL_PAGEMAP_SCAN) {
                None => None,
                Some(abi::PAGEMAP_NO) => Some(Enabled::No),
                Some(abi::PAGEMAP_YES) => Some(Enabled::Yes),
                Some(abi::PAGEMAP_AUTO) => Some(Enabled::Auto),
                Some(x) => {
                    return Err(Error::IllegalArgument(format!(
                        "unknown PAGEMAP_SCAN mode {x}"
                    )))
                }
            },
        })
    }

    fn config(&self) -> PoolingAllocationConfig {
        let mut p = PoolingAllocationConfig::new();
        if let Some(n) = self.total_instances {
            p.total_core_instances(n);
        }
        if let Some(n) = self.total_memories {
            p.total_memories(n);
        }
        if let Some(n) = self.total_tables {
            p.total_tables(n);
        }
        if let Some(n) = self.max_memory_size {
            p.max_memory_size(n);
        }
        if let Some(n) = self.table_elements {
            p.table_elements(n);
        }
        if let Some(n) = self.memory_keep_resident {
            p.linear_memory_keep_resident(n);
        }
        if let Some(n) = self.table_keep_resident {
            p.table_keep_resident(n);
        }
        if let Some(e) = self.pagemap_scan {
            p.pagemap_scan(e);
        }
        p
    }
}

/// The one thread that advances the epoch of every engine with epoch interruption, every
/// [`TICK`]. It runs while at least one such engine is alive and exits when none is left.
mod ticker {
    use std::sync::Mutex;
    use std::time::Duration;

    use wasmtime::{Engine, EngineWeak};

    pub const TICK: Duration = Duration::from_millis(1);

    static ENGINES: Mutex<Vec<EngineWeak>> = Mutex::new(Vec::new());

    pub fn register(engine: &Engine) {
        let mut engines = ENGINES.lock().unwrap_or_else(|p| p.into_inner());
        engines.push(engine.weak());
        if engines.len() == 1 {
            // A failed spawn leaves deadlines unenforced; it only happens when the process is out
            // of threads, and the next registration tries again.
            let _ = std::thread::Builder::new()
                .name("wasmbridge-epoch".into())
                .spawn(run);
        }
    }

    fn run() {
        loop {
            std::thread::sleep(TICK);
            let mut engines = ENGINES.lock().unwrap_or_else(|p| p.into_inner());
            engines.retain(|weak| match weak.upgrade() {
                Some(engine) => {
                    engine.increment_epoch();
                    true
                }
                None => false,
            });
            if engines.is_empty() {
                return;
            }
        }
    }
}

pub use ticker::TICK;

pub fn build(s: &Settings) -> Result<EngineBox> {
    let mut config = Config::new();
    config.cranelift_opt_level(match s.opt_level {
        abi::OPT_NONE => OptLevel::None,
        abi::OPT_SPEED => OptLevel::Speed,
        abi::OPT_SPEED_AND_SIZE => OptLevel::SpeedAndSize,
        other => {
            return Err(Error::IllegalArgument(format!(
                "unknown optimization level {other}"
            )))
        }
    });
    config.consume_fuel(s.fuel);
    config.epoch_interruption(s.epoch_interruption);
    let max_wasm_stack = if s.max_wasm_stack > 0 {
        usize::try_from(s.max_wasm_stack).map_err(|_| {
            Error::IllegalArgument(format!("max wasm stack {} is too large", s.max_wasm_stack))
        })?
    } else {
        DEFAULT_MAX_WASM_STACK
    };
    config.max_wasm_stack(max_wasm_stack);
    config.parallel_compilation(s.parallel_compilation);
    config.signals_based_traps(s.signals_based_traps);
    // Java may hold a direct ByteBuffer over linear memory: its base address must never change.
    config.memory_may_move(false);
    if let Some(p) = &s.pooling {
        config.allocation_strategy(InstanceAllocationStrategy::Pooling(p.config()));
    }
    if let Some(bytes) = s.memory_reservation {
        config.memory_reservation(bytes);
    }
    if let Some(bytes) = s.memory_guard_size {
        config.memory_guard_size(bytes);
    }
    let cache = match (s.cache_mode, &s.cache_path) {
        (abi::CACHE_NONE, _) => None,
        (abi::CACHE_DIRECTORY, Some(dir)) => {
            let mut cache = CacheConfig::new();
            cache.with_directory(dir);
            Some(Cache::new(cache).map_err(|e| {
                Error::IllegalArgument(format!("cannot use cache directory {dir}: {e:#}"))
            })?)
        }
        (abi::CACHE_CONFIG_FILE, Some(file)) => {
            Some(Cache::from_file(Some(Path::new(file))).map_err(|e| {
                Error::IllegalArgument(format!("cannot use cache configuration {file}: {e:#}"))
            })?)
        }
        (abi::CACHE_DEFAULT, _) => Some(Cache::from_file(None).map_err(|e| {
            Error::IllegalArgument(format!("cannot use Wasmtime's default cache: {e:#}"))
        })?),
        (mode, path) => {
            return Err(Error::IllegalArgument(format!(
                "no cache mode {mode} with path {path:?}"
            )));
        }
    };
    config.cache(cache);
    let engine = Engine::new(&config)
        .map_err(|e| Error::IllegalArgument(format!("invalid engine configuration: {e:#}")))?;
    if s.epoch_interruption {
        ticker::register(&engine);
    }
    Ok(EngineBox {
        engine,
        epochs: s.epoch_interruption,
        max_wasm_stack,
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_engineNew<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    opt_level: jint,
    fuel: jboolean,
    epoch_interruption: jboolean,
    max_wasm_stack: jlong,
    parallel_compilation: jboolean,
    signals_based_traps: jboolean,
    pooling: JLongArray<'l>,
    memory_reservation: jlong,
    memory_guard_size: jlong,
    cache_mode: jint,
    cache_path: JString<'l>,
) -> jlong {
    entry(&mut env, |env| {
        let pooling = if pooling.is_null() {
            None
        } else {
            let mut v = vec![0i64; pooling.len(env)?];
            pooling.get_region(env, 0, &mut v)?;
            Some(Pooling::from_slots(&v)?)
        };
        let cache_path = if cache_path.is_null() {
            None
        } else {
            Some(cache_path.try_to_string(env)?)
        };
        let engine = build(&Settings {
            opt_level,
            fuel,
            epoch_interruption,
            max_wasm_stack,
            parallel_compilation,
            signals_based_traps,
            pooling,
            memory_reservation: u64::try_from(memory_reservation).ok(),
            memory_guard_size: u64::try_from(memory_guard_size).ok(),
            cache_mode,
            cache_path,
        })?;
        Ok(handle::into_handle(engine))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_engineFree<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: Java frees each handle once, after its last use. Modules and stores keep their
        // own reference to the engine, so they stay valid.
        unsafe { handle::free::<EngineBox>(engine) };
        Ok(())
    })
}

/// The Wasmtime version inside this library (`Engine.wasmtimeVersion`), as cargo resolved it.
pub const WASMTIME_VERSION: &str = env!("WASMTIME_VERSION");

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_wasmtimeVersion<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> JString<'l> {
    entry(&mut env, |env| {
        Ok(JString::from_str(env, WASMTIME_VERSION)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            opt_level: 1,
            fuel: false,
            epoch_interruption: false,
            max_wasm_stack: 0,
            parallel_compilation: true,
            signals_based_traps: true,
            pooling: None,
            memory_reservation: None,
            memory_guard_size: None,
            cache_mode: abi::CACHE_NONE,
            cache_path: None,
        }
    }

    #[test]
    fn unknown_opt_level_is_an_argument_error() {
        let err = build(&Settings {
            opt_level: 9,
            ..settings()
        })
        .err();
        assert!(
            matches!(err, Some(Error::IllegalArgument(m)) if m.contains("optimization level 9"))
        );
    }

    #[test]
    fn slots_kept_resident_come_back_as_new() {
        // A slot reused after memset (keep-resident, found dirty by PAGEMAP_SCAN where the kernel
        // has it) must look like a fresh instance: its data segment back, the rest zero.
        let pooling =
            Pooling::from_slots(&[1, 1, 1, 1 << 20, -1, 1 << 20, 1 << 16, abi::PAGEMAP_AUTO])
                .unwrap();
        let engine = build(&Settings {
            pooling: Some(pooling),
            ..settings()
        })
        .unwrap()
        .engine;
        let wat = r#"(module (memory 2) (data (i32.const 8) "\2a")
            (func (export "run") (result i32)
              (local $old i32)
              (local.set $old (i32.add (i32.load8_u (i32.const 8)) (i32.load (i32.const 70000))))
              (i32.store8 (i32.const 8) (i32.const 7))
              (i32.store (i32.const 70000) (i32.const 99))
              (local.get $old)))"#;
        let module = wasmtime::Module::new(&engine, wat).unwrap();
        for _ in 0..3 {
            let mut store = wasmtime::Store::new(&engine, ());
            let instance = wasmtime::Instance::new(&mut store, &module, &[]).unwrap();
            let run = instance
                .get_typed_func::<(), i32>(&mut store, "run")
                .unwrap();
            assert_eq!(run.call(&mut store, ()).unwrap(), 42);
        }
        assert!(Pooling::from_slots(&[-1, -1, -1, -1, -1, -1, -1, 3]).is_err());
    }

    #[test]
    fn pooling_limits_apply() {
        let pooling = Pooling::from_slots(&[2, 2, 2, 1 << 20, -1]).unwrap();
        let engine = build(&Settings {
            pooling: Some(pooling),
            ..settings()
        })
        .unwrap()
        .engine;
        let module = wasmtime::Module::new(&engine, "(module (memory 1))").unwrap();
        let mut stores: Vec<_> = (0..3).map(|_| wasmtime::Store::new(&engine, ())).collect();
        assert!(wasmtime::Instance::new(&mut stores[0], &module, &[]).is_ok());
        assert!(wasmtime::Instance::new(&mut stores[1], &module, &[]).is_ok());
        // Two slots only: the third concurrent instance is refused.
        assert!(wasmtime::Instance::new(&mut stores[2], &module, &[]).is_err());
        // 17 pages exceed the 1 MiB slot: the pool refuses such a module when compiling it.
        assert!(wasmtime::Module::new(&engine, "(module (memory 17))").is_err());
    }

    #[test]
    fn negative_pooling_values_keep_defaults_and_huge_ones_are_refused() {
        let p = Pooling::from_slots(&[-1, 5, -1, -1, -1]).unwrap();
        assert_eq!((p.total_instances, p.total_memories), (None, Some(5)));
        assert!(Pooling::from_slots(&[i64::MAX]).is_err());
    }

    #[test]
    fn engine_builds_with_and_without_signals() {
        assert!(build(&settings()).is_ok());
        assert!(build(&Settings {
            signals_based_traps: false,
            ..settings()
        })
        .is_ok());
    }

    #[test]
    fn the_recorded_wasmtime_version_is_the_one_inside() {
        // A precompiled module carries the major version of the Wasmtime that made it, as a
        // length-prefixed string in its engine section (what deserialization compares).
        let engine = wasmtime::Engine::default();
        let bytes = wasmtime::Module::new(&engine, "(module)")
            .and_then(|m| m.serialize())
            .expect("serialize");
        let parts: Vec<&str> = WASMTIME_VERSION.split('.').collect();
        assert!(
            parts.len() == 3 && parts.iter().all(|p| p.parse::<u32>().is_ok()),
            "{WASMTIME_VERSION}"
        );
        let mut needle = vec![parts[0].len() as u8];
        needle.extend_from_slice(parts[0].as_bytes());
        assert!(
            bytes.windows(needle.len()).any(|w| w == needle.as_slice()),
            "no major version {} in a precompiled module",
            parts[0]
        );
    }
}
