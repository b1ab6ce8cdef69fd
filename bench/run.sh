#!/usr/bin/env bash
# The one benchmark command: builds the JMH jar and the Rust baseline, runs both on the same kernels, measures
# memory per instance, and turns it all into the Markdown tables of BENCHMARKS.md.
#
#   bench/run.sh [--quick] [--components] [--update-doc] [--no-build] [-- JMH_ARGS...]
#
#   --components  only the component calls (JMH ComponentCall, the Rust component.* rows before and after
#                 it; no footprint): a few minutes (about one with --quick). With --update-doc it rewrites
#                 only the component section of BENCHMARKS.md (between its components markers)
#   --quick       about two minutes, for checking a change to wasmbridge: only the wasmbridge rows and the
#                 limits (no peers unless JMH_ARGS select them), one fork, one warm-up and two measurement
#                 iterations of 1 s, Rust with short samples (figures are rough)
#   --update-doc  rewrite the results section of BENCHMARKS.md (between its results markers)
#   --no-build    use the jar and the Rust binary already built
#   JMH_ARGS      passed to JMH after the defaults, e.g. a benchmark regex: -- 'TrivialCall|HostCall'
#
# Results: java/bench/target/results/{jmh.json,rust.json,rust-after.json,footprint.jsonl,meta.json,report.md}
# (with --components: java/bench/target/results-components/, without footprint.jsonl).
# Needs: JDK 17+, cargo, python3, clang-14 (installed by bench/build-kernels.sh when missing).
# The machine should be otherwise idle: the load average before and after is recorded in the report.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
quick=false
components=false
update=false
build=true
jmh_extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=true ;;
    --components) components=true ;;
    --update-doc) update=true ;;
    --no-build) build=false ;;
    --) shift; jmh_extra=("$@"); break ;;
    *) echo "usage: bench/run.sh [--quick] [--components] [--update-doc] [--no-build] [-- JMH_ARGS...]" >&2; exit 2 ;;
  esac
  shift
done

jar="$root/java/bench/target/benchmarks.jar"
kernels="$root/java/bench/target/kernels"
results="$root/java/bench/target/results"
$components && results="$root/java/bench/target/results-components"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
rust_bin="$target_dir/release/wasmbridge-bench"

if $build; then
  # The core is taken from the local Maven repository (./mvnw install); only this module is built here.
  ./mvnw -B -q -o package -pl java/bench -DskipTests
  cargo build --release -q -p wasmbridge-bench
fi
mkdir -p "$results"
rm -f "$results"/{jmh.json,rust.json,rust-after.json,footprint.jsonl,meta.json,report.md}

load() { cut -d' ' -f1-3 /proc/loadavg; }
load_before="$(load)"
echo "bench: load average before: $load_before (2 cores here: above ~0.5 the figures are noisy)" >&2

rust_quick=()
$quick && rust_quick=(--quick)

if $components; then
  # The component calls alone: Rust before and after JMH (the faster mean counts), JMH in between.
  rust_cmd=("$rust_bin" "$kernels" --only component. "${rust_quick[@]}")
  "${rust_cmd[@]}" --out "$results/rust.json"
  jmh_args=(-rf json -rff "$results/jmh.json")
  $quick && jmh_args+=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
  [[ ${#jmh_extra[@]} -eq 0 ]] && jmh_extra=(ComponentCall)
  jmh_cmd=(java -jar "$jar" "${jmh_args[@]}" "${jmh_extra[@]}")
  "${jmh_cmd[@]}"
  "${rust_cmd[@]}" --out "$results/rust-after.json"
  load_after="$(load)"
  mode=full
  $quick && mode=quick
  # meta.json through Python: the commands may hold characters JSON must escape.
  python3 - "$results/meta.json" "$mode" "$load_before" "$load_after" "${BENCH_NOTE:-}" \
    "${rust_cmd[*]#"$root/"} # Rust, before and after JMH" "${jmh_cmd[*]#"$root/"} # JMH" <<'PY'
import json, subprocess, sys, time
path, mode, before, after, note, rust_cmd, jmh_cmd = sys.argv[1:8]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
jdk = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[1]
cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
json.dump({"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "mode": mode, "cpu": cpu,
           "cores": cores, "jdk": jdk, "load_before": before, "load_after": after, "note": note,
           "commands": [rust_cmd, jmh_cmd]}, open(path, "w"))
PY
  report_args=("$results" --components)
  $update && report_args+=(--update "$root/BENCHMARKS.md")
  python3 "$root/java/bench/report.py" "${report_args[@]}" > "$results/report.md"
  cat "$results/report.md"
  echo "bench: load average after: $load_after; report in $results/report.md" >&2
  exit 0
fi

# 1. The native limits: the same kernels from Rust, before JMH and again after it (the report takes the faster
#    of the two means per workload: conservative for wasmbridge's ratios on a machine whose load varies).
"$rust_bin" "$kernels" --out "$results/rust.json" "${rust_quick[@]}"

# 2. JMH: every runtime and call path, side by side in one run.
jmh_args=(-rf json -rff "$results/jmh.json")
runtimes=(wasmbridge wasmbridge-pooling endive-interpreter endive-compiler graalwasm wasmtime-java)
if $quick; then
  jmh_args+=(-f 1 -wi 1 -w 1s -i 2 -r 1s)
  if [[ ${#jmh_extra[@]} -eq 0 ]]; then
    jmh_extra=('\.(wasmbridge[A-Za-z]*|breakdown[A-Za-z]*|jniNoop|javaArraycopy)$')
    runtimes=(wasmbridge wasmbridge-pooling)
  fi
fi
java -jar "$jar" "${jmh_args[@]}" "${jmh_extra[@]}"

# 3. Memory and time per live instance, one JVM per runtime (a fixed, pre-touched heap: RSS growth is native).
for rt in "${runtimes[@]}"; do
  java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Xss4m -Dpolyglot.engine.WarnInterpreterOnly=false \
    -Dpolyglotimpl.DisableClassPathIsolation=true \
    -cp "$jar" dev.wasmbridge.bench.Footprint "$rt" 2>/dev/null | grep '^{' >> "$results/footprint.jsonl" \
    || echo "bench: footprint of $rt failed" >&2
done

"$rust_bin" "$kernels" --out "$results/rust-after.json" "${rust_quick[@]}"

load_after="$(load)"
jdk="$(java -version 2>&1 | sed -n 2p)"
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
mode=full
$quick && mode=quick
cat > "$results/meta.json" <<EOF
{"date": "$(date -u '+%Y-%m-%d %H:%M UTC')", "mode": "$mode", "cpu": "$cpu", "cores": "$(nproc)",
 "jdk": "$jdk", "load_before": "$load_before", "load_after": "$load_after", "note": "${BENCH_NOTE:-}"}
EOF

report_args=("$results")
$update && report_args+=(--update "$root/BENCHMARKS.md")
python3 "$root/java/bench/report.py" "${report_args[@]}" > "$results/report.md"
cat "$results/report.md"
echo "bench: load average after: $load_after; report in $results/report.md" >&2
