//! `componentize IN.wasm OUT.wasm`: turns a WASI preview 1 core module (a command exporting
//! `_start`, or a reactor) into a WASI 0.2 component; see the library for how.

use std::env;
use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: componentize IN.wasm OUT.wasm\n\
    Turns a WASI preview 1 core module into a WASI 0.2 component (wasi:cli/command for a module \
    exporting _start, the reactor adapter otherwise).";

fn run(input: PathBuf, output: PathBuf) -> Result<(), String> {
    let module = fs::read(&input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let (_, component) = wasmbridge_componentize::componentize(&module)
        .map_err(|e| format!("{}: {e}", input.display()))?;
    fs::write(&output, component).map_err(|e| format!("cannot write {}: {e}", output.display()))
}

fn main() -> ExitCode {
    let args: Vec<_> = env::args_os().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let [input, output] = <[_; 2]>::try_from(args).unwrap_or_else(|_| {
        eprintln!("{USAGE}");
        std::process::exit(1);
    });
    match run(input.into(), output.into()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("componentize: {e}");
            ExitCode::FAILURE
        }
    }
}
