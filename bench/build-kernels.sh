#!/usr/bin/env bash
# Compiles the benchmark kernels tests/bench/*.c into freestanding wasm32 modules (no libc, no WASI) with clang-14:
#   bench/build-kernels.sh [OUTPUT_DIR]        (default: java/bench/target/kernels)
# Output: OUTPUT_DIR/<name>.wasm for each tests/bench/<name>.c; rebuilt only when the source or this script is newer.
# The same binaries feed every runtime in the benchmark (wasmbridge, the JVM peers and the Rust baseline).
#
# Toolchain: Debian's clang-14 and lld-14 (wasm-ld); installed with apt-get (as root, or through sudo) when missing,
# like scripts/build-wasm-tests.sh does. Set CLANG to use another compiler.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/java/bench/target/kernels}"
clang="${CLANG:-clang-14}"

have_toolchain() {
  command -v "$clang" >/dev/null 2>&1 || return 1
  command -v wasm-ld-14 >/dev/null 2>&1 || command -v wasm-ld >/dev/null 2>&1 || return 1
}

if ! have_toolchain; then
  echo "build-kernels: installing clang-14 lld-14" >&2
  if [[ "$(id -u)" -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "build-kernels: clang-14 or wasm-ld is missing, and I am neither root nor have sudo; install clang-14 lld-14" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends clang-14 lld-14
fi

# -O2, freestanding: exports are named in the sources (export_name), imports with import_module/import_name.
flags=(--target=wasm32 -O2 -Wall -Wextra -Werror -std=c11 -nostdlib -ffreestanding
       -Wl,--no-entry -Wl,--strip-all)
if ! command -v wasm-ld >/dev/null 2>&1; then
  # Debian names the linker wasm-ld-14; point clang at it.
  flags+=(-fuse-ld="$(command -v wasm-ld-14)")
fi

mkdir -p "$out"
built=0
for src in "$root"/tests/bench/*.c; do
  name="$(basename "$src" .c)"
  wasm="$out/$name.wasm"
  if [[ -f "$wasm" && "$wasm" -nt "$src" && "$wasm" -nt "${BASH_SOURCE[0]}" ]]; then
    continue
  fi
  "$clang" "${flags[@]}" -o "$wasm.tmp" "$src"
  mv -f "$wasm.tmp" "$wasm"
  built=$((built + 1))
done
echo "build-kernels: $(ls "$out"/*.wasm | wc -l) kernels in $out ($built rebuilt)"
