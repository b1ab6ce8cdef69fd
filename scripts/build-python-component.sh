#!/usr/bin/env bash
# Builds the test components written in Python into WASI 0.2 components with componentize-py from PyPI:
#   scripts/build-python-component.sh OUT_DIR
# Output, each rebuilt only when a file of its sources or this script is newer:
#   OUT_DIR/python-app.wasm      tests/python (app.py + api.py), the world `app` of tests/python/wit/app.wit
#   OUT_DIR/python-kitchen.wasm  tests/bindings (guest.py + api.py), the world `kitchen` of
#                                tests/bindings/wit/kitchen.wit
# Everything the build makes stays in OUT_DIR: the virtualenv (OUT_DIR/venv, with componentize-py 0.25.1,
# or the newest that installs when that one does not), pip's cache (OUT_DIR/pip-cache) and a copy of each
# component's Python sources (OUT_DIR/src/NAME: componentize-py writes __pycache__ beside the sources it
# compiles, which must not land in tests/).
# Each component embeds CPython (about 18 MB); building one takes about 15 s once componentize-py is installed.
# A failed install of componentize-py (no network to PyPI, say) fails the script, and so the Maven build that
# runs it. Set PYTHON to use another python3 (3.8 or newer, with venv).
set -euo pipefail

if [[ $# -ne 1 || -z "$1" ]]; then
  echo "usage: scripts/build-python-component.sh OUT_DIR" >&2
  exit 1
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$1"
out="$(cd "$1" && pwd)"
python="${PYTHON:-python3}"
version=0.25.1
venv="$out/venv"
# One line per component: its name (OUT_DIR/NAME.wasm), its sources' directory (the Python modules, and the
# WIT in its wit/), the world, and the module that implements the world.
components=(
  "python-app tests/python app app"
  "python-kitchen tests/bindings kitchen guest"
)

stale=()
for c in "${components[@]}"; do
  read -r name dir world module <<<"$c"
  component="$out/$name.wasm"
  if [[ -f "$component" && "$component" -nt "${BASH_SOURCE[0]}" \
        && -z "$(find "$root/$dir" -type f -newer "$component" -print -quit)" ]]; then
    echo "build-python-component: $component is up to date"
  else
    stale+=("$c")
  fi
done
if [[ ${#stale[@]} -eq 0 ]]; then
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
    echo "build-python-component: python3 with venv is missing, and I am neither root nor have sudo;" \
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
    echo "build-python-component: componentize-py $version does not install here; trying the newest" >&2
    "$venv/bin/python" -m pip install -q componentize-py
  fi
fi
echo "build-python-component: $("$venv/bin/componentize-py" --version)" >&2

# The sources, copied so that componentize-py's __pycache__ stays in OUT_DIR.
rm -rf "$out/src"
cd "$out"
for c in "${stale[@]}"; do
  read -r name dir world module <<<"$c"
  component="$out/$name.wasm"
  mkdir -p "$out/src/$name"
  cp "$root/$dir"/*.py "$out/src/$name/"
  "$venv/bin/componentize-py" -d "$root/$dir/wit" -w "$world" componentize "$module" -p "$out/src/$name" \
    -o "$component.tmp.$$"
  mv -f "$component.tmp.$$" "$component"
  echo "build-python-component: $component ($(wc -c <"$component") bytes)"
done
