//! `c-bindgen WIT_DIR WORLD OUT_DIR`: what `wit-bindgen c --world WORLD WIT_DIR --out-dir OUT_DIR` does,
//! with wit-bindgen's C generator used as a library (crate `wit-bindgen-c`). WIT_DIR is a WIT package
//! folder (its dependencies in WIT_DIR/deps); WORLD is a world's name in it (or a full
//! `namespace:package/world`). Writes `<world>.h`, `<world>.c` and `<world>_component_type.o` (the
//! world's type, to link into the core module so that wit-component finds it), with the world's name
//! in snake case; a file whose contents did not change is left alone.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use wit_bindgen_core::wit_parser::Resolve;
use wit_bindgen_core::Files;

const USAGE: &str = "usage: c-bindgen WIT_DIR WORLD OUT_DIR\n\
    Generates C bindings (WORLD.h, WORLD.c, WORLD_component_type.o) for a WIT world with wit-bindgen's C \
    generator.";

fn run(wit: &Path, world: &str, out: &Path) -> Result<(), String> {
    let mut resolve = Resolve::default();
    let (package, _) = resolve
        .push_dir(wit)
        .map_err(|e| format!("{}: {e:#}", wit.display()))?;
    let world = resolve
        .select_world(&[package], Some(world))
        .map_err(|e| format!("{e:#}"))?;
    let mut files = Files::default();
    wit_bindgen_c::Opts::default()
        .build()
        .generate(&mut resolve, world, &mut files)
        .map_err(|e| format!("{e:#}"))?;
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    for (name, contents) in files.iter() {
        let path = out.join(name);
        if fs::read(&path).is_ok_and(|old| old == contents) {
            continue;
        }
        fs::write(&path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<_> = env::args_os().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let Ok([wit, world, out]) = <[_; 3]>::try_from(args) else {
        eprintln!("{USAGE}");
        return ExitCode::FAILURE;
    };
    let Some(world) = world.to_str().map(str::to_owned) else {
        eprintln!("c-bindgen: the world's name is not UTF-8");
        return ExitCode::FAILURE;
    };
    match run(&PathBuf::from(wit), &world, &PathBuf::from(out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("c-bindgen: {e}");
            ExitCode::FAILURE
        }
    }
}
