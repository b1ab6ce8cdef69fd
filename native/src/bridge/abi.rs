//! Every number that means something on both sides of JNI, in one place, and the test that fails the
//! build when the Java side disagrees.
//!
//! The Java homes: `dev/wasmbridge/Abi.java` (extern kinds and their packing, the positional
//! `long[]` layouts of store limits and pooling), and the enums whose ordinals cross: `ValType` (value
//! type codes), `OptLevel`, `WasiConfig.StreamMode`, `Shape` (typed shapes, `shapes.rs`), the
//! component package's `WitType.Kind` and `ComponentItem.Kind`, and `TrapCode` (checked in
//! `error.rs`); `http/HttpAbi.java` and `HttpErrorCode` (homes in `http/`, checked here).

use jni::sys::jint;

// Extern kinds (`types.rs` encoding, `kind << KIND_SHIFT | index` packing).
pub const KIND_FUNC: u8 = 0;
pub const KIND_GLOBAL: u8 = 1;
pub const KIND_TABLE: u8 = 2;
pub const KIND_MEMORY: u8 = 3;
pub const KIND_TAG: u8 = 4;
/// An export handed to Java is `kind << KIND_SHIFT | index` (index as u32); -1 for none.
pub const KIND_SHIFT: u32 = 32;

// Value type codes: `ValType` ordinals.
pub const VAL_I32: u8 = 0;
pub const VAL_I64: u8 = 1;
pub const VAL_F32: u8 = 2;
pub const VAL_F64: u8 = 3;
pub const VAL_V128: u8 = 4;
pub const VAL_FUNCREF: u8 = 5;
pub const VAL_EXTERNREF: u8 = 6;
pub const VAL_ANYREF: u8 = 7;
pub const VAL_EXNREF: u8 = 8;

// Optimization levels: `OptLevel` ordinals.
pub const OPT_NONE: jint = 0;
pub const OPT_SPEED: jint = 1;
pub const OPT_SPEED_AND_SIZE: jint = 2;

// WASI stdio modes: `WasiConfig.StreamMode` ordinals.
/// stdin at end of file / output discarded (wasmtime-wasi's default).
pub const STREAM_NONE: jint = 0;
/// The process's own stdin, stdout or stderr.
pub const STREAM_INHERIT: jint = 1;
/// stdin from a byte array / output captured in memory.
pub const STREAM_MEMORY: jint = 2;
/// A Java `InputStream` / `OutputStream`.
pub const STREAM_STREAM: jint = 3;

// WIT type kinds: `dev.wasmbridge.component.WitType.Kind` ordinals (the tags of `component::types`).
pub const WIT_BOOL: u8 = 0;
pub const WIT_S8: u8 = 1;
pub const WIT_U8: u8 = 2;
pub const WIT_S16: u8 = 3;
pub const WIT_U16: u8 = 4;
pub const WIT_S32: u8 = 5;
pub const WIT_U32: u8 = 6;
pub const WIT_S64: u8 = 7;
pub const WIT_U64: u8 = 8;
pub const WIT_F32: u8 = 9;
pub const WIT_F64: u8 = 10;
pub const WIT_CHAR: u8 = 11;
pub const WIT_STRING: u8 = 12;
pub const WIT_LIST: u8 = 13;
pub const WIT_RECORD: u8 = 14;
pub const WIT_TUPLE: u8 = 15;
pub const WIT_VARIANT: u8 = 16;
pub const WIT_ENUM: u8 = 17;
pub const WIT_OPTION: u8 = 18;
pub const WIT_RESULT: u8 = 19;
pub const WIT_FLAGS: u8 = 20;
pub const WIT_OWN: u8 = 21;
pub const WIT_BORROW: u8 = 22;
pub const WIT_UNSUPPORTED: u8 = 23;

