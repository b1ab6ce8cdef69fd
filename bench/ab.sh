#!/usr/bin/env bash
# A/B: the same JMH rows from the benchmark jar of an earlier revision and of the working tree, run in
# alternation in one session, so a change's effect on the call paths is measured side by side.
#
#   bench/ab.sh BASE_REV [ROUNDS] [-- JMH_REGEX]
#
#   BASE_REV   the revision to compare with (built in a git worktree under java/bench/target/ab/, with a
#              cargo target directory of its own: the first build of a revision compiles Wasmtime, minutes)
#   ROUNDS     how many times each jar runs the rows (default 2); each run is one JMH fork
#   JMH_REGEX  the rows (default: the call paths and the JNI floor)
#
# The working tree's jar is built as bench/run.sh builds it (./mvnw install first). Output: per row, each
# jar's score per round, and new/old of the best of each; JSON under java/bench/target/ab/results/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
base="${1:?usage: bench/ab.sh BASE_REV [ROUNDS] [-- JMH_REGEX]}"
shift
rounds=2
if [[ $# -gt 0 && "$1" != "--" ]]; then rounds="$1"; shift; fi
rows='(TrivialCall\.(jniNoop|wasmbridgeTyped|wasmbridgeRaw|wasmbridgeGeneric)|HostCall\.wasmbridge(Typed|Generic))$'
if [[ $# -gt 0 && "$1" == "--" ]]; then shift; rows="$1"; fi

ab="$root/java/bench/target/ab"
rev="$(git rev-parse --short "$base")"
tree="$ab/$rev"
mkdir -p "$ab/results"
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

rm -f "$ab/results"/*.json
for round in $(seq 1 "$rounds"); do
  for jar in old new; do
    java -jar "$ab/$jar.jar" -f 1 -wi 4 -w 1s -i 5 -r 1s -rf json -rff "$ab/results/$jar-$round.json" "$rows" \
      > "$ab/results/$jar-$round.log" 2>&1
  done
done
python3 - "$ab/results" "$rev" <<'PY'
import collections, glob, json, sys
out, rev = sys.argv[1], sys.argv[2]
res = collections.defaultdict(lambda: collections.defaultdict(list))
for f in sorted(glob.glob(out + '/*.json')):
    jar = f.rsplit('/', 1)[-1].split('-')[0]
    for r in json.load(open(f)):
        res[r['benchmark'].split('.', 3)[-1]][jar].append(r['primaryMetric']['score'])
print(f"{'row':40s} {rev + ' (old)':>24s} {'working tree (new)':>24s}  ns/op  new/old (best of each)")
for row, v in sorted(res.items()):
    o, n = v['old'], v['new']
    print(f"{row:40s} {' '.join('%.1f' % x for x in o):>24s} {' '.join('%.1f' % x for x in n):>24s}  {min(n) / min(o):.3f}")
PY
