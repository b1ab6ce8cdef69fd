#!/usr/bin/env python3
"""Turns one benchmark run into the Markdown tables of BENCHMARKS.md.

    report.py RESULTS_DIR [--components] [--update BENCHMARKS.md]

RESULTS_DIR (written by bench/run.sh) holds jmh.json (JMH's JSON result), rust.json and rust-after.json
(tools/bench-rust, run before and after JMH; the faster mean of the two counts),
footprint.jsonl (dev.wasmbridge.bench.Footprint, one line per runtime) and meta.json (machine, JDK, load).
Prints the Markdown; with --update, replaces the part of the file between the markers
<!-- results:begin --> and <!-- results:end --> with it, and, when the run has component-call rows, the
part between <!-- components:begin --> and <!-- components:end --> with the component-call table.
With --components (a run of bench/run.sh --components: ComponentCall and the Rust component rows only)
only the component-call section is printed and updated. Standard library only.
"""

import json
import math
import os
import sys

BEGIN = "<!-- results:begin -->"
END = "<!-- results:end -->"
COMPONENTS_BEGIN = "<!-- components:begin -->"
COMPONENTS_END = "<!-- components:end -->"

GRAAL = "GraalWasm 23.1.0 (interpreter only: stock JDK, no Graal JIT)"
GRAAL_JIT = "GraalWasm 23.1.0 with the Graal JIT (compiler 23.1.0 via JVMCI, JDK 17)"
ENDIVE_I = "Endive 1.0.0 interpreter"
ENDIVE_C = "Endive 1.0.0 compiler (to JVM bytecode)"
WTJ = "wasmtime-java 0.19.0 (kawamuray, JNI)"
RUST = "Wasmtime 48.0.8 from Rust (limit)"

