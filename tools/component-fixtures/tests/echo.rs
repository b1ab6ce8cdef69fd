//! Round-trips values of every WIT type kind through `tests/components/echo.wat`.
//!
//! The host supplies `test:echo/host` with functions that record their argument and return it;
//! each `test:echo/guest` export calls the matching import. A value therefore crosses the
//! canonical ABI four times per call (export params in, import params out, import result in,
//! export result out), and the test checks both what the host import saw and what came back.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use wasmbridge_component_fixtures::{load_component, same_val, short};
use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Component, Linker, Val};
use wasmtime::{Engine, Store, Trap};

/// The function suffixes of echo.wat (`echo-<name>`), as scripts/gen-component-echo.py lists them.
const FUNCS: &[&str] = &[
    "bool",
    "s8",
    "u8",
    "s16",
    "u16",
    "s32",
    "u32",
    "s64",
    "u64",
    "f32",
    "f64",
    "char",
    "string",
    "bytes",
    "strings",
    "nested",
    "point",
    "person",
    "tuple",
    "shape",
    "color",
    "opt",
    "nested-opt",
    "res",
    "res-unit-ok",
    "res-plain",
    "perms",
    "many-flags",
    "wide",
    "points",
];

/// The named types exported next to the functions.
const TYPES: &[&str] = &[
    "point",
    "person",
    "shape",
    "color",
    "perms",
    "many-flags",
    "wide",
];

struct Fixture {
    engine: Engine,
    component: Component,
}

/// Compiled once: every test instantiates the same component in a store of its own.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let engine = Engine::default();
        let component = load_component(&engine, "echo.wat")
            .unwrap_or_else(|e| panic!("echo.wat does not compile: {e:?}"));
        Fixture { engine, component }
    })
}

/// A linker whose `test:echo/host` functions log their argument in the store and return it.
fn linker() -> Linker<Vec<Val>> {
    let mut linker = Linker::<Vec<Val>>::new(&fixture().engine);
    let mut host = linker.instance("test:echo/host").unwrap();
    for name in FUNCS {
        host.func_new(
            &format!("echo-{name}"),
            |mut store, _ty, params, results| {
                store.data_mut().push(params[0].clone());
                results[0] = params[0].clone();
                Ok(())
            },
        )
        .unwrap();
    }
    linker
}

/// Calls `echo-<name>` once per value and checks that the host saw the value and that the
/// export returned it unchanged (floats to the bit).
fn echo(name: &str, values: &[Val]) {
    let fixture = fixture();
    let mut store = Store::new(&fixture.engine, Vec::new());
    let instance = linker()
        .instantiate(&mut store, &fixture.component)
        .unwrap_or_else(|e| panic!("instantiating echo.wat: {e:?}"));
    let guest = instance
        .get_export_index(&mut store, None, "test:echo/guest")
        .expect("no test:echo/guest export");
    let index = instance
        .get_export_index(&mut store, Some(&guest), &format!("echo-{name}"))
        .unwrap_or_else(|| panic!("no echo-{name} export"));
    let func = instance
        .get_func(&mut store, index)
        .unwrap_or_else(|| panic!("echo-{name} is not a function"));

    for value in values {
        let mut results = [Val::Bool(false)];
        func.call(&mut store, std::slice::from_ref(value), &mut results)
            .unwrap_or_else(|e| panic!("echo-{name}({}) failed: {e:?}", short(value)));
        let seen = store.data_mut().pop();
        assert!(
            store.data().is_empty(),
            "echo-{name}: the host import ran more than once"
        );
        let seen = seen.unwrap_or_else(|| panic!("echo-{name}: the host import did not run"));
        assert!(
            same_val(&seen, value),
            "echo-{name}: the host import saw {} for {}",
            short(&seen),
            short(value)
        );
        assert!(
            same_val(&results[0], value),
            "echo-{name}: returned {} for {}",
            short(&results[0]),
            short(value)
        );
    }
}

// --- Value builders ----------------------------------------------------------------------

fn string(s: &str) -> Val {
    Val::String(s.to_string())
}

