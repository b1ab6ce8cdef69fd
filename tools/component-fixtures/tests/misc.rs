//! The error-case fixture `tests/components/misc.wat`: a plain `add`, a trapping export, and
//! exports whose results the canonical ABI must reject when lifting. Every invalid case must
//! come back as an `Err` from the call (never a panic), and the tests also pin down what the
//! store can still do afterwards, which the Java tests will have to match.

use std::sync::OnceLock;

use wasmbridge_component_fixtures::{load_component, short};
use wasmtime::component::{Component, Func, Instance, Linker, Val};
use wasmtime::{Engine, Store, Trap};

struct Fixture {
    engine: Engine,
    component: Component,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let engine = Engine::default();
        let component = load_component(&engine, "misc.wat")
            .unwrap_or_else(|e| panic!("misc.wat does not compile: {e:?}"));
        Fixture { engine, component }
    })
}

/// A fresh store and instance (misc.wat has no imports).
fn instantiate() -> (Store<()>, Instance) {
    let fixture = fixture();
    let mut store = Store::new(&fixture.engine, ());
    let instance = Linker::new(&fixture.engine)
        .instantiate(&mut store, &fixture.component)
        .unwrap_or_else(|e| panic!("instantiating misc.wat: {e:?}"));
    (store, instance)
}

fn func(store: &mut Store<()>, instance: &Instance, name: &str) -> Func {
    instance
        .get_func(&mut *store, name)
        .unwrap_or_else(|| panic!("no export {name}"))
}

/// Calls a no-argument export with one result and returns the error it must fail with.
fn call_err(store: &mut Store<()>, instance: &Instance, name: &str) -> wasmtime::Error {
    let f = func(store, instance, name);
    let mut results = [Val::Bool(false)];
    match f.call(&mut *store, &[], &mut results) {
        Ok(()) => panic!("{name} returned {} instead of failing", short(&results[0])),
        Err(e) => e,
    }
}

fn add(store: &mut Store<()>, instance: &Instance, a: u32, b: u32) -> wasmtime::Result<u32> {
    let f = func(store, instance, "add");
    let mut results = [Val::U32(0)];
    f.call(&mut *store, &[Val::U32(a), Val::U32(b)], &mut results)?;
    match results[0] {
        Val::U32(sum) => Ok(sum),
        ref other => panic!("add returned {other:?}"),
    }
}

#[test]
fn add_works_dynamically_and_typed() {
    let (mut store, instance) = instantiate();
    assert_eq!(add(&mut store, &instance, 1, 2).unwrap(), 3);
    assert_eq!(add(&mut store, &instance, 0, 0).unwrap(), 0);
    // u32 arithmetic wraps: the core function is a plain i32.add.
    assert_eq!(add(&mut store, &instance, u32::MAX, 1).unwrap(), 0);
    assert_eq!(
        add(&mut store, &instance, 0x8000_0000, 0x7fff_ffff).unwrap(),
        u32::MAX
    );

    let typed = instance
        .get_typed_func::<(u32, u32), (u32,)>(&mut store, "add")
        .unwrap();
    assert_eq!(typed.call(&mut store, (40, 2)).unwrap(), (42,));
}

#[test]
fn exports_are_listed() {
    let fixture = fixture();
    let ty = fixture.component.component_type();
    let names: Vec<&str> = ty.exports(&fixture.engine).map(|(name, _)| name).collect();
    assert_eq!(
        names,
        [
            "color",
            "shape",
            "add",
            "trap",
            "bad-utf8",
            "bad-string-bounds",
            "bad-char",
            "bad-enum",
            "bad-variant",
            "bool-two",
        ]
    );
}

#[test]
fn trap_is_an_unreachable_error_and_poisons_the_store() {
    let (mut store, instance) = instantiate();
    let f = func(&mut store, &instance, "trap");
    let e = f.call(&mut store, &[], &mut []).unwrap_err();
    assert_eq!(
        e.downcast_ref::<Trap>(),
        Some(&Trap::UnreachableCodeReached),
        "{e:?}"
    );
    // Wasmtime 48 marks the store as trapped: no component instance in it may be entered again.
    let e = add(&mut store, &instance, 1, 2).unwrap_err();
    assert_eq!(
        e.downcast_ref::<Trap>(),
        Some(&Trap::CannotEnterComponent),
        "{e:?}"
    );
    // A new store is unaffected.
    let (mut store, instance) = instantiate();
    assert_eq!(add(&mut store, &instance, 1, 2).unwrap(), 3);
}

/// Checks an invalid-result export: an `Err` whose message contains `expected`, and not a trap.
/// Returns the store so the caller can check what it can still do.
fn invalid_result(name: &str, expected: &str) -> (Store<()>, Instance) {
    let (mut store, instance) = instantiate();
    let e = call_err(&mut store, &instance, name);
    let text = format!("{e:?}");
    // Shown with --nocapture: the messages the Java side will see.
    eprintln!("{name}: {e:#}");
    assert!(
        text.contains(expected),
        "{name}: expected an error mentioning {expected:?}, got {text}"
    );
    assert!(
        e.downcast_ref::<Trap>().is_none(),
        "{name}: a lifting error, not a trap: {text}"
    );
    (store, instance)
}

#[test]
fn bad_utf8_is_an_error() {
    invalid_result("bad-utf8", "utf-8");
}

#[test]
fn bad_string_bounds_is_an_error() {
    invalid_result("bad-string-bounds", "out of bounds");
}

#[test]
fn bad_char_is_an_error() {
    invalid_result("bad-char", "char");
}

#[test]
fn bad_enum_is_an_error() {
    invalid_result("bad-enum", "discriminant");
}

#[test]
fn bad_variant_is_an_error() {
    invalid_result("bad-variant", "discriminant");
}

/// Like a trap, a failed lift of an export's result poisons the store in Wasmtime 48: the
/// error is reported once, then every component call in that store fails with
/// `Trap::CannotEnterComponent`.
#[test]
fn lifting_errors_poison_the_store() {
    for name in [
        "bad-utf8",
        "bad-string-bounds",
        "bad-char",
        "bad-enum",
        "bad-variant",
    ] {
        let (mut store, instance) = invalid_result(name, "");
        let e = add(&mut store, &instance, 2, 3).unwrap_err();
        assert_eq!(
            e.downcast_ref::<Trap>(),
            Some(&Trap::CannotEnterComponent),
            "add after {name}: {e:?}"
        );
    }
}

#[test]
fn bool_two_lifts_as_true() {
    // The canonical ABI reads any non-zero i32 as `true`: not an error.
    let (mut store, instance) = instantiate();
    let f = func(&mut store, &instance, "bool-two");
    let mut results = [Val::Bool(false)];
    f.call(&mut store, &[], &mut results).unwrap();
    assert_eq!(results[0], Val::Bool(true));
}