# Each table: title, the wasmbridge row its ratios are taken against, and its rows:
# (source, key, label, limit key or None, why). Source "jmh" keys are Class.method; "rust" keys are
# tools/bench-rust result names. The limit key names the row the "x limit" column divides by.
TABLES = [
    {
        "title": "Trivial call: `add(i32, i32) -> i32` from Java",
        "ref": "TrivialCall.wasmbridgeTyped",
        "rows": [
            ("jmh", "TrivialCall.jniNoop", "JNI no-op static native (limit)", None,
             "The floor of any JNI call: Java-to-native transition and back, no work."),
            ("rust", "trivial.add", RUST, None,
             "Rust to wasm through `TypedFunc::call`: Wasmtime's own entry/exit (store, stack limit, trap handler setup)."),
            ("jmh", "TrivialCall.breakdownOwnerCheck", "breakdown: `Store` owner protocol alone (Java replica)", None,
             "Part of every wasmbridge call: currentThread, CAS on the owner, volatile closed check, release store."),
            ("jmh", "TrivialCall.breakdownOwnerCheckJniNoop", "breakdown: owner protocol + JNI no-op", "TrivialCall.jniNoop",
             "The Java side of a typed call without any Rust work."),
            ("jmh", "TrivialCall.wasmbridgeTyped", "wasmbridge `as(IntBinaryOperator.class)`", "TrivialCall.jniNoop",
             "The row above plus the native side: handle check, typed-function lookup, `catch_unwind`, Wasmtime's entry (the Rust row)."),
            ("jmh", "TrivialCall.wasmbridgeRaw", "wasmbridge `callRaw(long...)`", "TrivialCall.jniNoop",
             "Generic native path: a varargs long[] and a result long[] per call, copied with raw JNI array regions, the cached signature, `Func::call_unchecked` on raw values."),
            ("jmh", "TrivialCall.wasmbridgeGeneric", "wasmbridge `call(Object...)`", "TrivialCall.jniNoop",
             "As callRaw plus boxing and the signature check of every argument."),
            ("jmh", "TrivialCall.endiveCompiler", ENDIVE_C, "TrivialCall.jniNoop",
             "No JNI at all: the export is JVM bytecode that HotSpot inlines; only `long[]` boxing of arguments and results."),
            ("jmh", "TrivialCall.endiveInterpreter", ENDIVE_I, "TrivialCall.jniNoop",
             "Interpreter setup of a call frame and value stack per call."),
            ("jmh", "TrivialCall.graalwasm", GRAAL, "TrivialCall.jniNoop",
             "Polyglot `Value.execute` through Truffle interop, interpreted."),
            ("jmh", "TrivialCall.wasmtimeJava", WTJ, "TrivialCall.jniNoop",
             "Boxes arguments into `Val` objects and allocates result arrays through JNI on every call."),
        ],
    },
    {
        "title": "Recursive fib(20) (21891 calls inside wasm)",
        "ref": "Fib.wasmbridge",
        "rows": [
            ("rust", "fib.fib20", RUST, None, "Cranelift's code for the kernel: the compute limit."),
            ("jmh", "Fib.wasmbridge", "wasmbridge (typed view)", "fib.fib20",
             "The same machine code as the Rust row; one JNI call of overhead."),
            ("jmh", "Fib.wasmtimeJava", WTJ, "fib.fib20", "An older Cranelift; one boxed JNI call."),
            ("jmh", "Fib.endiveCompiler", ENDIVE_C, "fib.fib20",
             "JVM bytecode compiled by C2: wasm calls are JVM calls."),
            ("jmh", "Fib.endiveInterpreter", ENDIVE_I, "fib.fib20", "A Java interpreter loop per wasm instruction."),
            ("jmh", "Fib.graalwasm", GRAAL, "fib.fib20", "Truffle AST interpreter without partial evaluation."),
            ("jmh", "Fib.graalwasmJit", GRAAL_JIT, "fib.fib20",
             "Partial evaluation + Graal: wasm calls inlined as JVM code; 12 × 2 s warm-up."),
        ],
    },
    {
        "title": "SHA-256 of 1 MiB in linear memory (C, clang-14 -O2)",
        "ref": "Sha256.wasmbridge",
        "rows": [
            ("rust", "sha256.1mib", RUST, None, "Cranelift's code: the compute limit."),
            ("jmh", "Sha256.wasmbridge", "wasmbridge (typed view)", "sha256.1mib",
             "Same machine code; the call overhead is negligible at this size."),
            ("jmh", "Sha256.wasmtimeJava", WTJ, "sha256.1mib", "Older Cranelift (and its bounds-check strategy)."),
            ("jmh", "Sha256.endiveCompiler", ENDIVE_C, "sha256.1mib",
             "Bytecode with explicit bounds-checked loads from a Java byte array per memory access."),
            ("jmh", "Sha256.endiveInterpreter", ENDIVE_I, "sha256.1mib", "Interpreted."),
            ("jmh", "Sha256.graalwasm", GRAAL, "sha256.1mib", "Interpreted (no Truffle compilation on a stock JDK)."),
            ("jmh", "Sha256.graalwasmJit", GRAAL_JIT, "sha256.1mib",
             "Compiled by Graal; memory accesses bounds-checked in JVM code; 12 × 2 s warm-up."),
        ],
    },
    {
        "title": "Matrix multiply 128 x 128 f64 in linear memory (C, clang-14 -O2)",
        "ref": "Matmul.wasmbridge",
        "rows": [
            ("rust", "matmul.128", RUST, None, "Cranelift's code: the compute limit."),
            ("jmh", "Matmul.wasmbridge", "wasmbridge (typed view)", "matmul.128", "Same machine code."),
            ("jmh", "Matmul.wasmtimeJava", WTJ, "matmul.128", "Older Cranelift."),
            ("jmh", "Matmul.endiveCompiler", ENDIVE_C, "matmul.128", "Bytecode; bounds-checked memory accesses."),
            ("jmh", "Matmul.endiveInterpreter", ENDIVE_I, "matmul.128", "Interpreted."),
            ("jmh", "Matmul.graalwasm", GRAAL, "matmul.128", "Interpreted."),
            ("jmh", "Matmul.graalwasmJit", GRAAL_JIT, "matmul.128",
             "Compiled by Graal; the inner loop's loads bounds-checked; 12 × 2 s warm-up."),
        ],
    },
    {
        "title": "Copy 1 MiB into linear memory (in) and out of it (out)",
        "ref": "Copy.wasmbridgeDirectIn",
        "bandwidth": True,
        "rows": [
            ("rust", "copy.memcpy", "memcpy of 1 MiB in Rust (limit)", None, "The bandwidth limit of this machine."),
            ("rust", "copy.in", "Rust into linear memory", "copy.memcpy", "`copy_from_slice` into `Memory::data_mut`."),
            ("rust", "copy.out", "Rust out of linear memory", "copy.memcpy", "`copy_from_slice` from `Memory::data`."),
            ("jmh", "Copy.javaArraycopy", "Java `System.arraycopy` (JVM reference)", "copy.memcpy",
             "The JVM's own copy between two heap arrays."),
            ("jmh", "Copy.wasmbridgeDirectIn", "wasmbridge `write(long, ByteBuffer)`, direct, in", "copy.memcpy",
             "One memcpy from the direct buffer's address."),
            ("jmh", "Copy.wasmbridgeDirectOut", "wasmbridge `read(long, ByteBuffer)`, direct, out", "copy.memcpy",
             "One memcpy to the direct buffer's address."),
            ("jmh", "Copy.wasmbridgeArrayIn", "wasmbridge `write(long, byte[])`, in", "copy.memcpy",
             "JNI `GetByteArrayRegion`: a copy out of the Java heap."),
            ("jmh", "Copy.wasmbridgeArrayOut", "wasmbridge `read(long, byte[], int, int)`, out", "copy.memcpy",
             "JNI `SetByteArrayRegion`."),
            ("jmh", "Copy.wasmbridgeBufferIn", "wasmbridge `buffer()` view, `put(int, byte[])`, in", "copy.memcpy",
             "Zero copy view; the copy is the JVM's heap-to-off-heap `Unsafe.copyMemory`, no JNI."),
            ("jmh", "Copy.wasmbridgeBufferOut", "wasmbridge `buffer()` view, `get(int, byte[])`, out", "copy.memcpy",
             "Same, off-heap to heap."),
            ("jmh", "Copy.wasmbridgeBufferCall", "wasmbridge `buffer()` call itself", None,
             "Creating the view: one JNI call, `NewDirectByteBuffer` and a Cleaner registration."),
            ("jmh", "Copy.wasmtimeJavaIn", "wasmtime-java buffer view, in", "copy.memcpy", "Its direct buffer view."),
            ("jmh", "Copy.wasmtimeJavaOut", "wasmtime-java buffer view, out", "copy.memcpy", "Its direct buffer view."),
            ("jmh", "Copy.endiveIn", "Endive `Memory.write(int, byte[])`, in", "copy.memcpy",
             "Linear memory is a Java byte array: `System.arraycopy`."),
            ("jmh", "Copy.endiveOut", "Endive `Memory.readBytes(int, int)`, out", "copy.memcpy",
             "Allocates a new 1 MiB array per read (its only bulk read)."),
            ("jmh", "Copy.graalwasmIn", "GraalWasm `writeBufferLong` loop, in", "copy.memcpy",
             "The 23.1 polyglot API has no bulk copy: 131072 interop calls of 8 bytes."),
            ("jmh", "Copy.graalwasmOut", "GraalWasm `readBufferLong` loop, out", "copy.memcpy", "Same."),
        ],
    },
    {
        "title": "wasm to Java host call round trip (per call; `host_loop(1000)`)",
        "ref": "HostCall.wasmbridgeTyped",
        "rows": [
            ("rust", "host.call", "Wasmtime 48.0.8, Rust host function (limit)", None,
             "`Linker::func_wrap` closure: Wasmtime's host-call trampoline only."),
            ("jmh", "HostCall.wasmbridgeTyped", "wasmbridge `define(.., IntBinaryOperator.class, ..)` (typed)", "host.call",
             "Trampoline + JNI upcall `CallIntMethod` on the IntBinaryOperator."),
            ("jmh", "HostCall.wasmbridgeGeneric", "wasmbridge `defineFunction` (generic)", "host.call",
             "Arguments as slots in a Java array, boxed `Object[]`, a `Caller`, result unboxed."),
            ("jmh", "HostCall.endiveCompiler", ENDIVE_C, "host.call",
             "A plain JVM call (the host function may be inlined) plus a `long[]` per call."),
            ("jmh", "HostCall.endiveInterpreter", ENDIVE_I, "host.call", "Interpreted caller loop."),
            ("jmh", "HostCall.wasmtimeJava", WTJ, "host.call", "Boxed `Val` arrays and JNI object calls per call."),
        ],
    },
    {
        "title": "Instantiate the small module per request (new store, instantiate, one call, free)",
        "ref": "Instantiate.wasmbridgeInstancePre",
        "rows": [
            ("rust", "instantiate.pre", "Rust, `InstancePre::instantiate` (limit)", None,
             "Store + instance (mmap of linear memory) + typed call, on demand allocation."),
            ("rust", "instantiate.linker", "Rust, `Linker::instantiate`", "instantiate.pre", "Resolves imports each time."),
            ("rust", "instantiate.pooling", "Rust, pooling allocator (limit for pooling)", None,
             "Memory slot reused from the pool: no mmap/munmap."),
            ("rust", "instantiate.store", "Rust, `Store::new` + drop only", None, "Part of the above."),
            ("jmh", "Instantiate.wasmbridgeInstancePre", "wasmbridge `InstancePre.instantiate`", "instantiate.pre",
             "Rust's work plus JNI calls: store, instantiate, export lookup, typed view, call, close."),
            ("jmh", "Instantiate.wasmbridgeLinker", "wasmbridge `Linker.instantiate`", "instantiate.linker",
             "As above, imports resolved per instantiation."),
            ("jmh", "Instantiate.wasmbridgePooling", "wasmbridge, pooling allocator", "instantiate.pooling",
             "Pooling: no mmap per instance."),
            ("rust", "instantiate.pooling_nocall", "Rust, pooling, instantiate + drop only (no export lookup, no call)",
             None, "Part of the pooling row."),
            ("jmh", "Instantiate.wasmbridgePoolingNoCall", "wasmbridge, pooling, instantiate + close only",
             "instantiate.pooling_nocall",
             "Part of the pooling row: the export lookup, the typed view (two JNI calls) and the call are left out."),
            ("jmh", "Instantiate.wasmbridgeStoreOnly", "wasmbridge `Store.create` + `close` only", "instantiate.store",
             "Part of the above: JNI, the Java Store object, its Cleaner registration."),
            ("jmh", "Instantiate.wasmtimeJava", WTJ, "instantiate.pre", "Older Wasmtime; Java-side disposables."),
            ("jmh", "Instantiate.endiveCompiler", ENDIVE_C, "instantiate.pre",
             "Java objects only, the compiled machine factory reused; memory is a Java byte array."),
            ("jmh", "Instantiate.endiveInterpreter", ENDIVE_I, "instantiate.pre", "Java objects only."),
            ("jmh", "Instantiate.graalwasm", GRAAL, "instantiate.pre",
             "A polyglot context per instance (parsed code shared through the engine)."),
        ],
    },
]

