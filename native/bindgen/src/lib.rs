//! Java sources from WIT, for wasmbridge's typed component bindings (`dev.wasmbridge.bindgen.JavaBindgen`
//! reaches it through the `wasmbridge-bindgen-jni` library).
//!
//! wit-parser reads the WIT (a directory of `.wit` files, one file, a binary WIT package, or the world a
//! component binary embeds) and resolves it; [`plan`] decides every Java name and package of the world,
//! and the emitters in [`emit`] write one Java source per type, in the shapes `ComponentInstance.bind`
//! and `ComponentLinker.implement` accept (the contract of the typed bindings). The layout and the type
//! mapping are documented on the Java side, in `JavaBindgen`'s Javadoc. Nothing here needs a JVM or
//! Wasmtime.

mod docs;
mod emit;
mod jfile;
mod load;
mod names;
mod plan;

use std::collections::BTreeMap;
use std::path::Path;

use wit_parser::{Resolve, WorldId};

use names::is_java_identifier;
use plan::Gen;

/// A generator's failure: a message about the WIT or the Java package, for the user.
pub type GenResult<T> = std::result::Result<T, String>;

/// Java sources for the world `world` (needed only when the WIT defines several) of the WIT at
/// `path`: a directory of `.wit` files (with `deps/`), one `.wit` file, a binary WIT package, or a
/// component binary (its embedded world). Returns relative path -> source.
pub fn generate(
    path: &Path,
    world: Option<&str>,
    java_package: &str,
) -> GenResult<BTreeMap<String, String>> {
    let (resolve, world) = load::load(path, world)?;
    generate_world(&resolve, world, java_package)
}

/// Java sources for `world` of `resolve` (see [`generate`]).
pub fn generate_world(
    resolve: &Resolve,
    world: WorldId,
    java_package: &str,
) -> GenResult<BTreeMap<String, String>> {
    if !java_package.split('.').all(is_java_identifier) {
        return Err(format!(
            "`{java_package}` is not a Java package name (dot-separated identifiers, no keywords)"
        ));
    }
    // The interfaces a world both imports and exports become two, each with types of its own.
    let mut resolve = resolve.clone();
    resolve.generate_nominal_type_ids(world);
    let mut g = Gen::new(&resolve, world, java_package);
    g.plan()?;
    g.emit()?;
    Ok(g.files)
}