fn some(v: Val) -> Val {
    Val::Option(Some(Box::new(v)))
}

fn none() -> Val {
    Val::Option(None)
}

fn ok(v: Option<Val>) -> Val {
    Val::Result(Ok(v.map(Box::new)))
}

fn err(v: Option<Val>) -> Val {
    Val::Result(Err(v.map(Box::new)))
}

fn record(fields: Vec<(&str, Val)>) -> Val {
    Val::Record(
        fields
            .into_iter()
            .map(|(n, v)| (n.to_string(), v))
            .collect(),
    )
}

fn flags(names: &[&str]) -> Val {
    Val::Flags(names.iter().map(|n| n.to_string()).collect())
}

fn point(x: i32, y: i32) -> Val {
    record(vec![("x", Val::S32(x)), ("y", Val::S32(y))])
}

/// A string of at least 100 KB mixing 1-, 2-, 3- and 4-byte UTF-8 sequences.
fn large_string() -> String {
    let unit = "0123456789 abcdé €𝄞😀\n";
    unit.repeat(100 * 1024 / unit.len() + 1)
}

const F32_BITS: &[u32] = &[
    0x0000_0000, // 0.0
    0x8000_0000, // -0.0
    0x3fc0_0000, // 1.5
    0x0000_0001, // smallest subnormal
    0x0080_0000, // smallest normal
    0x7f7f_ffff, // MAX
    0xff7f_ffff, // MIN
    0x7f80_0000, // +inf
    0xff80_0000, // -inf
    0x7fc0_0000, // canonical NaN
    0x7fc0_1234, // quiet NaN with a payload
    0xffc0_0abc, // negative quiet NaN with a payload
    0x7fa0_0001, // signalling NaN
];

const F64_BITS: &[u64] = &[
    0x0000_0000_0000_0000,
    0x8000_0000_0000_0000,
    0x3ff8_0000_0000_0000,
    0x0000_0000_0000_0001,
    0x7fef_ffff_ffff_ffff,
    0xffef_ffff_ffff_ffff,
    0x7ff0_0000_0000_0000,
    0xfff0_0000_0000_0000,
    0x7ff8_0000_0000_0000,
    0x7ff8_0000_dead_beef,
    0xfff8_0000_0000_0abc,
    0x7ff4_0000_0000_0001,
];

fn f32s() -> Vec<Val> {
    F32_BITS
        .iter()
        .map(|&b| Val::Float32(f32::from_bits(b)))
        .collect()
}

fn f64s() -> Vec<Val> {
    F64_BITS
        .iter()
        .map(|&b| Val::Float64(f64::from_bits(b)))
        .collect()
}

fn strings() -> Vec<Val> {
    vec![
        string(""),
        string("a"),
        string("héllo wörld ✓ 😀"),
        string("nul\0inside"),
        string("\u{10FFFF}\u{FFFF}\u{E000}\u{D7FF}"),
        Val::String(large_string()),
    ]
}

// --- Coverage --------------------------------------------------------------------------------

/// Every function of the fixture has a test below, in both the import and the export.
#[test]
fn fixture_declares_exactly_the_tested_functions() {
    let fixture = fixture();
    let ty = fixture.component.component_type();
    let names_of = |item: &ComponentItem| -> (BTreeSet<String>, BTreeSet<String>) {
        let ComponentItem::ComponentInstance(instance) = item else {
            panic!("expected an instance, found {item:?}");
        };
        let mut funcs = BTreeSet::new();
        let mut types = BTreeSet::new();
        for (name, export) in instance.exports(&fixture.engine) {
            match export.ty {
                ComponentItem::ComponentFunc(_) => funcs.insert(name.to_string()),
                ComponentItem::Type(_) => types.insert(name.to_string()),
                other => panic!("unexpected export {name}: {other:?}"),
            };
        }
        (funcs, types)
    };
    let expected_funcs: BTreeSet<String> = FUNCS.iter().map(|n| format!("echo-{n}")).collect();
    let expected_types: BTreeSet<String> = TYPES.iter().map(|n| n.to_string()).collect();

    let imports: Vec<_> = ty.imports(&fixture.engine).collect();
    assert_eq!(imports.len(), 1, "echo.wat imports only test:echo/host");
    assert_eq!(imports[0].0, "test:echo/host");
    let (funcs, types) = names_of(&imports[0].1.ty);
    assert_eq!(funcs, expected_funcs);
    assert_eq!(types, expected_types);

    let exports: Vec<_> = ty.exports(&fixture.engine).collect();
    assert_eq!(exports.len(), 1, "echo.wat exports only test:echo/guest");
    assert_eq!(exports[0].0, "test:echo/guest");
    let (funcs, types) = names_of(&exports[0].1.ty);
    assert_eq!(funcs, expected_funcs);
    assert_eq!(types, expected_types);
}

