#!/usr/bin/env bash
# A/B: the same JMH rows from the benchmark jar of an earlier revision and of the working tree, run in
# alternation in one session, so a change's effect on the call paths is measured side by side.
#
#   bench/ab.sh BASE_REV [ROUNDS] [-- JMH_REGEX]
#   bench/ab.sh --libraries OLD.so NEW.so [ROUNDS] [-- JMH_REGEX]
#
#   BASE_REV   the revision to compare with (built in a git worktree under java/bench/target/ab/, with a
#              cargo target directory of its own: the first build of a revision compiles Wasmtime, minutes)
#   --libraries  the working tree's jar both times, loading two builds of the native library instead
#              (NativeLoader's wasmbridge.library.path): e.g. two cargo profiles of one revision
#   ROUNDS     how many times each jar runs the rows (default 2); each run is one JMH fork
#   JMH_REGEX  the rows (default: the call paths and the JNI floor)
#
# The working tree's jar is built as bench/run.sh builds it (./mvnw install first). Output: per row, each
# jar's score per round, and new/old of the best of each; JSON under java/bench/target/ab/results/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
usage="usage: bench/ab.sh BASE_REV | --libraries OLD.so NEW.so [ROUNDS] [-- JMH_REGEX]"
libs=()
if [[ "${1:-}" == "--libraries" ]]; then
  libs=("$(realpath "${2:?$usage}")" "$(realpath "${3:?$usage}")")
  shift 3
else
  base="${1:?$usage}"
  shift
fi
rounds=2
if [[ $# -gt 0 && "$1" != "--" ]]; then rounds="$1"; shift; fi
rows='(TrivialCall\.(jniNoop|wasmbridgeTyped|wasmbridgeRaw|wasmbridgeGeneric)|HostCall\.wasmbridge(Typed|Generic))$'
if [[ $# -gt 0 && "$1" == "--" ]]; then shift; rows="$1"; fi

ab="$root/java/bench/target/ab"
mkdir -p "$ab/results"
if [[ ${#libs[@]} -gt 0 ]]; then
  rev="$(basename "${libs[0]}")"
  ./mvnw -B -q -o package -pl java/bench -DskipTests
  cp java/bench/target/benchmarks.jar "$ab/new.jar"
  cp java/bench/target/benchmarks.jar "$ab/old.jar"
  jvm_old=(-jvmArgsAppend "-Dwasmbridge.library.path=${libs[0]}")
  jvm_new=(-jvmArgsAppend "-Dwasmbridge.library.path=${libs[1]}")
else
rev="$(git rev-parse --short "$base")"
tree="$ab/$rev"
jvm_old=()
jvm_new=()
if [[ ! -f "$tree/java/bench/target/benchmarks.jar" ]]; then
  rm -rf "$tree"
  git worktree add --detach "$tree" "$rev" >/dev/null
  # package, not install: the local repository keeps this tree's artifacts.
  (cd "$tree" && CARGO_TARGET_DIR="$ab/cargo-target" ./mvnw -B -q package -DskipTests -pl java/core,java/bench \
    -Dwasmbridge.cargo.targetDir="$ab/cargo-target")
fi
./mvnw -B -q -o package -pl java/bench -DskipTests
cp java/bench/target/benchmarks.jar "$ab/new.jar"
cp "$tree/java/bench/target/benchmarks.jar" "$ab/old.jar"
fi

rm -f "$ab/results"/*.json
for round in $(seq 1 "$rounds"); do
  for jar in old new; do
    if [[ $jar == old ]]; then jvm=("${jvm_old[@]}"); else jvm=("${jvm_new[@]}"); fi
    java -jar "$ab/$jar.jar" -f 1 -wi 4 -w 1s -i 5 -r 1s "${jvm[@]}" -rf json \
      -rff "$ab/results/$jar-$round.json" "$rows" > "$ab/results/$jar-$round.log" 2>&1
  done
done
python3 - "$ab/results" "$rev" ${libs[1]:+"$(basename "${libs[1]}")"} <<'PY'
import collections, glob, json, sys
out, rev = sys.argv[1], sys.argv[2]
res = collections.defaultdict(lambda: collections.defaultdict(list))
for f in sorted(glob.glob(out + '/*.json')):
    jar = f.rsplit('/', 1)[-1].split('-')[0]
    for r in json.load(open(f)):
        res[r['benchmark'].split('.', 3)[-1]][jar].append(r['primaryMetric']['score'])
new = sys.argv[3] if len(sys.argv) > 3 else 'working tree'
print(f"{'row':40s} {rev + ' (old)':>24s} {new + ' (new)':>24s}  ns/op  new/old (best of each)")
for row, v in sorted(res.items()):
    o, n = v['old'], v['new']
    print(f"{row:40s} {' '.join('%.1f' % x for x in o):>24s} {' '.join('%.1f' % x for x in n):>24s}  {min(n) / min(o):.3f}")
PY