# The component-call table: per workload, the JMH rows of both Java call paths and the two Rust rows
# (tools/bench-rust/src/component.rs): (label, JMH natural `call`, JMH `callValues`, JMH bound interface, Rust
# dynamic, Rust typed).
COMPONENT_TITLE = "Component calls: `tests/components/bench.wat` from Java and from Rust"
COMPONENT_GOAL = 1.5  # every Java path <= 1.5x Wasmtime's dynamic call from Rust
COMPONENT_ROWS = [
    ("`add(u32, u32) -> u32`", "ComponentCall.wasmbridgeAddCall", "ComponentCall.wasmbridgeAddValues",
     "ComponentCall.wasmbridgeAddBound", "component.add.dynamic", "component.add.typed"),
    ("`echo-string`, 1 KiB", "ComponentCall.wasmbridgeStringCall", "ComponentCall.wasmbridgeStringValues",
     "ComponentCall.wasmbridgeStringBound", "component.string.dynamic", "component.string.typed"),
    ("`echo-record`, 5 fields", "ComponentCall.wasmbridgeRecordCall", "ComponentCall.wasmbridgeRecordValues",
     "ComponentCall.wasmbridgeRecordBound", "component.record.dynamic", "component.record.typed"),
    ("`echo-bytes`, 64 KiB `list<u8>`", "ComponentCall.wasmbridgeBytesCall", "ComponentCall.wasmbridgeBytesValues",
     "ComponentCall.wasmbridgeBytesBound", "component.bytes.dynamic", "component.bytes.typed"),
]

