//! Records the Wasmtime version this library is built with (from the workspace's Cargo.lock, the
//! version cargo resolved) as `WASMTIME_VERSION`, for `Engine.wasmtimeVersion()`: Wasmtime exports
//! no constant for it.

use std::path::Path;

fn main() {
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let text = std::fs::read_to_string(&lock)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", lock.display()));
    let mut lines = text.lines();
    let mut version = None;
    while let Some(line) = lines.next() {
        if line.trim() == r#"name = "wasmtime""# {
            version = lines
                .next()
                .and_then(|v| v.trim().strip_prefix("version = "))
                .map(|v| v.trim_matches('"').to_string());
            break;
        }
    }
    let version =
        version.unwrap_or_else(|| panic!("{} names no wasmtime package version", lock.display()));
    println!("cargo:rustc-env=WASMTIME_VERSION={version}");
}
