#!/usr/bin/env bash
# The one benchmark command: builds the JMH jar and the Rust baseline, runs both on the same kernels, measures
# memory per instance, and turns it all into the Markdown tables of BENCHMARKS.md. JMH and the footprint run
# once per JDK: JDK 17 (`java` on PATH) and the project's second JDK (-Dwasmbridge.jdk2=... in
# .mvn/maven.config, JDK 25 here).
#
#   bench/run.sh [--quick] [--components] [--update-doc] [--no-build] [--jdk JDK]... [-- JMH_ARGS...]
#
#   --jdk JDK     the JDK(s) to run JMH and the footprint on, repeatable: `17` (java on PATH), `25` (the
#                 second JDK of .mvn/maven.config), `both`, or the path of a JDK's home. Default: both for a
#                 full run, 17 only with --quick or --components (to keep them short). A second JDK that is
#                 not installed is skipped with a message.
#   --components  only the component calls (JMH ComponentCall, the Rust component.* rows before and after
#                 it; no footprint): a few minutes per JDK (about one with --quick). With --update-doc it
#                 rewrites only the component section of BENCHMARKS.md (between its components markers)
#   --quick       about two minutes, for checking a change to wasmbridge: only the wasmbridge rows and the
#                 limits (no peers unless JMH_ARGS select them), one fork, one warm-up and two measurement
#                 iterations of 1 s, Rust with short samples (figures are rough); JDK 17 only unless --jdk
#   --update-doc  rewrite the results section of BENCHMARKS.md (between its results markers)
#   --no-build    use the jar and the Rust binary already built
#   JMH_ARGS      passed to JMH after the defaults, e.g. a benchmark regex: -- 'TrivialCall|HostCall'
#
# On JDK 21 and later the GraalWasm rows (graalwasm*) are left out: GraalWasm 23.1, the newest for JDK 17,
# does not start there (it calls sun.misc.Unsafe.ensureClassInitialized, removed in JDK 22). The forks of a
# JDK 21+ run get --enable-native-access=ALL-UNNAMED (JNI's System.load is a restricted method from JDK 24
# on: without it every fork prints a warning, and a future JDK refuses).
#
# Results, per JDK feature version V: java/bench/target/results/{jmh-V.json,footprint-V.jsonl}, and once:
# rust.json, rust-after.json, meta.json (naming every JDK run), report.md (with --components:
# java/bench/target/results-components/, without footprints).
# Needs: JDK 17+, cargo, python3, clang-14 (installed by bench/build-kernels.sh when missing).
# The machine should be otherwise idle: the load average before and after is recorded in the report.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
quick=false
components=false
update=false
build=true
jdk_args=()
jmh_extra=()
usage="usage: bench/run.sh [--quick] [--components] [--update-doc] [--no-build] [--jdk 17|25|both|PATH]... [-- JMH_ARGS...]"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=true ;;
    --components) components=true ;;
    --update-doc) update=true ;;
    --no-build) build=false ;;
    --jdk) [[ $# -ge 2 ]] || { echo "$usage" >&2; exit 2; }; jdk_args+=("$2"); shift ;;
    --) shift; jmh_extra=("$@"); break ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done

# The JDKs: the java on PATH, and the second JDK named once in .mvn/maven.config.
jdk17="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
jdk2="$(sed -n 's/.*-Dwasmbridge\.jdk2=\([^ ]*\).*/\1/p' "$root/.mvn/maven.config" | head -1)"
if [[ ${#jdk_args[@]} -eq 0 ]]; then
  if $quick || $components; then jdk_args=(17); else jdk_args=(both); fi
fi
jdks=()
for j in "${jdk_args[@]}"; do
  case "$j" in
    17) jdks+=("$jdk17") ;;
    25) jdks+=("$jdk2") ;;
    both) jdks+=("$jdk17" "$jdk2") ;;
    *) jdks+=("$j") ;;
  esac