// Component item kinds: `dev.wasmbridge.component.ComponentItem.Kind` ordinals.
pub const ITEM_FUNC: u8 = 0;
pub const ITEM_INSTANCE: u8 = 1;
pub const ITEM_RESOURCE: u8 = 2;
pub const ITEM_TYPE: u8 = 3;
pub const ITEM_MODULE: u8 = 4;
pub const ITEM_COMPONENT: u8 = 5;
pub const ITEM_CORE_FUNC: u8 = 6;

// Component values on the wire (`component::values`, `ComponentAbi.java`): a resource's tag byte.
/// A handle in the store's table (a `ResourceHandle`), by its u64 key.
pub const RESOURCE_HANDLE: u8 = 0;
/// A Java object implementing a host resource, by its u32 rep in the store's host-object table.
pub const RESOURCE_HOST: u8 = 1;

// What `component::instanceFunc` returns when it finds no function (otherwise an index, 0 or more).
/// No export by that name.
pub const NO_EXPORT: jint = -1;
/// An export by that name that is not a function: Wasmtime's component types describe an exported
/// *type* by what it names, so `(export "f" (type $functype))` looks like a function there.
pub const NOT_A_FUNCTION: jint = -2;

/// In the `long[]` layouts below, a value meaning "not set" (a default applies).
pub const UNSET: i64 = -1;

// `Store.setLimits`: positions in the `long[]` (`StoreLimits`).
pub const LIMIT_MEMORY_SIZE: usize = 0;
pub const LIMIT_TABLE_ELEMENTS: usize = 1;
pub const LIMIT_INSTANCES: usize = 2;
pub const LIMIT_TABLES: usize = 3;
pub const LIMIT_MEMORIES: usize = 4;
pub const LIMITS_LENGTH: usize = 5;

// `EngineConfig.pooling`: positions in the `long[]` (`PoolingConfig`).
pub const POOL_INSTANCES: usize = 0;
pub const POOL_MEMORIES: usize = 1;
pub const POOL_TABLES: usize = 2;
pub const POOL_MAX_MEMORY_SIZE: usize = 3;
pub const POOL_TABLE_ELEMENTS: usize = 4;
pub const POOL_MEMORY_KEEP_RESIDENT: usize = 5;
pub const POOL_TABLE_KEEP_RESIDENT: usize = 6;
pub const POOL_PAGEMAP_SCAN: usize = 7;
pub const POOL_LENGTH: usize = 8;

// The value at `POOL_PAGEMAP_SCAN`: `PoolingConfig.PagemapScan` ordinals.
/// Never use Linux's `PAGEMAP_SCAN` to find the pages a slot dirtied.
pub const PAGEMAP_NO: i64 = 0;
/// Use it; building the engine fails where the kernel lacks it (before Linux 6.7).
pub const PAGEMAP_YES: i64 = 1;
/// Use it where the kernel has it.
pub const PAGEMAP_AUTO: i64 = 2;

// `WasiConfig`'s sockets: the bits of the `sockets` flags beside the network allow-list.
/// `wasi:sockets/ip-name-lookup` may resolve names.
pub const SOCKETS_NAME_LOOKUP: jint = 1;
/// TCP sockets may be used (on the allowed network).
pub const SOCKETS_TCP: jint = 2;
/// UDP sockets may be used (on the allowed network).
pub const SOCKETS_UDP: jint = 4;

