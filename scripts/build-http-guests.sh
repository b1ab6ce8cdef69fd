#!/usr/bin/env bash
# Builds the wasi:http test guests: each tests/http/<name>.c becomes a WASI 0.2 component exporting
# wasi:http/incoming-handler@0.2.12 (the world in tests/http/wit/world.wit: wasi:http/proxy plus
# wasi:cli/environment):
#   scripts/build-http-guests.sh OUTPUT_DIR
# Output: OUTPUT_DIR/<name>.wasm (tests/http/http-guest.c gives OUTPUT_DIR/http-guest.wasm). A component is
# rebuilt only when a tests/http source or WIT file, this script or one of the two tools below is newer.
#
# Steps: tools/c-bindgen (wit-bindgen's C generator) writes the world's C bindings (http_guest.h/.c and
# http_guest_component_type.o, which carries the world's type into the module); clang-14 compiles them with
# the guest for wasm32-wasi as a reactor (wasi-libc; no _start); tools/componentize turns the core module
# into a component (wit-component, with Wasmtime 48's preview-1 reactor adapter, which wit-component leaves
# out as long as the guest imports nothing from wasi_snapshot_preview1). Both tools are built here with
# `cargo build --release` into CARGO_TARGET_DIR, or the workspace's target/.
#
# Toolchain: Debian's clang-14, lld-14 (wasm-ld), wasi-libc and libclang-rt-14-dev-wasm32, installed with
# apt-get (as root, or through sudo otherwise) when missing, as scripts/build-wasm-tests.sh does.
# Environment: CLANG (another compiler), WASI_SYSROOT (another sysroot, e.g. wasi-sdk's), CARGO (another
# cargo), C_BINDGEN and COMPONENTIZE (already built c-bindgen and componentize binaries: with both set,
# no cargo build runs).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ $# -ne 1 || "$1" == -h || "$1" == --help ]]; then
  echo "usage: scripts/build-http-guests.sh OUTPUT_DIR" >&2
  exit 2
fi
out="$1"
src_dir="$root/tests/http"
wit_dir="$src_dir/wit"
world="http-guest"
clang="${CLANG:-clang-14}"
packages=(clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32)

have_toolchain() {
  command -v "$clang" >/dev/null 2>&1 || return 1
  command -v wasm-ld-14 >/dev/null 2>&1 || command -v wasm-ld >/dev/null 2>&1 || return 1
  if [[ -n "${WASI_SYSROOT:-}" ]]; then
    [[ -f "$WASI_SYSROOT/include/stdio.h" || -f "$WASI_SYSROOT/include/wasm32-wasi/stdio.h" ]] || return 1
  else
    [[ -f /usr/include/wasm32-wasi/stdio.h && -f /usr/lib/wasm32-wasi/libc.a \
       && -f /usr/lib/wasm32-wasi/crt1-reactor.o ]] || return 1
    compgen -G '/usr/lib/llvm-14/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a' >/dev/null || return 1
  fi
}

if ! have_toolchain; then
  echo "build-http-guests: installing ${packages[*]}" >&2
  if [[ "$(id -u)" -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "build-http-guests: clang-14 and wasi-libc are missing, and I am neither root nor have sudo;" \
         "install ${packages[*]} (Debian/Ubuntu)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}"
  if ! have_toolchain; then
    echo "build-http-guests: the toolchain is still incomplete after installing ${packages[*]}" >&2
    exit 1
  fi
fi

# The tools, each from its variable or built here. One cargo run per crate: componentize is then built
# exactly as scripts/build-wasm-tests.sh builds it (built together, the two crates could unify their
# dependencies' features differently, and each script would relink the other's binary).
bin_dir="${CARGO_TARGET_DIR:-$root/target}/release"
# A relative CARGO_TARGET_DIR is relative to the workspace, where cargo runs.
[[ "$bin_dir" == /* ]] || bin_dir="$root/$bin_dir"
c_bindgen="${C_BINDGEN:-}"
if [[ -z "$c_bindgen" ]]; then
  (cd "$root" && "${CARGO:-cargo}" build --release -q -p wasmbridge-c-bindgen)
  c_bindgen="$bin_dir/c-bindgen"
fi
componentize="${COMPONENTIZE:-}"
if [[ -z "$componentize" ]]; then
  (cd "$root" && "${CARGO:-cargo}" build --release -q -p wasmbridge-componentize)
  componentize="$bin_dir/componentize"
fi
for tool in "$c_bindgen" "$componentize"; do
  if [[ ! -x "$tool" ]]; then
    echo "build-http-guests: no tool binary at $tool" >&2
    exit 1
  fi
done

shopt -s nullglob
sources=("$src_dir"/*.c)
if [[ ${#sources[@]} -eq 0 ]]; then
  echo "build-http-guests: no sources in $src_dir" >&2
  exit 1
fi
# Everything a component depends on besides its own source.
inputs=("${BASH_SOURCE[0]}" "$c_bindgen" "$componentize" "$wit_dir"/*.wit "$wit_dir"/deps/*.wit "$src_dir"/*.h)

up_to_date() {
  local target="$1" input
  [[ -f "$target" ]] || return 1
  shift
  for input in "$@"; do
    [[ "$target" -nt "$input" ]] || return 1
  done
}

mkdir -p "$out"
work=""
cleanup() { [[ -z "$work" ]] || rm -rf "$work"; }
trap cleanup EXIT

flags=(--target=wasm32-wasi -O2 -std=c11)
if [[ -n "${WASI_SYSROOT:-}" ]]; then
  flags+=(--sysroot="$WASI_SYSROOT")
fi
built=0
for src in "${sources[@]}"; do
  name="$(basename "$src" .c)"
  component="$out/$name.wasm"
  if up_to_date "$component" "$src" "${inputs[@]}"; then
    continue
  fi
  if [[ -z "$work" ]]; then
    work="$(mktemp -d "${TMPDIR:-/tmp}/build-http-guests.XXXXXX")"
    "$c_bindgen" "$wit_dir" "$world" "$work"
    # Generated code: warnings are shown but do not fail the build.
    "$clang" "${flags[@]}" -Wall -c -o "$work/bindings.o" "$work/${world//-/_}.c"
  fi
  "$clang" "${flags[@]}" -Wall -Wextra -Werror -I "$work" -I "$src_dir" -c -o "$work/$name.o" "$src"
  "$clang" "${flags[@]}" -mexec-model=reactor -o "$work/$name.core.wasm" \
    "$work/$name.o" "$work/bindings.o" "$work/${world//-/_}_component_type.o"
  # Write to a temporary name first so an interrupted build never leaves a truncated component behind.
  "$componentize" "$work/$name.core.wasm" "$component.tmp"
  mv -f "$component.tmp" "$component"
  built=$((built + 1))
done
echo "build-http-guests: ${#sources[@]} guests in $out ($built rebuilt)"
