//! A store's WASI preview 1 context, built from what a Java `WasiConfig` says (`Store.setWasi`).
//!
//! A store that never set a configuration gets an empty context on its first WASI call
//! ([`empty_ctx`]): no arguments, no environment, no preopened directories, stdin at end of file,
//! output discarded.

use std::path::PathBuf;

use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{FsPerms, WasiCtxBuilder};

use super::stdio::{JavaInput, JavaOutput};
use crate::error::{Error, Result};

/// Where stdin comes from.
pub enum Input {
    Empty,
    Inherit,
    Bytes(Vec<u8>),
    Java(JavaInput),
}

/// Where stdout or stderr goes.
pub enum Output {
    Discard,
    Inherit,
    /// Captured in memory, up to this many bytes (further writes fail with an I/O error).
    Capture(usize),
    Java(JavaOutput),
}

/// A directory the guest may use.
pub struct Preopen {
    pub host: PathBuf,
    pub guest: String,
    pub read_only: bool,
}

/// Everything a `WasiConfig` says.
pub struct Config {
    /// The whole argument list, program name first.
    pub args: Vec<String>,
    /// Explicit variables; they win over inherited ones of the same name.
    pub env: Vec<(String, String)>,
    pub inherit_env: bool,
    pub stdin: Input,
    pub stdout: Output,
    pub stderr: Output,
    pub preopens: Vec<Preopen>,
}

/// The in-memory pipes that hold a store's captured output.
#[derive(Default)]
pub struct Captured {
    pub stdout: Option<MemoryOutputPipe>,
    pub stderr: Option<MemoryOutputPipe>,
}

fn output(b: &mut WasiCtxBuilder, out: Output, stderr: bool) -> Option<MemoryOutputPipe> {
    match out {
        Output::Discard => None,
        Output::Inherit => {
            if stderr {
                b.inherit_stderr();
            } else {
                b.inherit_stdout();
            }
            None
        }
        Output::Capture(limit) => {
            let pipe = MemoryOutputPipe::new(limit);
            if stderr {
                b.stderr(pipe.clone());
            } else {
                b.stdout(pipe.clone());
            }
            Some(pipe)
        }
        Output::Java(s) => {
            if stderr {
                b.stderr(s);
            } else {
                b.stdout(s);
            }
            None
        }
    }
}

/// Builds a WASI context (and its capture pipes) from a configuration.
pub fn build(config: Config) -> Result<(WasiP1Ctx, Captured)> {
    let mut b = WasiCtxBuilder::new();
    // File operations run on the calling thread: wasm is synchronous here, so there is nothing to
    // gain from handing each one to another thread.
    b.allow_blocking_current_thread(true);
    b.args(&config.args);
    if config.inherit_env {
        // Like `inherit_env`, but skipping variables that are not UTF-8 (where `std::env::vars`
        // would panic) and those set explicitly.
        for (k, v) in std::env::vars_os() {
            if let (Some(k), Some(v)) = (k.to_str(), v.to_str()) {
                if !config.env.iter().any(|(name, _)| name == k) {
                    b.env(k, v);
                }
            }
        }
    }
    b.envs(&config.env);
    match config.stdin {
        Input::Empty => {}
        Input::Inherit => {
            b.inherit_stdin();
        }
        Input::Bytes(bytes) => {
            b.stdin(MemoryInputPipe::new(bytes));
        }
        Input::Java(s) => {
            b.stdin(s);
        }
    }
    let captured = Captured {
        stdout: output(&mut b, config.stdout, false),
        stderr: output(&mut b, config.stderr, true),
    };
    for p in &config.preopens {
        let perms = if p.read_only {
            FsPerms::ReadOnly
        } else {
            FsPerms::ReadWrite
        };
        b.preopened_dir(&p.host, &p.guest, perms).map_err(|e| {
            Error::IllegalArgument(format!(
                "cannot preopen {} as {}: {e:#}",
                p.host.display(),
                p.guest
            ))
        })?;
    }
    Ok((b.build_p1(), captured))
}

/// The context of a store that never set one: no capabilities at all.
pub fn empty_ctx() -> WasiP1Ctx {
    WasiCtxBuilder::new().build_p1()
}
