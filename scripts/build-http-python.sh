#!/usr/bin/env bash
# Builds the wasi:http handler written in Python into a component with componentize-py from PyPI:
#   scripts/build-http-python.sh OUT_DIR
# Output, rebuilt only when a file of tests/http-python or this script is newer than it:
#   OUT_DIR/http-python.wasm  tests/http-python/app.py, the world `handler` of tests/http-python/wit/world.wit
#                             (wasi:http/proxy@0.2.12; the WIT of the crate wasmtime-wasi-http 48.0.8), so it
#                             exports wasi:http/incoming-handler@0.2.12. Its routes are listed in app.py.
# Besides the proxy world's imports (at 0.2.12) the component imports the WASI 0.2.9 interfaces that CPython's
# libc uses (cli environment, exit and terminal-*, filesystem, sockets): a host serves it with those too
# (`wasmtime serve -S cli`). It also exports componentize-py's `exports` interface (its `init`, used at
# build time).
# Everything the build makes stays in OUT_DIR: the virtualenv (OUT_DIR/venv, with componentize-py 0.25.1,
# or the newest that installs when that one does not), pip's cache (OUT_DIR/pip-cache) and a copy of the
# Python sources (OUT_DIR/src/http-python: componentize-py writes __pycache__ beside the sources it
# compiles, which must not land in tests/).
# The component embeds CPython (about 21 MB); building it takes about 15 s once componentize-py is
# installed; a clean build, with the install, 25 to 35 s.
# A failed install of componentize-py (no network to PyPI, say) fails the script. Set PYTHON to use another
# python3 (3.8 or newer, with venv).
set -euo pipefail

if [[ $# -ne 1 || -z "$1" ]]; then
  echo "usage: scripts/build-http-python.sh OUT_DIR" >&2
  exit 1
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$1"
out="$(cd "$1" && pwd)"
python="${PYTHON:-python3}"
version=0.25.1
venv="$out/venv"
name=http-python
src="$root/tests/http-python"
component="$out/$name.wasm"

if [[ -f "$component" && "$component" -nt "${BASH_SOURCE[0]}" \
      && -z "$(find "$src" -type f -newer "$component" -print -quit)" ]]; then
  echo "build-http-python: $component is up to date"
  exit 0
fi
export PIP_CACHE_DIR="$out/pip-cache"
export PIP_DISABLE_PIP_VERSION_CHECK=1

# A new Debian machine may lack python3 or its venv module: install them as build-wasm-tests.sh installs
# clang (as root, or through sudo).
if [[ -z "${PYTHON:-}" ]] && ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  if [[ "$(id -u)" -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "build-http-python: python3 with venv is missing, and I am neither root nor have sudo;" \
         "install python3 python3-venv (Debian/Ubuntu)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends python3 python3-venv
fi

if [[ ! -x "$venv/bin/componentize-py" ]]; then
  "$python" -m venv "$venv"
  if ! "$venv/bin/python" -m pip install -q "componentize-py==$version"; then
    echo "build-http-python: componentize-py $version does not install here; trying the newest" >&2
    "$venv/bin/python" -m pip install -q componentize-py
  fi
fi
echo "build-http-python: $("$venv/bin/componentize-py" --version)" >&2

# The sources, copied so that componentize-py's __pycache__ stays in OUT_DIR.
rm -rf "$out/src/$name"
mkdir -p "$out/src/$name"
cp "$src"/*.py "$out/src/$name/"
cd "$out"
"$venv/bin/componentize-py" -d "$src/wit" -w handler componentize app -p "$out/src/$name" \
  -o "$component.tmp.$$"
mv -f "$component.tmp.$$" "$component"
echo "build-http-python: $component ($(wc -c <"$component") bytes)"
