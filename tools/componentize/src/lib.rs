//! Turns a WASI preview 1 core module into a WASI 0.2 component, the way `wasm-tools component new
//! --adapt` does: wit-component's [`ComponentEncoder`] wraps the module together with Wasmtime 48's
//! preview-1 adapter (crate `wasi-preview1-component-adapter-provider`), which implements the
//! `wasi_snapshot_preview1` imports on top of the `wasi:*@0.2` interfaces.
//!
//! A command module (one exporting `_start`) gets the command adapter and becomes a
//! `wasi:cli/command` component whose `wasi:cli/run` export calls `_start`; any other module gets the
//! reactor adapter (its own exports then need the WIT metadata that wit-bindgen embeds).

use std::fmt;

use wasi_preview1_component_adapter_provider::{
    WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME, WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
    WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
};
use wasmparser::{Encoding, ExternalKind, Parser, Payload};
use wit_component::ComponentEncoder;

/// The import module name of WASI preview 1.
pub const PREVIEW1: &str = WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME;

/// Which adapter a module gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Exports `_start`: the command adapter, exporting `wasi:cli/run`.
    Command,
    /// No `_start`: the reactor adapter (WASI imports only; exports come from embedded WIT).
    Reactor,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Command => "command",
            Kind::Reactor => "reactor",
        })
    }
}

/// Why a module could not be turned into a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// What [`inspect`] finds out about a core module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModuleInfo {
    pub kind: Kind,
    /// Whether the module imports anything from `wasi_snapshot_preview1`.
    pub imports_preview1: bool,
}

/// Reads a core module's imports and exports (without validating it: [`componentize`] does).
pub fn inspect(module: &[u8]) -> Result<ModuleInfo, Error> {
    if !module.starts_with(b"\0asm") {
        return Err(Error(
            "not a WebAssembly binary (it does not start with \"\\0asm\")".into(),
        ));
    }
    let mut start = false;
    let mut imports_preview1 = false;
    for payload in Parser::new(0).parse_all(module) {
        let payload = payload.map_err(|e| Error(format!("not a WebAssembly module: {e}")))?;
        match payload {
            Payload::Version {
                encoding: Encoding::Component,
                ..
            } => {
                return Err(Error(
                    "the input is already a component, not a core module".into(),
                ));
            }
            Payload::ImportSection(reader) => {
                for imports in reader {
                    let imports =
                        imports.map_err(|e| Error(format!("malformed import section: {e}")))?;
                    for import in imports {
                        let (_, import) =
                            import.map_err(|e| Error(format!("malformed import section: {e}")))?;
                        imports_preview1 |= import.module == PREVIEW1;
                    }
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export =
                        export.map_err(|e| Error(format!("malformed export section: {e}")))?;
                    start |= export.name == "_start" && export.kind == ExternalKind::Func;
                }
            }
            _ => {}
        }
    }
    Ok(ModuleInfo {
        kind: if start { Kind::Command } else { Kind::Reactor },
        imports_preview1,
    })
}

/// Wraps a WASI preview 1 core module into a WASI 0.2 component with the adapter its [`Kind`]
/// calls for; returns the kind and the component's bytes.
pub fn componentize(module: &[u8]) -> Result<(Kind, Vec<u8>), Error> {
    let info = inspect(module)?;
    if info.kind == Kind::Command && !info.imports_preview1 {
        // wit-component leaves out an adapter that nothing imports, and with it `wasi:cli/run`.
        return Err(Error(format!(
            "the module exports _start but imports nothing from {PREVIEW1}: not a WASI preview 1 command"
        )));
    }
    componentize_as(module, info.kind).map(|component| (info.kind, component))
}

/// Like [`componentize`], with the adapter chosen by the caller.
pub fn componentize_as(module: &[u8], kind: Kind) -> Result<Vec<u8>, Error> {
    let adapter = match kind {
        Kind::Command => WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
        Kind::Reactor => WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
    };
    ComponentEncoder::default()
        .validate(true)
        .module(module)
        .and_then(|encoder| encoder.adapter(PREVIEW1, adapter))
        .and_then(|mut encoder| encoder.encode())
        .map_err(|e| Error(format!("{e:#}")))
}