/// One instance serves many calls: the bump allocator's growth holds up under megabytes of
/// traffic, and an instance keeps working after large values.
#[test]
fn one_instance_many_calls() {
    let fixture = fixture();
    let mut store = Store::new(&fixture.engine, Vec::new());
    let instance = linker()
        .instantiate(&mut store, &fixture.component)
        .unwrap();
    let guest = instance
        .get_export_index(&mut store, None, "test:echo/guest")
        .unwrap();
    let index = instance
        .get_export_index(&mut store, Some(&guest), "echo-string")
        .unwrap();
    let func = instance.get_func(&mut store, index).unwrap();
    let big = Val::String(large_string());
    // 40 calls x 2 copies x 100 KB: about 8 MB of allocations, never freed.
    for i in 0..40 {
        let value = if i % 2 == 0 {
            big.clone()
        } else {
            string("small")
        };
        let mut results = [Val::Bool(false)];
        func.call(&mut store, std::slice::from_ref(&value), &mut results)
            .unwrap();
        assert!(same_val(&results[0], &value), "call {i}");
        store.data_mut().clear();
    }
}

/// A failing host import: the export's caller gets the host's error back, and afterwards the
/// store is poisoned like after a trap (Wasmtime 48 marks it trapped).
#[test]
fn host_error_reaches_the_caller() {
    let fixture = fixture();
    let mut linker = Linker::<()>::new(&fixture.engine);
    let mut host = linker.instance("test:echo/host").unwrap();
    for name in FUNCS {
        host.func_new(&format!("echo-{name}"), |_, _, _, _| {
            Err(wasmtime::format_err!("host says no"))
        })
        .unwrap();
    }
    let mut store = Store::new(&fixture.engine, ());
    let instance = linker.instantiate(&mut store, &fixture.component).unwrap();
    let guest = instance
        .get_export_index(&mut store, None, "test:echo/guest")
        .unwrap();
    let index = instance
        .get_export_index(&mut store, Some(&guest), "echo-u32")
        .unwrap();
    let func = instance.get_func(&mut store, index).unwrap();
    let mut results = [Val::U32(0)];
    let e = func
        .call(&mut store, &[Val::U32(7)], &mut results)
        .unwrap_err();
    assert!(format!("{e:?}").contains("host says no"), "{e:?}");
    let e = func
        .call(&mut store, &[Val::U32(7)], &mut results)
        .unwrap_err();
    assert_eq!(
        e.downcast_ref::<Trap>(),
        Some(&Trap::CannotEnterComponent),
        "{e:?}"
    );
}

// --- Primitives ------------------------------------------------------------------------------

#[test]
fn echo_bool() {
    echo("bool", &[Val::Bool(true), Val::Bool(false)]);
}

#[test]
fn echo_s8() {
    echo("s8", &[i8::MIN, -1, 0, 1, i8::MAX].map(Val::S8));
}

#[test]
fn echo_u8() {
    echo("u8", &[0, 1, 127, 128, u8::MAX].map(Val::U8));
}

#[test]
fn echo_s16() {
    echo("s16", &[i16::MIN, -1, 0, 1, i16::MAX].map(Val::S16));
}

#[test]
fn echo_u16() {
    echo("u16", &[0, 1, 0x7fff, 0x8000, u16::MAX].map(Val::U16));
}

