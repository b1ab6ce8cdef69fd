//! Sets `cfg(py_component)` when WASMBRIDGE_PY_COMPONENT names the component that
//! scripts/build-python-component.sh builds: tests/run/python.rs is ignored without it.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(py_component)");
    println!("cargo::rerun-if-env-changed=WASMBRIDGE_PY_COMPONENT");
    if std::env::var_os("WASMBRIDGE_PY_COMPONENT").is_some_and(|p| !p.is_empty()) {
        println!("cargo::rustc-cfg=py_component");
    }
}
