//! Component-model calls from Rust: the four exports of `tests/components/bench.wat` (the same
//! component the JMH class `ComponentCall` calls), each through Wasmtime's two call paths:
//!
//! - dynamic: `component::Func::call` with `Val`s (what a binding that does not know the types at
//!   compile time does, and what wasmbridge's native side does);
//! - typed: `component::TypedFunc` with Rust types (`u32`, `&str`/`String`, `&[u8]`/`Vec<u8>`, a
//!   `#[derive(ComponentType, Lift, Lower)]` record): the code `bindgen!` generates.
//!
//! The arguments are built once and passed by reference on every call (`Func::call` takes `&[Val]`,
//! the typed calls take `&str`, `&[u8]`, `&Rec`), as a caller would; each call lowers them into the
//! guest, the guest copies them into fresh memory, and the result is lifted into new Rust values
//! (a `String`, a `Vec<u8>`, a `Vec<Val>` of 65536 `Val::U8`s for the dynamic list). Result names:
//! `component.{add,string,record,bytes}.{dynamic,typed}`.

use std::hint::black_box;
use std::path::Path;

use wasmtime::component::{Component, ComponentType, Lift, Linker, Lower, Val};
use wasmtime::{Engine, Store};

use crate::Bench;

/// The string echoed by `echo-string`: 1 KiB of ASCII (1024 UTF-8 bytes). The JMH class builds the
/// same one (`Components.string1k`).
pub fn string_1k() -> String {
    (0..1024).map(|i| (b'a' + (i % 26) as u8) as char).collect()
}

/// The bytes echoed by `echo-bytes`: 64 KiB, byte `i` is `i * 31 + 7` (as the 1 MiB copy input).
pub fn bytes_64k() -> Vec<u8> {
    (0..64 * 1024).map(|i: usize| (i * 31 + 7) as u8).collect()
}

/// `rec` of bench.wat, for the typed path.
#[derive(ComponentType, Lift, Lower, Clone, Debug, PartialEq)]
#[component(record)]
pub struct Rec {
    a: u32,
    b: u64,
    c: f64,
    d: String,
    e: bool,
}

/// The record echoed by `echo-record` (the JMH side, `Components.record`, uses the same values).
fn record() -> Rec {
    Rec {
        a: 7,
        b: 1 << 40,
        c: 2.5,
        d: "hello, component".to_string(),
        e: true,
    }
}

fn record_val(r: &Rec) -> Val {
    Val::Record(vec![
        ("a".to_string(), Val::U32(r.a)),
        ("b".to_string(), Val::U64(r.b)),
        ("c".to_string(), Val::Float64(r.c)),
        ("d".to_string(), Val::String(r.d.clone())),
        ("e".to_string(), Val::Bool(r.e)),
    ])
}

/// Runs the eight component benchmarks on `engine` (the benchmark engine: the component model is on
/// by default in Wasmtime 48).
pub fn run(bench: &mut Bench, engine: &Engine, path: &Path) {
    let component =
        Component::from_file(engine, path).unwrap_or_else(|e| panic!("{}: {e:#}", path.display()));
    let mut store = Store::new(engine, ());
    let linker: Linker<()> = Linker::new(engine);
    let instance = linker.instantiate(&mut store, &component).unwrap();
    let func = |store: &mut Store<()>, name: &str| {
        instance
            .get_func(&mut *store, name)
            .unwrap_or_else(|| panic!("{}: no export {name}", path.display()))
    };
    let string = string_1k();
    let bytes = bytes_64k();
    let rec = record();

    // add(u32, u32) -> u32
    {
        let dynamic = func(&mut store, "add");
        let params = [Val::U32(40), Val::U32(2)];
        let mut results = [Val::Bool(false)];
        dynamic.call(&mut store, &params, &mut results).unwrap();
        assert_eq!(results[0], Val::U32(42));
        bench.run("component.add.dynamic", 1, || {
            dynamic
                .call(&mut store, black_box(&params), &mut results)
                .unwrap();
            black_box(&results);
        });
        let typed = instance
            .get_typed_func::<(u32, u32), (u32,)>(&mut store, "add")
            .unwrap();
        assert_eq!(typed.call(&mut store, (40, 2)).unwrap(), (42,));
        bench.run("component.add.typed", 1, || {
            black_box(
                typed
                    .call(&mut store, (black_box(40), black_box(2)))
                    .unwrap(),
            );
        });
    }

    // echo-string(string) -> string, 1 KiB
    {
        let dynamic = func(&mut store, "echo-string");
        let params = [Val::String(string.clone())];
        let mut results = [Val::Bool(false)];
        dynamic.call(&mut store, &params, &mut results).unwrap();
        assert_eq!(results[0], params[0]);
        bench.run("component.string.dynamic", 1, || {
            dynamic
                .call(&mut store, black_box(&params), &mut results)
                .unwrap();
            black_box(&results);
        });
        let typed = instance
            .get_typed_func::<(&str,), (String,)>(&mut store, "echo-string")
            .unwrap();
        assert_eq!(
            typed.call(&mut store, (string.as_str(),)).unwrap().0,
            string
        );
        bench.run("component.string.typed", 1, || {
            black_box(
                typed
                    .call(&mut store, (black_box(string.as_str()),))
                    .unwrap(),
            );
        });
    }

    // echo-record(rec) -> rec
    {
        let dynamic = func(&mut store, "echo-record");
        let params = [record_val(&rec)];
        let mut results = [Val::Bool(false)];
        dynamic.call(&mut store, &params, &mut results).unwrap();
        assert_eq!(results[0], params[0]);
        bench.run("component.record.dynamic", 1, || {
            dynamic
                .call(&mut store, black_box(&params), &mut results)
                .unwrap();
            black_box(&results);
        });
        let typed = instance
            .get_typed_func::<(&Rec,), (Rec,)>(&mut store, "echo-record")
            .unwrap();
        assert_eq!(typed.call(&mut store, (&rec,)).unwrap().0, rec);
        bench.run("component.record.typed", 1, || {
            black_box(typed.call(&mut store, (black_box(&rec),)).unwrap());
        });
    }

    // echo-bytes(list<u8>) -> list<u8>, 64 KiB
    {
        let dynamic = func(&mut store, "echo-bytes");
        let params = [Val::List(bytes.iter().map(|&b| Val::U8(b)).collect())];
        let mut results = [Val::Bool(false)];
        dynamic.call(&mut store, &params, &mut results).unwrap();
        assert_eq!(results[0], params[0]);
        bench.run("component.bytes.dynamic", 1, || {
            dynamic
                .call(&mut store, black_box(&params), &mut results)
                .unwrap();
            black_box(&results);
        });
        let typed = instance
            .get_typed_func::<(&[u8],), (Vec<u8>,)>(&mut store, "echo-bytes")
            .unwrap();
        assert_eq!(
            typed.call(&mut store, (bytes.as_slice(),)).unwrap().0,
            bytes
        );
        bench.run("component.bytes.typed", 1, || {
            black_box(
                typed
                    .call(&mut store, (black_box(bytes.as_slice()),))
                    .unwrap(),
            );
        });
    }
}