FOOTPRINT_LABELS = {
    "wasmbridge": "wasmbridge, own Store per instance",
    "wasmbridge-pooling": "wasmbridge, pooling allocator",
    "endive-interpreter": ENDIVE_I,
    "endive-compiler": ENDIVE_C,
    "graalwasm": GRAAL + ", context per instance",
    "wasmtime-java": WTJ,
}


def fmt_time(ns):
    if ns is None or (isinstance(ns, float) and math.isnan(ns)):
        return "n/a"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def fmt_ratio(x):
    if x is None:
        return ""
    if x >= 100:
        return f"{x:,.0f}×"
    if x >= 10:
        return f"{x:.1f}×"
    return f"{x:.2f}×"


def to_ns(score, unit):
    scale = {"ns/op": 1.0, "us/op": 1e3, "ms/op": 1e6, "s/op": 1e9}.get(unit)
    if scale is None:
        raise ValueError(f"unexpected JMH unit {unit}")
    return score * scale


def load(results_dir):
    jmh, err = {}, {}
    path = os.path.join(results_dir, "jmh.json")
    if os.path.exists(path):
        with open(path) as f:
            for r in json.load(f):
                name = r["benchmark"].rsplit(".", 2)
                key = name[-2] + "." + name[-1]
                m = r["primaryMetric"]
                jmh[key] = to_ns(m["score"], m["scoreUnit"])
                e = m.get("scoreError")
                err[key] = to_ns(e, m["scoreUnit"]) if isinstance(e, (int, float)) and not math.isnan(e) else None
    # The Rust baseline runs before and after JMH: per workload, the faster of the two means counts.
    rust, rust_footprint = {}, []
    for name in ("rust.json", "rust-after.json"):
        path = os.path.join(results_dir, name)
        if not os.path.exists(path):
            continue
        with open(path) as f:
            data = json.load(f)
        for r in data["results"]:
            if r["name"] not in rust or r["ns"] < rust[r["name"]]:
                rust[r["name"]] = r["ns"]
                err["rust:" + r["name"]] = r.get("stdev")
        if not rust_footprint:
            rust_footprint = data.get("footprint", [])
    footprint = []
    path = os.path.join(results_dir, "footprint.jsonl")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    footprint.append(json.loads(line))
    meta = {}
    path = os.path.join(results_dir, "meta.json")
    if os.path.exists(path):
        with open(path) as f:
            meta = json.load(f)
    return jmh, rust, err, footprint, rust_footprint, meta


