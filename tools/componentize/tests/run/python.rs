//! The component written in Python (tests/python, built by scripts/build-python-component.sh into
//! OUT_DIR/python-app.wasm) runs on Wasmtime 48 with `wasmtime_wasi::p2::add_to_linker_sync` for its WASI
//! imports; one call of each kind of function of tests/python/wit/app.wit, with dynamic `Val`s.
//!
//! Ignored unless WASMBRIDGE_PY_COMPONENT names the component when the tests are compiled (build.rs), so
//! that a plain `cargo test` needs no Python:
//!   scripts/build-python-component.sh target/py
//!   WASMBRIDGE_PY_COMPONENT=$PWD/target/py/python-app.wasm cargo test --release -p wasmbridge-componentize python

use std::collections::BTreeSet;
use std::time::Instant;

use wasmtime::component::{Component, ComponentExportIndex, Func, Instance, ResourceTable, Val};
use wasmtime::{Config, Engine, Store};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

struct Host {
    ctx: WasiCtx,
    table: ResourceTable,
}

impl WasiView for Host {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }
}

const API: &str = "test:py/api";

fn func(
    store: &mut Store<Host>,
    instance: &Instance,
    api: &ComponentExportIndex,
    name: &str,
) -> Func {
    let index = instance
        .get_export_index(&mut *store, Some(api), name)
        .unwrap_or_else(|| panic!("{API} exports no {name}"));
    instance.get_func(&mut *store, index).unwrap()
}

fn call(store: &mut Store<Host>, f: &Func, params: &[Val]) -> Val {
    let mut results = [Val::Bool(false)];
    f.call(&mut *store, params, &mut results).unwrap();
    results[0].clone()
}

fn string(s: &str) -> Val {
    Val::String(s.into())
}

fn strings(items: &[&str]) -> Val {
    Val::List(items.iter().map(|s| string(s)).collect())
}

