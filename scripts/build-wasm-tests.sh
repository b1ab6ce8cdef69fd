#!/usr/bin/env bash
# Compiles every tests/c/*.c into a WASI preview 1 command module (wasm32-wasi) with clang-14:
#   scripts/build-wasm-tests.sh [OUTPUT_DIR]      (default: java/core/target/test-wasm)
# Output: OUTPUT_DIR/<name>.wasm for each tests/c/<name>.c; a module is rebuilt only when its source is newer.
# Then each module is also turned into a WASI 0.2 command component, OUTPUT_DIR/p2/<name>.wasm, by
# tools/componentize (wit-component and Wasmtime 48's preview-1 command adapter, built here with
# `cargo build --release -p wasmbridge-componentize` into CARGO_TARGET_DIR, or the workspace's target/); a
# component is rebuilt only when its module, this script or the componentize binary is newer. Set COMPONENTIZE
# to the path of an already built componentize binary to skip that cargo build; set CARGO to use another cargo.
#
# Toolchain: Debian's clang-14, lld-14 (wasm-ld), wasi-libc and libclang-rt-14-dev-wasm32. Debian's wasi-libc
# is a multiarch sysroot (/usr/include/wasm32-wasi, /usr/lib/wasm32-wasi) that Debian's clang finds by itself,
# so no --sysroot is needed; set WASI_SYSROOT to use another sysroot (e.g. a wasi-sdk one). When clang-14 or
# the sysroot is missing the packages are installed with apt-get (as root, or through sudo otherwise).
# Set CLANG to use another compiler.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/java/core/target/test-wasm}"
clang="${CLANG:-clang-14}"
packages=(clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32)

have_toolchain() {
  command -v "$clang" >/dev/null 2>&1 || return 1
  command -v wasm-ld-14 >/dev/null 2>&1 || command -v wasm-ld >/dev/null 2>&1 || return 1
  if [[ -n "${WASI_SYSROOT:-}" ]]; then
    [[ -f "$WASI_SYSROOT/include/stdio.h" || -f "$WASI_SYSROOT/include/wasm32-wasi/stdio.h" ]] || return 1
  else
    [[ -f /usr/include/wasm32-wasi/stdio.h && -f /usr/lib/wasm32-wasi/libc.a ]] || return 1
    compgen -G '/usr/lib/llvm-14/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a' >/dev/null || return 1
  fi
}

if ! have_toolchain; then
  echo "build-wasm-tests: installing ${packages[*]}" >&2
  if [[ "$(id -u)" -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "build-wasm-tests: clang-14 and wasi-libc are missing, and I am neither root nor have sudo;" \
         "install ${packages[*]} (Debian/Ubuntu)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}"
  if ! have_toolchain; then
    echo "build-wasm-tests: the toolchain is still incomplete after installing ${packages[*]}" >&2
    exit 1
  fi
fi

flags=(--target=wasm32-wasi -O2 -Wall -Wextra -Werror -std=c11 -D_GNU_SOURCE)
if [[ -n "${WASI_SYSROOT:-}" ]]; then
  flags+=(--sysroot="$WASI_SYSROOT")
fi

mkdir -p "$out"
shopt -s nullglob
sources=("$root"/tests/c/*.c)
if [[ ${#sources[@]} -eq 0 ]]; then
  echo "build-wasm-tests: no sources in $root/tests/c" >&2
  exit 1
fi
built=0
for src in "${sources[@]}"; do
  name="$(basename "$src" .c)"
  wasm="$out/$name.wasm"
  if [[ -f "$wasm" && "$wasm" -nt "$src" && "$wasm" -nt "${BASH_SOURCE[0]}" ]]; then
    continue
  fi
  # Write to a temporary name first so an interrupted build never leaves a truncated module behind.
  "$clang" "${flags[@]}" -o "$wasm.tmp" "$src"
  mv -f "$wasm.tmp" "$wasm"
  built=$((built + 1))
done
echo "build-wasm-tests: ${#sources[@]} programs in $out ($built rebuilt)"

# The same programs as WASI 0.2 components.
componentize="${COMPONENTIZE:-}"
if [[ -z "$componentize" ]]; then
  (cd "$root" && "${CARGO:-cargo}" build --release -q -p wasmbridge-componentize)
  componentize="${CARGO_TARGET_DIR:-$root/target}/release/componentize"
  # A relative CARGO_TARGET_DIR is relative to the workspace, where cargo ran.
  [[ "$componentize" == /* ]] || componentize="$root/$componentize"
fi
if [[ ! -x "$componentize" ]]; then
  echo "build-wasm-tests: no componentize binary at $componentize" >&2
  exit 1
fi
mkdir -p "$out/p2"
componentized=0
for src in "${sources[@]}"; do
  name="$(basename "$src" .c)"
  wasm="$out/$name.wasm"
  component="$out/p2/$name.wasm"
  if [[ -f "$component" && "$component" -nt "$wasm" && "$component" -nt "${BASH_SOURCE[0]}" \
        && "$component" -nt "$componentize" ]]; then
    continue
  fi
  "$componentize" "$wasm" "$component.tmp"
  mv -f "$component.tmp" "$component"
  componentized=$((componentized + 1))
done
echo "build-wasm-tests: ${#sources[@]} components in $out/p2 ($componentized rebuilt)"