// `EngineConfig`'s compilation cache: the mode beside its path.
/// No cache.
pub const CACHE_NONE: jint = 0;
/// Wasmtime's cache, default settings, in the given directory.
pub const CACHE_DIRECTORY: jint = 1;
/// Wasmtime's cache as the given configuration file says (`wasmtime --cache-config`).
pub const CACHE_CONFIG_FILE: jint = 2;
/// Wasmtime's default: its per-user configuration file if there is one, else its per-user folder.
pub const CACHE_DEFAULT: jint = 3;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bridge::java_source::{java, java_constants, java_enum, names, JAVA};

    /// The names and values `Abi.java` must hold, and nothing else.
    const ABI: &[(&str, i64)] = &[
        ("KIND_FUNC", KIND_FUNC as i64),
        ("KIND_GLOBAL", KIND_GLOBAL as i64),
        ("KIND_TABLE", KIND_TABLE as i64),
        ("KIND_MEMORY", KIND_MEMORY as i64),
        ("KIND_TAG", KIND_TAG as i64),
        ("KIND_SHIFT", KIND_SHIFT as i64),
        ("UNSET", UNSET),
        ("LIMIT_MEMORY_SIZE", LIMIT_MEMORY_SIZE as i64),
        ("LIMIT_TABLE_ELEMENTS", LIMIT_TABLE_ELEMENTS as i64),
        ("LIMIT_INSTANCES", LIMIT_INSTANCES as i64),
        ("LIMIT_TABLES", LIMIT_TABLES as i64),
        ("LIMIT_MEMORIES", LIMIT_MEMORIES as i64),
        ("LIMITS_LENGTH", LIMITS_LENGTH as i64),
        ("POOL_INSTANCES", POOL_INSTANCES as i64),
        ("POOL_MEMORIES", POOL_MEMORIES as i64),
        ("POOL_TABLES", POOL_TABLES as i64),
        ("POOL_MAX_MEMORY_SIZE", POOL_MAX_MEMORY_SIZE as i64),
        ("POOL_TABLE_ELEMENTS", POOL_TABLE_ELEMENTS as i64),
        (
            "POOL_MEMORY_KEEP_RESIDENT",
            POOL_MEMORY_KEEP_RESIDENT as i64,
        ),
        ("POOL_TABLE_KEEP_RESIDENT", POOL_TABLE_KEEP_RESIDENT as i64),
        ("POOL_PAGEMAP_SCAN", POOL_PAGEMAP_SCAN as i64),
        ("POOL_LENGTH", POOL_LENGTH as i64),
        ("SOCKETS_NAME_LOOKUP", SOCKETS_NAME_LOOKUP as i64),
        ("SOCKETS_TCP", SOCKETS_TCP as i64),
        ("SOCKETS_UDP", SOCKETS_UDP as i64),
        ("CACHE_NONE", CACHE_NONE as i64),
        ("CACHE_DIRECTORY", CACHE_DIRECTORY as i64),
        ("CACHE_CONFIG_FILE", CACHE_CONFIG_FILE as i64),
        ("CACHE_DEFAULT", CACHE_DEFAULT as i64),
    ];

    #[test]
    fn abi_java_holds_exactly_these_numbers() {
        let java = java_constants(&java("Abi.java"));
        let rust: Vec<(String, i64)> = ABI.iter().map(|&(n, v)| (n.to_owned(), v)).collect();
        assert_eq!(java, rust, "Abi.java and abi.rs disagree");
    }

    #[test]
    fn component_abi_java_holds_exactly_these_numbers() {
        let java = java_constants(&java("component/ComponentAbi.java"));
        let rust = vec![
            ("RESOURCE_HANDLE".to_owned(), i64::from(RESOURCE_HANDLE)),
            ("RESOURCE_HOST".to_owned(), i64::from(RESOURCE_HOST)),
            ("NO_EXPORT".to_owned(), i64::from(NO_EXPORT)),
            ("NOT_A_FUNCTION".to_owned(), i64::from(NOT_A_FUNCTION)),
        ];
        assert_eq!(java, rust, "ComponentAbi.java and abi.rs disagree");
    }

    #[test]
    fn value_type_codes_are_val_type_ordinals() {
        let java = java_enum(&java("ValType.java"), "ValType");
        let rust = [
            ("I32", VAL_I32),
            ("I64", VAL_I64),
            ("F32", VAL_F32),
            ("F64", VAL_F64),
            ("V128", VAL_V128),
            ("FUNCREF", VAL_FUNCREF),
            ("EXTERNREF", VAL_EXTERNREF),
            ("ANYREF", VAL_ANYREF),
            ("EXNREF", VAL_EXNREF),
        ];
        assert_eq!(names(&java), rust.map(|(n, _)| n));
        for (i, (_, code)) in rust.iter().enumerate() {
            assert_eq!(usize::from(*code), i);
        }
    }

    #[test]
    fn optimization_levels_are_opt_level_ordinals() {
        let java = java_enum(&java("OptLevel.java"), "OptLevel");
        assert_eq!(names(&java), ["NONE", "SPEED", "SPEED_AND_SIZE"]);
        assert_eq!([OPT_NONE, OPT_SPEED, OPT_SPEED_AND_SIZE], [0, 1, 2]);
    }

    #[test]
    fn pagemap_modes_are_pagemap_scan_ordinals() {
        let java = java_enum(&java("PoolingConfig.java"), "PagemapScan");
        assert_eq!(names(&java), ["NO", "YES", "AUTO"]);
        assert_eq!([PAGEMAP_NO, PAGEMAP_YES, PAGEMAP_AUTO], [0, 1, 2]);
    }

    #[test]
    fn stream_modes_are_stream_mode_ordinals() {
        let java = java_enum(&java("wasi/WasiConfig.java"), "StreamMode");
        assert_eq!(names(&java), ["NONE", "INHERIT", "MEMORY", "STREAM"]);
        assert_eq!(
            [STREAM_NONE, STREAM_INHERIT, STREAM_MEMORY, STREAM_STREAM],
            [0, 1, 2, 3]
        );
    }

    #[test]
    fn wit_kinds_are_wit_type_kind_ordinals() {
        let src = std::fs::read_to_string(format!(
            "{}/{JAVA}/component/WitType.java",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let java = java_enum(&src, "Kind");
        let rust = [
            ("BOOL", WIT_BOOL),
            ("S8", WIT_S8),
            ("U8", WIT_U8),
            ("S16", WIT_S16),
            ("U16", WIT_U16),
            ("S32", WIT_S32),
            ("U32", WIT_U32),
            ("S64", WIT_S64),
            ("U64", WIT_U64),
            ("F32", WIT_F32),
            ("F64", WIT_F64),
            ("CHAR", WIT_CHAR),
            ("STRING", WIT_STRING),
            ("LIST", WIT_LIST),
            ("RECORD", WIT_RECORD),
            ("TUPLE", WIT_TUPLE),
            ("VARIANT", WIT_VARIANT),
            ("ENUM", WIT_ENUM),
            ("OPTION", WIT_OPTION),
            ("RESULT", WIT_RESULT),
            ("FLAGS", WIT_FLAGS),
            ("OWN", WIT_OWN),
            ("BORROW", WIT_BORROW),
            ("UNSUPPORTED", WIT_UNSUPPORTED),
        ];
        assert_eq!(names(&java), rust.map(|(n, _)| n));
        for (i, (_, code)) in rust.iter().enumerate() {
            assert_eq!(usize::from(*code), i);
        }
    }

    #[test]
    fn item_kinds_are_component_item_kind_ordinals() {
        let src = std::fs::read_to_string(format!(
            "{}/{JAVA}/component/ComponentItem.java",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let java = java_enum(&src, "Kind");
        let rust = [
            ("FUNCTION", ITEM_FUNC),
            ("INSTANCE", ITEM_INSTANCE),
            ("RESOURCE", ITEM_RESOURCE),
            ("TYPE", ITEM_TYPE),
            ("MODULE", ITEM_MODULE),
            ("COMPONENT", ITEM_COMPONENT),
            ("CORE_FUNCTION", ITEM_CORE_FUNC),
        ];
        assert_eq!(names(&java), rust.map(|(n, _)| n));
        for (i, (_, code)) in rust.iter().enumerate() {
            assert_eq!(usize::from(*code), i);
        }
    }
}