#[test]
#[cfg_attr(
    not(py_component),
    ignore = "set WASMBRIDGE_PY_COMPONENT to scripts/build-python-component.sh's python-app.wasm"
)]
fn the_python_component_runs_on_wasmtime_48() {
    let path = std::env::var("WASMBRIDGE_PY_COMPONENT")
        .ok()
        .or(option_env!("WASMBRIDGE_PY_COMPONENT").map(str::to_owned))
        .expect("WASMBRIDGE_PY_COMPONENT");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    // Wasmtime's defaults: no component-model-async or other proposal switched on.
    let engine = Engine::new(&Config::new()).unwrap();
    let started = Instant::now();
    let component = Component::new(&engine, &bytes).unwrap();
    eprintln!(
        "{path}: {} bytes, compiled in {:?}",
        bytes.len(),
        started.elapsed()
    );

    let ty = component.component_type();
    let imports: BTreeSet<String> = ty.imports(&engine).map(|(n, _)| n.to_owned()).collect();
    let exports: Vec<String> = ty.exports(&engine).map(|(n, _)| n.to_owned()).collect();
    for (name, item) in ty.exports(&engine) {
        if let wasmtime::component::types::ComponentItem::ComponentInstance(i) = item.ty {
            let names: Vec<&str> = i.exports(&engine).map(|(n, _)| n).collect();
            eprintln!("export {name}: {names:?}");
        } else {
            eprintln!("export {name}: {:?}", item.ty);
        }
    }
    eprintln!("imports: {imports:?}");
    eprintln!("exports: {exports:?}");
    for import in &imports {
        assert!(
            import.starts_with("wasi:") && import.contains("@0.2."),
            "imports {import}"
        );
    }
    // componentize-py 0.25.1 also exports an instance named "exports" (its runtime's own types and an
    // `init` function); the world's interface is the other one.
    assert!(exports.contains(&API.to_owned()), "exports {exports:?}");

    let stdout = MemoryOutputPipe::new(1 << 16);
    let stderr = MemoryOutputPipe::new(1 << 16);
    let ctx = WasiCtxBuilder::new()
        .stdout(stdout.clone())
        .stderr(stderr.clone())
        .build();
    let mut store = Store::new(
        &engine,
        Host {
            ctx,
            table: ResourceTable::new(),
        },
    );
    let mut linker = wasmtime::component::Linker::new(&engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).unwrap();
    let started = Instant::now();
    let instance = linker
        .instantiate(&mut store, &component)
        .unwrap_or_else(|e| panic!("instantiate: {e:?}"));
    eprintln!("instantiated in {:?}", started.elapsed());
    let api = instance.get_export_index(&mut store, None, API).unwrap();
    let s = &mut store;

    // string in, string out
    let greet = func(s, &instance, &api, "greet");
    assert_eq!(
        call(s, &greet, &[string("Wasmtime ✓")]),
        string("Hello, Wasmtime ✓!")
    );

    // a record with a list field, out and back in
    let make_person = func(s, &instance, &api, "make-person");
    let person = call(
        s,
        &make_person,
        &[string("Ada"), Val::U32(36), strings(&["math", "engines"])],
    );
    assert_eq!(
        person,
        Val::Record(vec![
            ("name".into(), string("Ada")),
            ("age".into(), Val::U32(36)),
            ("tags".into(), strings(&["math", "engines"])),
        ])
    );
    let describe = func(s, &instance, &api, "describe");
    assert_eq!(
        call(s, &describe, &[person]),
        string("Ada (36): math, engines")
    );

    // option
    let find = func(s, &instance, &api, "find");
    let items = strings(&["a", "b", "c"]);
    assert_eq!(
        call(s, &find, &[items.clone(), string("c")]),
        Val::Option(Some(Box::new(Val::U32(2))))
    );
    assert_eq!(call(s, &find, &[items, string("z")]), Val::Option(None));

    // result
    let parse = func(s, &instance, &api, "parse-number");
    assert_eq!(
        call(s, &parse, &[string("4294967295")]),
        Val::Result(Ok(Some(Box::new(Val::U32(u32::MAX)))))
    );
    assert_eq!(
        call(s, &parse, &[string("12x")]),
        Val::Result(Err(Some(Box::new(string("not a number: '12x'")))))
    );
    assert_eq!(
        call(s, &parse, &[string("4294967296")]),
        Val::Result(Err(Some(Box::new(string("too large: 4294967296")))))
    );

    // enum
    let next_color = func(s, &instance, &api, "next-color");
    assert_eq!(
        call(s, &next_color, &[Val::Enum("blue".into())]),
        Val::Enum("red".into())
    );
    assert_eq!(
        call(s, &next_color, &[Val::Enum("red".into())]),
        Val::Enum("green".into())
    );

    // variant
    let area = func(s, &instance, &api, "area");
    let rectangle = Val::Variant(
        "rectangle".into(),
        Some(Box::new(Val::Tuple(vec![
            Val::Float64(2.5),
            Val::Float64(4.0),
        ]))),
    );
    assert_eq!(call(s, &area, &[rectangle]), Val::Float64(10.0));
    let circle = Val::Variant("circle".into(), Some(Box::new(Val::Float64(1.0))));
    assert_eq!(
        call(s, &area, &[circle]),
        Val::Float64(std::f64::consts::PI)
    );
    assert_eq!(
        call(s, &area, &[Val::Variant("point".into(), None)]),
        Val::Float64(0.0)
    );

    // a resource: constructor, methods, drop; two instances keep their own state
    let new = func(s, &instance, &api, "[constructor]counter");
    let increment = func(s, &instance, &api, "[method]counter.increment");
    let value = func(s, &instance, &api, "[method]counter.value");
    let Val::Resource(a) = call(s, &new, &[Val::S64(10)]) else {
        panic!("the constructor returned no resource")
    };
    let Val::Resource(b) = call(s, &new, &[Val::S64(-1)]) else {
        panic!("the constructor returned no resource")
    };
    assert_eq!(
        call(s, &increment, &[Val::Resource(a), Val::S64(5)]),
        Val::S64(15)
    );
    assert_eq!(
        call(s, &increment, &[Val::Resource(b), Val::S64(-2)]),
        Val::S64(-3)
    );
    assert_eq!(call(s, &value, &[Val::Resource(a)]), Val::S64(15));
    a.resource_drop(&mut *s).unwrap();
    b.resource_drop(&mut *s).unwrap();
    // A dropped handle is refused.
    let mut results = [Val::Bool(false)];
    assert!(value
        .call(&mut *s, &[Val::Resource(a)], &mut results)
        .is_err());

    // Nothing was printed.
    assert_eq!(stdout.contents().len(), 0);
    let err = String::from_utf8_lossy(&stderr.contents()).into_owned();
    assert!(err.is_empty(), "stderr: {err}");
}
