//! The JNI plumbing: what every native entry point uses, depending on nothing of the runtime above it
//! (no module here names `crate::` outside `bridge`).
//!
//! - `abi.rs`: the codes and layouts Java and Rust share (each with a test against `dev.wasmbridge.Abi`);
//! - `error.rs`: every failure's Java exception, in one table;
//! - `ffi.rs`: `entry` and `fast`, the wrappers that catch panics and throw the mapped exception;
//! - `cache.rs`: classes and method IDs looked up once, in `JNI_OnLoad`;
//! - `handle.rs`: native objects as `long` handles, with their checks.

pub mod abi;
pub mod cache;
pub mod error;
pub mod ffi;
pub mod handle;
#[cfg(test)]
pub mod java_source;
