//! Helpers for the tests that check the component-model fixtures in `tests/components/` (generated
//! by `scripts/gen-component-echo.py`) against Wasmtime directly, so a fixture bug is told apart
//! from a bug in the Java binding that later runs the same files.

use std::path::PathBuf;

use wasmtime::component::{Component, Val};
use wasmtime::{Engine, Result};

/// Path of a fixture file in the repository's `tests/components/` directory.
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/components")
        .join(name)
}

/// Compiles a fixture from its text, the way the Java side will hand it to Wasmtime
/// (`Component::new` runs text through the `wat` crate).
pub fn load_component(engine: &Engine, name: &str) -> Result<Component> {
    let path = fixture_path(name);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| wasmtime::format_err!("reading {}: {e}", path.display()))?;
    Component::new(engine, text)
}

/// Whether two values are identical, floats compared by their bits.
///
/// `Val`'s own `PartialEq` treats every NaN as equal to every other NaN, which would hide a
/// lost NaN payload; bit comparison also tells -0.0 from 0.0.
pub fn same_val(a: &Val, b: &Val) -> bool {
    fn same_opt(a: &Option<Box<Val>>, b: &Option<Box<Val>>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => same_val(a, b),
            (None, None) => true,
            _ => false,
        }
    }
    fn same_all(a: &[Val], b: &[Val]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_val(a, b))
    }
    match (a, b) {
        (Val::Float32(a), Val::Float32(b)) => a.to_bits() == b.to_bits(),
        (Val::Float64(a), Val::Float64(b)) => a.to_bits() == b.to_bits(),
        (Val::List(a), Val::List(b)) | (Val::Tuple(a), Val::Tuple(b)) => same_all(a, b),
        (Val::Record(a), Val::Record(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((an, av), (bn, bv))| an == bn && same_val(av, bv))
        }
        (Val::Variant(an, av), Val::Variant(bn, bv)) => an == bn && same_opt(av, bv),
        (Val::Option(a), Val::Option(b)) => same_opt(a, b),
        (Val::Result(Ok(a)), Val::Result(Ok(b))) | (Val::Result(Err(a)), Val::Result(Err(b))) => {
            same_opt(a, b)
        }
        (Val::Result(_), Val::Result(_)) => false,
        // No floats inside the remaining kinds: Val's own equality is exact for them.
        _ => a == b,
    }
}

/// A value's debug form cut to a readable length (the large test values run to 100 KB).
pub fn short(v: &Val) -> String {
    let text = format!("{v:?}");
    match text.char_indices().nth(300) {
        Some((at, _)) => format!("{}... ({} chars)", &text[..at], text.chars().count()),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_val_compares_float_bits() {
        let nan_a = Val::Float32(f32::from_bits(0x7fc0_0001));
        let nan_b = Val::Float32(f32::from_bits(0x7fc0_0002));
        // Val's PartialEq calls these equal; same_val must not.
        assert_eq!(nan_a, nan_b);
        assert!(!same_val(&nan_a, &nan_b));
        assert!(same_val(&nan_a, &nan_a.clone()));
        assert!(!same_val(&Val::Float64(0.0), &Val::Float64(-0.0)));
        let nested = |bits| {
            Val::Option(Some(Box::new(Val::List(vec![Val::Float64(
                f64::from_bits(bits),
            )]))))
        };
        assert!(!same_val(
            &nested(0x7ff8_0000_0000_0001),
            &nested(0x7ff8_0000_0000_0002)
        ));
        assert!(same_val(
            &nested(0x7ff8_0000_0000_0001),
            &nested(0x7ff8_0000_0000_0001)
        ));
    }

    #[test]
    fn same_val_tells_result_arms_apart() {
        let ok = Val::Result(Ok(None));
        let err = Val::Result(Err(None));
        assert!(!same_val(&ok, &err));
        assert!(same_val(&ok, &Val::Result(Ok(None))));
    }
}
