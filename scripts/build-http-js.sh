#!/usr/bin/env bash
# Builds the wasi:http handler written in JavaScript (a Hono app) into a component with componentize-js
# from npm:
#   scripts/build-http-js.sh OUT_DIR
# Output, rebuilt only when a file of tests/http-js or this script is newer than it:
#   OUT_DIR/http-js.wasm  tests/http-js/app.js, bundled with hono by esbuild, made a component of the world
#                         `handler` of tests/http-js/wit/world.wit (wasi:http/proxy@0.2.10, the WASI version of
#                         componentize-js's StarlingMonkey engine): it exports wasi:http/incoming-handler@0.2.10
#                         through StarlingMonkey's fetch event. Its routes are listed in app.js.
# Besides the proxy world's imports the component imports WASI 0.2 CLI interfaces (terminal-*, filesystem):
# a host serves it with those too (`wasmtime serve -S cli`).
# Everything the build makes stays in OUT_DIR/http-js-build: a copy of tests/http-js (package.json, the
# package-lock.json that pins every package, app.js, wit/), its node_modules from `npm ci` (about 400 MB:
# @bytecodealliance/componentize-js 0.23.0 with jco and wizer, @bytecodealliance/preview2-shim 0.25.0, which
# componentize-js imports without depending on it, esbuild 0.28.2 and hono 4.13.23; install scripts are not
# run, none is needed), npm's cache (npm-cache, about 140 MB) and the bundle (bundle.js). `npm ci` runs again
# only when package-lock.json changed (or the last one failed). A clean build takes 25 to 40 s (npm ci 10 to
# 20 s, componentize about 15 s); the component embeds SpiderMonkey (about 13 MB).
# Needs node 20 or newer with npm, and the npm registry; a failed install fails the script. Set NPM to use
# another npm (the node on PATH runs the build).
set -euo pipefail

if [[ $# -ne 1 || -z "$1" ]]; then
  echo "usage: scripts/build-http-js.sh OUT_DIR" >&2
  exit 1
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$1"
out="$(cd "$1" && pwd)"
npm="${NPM:-npm}"
name=http-js
src="$root/tests/http-js"
work="$out/$name-build"
component="$out/$name.wasm"

if [[ -f "$component" && "$component" -nt "${BASH_SOURCE[0]}" \
      && -z "$(find "$src" -type f -newer "$component" -print -quit)" ]]; then
  echo "build-http-js: $component is up to date"
  exit 0
fi

if ! command -v node >/dev/null 2>&1 || ! command -v "$npm" >/dev/null 2>&1; then
  echo "build-http-js: node and npm are needed (node 20 or newer)" >&2
  exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [[ "$node_major" -lt 20 ]]; then
  echo "build-http-js: node $(node --version) is too old; node 20 or newer is needed" >&2
  exit 1
fi

# The sources, copied so that node_modules and the bundle stay in OUT_DIR.
mkdir -p "$work"
rm -rf "$work/wit"
cp "$src/package.json" "$src/app.js" "$work/"
cp -R "$src/wit" "$work/wit"
cp "$src/package-lock.json" "$work/package-lock.json"
# npm ci empties node_modules first, so the stamp it ends with is there only after a complete install.
stamp="$work/node_modules/.installed-package-lock.json"
if ! cmp -s "$src/package-lock.json" "$stamp"; then
  # --include=dev: a NODE_ENV=production in the environment must not drop packages.
  (cd "$work" && "$npm" ci --ignore-scripts --include=dev --no-audit --no-fund --cache "$work/npm-cache" \
     --loglevel=error)
  cp "$src/package-lock.json" "$stamp"
fi
cd "$work"
cjs_version="$(node -p 'require("./node_modules/@bytecodealliance/componentize-js/package.json").version')"
echo "build-http-js: node $(node --version), componentize-js $cjs_version" >&2
./node_modules/.bin/esbuild app.js --bundle --format=esm --target=es2022 '--external:wasi:*' \
  --outfile=bundle.js --log-level=warning
./node_modules/.bin/componentize-js bundle.js --wit wit --world-name handler -o "$component.tmp.$$"
mv -f "$component.tmp.$$" "$component"
echo "build-http-js: $component ($(wc -c <"$component") bytes)"