done
runnable=()
for j in "${jdks[@]}"; do
  if [[ -x "$j/bin/java" ]]; then
    runnable+=("$j")
  else
    echo "bench: no JDK at $j (skipped)" >&2
  fi
done
[[ ${#runnable[@]} -gt 0 ]] || { echo "bench: no JDK to run on" >&2; exit 1; }
jdks=("${runnable[@]}")

# The feature version of a JDK (17, 25): names its result files.
feature() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p'; }

jar="$root/java/bench/target/benchmarks.jar"
kernels="$root/java/bench/target/kernels"
results="$root/java/bench/target/results"
$components && results="$root/java/bench/target/results-components"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
rust_bin="$target_dir/release/wasmbridge-bench"

if $build; then
  # The core is taken from the local Maven repository (./mvnw install); only this module is built here.
  ./mvnw -B -q -o package -pl java/bench -DskipTests -Dwasmbridge.bench.httpGuest.skip=false
  cargo build --release -q -p wasmbridge-bench
fi
mkdir -p "$results"
rm -f "$results"/{jmh*.json,rust.json,rust-after.json,footprint*.jsonl,meta.json,report.md}

load() { cut -d' ' -f1-3 /proc/loadavg; }
load_before="$(load)"
echo "bench: load average before: $load_before (2 cores here: above ~0.5 the figures are noisy)" >&2

rust_quick=()
$quick && rust_quick=(--quick)

# Per JDK, the JVM options of its JMH forks and footprint JVMs, and the JMH exclusions.
jdk_opts() {  # JDK_HOME V -> sets fork_opts and jmh_excl
  fork_opts=()
  jmh_excl=()
  if [[ "$2" -ge 21 ]]; then
    fork_opts=(--enable-native-access=ALL-UNNAMED)
    jmh_excl=(-e 'graalwasm')
  fi
}

# The quick mode's JMH options (pairs: option value) into jmh_args, but those JMH_ARGS set themselves (JMH
# refuses an option given twice).
quick_defaults() {
  while [[ $# -gt 0 ]]; do
    local given=false a
    for a in "${jmh_extra[@]}"; do [[ "$a" == "$1" ]] && given=true; done
    $given || jmh_args+=("$1" "$2")
    shift 2
  done
}

# One JMH run on JDK $1 (feature version $2) into $results/jmh-$2.json; the remaining arguments are JMH's.
# Skipped (with a message) when the JDK's exclusions leave no benchmark. Appends its command to commands.
commands=()
jdk_meta=()
run_jmh() {
  local home="$1" v="$2"
  shift 2
  jdk_opts "$home" "$v"
  local prepend=()
  [[ ${#fork_opts[@]} -gt 0 ]] && prepend=(-jvmArgsPrepend "${fork_opts[*]}")
  # The options go to the forks only (the host JVM loads no native library; forks would inherit its options).
  local cmd=("$home/bin/java" -jar "$jar" -rf json -rff "$results/jmh-$v.json" "${prepend[@]}" "$@" \
    "${jmh_excl[@]}")
  if [[ ${#jmh_excl[@]} -gt 0 ]] && ! "$home/bin/java" -jar "$jar" -l "$@" "${jmh_excl[@]}" 2>/dev/null \
      | grep -q '^[a-z]'; then
    echo "bench: JDK $v: no benchmark left after ${jmh_excl[*]} (skipped)" >&2
    return 0
  fi
  "${cmd[@]}"
  commands+=("${cmd[*]#"$root/"} # JMH, JDK $v")
}

if $components; then
  # The component calls alone: Rust before and after JMH (the faster mean counts), JMH in between.
  rust_cmd=("$rust_bin" "$kernels" --only component. "${rust_quick[@]}")
  "${rust_cmd[@]}" --out "$results/rust.json"
  commands+=("${rust_cmd[*]#"$root/"} # Rust, before and after JMH")
  jmh_args=()
  $quick && quick_defaults -f 1 -wi 2 -w 1s -i 3 -r 1s
  [[ ${#jmh_extra[@]} -eq 0 ]] && jmh_extra=(ComponentCall)
  for home in "${jdks[@]}"; do
    v="$(feature "$home")"
    run_jmh "$home" "$v" "${jmh_args[@]}" "${jmh_extra[@]}"
    jdk_meta+=("$v" "$home" "$("$home/bin/java" -version 2>&1 | sed -n 2p)")
  done
  "${rust_cmd[@]}" --out "$results/rust-after.json"
else
  # 1. The native limits: the same kernels from Rust, before JMH and again after it (the report takes the
  #    faster of the two means per workload: conservative for wasmbridge's ratios on a machine whose load varies).
  rust_cmd=("$rust_bin" "$kernels" "${rust_quick[@]}")
  "${rust_cmd[@]}" --out "$results/rust.json"
  commands+=("${rust_cmd[*]#"$root/"} # Rust, before and after JMH")

  jmh_args=()
  runtimes=(wasmbridge wasmbridge-pooling endive-interpreter endive-compiler chicory-interpreter chicory-compiler
    graalwasm wasmtime-java)
  if $quick; then
    quick_defaults -f 1 -wi 1 -w 1s -i 2 -r 1s
    if [[ ${#jmh_extra[@]} -eq 0 ]]; then
      jmh_extra=('\.(wasmbridge[A-Za-z]*|breakdown[A-Za-z]*|jniNoop|javaArraycopy)$')
      runtimes=(wasmbridge wasmbridge-pooling)
    fi
  fi
  for home in "${jdks[@]}"; do
    v="$(feature "$home")"
    echo "bench: JDK $v ($home)" >&2
    jdk_meta+=("$v" "$home" "$("$home/bin/java" -version 2>&1 | sed -n 2p)")
    # 2. JMH: every runtime and call path, side by side in one run per JDK.
    run_jmh "$home" "$v" "${jmh_args[@]}" "${jmh_extra[@]}"
    # 3. Memory and time per live instance, one JVM per runtime (a fixed, pre-touched heap: RSS growth is native).
    jdk_opts "$home" "$v"
    for rt in "${runtimes[@]}"; do
      if [[ ${#jmh_excl[@]} -gt 0 && "$rt" == graalwasm* ]]; then continue; fi
      "$home/bin/java" "${fork_opts[@]}" -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Xss4m \
        -Dpolyglot.engine.WarnInterpreterOnly=false -Dpolyglotimpl.DisableClassPathIsolation=true \
        -cp "$jar" dev.wasmbridge.bench.Footprint "$rt" 2>/dev/null | grep '^{' >> "$results/footprint-$v.jsonl" \
        || echo "bench: footprint of $rt on JDK $v failed" >&2
    done
  done

  "${rust_cmd[@]}" --out "$results/rust-after.json"
fi

load_after="$(load)"
mode=full
$quick && mode=quick
# meta.json through Python: the commands may hold characters JSON must escape.
python3 - "$results/meta.json" "$mode" "$load_before" "$load_after" "${BENCH_NOTE:-}" "${#commands[@]}" \
  "${commands[@]}" "${jdk_meta[@]}" <<'PY'
import json, subprocess, sys, time
path, mode, before, after, note, n = sys.argv[1:7]
commands = sys.argv[7:7 + int(n)]
rest = sys.argv[7 + int(n):]
jdks = [{"version": rest[i], "home": rest[i + 1], "name": rest[i + 2]} for i in range(0, len(rest), 3)]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
json.dump({"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "mode": mode, "cpu": cpu,
           "cores": cores, "jdk": "; ".join(j["name"] for j in jdks), "jdks": jdks, "load_before": before,
           "load_after": after, "note": note, "commands": commands}, open(path, "w"), indent=1)
PY

report_args=("$results")
$components && report_args+=(--components)
$update && report_args+=(--update "$root/BENCHMARKS.md")
python3 "$root/java/bench/report.py" "${report_args[@]}" > "$results/report.md"
cat "$results/report.md"
echo "bench: load average after: $load_after; report in $results/report.md" >&2
