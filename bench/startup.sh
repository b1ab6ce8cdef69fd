#!/usr/bin/env bash
# Start-up of the command line, measured as a whole process: the wall time of
#   java [JVM_OPTS] -jar JAR run -C cache=n examples/wasi/hello.wat     (for a .jar)
#   LAUNCHER run -C cache=n examples/wasi/hello.wat                     (for anything else: the launcher script)
# for each one given, alternated over N rounds (default 15), printing each one's minimum and median.
# Usage: bench/startup.sh JAR|LAUNCHER...   (for example an older build's jar beside the current one)
# Environment: N (rounds), JAVA (default java), JVM_OPTS (extra JVM options, word-split).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-15}
JAVA=${JAVA:-java}
declare -A times
for _ in $(seq "$N"); do
  for jar in "$@"; do
    s=$(date +%s%N)
    if [[ $jar == *.jar ]]; then
      # shellcheck disable=SC2086
      "$JAVA" ${JVM_OPTS:-} -jar "$jar" run -C cache=n examples/wasi/hello.wat >/dev/null
    else
      "$jar" run -C cache=n examples/wasi/hello.wat >/dev/null
    fi
    e=$(date +%s%N)
    times[$jar]+="$(( (e - s) / 1000000 )) "
  done
done
for jar in "$@"; do
  echo "$jar: $(echo ${times[$jar]} | tr ' ' '\n' | sort -n |
    awk '{a[NR]=$1} END {printf "min %d ms, median %d ms (n=%d)", a[1], a[int((NR+1)/2)], NR}')"
done
