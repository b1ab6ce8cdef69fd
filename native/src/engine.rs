//! `Engine`: compiler and runtime settings, shared by every thread.

use jni::objects::JClass;
use jni::sys::{jboolean, jint, jlong};
use jni::EnvUnowned;
use wasmtime::{Config, Engine, OptLevel};

use crate::error::{Error, Result};
use crate::ffi::entry;
use crate::handle::{self, Tagged};

pub struct EngineBox {
    pub engine: Engine,
    /// Whether the engine compiles epoch checks in (stores then get a deadline callback).
    pub epochs: bool,
}

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

pub fn build(s: &Settings) -> Result<Engine> {
    let mut config = Config::new();
    config.cranelift_opt_level(match s.opt_level {
        0 => OptLevel::None,
        1 => OptLevel::Speed,
        2 => OptLevel::SpeedAndSize,
        other => {
            return Err(Error::IllegalArgument(format!(
                "unknown optimization level {other}"
            )))
        }
    });
    config.consume_fuel(s.fuel);
    config.epoch_interruption(s.epoch_interruption);
    if s.max_wasm_stack > 0 {
        let size = usize::try_from(s.max_wasm_stack).map_err(|_| {
            Error::IllegalArgument(format!("max wasm stack {} is too large", s.max_wasm_stack))
        })?;
        config.max_wasm_stack(size);
    }
    config.parallel_compilation(s.parallel_compilation);
    config.signals_based_traps(s.signals_based_traps);
    // Java may hold a direct ByteBuffer over linear memory: its base address must never change.
    config.memory_may_move(false);
    let engine = Engine::new(&config)
        .map_err(|e| Error::IllegalArgument(format!("invalid engine configuration: {e:#}")))?;
    if s.epoch_interruption {
        ticker::register(&engine);
    }
    Ok(engine)
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_engineNew<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    opt_level: jint,
    fuel: jboolean,
    epoch_interruption: jboolean,
    max_wasm_stack: jlong,
    parallel_compilation: jboolean,
    signals_based_traps: jboolean,
) -> jlong {
    entry(&mut env, |_env| {
        let engine = build(&Settings {
            opt_level,
            fuel,
            epoch_interruption,
            max_wasm_stack,
            parallel_compilation,
            signals_based_traps,
        })?;
        Ok(handle::into_handle(EngineBox {
            engine,
            epochs: epoch_interruption,
        }))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_engineFree<'l>(
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
    fn engine_builds_with_and_without_signals() {
        assert!(build(&settings()).is_ok());
        assert!(build(&Settings {
            signals_based_traps: false,
            ..settings()
        })
        .is_ok());
    }
}