#[test]
fn echo_s32() {
    echo("s32", &[i32::MIN, -1, 0, 1, i32::MAX].map(Val::S32));
}

#[test]
fn echo_u32() {
    echo(
        "u32",
        &[0, 1, 0x7fff_ffff, 0x8000_0000, u32::MAX].map(Val::U32),
    );
}

#[test]
fn echo_s64() {
    echo("s64", &[i64::MIN, -1, 0, 1, i64::MAX].map(Val::S64));
}

#[test]
fn echo_u64() {
    echo(
        "u64",
        &[0, 1, 1 << 63, u64::MAX - 1, u64::MAX].map(Val::U64),
    );
}

#[test]
fn echo_f32() {
    echo("f32", &f32s());
}

#[test]
fn echo_f64() {
    echo("f64", &f64s());
}

#[test]
fn echo_char() {
    echo(
        "char",
        &[
            '\0',
            'a',
            'é',
            '€',
            '\u{D7FF}',
            '\u{E000}',
            '\u{FFFF}',
            '\u{1F600}',
            '\u{10FFFF}',
        ]
        .map(Val::Char),
    );
}

#[test]
fn echo_string() {
    echo("string", &strings());
}

// --- Lists -----------------------------------------------------------------------------------

#[test]
fn echo_bytes() {
    let bytes = |v: Vec<u8>| Val::List(v.into_iter().map(Val::U8).collect());
    echo(
        "bytes",
        &[
            bytes(vec![]),
            bytes(vec![0]),
            bytes((0..=255).collect()),
            bytes((0..100 * 1024).map(|i| (i % 251) as u8).collect()),
        ],
    );
}

#[test]
fn echo_strings() {
    echo(
        "strings",
        &[
            Val::List(vec![]),
            Val::List(vec![string("")]),
            Val::List(strings()),
            Val::List((0..1000).map(|i| Val::String(format!("s{i} 😀"))).collect()),
        ],
    );
}

#[test]
fn echo_nested() {
    let list = |v: Vec<u32>| Val::List(v.into_iter().map(Val::U32).collect());
    // 100 KB of u32s in one inner list, followed by many small ones.
    let mut mixed = vec![list((0..25_600).collect())];
    mixed.extend((0..500).map(|i| list(vec![i; 3])));
    echo(
        "nested",
        &[
            Val::List(vec![]),
            Val::List(vec![list(vec![])]),
            Val::List(vec![
                list(vec![1, 2, 3]),
                list(vec![]),
                list(vec![u32::MAX]),
            ]),
            Val::List(mixed),
        ],
    );
}

#[test]
fn echo_points() {
    echo(
        "points",
        &[
            Val::List(vec![]),
            Val::List(vec![point(1, -1)]),
            Val::List((0..10_000).map(|i| point(i, -i)).collect()),
        ],
    );
}

// --- Records and tuples ----------------------------------------------------------------------

#[test]
fn echo_point() {
    echo(
        "point",
        &[point(0, 0), point(i32::MIN, i32::MAX), point(-1, 1)],
    );
}

#[test]
fn echo_person() {
    let person = |name: Val, age: u8, email: Val, tags: Vec<Val>, score: f64| {
        record(vec![
            ("name", name),
            ("age", Val::U8(age)),
            ("email", email),
            ("tags", Val::List(tags)),
            ("score", Val::Float64(score)),
        ])
    };
    echo(
        "person",
        &[
            person(
                string("Ada"),
                36,
                some(string("ada@example.org")),
                vec![string("math"), string("😀")],
                99.5,
            ),
            person(string(""), 0, none(), vec![], -0.0),
            person(
                Val::String(large_string()),
                u8::MAX,
                some(string("")),
                (0..100).map(|i| Val::String(format!("tag{i}"))).collect(),
                f64::from_bits(0x7ff8_0000_dead_beef),
            ),
        ],
    );
}

