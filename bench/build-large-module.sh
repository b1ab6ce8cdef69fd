#!/usr/bin/env bash
# Fetches the large module of the compile-time benchmark (java/bench CompileTime, tools/bench-rust compile.rs):
#   bench/build-large-module.sh [OUTPUT_DIR]        (default: java/bench/target/large-module)
# Output: OUTPUT_DIR/large.wasm, rebuilt only when it is missing or this script (which pins the package) is newer.
#
# The module: js-component-bindgen-component.core.wasm of the npm package @bytecodealliance/jco-transpile 0.15.0
# (jco's component-to-JavaScript transpiler, Rust compiled to wasm32-wasip1): 3.3 MiB, 2.4 MiB of code in 8207
# functions, 14 imports (all functions of wasi_snapshot_preview1), its own memory, no proposal beyond the
# defaults (bulk memory, multi-value, reference types, sign extension, saturating conversions), so every runtime
# of the benchmark parses it, wasmtime-java's Wasmtime 7 and GraalWasm 23.1 included. (The bigger candidate,
# libpython inside a componentize-py component, is a position-independent library whose constant expressions use
# extended-const, which those two reject.)
#
# The package comes through npm (`npm pack`, which checks the registry's integrity hash) into OUTPUT_DIR/npm, with
# npm's cache in OUTPUT_DIR/npm-cache: nothing lands outside OUTPUT_DIR, and a kept tarball is not downloaded
# again. npm (Debian's nodejs and npm) is installed with apt-get when missing, as build-kernels.sh installs clang.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/java/bench/target/large-module}"
package=@bytecodealliance/jco-transpile
version=0.15.0
member=package/vendor/js-component-bindgen-component.core.wasm
wasm="$out/large.wasm"

if [[ -f "$wasm" && "$wasm" -nt "${BASH_SOURCE[0]}" ]]; then
  echo "build-large-module: $wasm is up to date"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "build-large-module: installing nodejs npm" >&2
  if [[ "$(id -u)" -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "build-large-module: npm is missing, and I am neither root nor have sudo; install nodejs npm" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends nodejs npm
fi

mkdir -p "$out/npm"
out="$(cd "$out" && pwd)"
tarball="$out/npm/bytecodealliance-jco-transpile-$version.tgz"
if [[ ! -f "$tarball" ]]; then
  (cd "$out/npm" && npm pack --silent --cache "$out/npm-cache" "$package@$version" >/dev/null)
fi
tar -xzOf "$tarball" "$member" >"$wasm.tmp"
if [[ "$(head -c 4 "$wasm.tmp" | od -An -tx1 | tr -d ' ')" != "0061736d" ]]; then
  echo "build-large-module: $member of $tarball is not a wasm module" >&2
  rm -f "$wasm.tmp"
  exit 1
fi
mv -f "$wasm.tmp" "$wasm"
echo "build-large-module: $wasm ($(stat -c %s "$wasm") bytes) from $package@$version"
