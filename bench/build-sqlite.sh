#!/usr/bin/env bash
# Builds the "real program" of the benchmarks: SQLite with the driver tests/bench/wasi/sqlite_bench.c, as a WASI
# preview 1 command module (wasm32-wasi) compiled by clang-14 against Debian's wasi-libc:
#   bench/build-sqlite.sh [OUTPUT_DIR]        (default: java/bench/target/kernels)
# Output: OUTPUT_DIR/sqlite.wasm (packed into the benchmarks jar as kernels/sqlite.wasm, and found there by the Rust
# baseline); the compiled amalgamation is kept in OUTPUT_DIR/.sqlite-build/ so that only the driver is recompiled
# when it changes. Nothing is rebuilt when the module is newer than every input (the driver, the amalgamation, this
# script, bench/sqlite/Cargo.toml and Cargo.lock): compiling sqlite3.c takes about a minute on two cores.
#
# The SQLite sources: the amalgamation (sqlite3.c, sqlite3.h) shipped in the libsqlite3-sys crate, version 0.40.0
# (SQLite 3.54.1), named by the manifest bench/sqlite/Cargo.toml (its own workspace; never built). `cargo metadata`
# fetches the crate from crates.io into cargo's registry when it is not there yet (offline first) and tells where
# it is unpacked. Set SQLITE_SRC to a directory holding sqlite3.c and sqlite3.h to skip cargo.
#
# Flags: SQLITE_TEMP_STORE=3 (temporary tables and indices in memory, never in files), no threads, no
# extension loading, no WAL, and SQLITE_OS_OTHER=1: no OS layer of SQLite's own; the driver registers a VFS that
# opens no files (it uses ":memory:" only). SQLite's unix VFS does build for WASI (SQLite 3.41 and later know
# __wasi__, and no wasi-libc emulation library is needed), but it imports fd_filestat_set_size, fd_sync and
# poll_oneoff, which GraalWasm 23.1's WASI lacks. The module needs no directory at run time, and its imports are
# the few WASI preview 1 functions wasi-libc's start-up, argv and stdio use.
#
# Toolchain: Debian's clang-14, lld-14 (wasm-ld), wasi-libc and libclang-rt-14-dev-wasm32, installed with apt-get
# (as root, or through sudo) when missing, as scripts/build-wasm-tests.sh does. Set CLANG to use another compiler,
# WASI_SYSROOT to use another sysroot (e.g. wasi-sdk's), CARGO to use another cargo.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/java/bench/target/kernels}"
clang="${CLANG:-clang-14}"
cargo="${CARGO:-cargo}"
driver="$root/tests/bench/wasi/sqlite_bench.c"
manifest="$root/bench/sqlite/Cargo.toml"
packages=(clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32)
crate="libsqlite3-sys-0.40.0"

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

# The directory of sqlite3.c: SQLITE_SRC, or libsqlite3-sys's sqlite3/ as cargo unpacked it.
sqlite_src() {
  if [[ -n "${SQLITE_SRC:-}" ]]; then
    echo "$SQLITE_SRC"
    return
  fi
  local metadata
  # Offline first (no network when the crate is in cargo's registry already), then from crates.io.
  if ! metadata="$("$cargo" metadata --format-version 1 --locked --offline --manifest-path "$manifest" 2>/dev/null)"; then
    metadata="$("$cargo" metadata --format-version 1 --locked --manifest-path "$manifest")"
  fi
  local crate_manifest
  crate_manifest="$(grep -o "\"manifest_path\":\"[^\"]*/$crate/Cargo.toml\"" <<<"$metadata" | head -n 1 \
    | sed -e 's/^"manifest_path":"//' -e 's/"$//')"
  if [[ -z "$crate_manifest" ]]; then
    echo "build-sqlite: cargo metadata does not list $crate (see $manifest)" >&2
    exit 1
  fi
  echo "$(dirname "$crate_manifest")/sqlite3"
}

src="$(sqlite_src)"
if [[ ! -f "$src/sqlite3.c" || ! -f "$src/sqlite3.h" ]]; then
  echo "build-sqlite: no sqlite3.c and sqlite3.h in $src" >&2
  exit 1
fi
wasm="$out/sqlite.wasm"
build="$out/.sqlite-build"
lock="$root/bench/sqlite/Cargo.lock"
# Whether $1 exists and is newer than each of the other files.
newer() {
  local target="$1"
  shift
  [[ -f "$target" ]] || return 1
  local f
  for f in "$@"; do
    [[ "$target" -nt "$f" ]] || return 1
  done
}
if newer "$wasm" "$driver" "$src/sqlite3.c" "$src/sqlite3.h" "${BASH_SOURCE[0]}" "$manifest" "$lock"; then
  echo "build-sqlite: $wasm is up to date"
  exit 0
fi

if ! have_toolchain; then
  echo "build-sqlite: installing ${packages[*]}" >&2
  if [[ "$(id -u)" -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "build-sqlite: clang-14 and wasi-libc are missing, and I am neither root nor have sudo;" \
         "install ${packages[*]} (Debian/Ubuntu)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}"
  if ! have_toolchain; then
    echo "build-sqlite: the toolchain is still incomplete after installing ${packages[*]}" >&2
    exit 1
  fi
fi

target=(--target=wasm32-wasi -O2)
if [[ -n "${WASI_SYSROOT:-}" ]]; then
  target+=(--sysroot="$WASI_SYSROOT")
fi
sqlite_flags=(-DSQLITE_TEMP_STORE=3 -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL
              -DSQLITE_OS_OTHER=1 -DSQLITE_DEFAULT_MEMSTATUS=0 -DSQLITE_OMIT_DEPRECATED -DSQLITE_OMIT_SHARED_CACHE)
link=(-Wl,--strip-all)
if ! command -v wasm-ld >/dev/null 2>&1; then
  # Debian names the linker wasm-ld-14; point clang at it.
  link+=(-fuse-ld="$(command -v wasm-ld-14)")
fi

mkdir -p "$out" "$build"
# Temporary names first, so an interrupted build never leaves a truncated file behind.
if ! newer "$build/sqlite3.o" "$src/sqlite3.c" "$src/sqlite3.h" "${BASH_SOURCE[0]}"; then
  echo "build-sqlite: compiling $src/sqlite3.c (about a minute)" >&2
  "$clang" "${target[@]}" "${sqlite_flags[@]}" -c -o "$build/sqlite3.o.tmp" "$src/sqlite3.c"
  mv -f "$build/sqlite3.o.tmp" "$build/sqlite3.o"
fi
"$clang" "${target[@]}" "${sqlite_flags[@]}" -Wall -Wextra -Werror -std=c11 -I"$src" \
  -c -o "$build/sqlite_bench.o.tmp" "$driver"
mv -f "$build/sqlite_bench.o.tmp" "$build/sqlite_bench.o"
"$clang" "${target[@]}" "${link[@]}" -o "$wasm.tmp" "$build/sqlite_bench.o" "$build/sqlite3.o"
mv -f "$wasm.tmp" "$wasm"
echo "build-sqlite: $wasm ($(wc -c <"$wasm") bytes, SQLite from $src)"
