//! Reading the input: a directory of `.wit` files, one `.wit` file, a binary WIT package, or the world a
//! component binary embeds.

use std::path::Path;

use wit_parser::decoding::{self, DecodedWasm};
use wit_parser::{Resolve, WorldId};

use crate::GenResult;

pub(crate) fn load(path: &Path, world: Option<&str>) -> GenResult<(Resolve, WorldId)> {
    if !path.exists() {
        return Err(format!("no such file or directory: {}", path.display()));
    }
    if path.is_file() {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if bytes.starts_with(b"\0asm") {
            let decoded = decoding::decode(&bytes)
                .map_err(|e| format!("cannot read the WIT of {}: {e:#}", path.display()))?;
            return match decoded {
                DecodedWasm::Component(resolve, id) => {
                    let name = &resolve.worlds[id].name;
                    match world {
                        Some(w) if w != name => Err(format!(
                            "{} is a component of world `{name}`, not `{w}`",
                            path.display()
                        )),
                        _ => Ok((resolve, id)),
                    }
                }
                DecodedWasm::WitPackage(resolve, pkg) => {
                    let id = resolve
                        .select_world(&[pkg], world)
                        .map_err(|e| format!("{e:#}"))?;
                    Ok((resolve, id))
                }
            };
        }
    }
    let mut resolve = Resolve::default();
    // A syntax or resolution error renders with its file:line:column and the source line.
    let (pkg, _) = resolve
        .push_path(path)
        .map_err(|e| resolve.render_error(&e))?;
    let id = resolve
        .select_world(&[pkg], world)
        .map_err(|e| format!("{e:#}"))?;
    Ok((resolve, id))
}