def value(src, key, jmh, rust):
    return (jmh if src == "jmh" else rust).get(key)


def meta_line(meta):
    """The run's date, mode, machine, JDK and load, or [] without meta.json."""
    if not meta:
        return []
    out = [f"Run of {meta.get('date', '?')} ({meta.get('mode', '?')} mode) on {meta.get('cpu', '?')}, "
           f"{meta.get('cores', '?')} cores; {meta.get('jdk', '?')}; Wasmtime 48.0.8. Load average "
           f"before: {meta.get('load_before', '?')}; after: {meta.get('load_after', '?')}."]
    if meta.get("commands"):
        out.append("")
        def command(c):  # "COMMAND # what it is" -> what it is: `COMMAND`
            cmd, _, what = c.partition(" # ")
            return f"{what}: `{cmd}`" if what else f"`{cmd}`"
        out.append("Commands: " + "; ".join(command(c) for c in meta["commands"]) + ".")
    if meta.get("note"):
        out.append("")
        out.append(meta["note"])
    out.append("")
    return out


def has_components(jmh, rust):
    keys = [k for row in COMPONENT_ROWS for k in row[1:4]]
    rkeys = [k for row in COMPONENT_ROWS for k in row[4:6]]
    return any(k in jmh for k in keys) or any(k in rust for k in rkeys)