#[test]
fn echo_tuple() {
    let tuple = |a: u8, b: Val, c: f64| Val::Tuple(vec![Val::U8(a), b, Val::Float64(c)]);
    echo(
        "tuple",
        &[
            tuple(0, string(""), 0.0),
            tuple(255, string("😀"), -0.0),
            tuple(7, Val::String(large_string()), f64::MAX),
            tuple(1, string("nan"), f64::from_bits(0xfff8_0000_0000_0abc)),
        ],
    );
}

#[test]
fn echo_wide() {
    // Fields w0..w19 cycle through u64, f32, string (see gen-component-echo.py).
    let wide = |seed: u64, text: &dyn Fn(usize) -> String| {
        Val::Record(
            (0..20)
                .map(|i| {
                    let value = match i % 3 {
                        0 => Val::U64(seed.wrapping_mul(i as u64 + 1)),
                        1 => Val::Float32(f32::from_bits(F32_BITS[i % F32_BITS.len()])),
                        _ => Val::String(text(i)),
                    };
                    (format!("w{i}"), value)
                })
                .collect(),
        )
    };
    echo(
        "wide",
        &[
            wide(0, &|_| String::new()),
            wide(u64::MAX, &|i| format!("field {i} 😀")),
            wide(0x8000_0000_0000_0001, &|i| {
                if i == 2 {
                    large_string()
                } else {
                    "x".repeat(i)
                }
            }),
        ],
    );
}

// --- Variants --------------------------------------------------------------------------------

#[test]
fn echo_shape() {
    let circle = |bits: u32| {
        Val::Variant(
            "circle".into(),
            Some(Box::new(Val::Float32(f32::from_bits(bits)))),
        )
    };
    let square = |n: u32| Val::Variant("square".into(), Some(Box::new(Val::U32(n))));
    let mut values: Vec<Val> = F32_BITS.iter().map(|&b| circle(b)).collect();
    values.extend([
        square(0),
        square(u32::MAX),
        Val::Variant("none".into(), None),
    ]);
    echo("shape", &values);
}

#[test]
fn echo_color() {
    echo(
        "color",
        &["red", "green", "blue"].map(|c| Val::Enum(c.into())),
    );
}

#[test]
fn echo_opt() {
    echo(
        "opt",
        &[none(), some(Val::U32(0)), some(Val::U32(u32::MAX))],
    );
}

#[test]
fn echo_nested_opt() {
    echo(
        "nested-opt",
        &[
            none(),
            some(none()),
            some(some(string(""))),
            some(some(string("x 😀"))),
            some(some(Val::String(large_string()))),
        ],
    );
}

#[test]
fn echo_res() {
    echo(
        "res",
        &[
            ok(Some(string(""))),
            ok(Some(string("fine 😀"))),
            ok(Some(Val::String(large_string()))),
            err(Some(Val::U32(0))),
            err(Some(Val::U32(u32::MAX))),
        ],
    );
}

#[test]
fn echo_res_unit_ok() {
    echo(
        "res-unit-ok",
        &[
            ok(None),
            err(Some(string(""))),
            err(Some(string("boom 😀"))),
        ],
    );
}

#[test]
fn echo_res_plain() {
    echo("res-plain", &[ok(None), err(None)]);
}

// --- Flags -----------------------------------------------------------------------------------

#[test]
fn echo_perms() {
    echo(
        "perms",
        &[
            flags(&[]),
            flags(&["read"]),
            flags(&["write", "exec"]),
            flags(&["read", "write", "exec"]),
        ],
    );
}

#[test]
fn echo_many_flags() {
    let names: Vec<String> = (0..32).map(|i| format!("f{i}")).collect();
    let pick = |keep: &dyn Fn(usize) -> bool| {
        Val::Flags(
            names
                .iter()
                .enumerate()
                .filter(|(i, _)| keep(*i))
                .map(|(_, n)| n.clone())
                .collect(),
        )
    };
    echo(
        "many-flags",
        &[
            pick(&|_| false),
            pick(&|_| true),
            pick(&|i| i == 0),
            pick(&|i| i == 31), // the i32's sign bit
            pick(&|i| i % 2 == 0),
            pick(&|i| i % 2 == 1),
        ],
    );
}