def render_components(jmh, rust, err, meta=None):
    """The component-call section (heading, the run's meta line when given, the table), or [] when the
    run has none of its rows."""
    if not has_components(jmh, rust):
        return []

    def t(v, e):
        if v is None:
            return "not run"
        return fmt_time(v) + (f" ± {fmt_time(e)}" if e else "")

    def ratio(a, b):
        return fmt_ratio(a / b) if a is not None and b else ""

    out = [f"### {COMPONENT_TITLE}", ""]
    out.extend(meta_line(meta))
    out.append("Java natural: `ComponentFunction.call(Object...)` (`Long`, `String`, `Map`, `byte[]`); Java values: "
               "`callValues(WitValue...)`; Java bound: a Java interface from `ComponentInstance.bind` (`int`, "
               "`String`, a Java record, `byte[]`); Rust dynamic: `component::Func::call` with `Val`s; Rust typed: "
               "`TypedFunc` (`&str`, `&[u8]`, a derived record). Arguments are built once per trial on every "
               "path; every call lowers them into the guest, the guest copies them into fresh memory and the "
               "result is lifted into new values. Time per call: JMH mean ± 99.9% half-width; Rust mean ± "
               "standard deviation, the faster of the runs before and after JMH. Ratios divide each Java path "
               f"by the Rust row named; the goal is ≤ {COMPONENT_GOAL}× Rust dynamic on every Java path "
               "(the goal column takes the slower of the natural and values paths).")
    out.append("")
    out.append("| Workload | Java natural | Java values | Java bound | Rust dynamic | Rust typed | natural / dynamic "
               "| values / dynamic | bound / dynamic | natural / typed | values / typed | bound / typed "
               "| goal ≤ 1.5× dynamic |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for label, nat, val, bnd, dyn, typ in COMPONENT_ROWS:
        n, v, b, d, ty = jmh.get(nat), jmh.get(val), jmh.get(bnd), rust.get(dyn), rust.get(typ)
        worst = max(n, v) if n is not None and v is not None else None
        goal = ""
        if worst is not None and d:
            goal = "met" if worst / d <= COMPONENT_GOAL else f"**not met** ({fmt_ratio(worst / d)})"
        out.append(f"| {label} | {t(n, err.get(nat))} | {t(v, err.get(val))} | {t(b, err.get(bnd))} "
                   f"| {t(d, err.get('rust:' + dyn))} | {t(ty, err.get('rust:' + typ))} | {ratio(n, d)} "
                   f"| {ratio(v, d)} | {ratio(b, d)} | {ratio(n, ty)} | {ratio(v, ty)} | {ratio(b, ty)} | {goal} |")
    out.append("")
    return out


# The plugin call (JMH PluginCall, one row per runtime and input size; Rust plugin.<size>).
PLUGIN_SIZES = [("100", "100 B"), ("10240", "10 KiB")]
PLUGIN_GOAL = 2.0
PLUGIN_ROWS = [
    ("rust", "Wasmtime 48.0.8 from Rust, typed functions (floor)",
     "`TypedFunc` for alloc, transform and dealloc, `Memory::write` / `read`, `String::from_utf8`."),
    ("wasmbridge", "wasmbridge, typed views + `Memory.buffer()`",
     "`as(IntUnaryOperator)` alloc, `as(IntBiConsumer)` dealloc, `transform` through `asMethodHandle()` "
     "(no typed shape for `(i32, i32) -> i64`), copies through the zero-copy buffer view."),
    ("wasmbridgePacked", "breakdown: wasmbridge, `transform_packed` as `LongUnaryOperator`",
     "The same with `(i64) -> i64` through a typed view: what a `(i32, i32) -> i64` shape would give."),
    ("wasmbridgeCopy", "breakdown: wasmbridge, `Memory.write/read(long, byte[])`",
     "The same with both copies through JNI array regions instead of the buffer view."),
    ("wasmbridgeTransformOnly", "breakdown: wasmbridge, the guest's work alone",
     "`transform` + `dealloc` of its result on an input written once: no copies, no strings."),
    ("endiveCompiler", ENDIVE_C, "`ExportFunction.apply(long...)`; memory is a Java byte array."),
    ("endiveCompilerTransformOnly", "breakdown: Endive compiler, the guest's work alone",
     "As the wasmbridge breakdown row: the bytecode's share of the Endive row."),
    ("chicoryCompiler", "Chicory 1.7.5 compiler (to JVM bytecode)", "As Endive (its predecessor)."),
    ("endiveInterpreter", ENDIVE_I, "Interpreted."),
    ("graalwasmJit", GRAAL_JIT, "`Value.execute`; bytes moved 8 at a time through interop (no bulk copy in 23.1)."),
    ("graalwasm", GRAAL, "Interpreted; the same interop copies."),
    ("wasmtimeJava", WTJ, "Boxed typed wrappers; its direct buffer view for the bytes."),
]


def load_plugin(results_dir):
    """PluginCall's JMH rows as {(method, size): (ns, error ns)} (load() keys by name only, and these rows
    differ by their size parameter)."""
    rows = {}
    path = os.path.join(results_dir, "jmh.json")
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for r in json.load(f):
            cls, method = r["benchmark"].rsplit(".", 2)[-2:]
            if cls != "PluginCall":
                continue
            m = r["primaryMetric"]
            e = m.get("scoreError")
            e = to_ns(e, m["scoreUnit"]) if isinstance(e, (int, float)) and not math.isnan(e) else None
            rows[(method, r.get("params", {}).get("size"))] = (to_ns(m["score"], m["scoreUnit"]), e)
    return rows


def render_plugin(results_dir, rust, err):
    """The plugin-call table, or [] when the run has none of its rows."""
    rows = load_plugin(results_dir)
    if not rows and not any(f"plugin.{s}" in rust for s, _ in PLUGIN_SIZES):
        return []

    def get(key, size):
        if key == "rust":
            v = rust.get(f"plugin.{size}")
            return v, err.get(f"rust:plugin.{size}")
        return rows.get((key, size), (None, None))

    out = ["### Plugin call: a string into the guest's allocator, a JSON field extraction + template fill in C, "
           "the string back", ""]
    out.append("Per operation: Java `String` → UTF-8 → guest `alloc` → copy in → `transform(ptr, len) -> i64` → "
               "copy the result out → `new String(.., UTF_8)` → `dealloc` of both buffers (`tests/bench/plugin.c`, "
               "JMH `PluginCall`). \"× wasmbridge\" divides by the bold row, \"× floor\" by the Rust row.")
    out.append("")
    head = "| Runtime and call path |"
    sep = "|---|"
    for _, label in PLUGIN_SIZES:
        head += f" {label} | × wasmbridge | × floor |"
        sep += "---:|---:|---:|"
    out.append(head + " Why |")
    out.append(sep + "---|")
    for key, label, why in PLUGIN_ROWS:
        name = f"**{label}**" if key == "wasmbridge" else label
        line = f"| {name} |"
        for size, _ in PLUGIN_SIZES:
            v, e = get(key, size)
            ref = get("wasmbridge", size)[0]
            floor = get("rust", size)[0]
            time = "not run" if v is None else fmt_time(v) + (f" ± {fmt_time(e)}" if e else "")
            line += f" {time} | {fmt_ratio(v / ref) if v is not None and ref else ''} |"
            line += f" {fmt_ratio(v / floor) if v is not None and floor and key != 'rust' else ''} |"
        out.append(line + f" {why} |")
    out.append("")
    w, c = get("wasmbridge", "100")[0], get("endiveCompiler", "100")[0]
    if w is not None and c:
        verdict = "met" if w / c <= PLUGIN_GOAL else "**not met**"
        out.append(f"Goal: the plugin call with 100 B in and out ≤ {PLUGIN_GOAL:g}× Endive's compiler: wasmbridge / "
                   f"Endive compiler = {fmt_ratio(w / c)} ({verdict}).")
        out.append("")
    return out


def render(results_dir):
    jmh, rust, err, footprint, rust_footprint, meta = load(results_dir)
    out = meta_line(meta)
    out.append("Time per operation (JMH: mean of the measured iterations, ± the 99.9% confidence half-width; "
               "Rust: mean of the samples ± standard deviation, the faster of the runs before and after JMH). \"× wasmbridge\" divides by the table's "
               "reference wasmbridge row (in bold), \"× limit\" by the limit named in the row's notes.")
    out.append("")
    for t in TABLES:
        ref = value("jmh", t["ref"], jmh, rust)
        out.append(f"### {t['title']}")
        out.append("")
        head = "| Runtime and call path | Time per op | × wasmbridge | × limit |"
        sep = "|---|---:|---:|---:|"
        if t.get("bandwidth"):
            head += " GB/s |"
            sep += "---:|"
        head += " Why |"
        sep += "---|"
        out.append(head)
        out.append(sep)
        for src, key, label, limit_key, why in t["rows"]:
            v = value(src, key, jmh, rust)
            e = err.get(key if src == "jmh" else "rust:" + key)
            time = fmt_time(v)
            if v is not None and e:
                time += f" ± {fmt_time(e)}"
            if v is None:
                time = "not run"
            vs_ref = fmt_ratio(v / ref) if v is not None and ref else ""
            lim = None
            if limit_key:
                lim = jmh.get(limit_key) if "." in limit_key and limit_key[0].isupper() else rust.get(limit_key)
            vs_lim = fmt_ratio(v / lim) if v is not None and lim else ""
            name = f"**{label}**" if (src == "jmh" and key == t["ref"]) else label
            row = f"| {name} | {time} | {vs_ref} | {vs_lim} |"
            if t.get("bandwidth"):
                row += (f" {(1 << 20) / v:.1f} |" if v and "Call" not in key else " |")
            row += f" {why} |"
            out.append(row)
        out.append("")
    if footprint or rust_footprint:
        out.append("### Memory and time per live instance (1000 live instances of the small module)")
        out.append("")
        out.append("Native: growth of the process's resident set with a pre-touched fixed heap; heap: growth of "
                   "the Java heap in use after a full GC. Time: creating one instance (store or context included) "
                   "and calling it once, averaged over the 1000.")
        out.append("")
        out.append("| Runtime | Native KiB / instance | Java heap KiB / instance | µs / instance |")
        out.append("|---|---:|---:|---:|")
        for r in rust_footprint:
            out.append(f"| Wasmtime 48.0.8 from Rust, {r['name']} allocator | {r['kib_per_instance']:.1f} | 0 | "
                       f"{r['us_per_instance']:.1f} |")
        for r in footprint:
            label = FOOTPRINT_LABELS.get(r["runtime"], r["runtime"])
            out.append(f"| {label} | {r['native_kib_per_instance']:.1f} | {r['heap_kib_per_instance']:.1f} | "
                       f"{r['us_per_instance']:.1f} |")
        out.append("")
    out.extend(render_plugin(results_dir, rust, err))
    return "\n".join(out)


def replace_section(doc, begin, end, text, path):
    """doc with the part between the markers begin and end replaced by text."""
    if begin not in doc or end not in doc:
        raise SystemExit(f"{path} has no {begin} ... {end} section")
    head, rest = doc.split(begin, 1)
    _, tail = rest.split(end, 1)
    return head + begin + "\n" + text + "\n" + end + tail


def main(argv):
    args = argv[1:]
    components_only = "--components" in args
    args = [a for a in args if a != "--components"]
    update = None
    if "--update" in args:
        i = args.index("--update")
        if i + 1 >= len(args):
            print(__doc__, file=sys.stderr)
            return 2
        update = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    results_dir = args[0]
    jmh, rust, err, _, _, meta = load(results_dir)
    components = "\n".join(render_components(jmh, rust, err, meta))
    if components_only and not components:
        print(f"{results_dir} has no component-call results", file=sys.stderr)
        return 1
    text = components if components_only else render(results_dir)
    if update:
        with open(update) as f:
            doc = f.read()
        if not components_only:
            doc = replace_section(doc, BEGIN, END, text, update)
        if components:
            doc = replace_section(doc, COMPONENTS_BEGIN, COMPONENTS_END, components, update)
        with open(update, "w") as f:
            f.write(doc)
    if not components_only and components:
        text += "\n" + components
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
