#!/usr/bin/env python3
"""Turns one benchmark run into the Markdown tables of BENCHMARKS.md.

    report.py RESULTS_DIR [--components] [--update BENCHMARKS.md]

RESULTS_DIR (written by bench/run.sh) holds, per JDK feature version V, jmh-V.json (JMH's JSON result) and
footprint-V.jsonl (dev.wasmbridge.bench.Footprint, one line per runtime), and once rust.json and
rust-after.json (tools/bench-rust, run before and after JMH; the faster mean of the two counts) and
meta.json (machine, JDKs, load, commands); a results directory of an older run (jmh.json, footprint.jsonl)
reads as one JDK. Each table has a JDK column: a JMH row once per JDK, its ratios against rows of the same
JDK only, and its warm-up schedule from the JSON. Prints the Markdown; with --update, replaces the part of the file between the markers
<!-- results:begin --> and <!-- results:end --> with it, and, when the run has component-call rows, the
part between <!-- components:begin --> and <!-- components:end --> with the component-call table.
With --components (a run of bench/run.sh --components: ComponentCall and the Rust component rows only)
only the component-call section is printed and updated. Standard library only.
"""

import json
import math
import os
import re
import sys

BEGIN = "<!-- results:begin -->"
END = "<!-- results:end -->"
COMPONENTS_BEGIN = "<!-- components:begin -->"
COMPONENTS_END = "<!-- components:end -->"

GRAAL = "GraalWasm 23.1.0 (interpreter only: stock JDK, no Graal JIT)"
GRAAL_JIT = "GraalWasm 23.1.0 with the Graal JIT (compiler 23.1.0 via JVMCI)"
ENDIVE_I = "Endive 1.0.0 interpreter"
ENDIVE_C = "Endive 1.0.0 compiler (to JVM bytecode)"
CHICORY_I = "Chicory 1.7.5 interpreter"
CHICORY_C = "Chicory 1.7.5 compiler (to JVM bytecode)"
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
            ("jmh", "TrivialCall.wasmtimeInLibrary", "Wasmtime 48.0.8 inside wasmbridge's native library (limit)", None,
             "The Rust row's `TypedFunc::call`, 1000 per JNI call from inside `libwasmbridge_jni.so`: what Wasmtime costs in a shared library, whose thread-locals go through `__tls_get_addr`."),
            ("jmh", "TrivialCall.breakdownOwnerCheck", "breakdown: `Store` owner protocol alone (Java replica)", None,
             "Part of every wasmbridge call: currentThread, CAS on the owner, volatile closed check, release store."),
            ("jmh", "TrivialCall.breakdownOwnerCheckJniNoop", "breakdown: owner protocol + JNI no-op", "TrivialCall.jniNoop",
             "The Java side of a typed call without any Rust work."),
            ("jmh", "TrivialCall.wasmbridgeTyped", "wasmbridge `as(IntBinaryOperator.class)`", "TrivialCall.jniNoop",
             "The row above plus the native side: handle check, typed-function lookup, `catch_unwind`, Wasmtime's entry (the Rust row)."),
            ("jmh", "TrivialCall.wasmbridgeRaw", "wasmbridge `callRaw(long...)`", "TrivialCall.jniNoop",
             "Generic native path: the varargs long[] and a result long[] in Java, the slots through the store's call slots (16 longs in its native box, a direct buffer in Java: no array crosses JNI), the cached signature, `Func::call_unchecked` on raw values."),
            ("jmh", "TrivialCall.wasmbridgeGeneric", "wasmbridge `call(Object...)`", "TrivialCall.jniNoop",
             "As callRaw plus boxing and the signature check of every argument."),
            ("jmh", "TrivialCall.endiveCompiler", ENDIVE_C, "TrivialCall.jniNoop",
             "No JNI at all: the export is JVM bytecode that HotSpot inlines; only `long[]` boxing of arguments and results."),
            ("jmh", "TrivialCall.endiveInterpreter", ENDIVE_I, "TrivialCall.jniNoop",
             "Interpreter setup of a call frame and value stack per call."),
            ("jmh", "TrivialCall.chicoryCompiler", CHICORY_C, "TrivialCall.jniNoop", "As Endive's compiler."),
            ("jmh", "TrivialCall.chicoryInterpreter", CHICORY_I, "TrivialCall.jniNoop", "As Endive's interpreter."),
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
            ("jmh", "Fib.chicoryCompiler", CHICORY_C, "fib.fib20", "As Endive's compiler."),
            ("jmh", "Fib.chicoryInterpreter", CHICORY_I, "fib.fib20", "As Endive's interpreter."),
            ("jmh", "Fib.graalwasm", GRAAL, "fib.fib20", "Truffle AST interpreter without partial evaluation."),
            ("jmh", "Fib.graalwasmJit", GRAAL_JIT, "fib.fib20",
             "Partial evaluation + Graal: wasm calls inlined as JVM code."),
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
            ("jmh", "Sha256.chicoryCompiler", CHICORY_C, "sha256.1mib", "As Endive's compiler."),
            ("jmh", "Sha256.chicoryInterpreter", CHICORY_I, "sha256.1mib", "As Endive's interpreter."),
            ("jmh", "Sha256.graalwasm", GRAAL, "sha256.1mib", "Interpreted (no Truffle compilation on a stock JDK)."),
            ("jmh", "Sha256.graalwasmJit", GRAAL_JIT, "sha256.1mib",
             "Compiled by Graal; memory accesses bounds-checked in JVM code."),
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
            ("jmh", "Matmul.chicoryCompiler", CHICORY_C, "matmul.128", "As Endive's compiler."),
            ("jmh", "Matmul.chicoryInterpreter", CHICORY_I, "matmul.128", "As Endive's interpreter."),
            ("jmh", "Matmul.graalwasm", GRAAL, "matmul.128", "Interpreted."),
            ("jmh", "Matmul.graalwasmJit", GRAAL_JIT, "matmul.128",
             "Compiled by Graal; the inner loop's loads bounds-checked."),
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
            ("jmh", "Copy.chicoryIn", "Chicory 1.7.5 `Memory.write(int, byte[])`, in", "copy.memcpy",
             "As Endive's."),
            ("jmh", "Copy.chicoryOut", "Chicory 1.7.5 `Memory.readBytes(int, int)`, out", "copy.memcpy",
             "As Endive's."),
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
             "Trampoline + the upcall: on JDK 22+ an upcall stub of the foreign function API calling the IntBinaryOperator; on 17 a JNI `CallIntMethodA`."),
            ("jmh", "HostCall.wasmbridgeTypedJni", "wasmbridge typed, JNI upcalls forced (`-Dwasmbridge.upcalls=jni`)", "host.call",
             "The JNI upcall `CallIntMethodA`: on JDK 17 the typed row itself; on 22+ the path the upcall stub replaced."),
            ("jmh", "HostCall.wasmbridgeGeneric", "wasmbridge `defineFunction` (generic)", "host.call",
             "Slots through the store's call slots, then boxed into `Object[]`, a `Caller`, the result unboxed; the upcall: on JDK 22+ an upcall stub (numbers-only signatures), on 17 one raw JNI `CallVoidMethodA`."),
            ("jmh", "HostCall.endiveCompiler", ENDIVE_C, "host.call",
             "A plain JVM call (the host function may be inlined) plus a `long[]` per call."),
            ("jmh", "HostCall.endiveInterpreter", ENDIVE_I, "host.call", "Interpreted caller loop."),
            ("jmh", "HostCall.chicoryCompiler", CHICORY_C, "host.call", "As Endive's compiler."),
            ("jmh", "HostCall.chicoryInterpreter", CHICORY_I, "host.call", "As Endive's interpreter."),
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
            ("jmh", "Instantiate.chicoryCompiler", CHICORY_C, "instantiate.pre", "As Endive's compiler."),
            ("jmh", "Instantiate.chicoryInterpreter", CHICORY_I, "instantiate.pre", "As Endive's interpreter."),
            ("jmh", "Instantiate.graalwasm", GRAAL, "instantiate.pre",
             "A polyglot context per instance (parsed code shared through the engine)."),
        ],
    },
    {
        # HttpHandlerBench and tools/bench-rust/src/wasi_http.rs; bench/http.sh runs both beside its load test.
        "title": "Serve one `wasi:http` request without a server (the C test guest; new store, instantiate, call, response)",
        "ref": "HttpHandlerBench.hello",
        "rows": [
            ("rust", "http.hello", "Wasmtime 48.0.8 from Rust, `GET /hello` (limit)", None,
             "wasmtime-wasi-http's `ProxyPre`, per request a `Store` with a `WasiCtx` and a `WasiHttpCtx`, "
             "`new_incoming_request`, `new_response_outparam`, `call_handle`, the response body read to its end."),
            ("jmh", "HttpHandlerBench.hello", "wasmbridge `WasiHttpHandler.handle`, `GET /hello`", "http.hello",
             "The Rust row's work behind JNI: a `Store` with its WASI configuration, the request's head encoded "
             "for the native side, the response's head and body handed to a Java sink."),
            ("rust", "http.echo64k", "Wasmtime 48.0.8 from Rust, `POST /echo` of 64 KiB (limit)", None,
             "As above with a 64 KiB body in, streamed back by the guest in writes of at most 4 KiB."),
            ("jmh", "HttpHandlerBench.echo64k", "wasmbridge `WasiHttpHandler.handle`, `POST /echo` of 64 KiB",
             "http.echo64k", "As above; the body (a known length up to 64 KiB) is read before the guest runs."),
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
    "chicory-interpreter": CHICORY_I,
    "chicory-compiler": CHICORY_C,
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


def warmup_of(r):
    """A JMH result's schedule, "forks × (warm-up iterations × time + measured iterations × time)", and whether
    its scores still fell during the measurement: per fork, the mean of the last two measured iterations
    against the mean of the first two; a fall of more than 10% (averaged over the forks) is flagged, a hint
    that the warm-up was too short (or that the machine's load fell)."""
    f, wi, wt = r.get("forks"), r.get("warmupIterations"), r.get("warmupTime", "")
    mi, mt = r.get("measurementIterations"), r.get("measurementTime", "")
    text = f"{f} × ({wi} × {wt} + {mi} × {mt})" if wi else f"{f} × (no warm-up + {mi} × {mt})"
    drops = []
    for fork in r["primaryMetric"].get("rawData") or []:
        if len(fork) >= 4 and fork[0] + fork[1] > 0:
            drops.append((fork[-1] + fork[-2]) / (fork[0] + fork[1]))
    if drops and sum(drops) / len(drops) < 0.9:
        text += f", still falling ({(sum(drops) / len(drops) - 1) * 100:.0f}%)"
    return text


def jdk_version(name):
    """The JDK feature version in a `java -version` line or a JMH jdkVersion ("17.0.15" -> "17"), or "?"."""
    import re
    m = re.search(r"(?:build |^)(\d+)[.+-]", name or "") or re.search(r"(\d+)", name or "")
    return m.group(1) if m else "?"


def load_jmh(path):
    """One JMH JSON result: times in ns, their errors and each row's warm-up, by Class.method."""
    jmh, err, warm = {}, {}, {}
    jdk = None
    with open(path) as f:
        for r in json.load(f):
            name = r["benchmark"].rsplit(".", 2)
            key = name[-2] + "." + name[-1]
            m = r["primaryMetric"]
            jmh[key] = to_ns(m["score"], m["scoreUnit"])
            e = m.get("scoreError")
            err[key] = to_ns(e, m["scoreUnit"]) if isinstance(e, (int, float)) and not math.isnan(e) else None
            warm[key] = warmup_of(r)
            jdk = jdk or r.get("jdkVersion")
    return jmh, err, warm, jdk


def load_footprint(path):
    out = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    out.append(json.loads(line))
    return out


def load(results_dir):
    """The run in results_dir: (runs, rust, rust_err, rust_footprint, meta). runs has one entry per JDK,
    ordered by version: {"jdk": "17", "jmh", "err", "warm", "footprint"} from jmh-17.json and
    footprint-17.jsonl (or, from an older run, jmh.json and footprint.jsonl)."""
    import glob
    import re
    meta = {}
    path = os.path.join(results_dir, "meta.json")
    if os.path.exists(path):
        with open(path) as f:
            meta = json.load(f)
    runs = []
    for path in glob.glob(os.path.join(results_dir, "jmh-*.json")):
        v = re.match(r"jmh-(.+)\.json$", os.path.basename(path)).group(1)
        jmh, err, warm, _ = load_jmh(path)
        runs.append({"jdk": v, "jmh": jmh, "err": err, "warm": warm,
                     "footprint": load_footprint(os.path.join(results_dir, f"footprint-{v}.jsonl"))})
    for path in glob.glob(os.path.join(results_dir, "footprint-*.jsonl")):  # a footprint without JMH rows
        v = re.match(r"footprint-(.+)\.jsonl$", os.path.basename(path)).group(1)
        if not any(r["jdk"] == v for r in runs):
            runs.append({"jdk": v, "jmh": {}, "err": {}, "warm": {}, "footprint": load_footprint(path)})
    legacy = os.path.join(results_dir, "jmh.json")
    if not runs and (os.path.exists(legacy) or os.path.exists(os.path.join(results_dir, "footprint.jsonl"))):
        jmh, err, warm, jdk = load_jmh(legacy) if os.path.exists(legacy) else ({}, {}, {}, None)
        runs.append({"jdk": jdk_version(jdk or meta.get("jdk")), "jmh": jmh, "err": err, "warm": warm,
                     "footprint": load_footprint(os.path.join(results_dir, "footprint.jsonl"))})
    runs.sort(key=lambda r: (not r["jdk"].isdigit(), int(r["jdk"]) if r["jdk"].isdigit() else 0, r["jdk"]))
    # The Rust baseline runs before and after JMH: per workload, the faster of the two means counts.
    rust, rust_err, rust_footprint = {}, {}, []
    for name in ("rust.json", "rust-after.json"):
        path = os.path.join(results_dir, name)
        if not os.path.exists(path):
            continue
        with open(path) as f:
            data = json.load(f)
        for r in data["results"]:
            if r["name"] not in rust or r["ns"] < rust[r["name"]]:
                rust[r["name"]] = r["ns"]
                rust_err[r["name"]] = r.get("stdev")
        if not rust_footprint:
            rust_footprint = data.get("footprint", [])
    return runs, rust, rust_err, rust_footprint, meta


def value(src, key, jmh, rust):
    return (jmh if src == "jmh" else rust).get(key)


def meta_line(meta):
    """The run's date, mode, machine, JDKs and load, or [] without meta.json."""
    if not meta:
        return []
    jdks = "; ".join(f"JDK {j['version']}: {j['name']}" for j in meta.get("jdks", [])) or meta.get("jdk", "?")
    out = [f"Run of {meta.get('date', '?')} ({meta.get('mode', '?')} mode) on {meta.get('cpu', '?')}, "
           f"{meta.get('cores', '?')} cores; {jdks}; Wasmtime 48.0.8. Load average "
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


# The compile-time table (CompileTime, tools/bench-rust/src/compile.rs): (source, key, label, Rust floor key or
# None, why). Ratios: to the wasmbridge Module.fromBytes row, and to the Rust row named.
COMPILE_TITLE = ("Compile time: a 3.3 MiB module (jco's `js-component-bindgen-component.core.wasm`, 8207 functions, "
                 "`bench/build-large-module.sh`)")
COMPILE_REF = "CompileTime.wasmbridge"
COMPILE_ROWS = [
    ("rust", "compile.new", "Wasmtime 48.0.8 from Rust `Module::new` (limit)", None,
     "Cranelift, functions compiled in parallel on every core."),
    ("jmh", "CompileTime.wasmbridge", "wasmbridge `Module.fromBytes`", "compile.new",
     "The Rust row through JNI: a copy of the bytes, the same compile."),
    ("rust", "compile.new_serial", "Wasmtime 48.0.8 from Rust, no parallel compilation (limit)", None,
     "Cranelift on one core: what parallel compilation gains on this machine."),
    ("jmh", "CompileTime.wasmbridgeSerial", "wasmbridge `Module.fromBytes`, `parallelCompilation(false)`",
     "compile.new_serial", "As the row above it, on one core."),
    ("rust", "compile.deserialize", "Wasmtime 48.0.8 from Rust `Module::deserialize` (limit)", None,
     "Loads the precompiled bytes of `Module::serialize`: checks and copies the code into executable memory."),
    ("jmh", "CompileTime.wasmbridgeDeserialize", "wasmbridge `Module.deserializeTrusted` (precompiled)",
     "compile.deserialize", "The Rust row through JNI, from a `byte[]`."),
    ("jmh", "CompileTime.wasmtimeJava", WTJ, "compile.new",
     "Wasmtime 7.0.1's Cranelift, parallel; no precompiled load in its API."),
    ("jmh", "CompileTime.endiveCompiler", ENDIVE_C, "compile.new",
     "Parse, validate, generate JVM bytecode for every function and define the classes (HotSpot compiles them "
     "later, as they run); functions too large for a JVM method stay interpreted."),
    ("jmh", "CompileTime.chicoryCompiler", "Chicory 1.7.5 compiler (to JVM bytecode)", "compile.new",
     "As Endive's compiler (its predecessor)."),
    ("jmh", "CompileTime.endiveInterpreter", ENDIVE_I + ": parse only", "compile.new",
     "Parse and validate: all the interpreter needs; no code is made."),
    ("jmh", "CompileTime.graalwasm", GRAAL + ": `Context.eval`", "compile.new",
     "Parse and validate into GraalWasm's own form; linking, Truffle call targets and (with the Graal JIT) "
     "machine code come lazily, per function as it runs, so there is no JIT compile time to measure up front."),
]


def render_compile(runs, rust, rust_err):
    """The compile-time section (a JDK column; ratios to wasmbridge on the same JDK), or [] when the run has
    none of its rows."""
    if not any(src == "rust" and key in rust or any(key in r["jmh"] for r in runs)
               for src, key, *_ in COMPILE_ROWS):
        return []

    def ratio(x):  # a precompiled load is a few thousandths of a compile: keep three digits
        return f"{x:.3g}×" if x < 0.1 else fmt_ratio(x)
    out = [f"### {COMPILE_TITLE}", "",
           "One cold compile per measured iteration (JMH single-shot; Rust: one compile per sample after one of "
           "warm-up), no compilation cache anywhere; the module made is freed outside the measured time.", "",
           "| Runtime and what is timed | JDK | Time | × wasmbridge | × Rust | Why |", "|---|---|---:|---:|---:|---|"]
    for src, key, label, floor, why in COMPILE_ROWS:
        if src == "rust":
            refs = [r["jmh"].get(COMPILE_REF) for r in runs]
            lines = [("", rust.get(key), rust_err.get(key), refs[0] if len(refs) == 1 else None)]
        else:
            lines = [(r["jdk"], r["jmh"][key], r["err"].get(key), r["jmh"].get(COMPILE_REF))
                     for r in runs if key in r["jmh"]] or [("", None, None, None)]
        lim = rust.get(floor) if floor else None
        for i, (jdk, v, e, ref) in enumerate(lines):
            time = "not run" if v is None else fmt_time(v) + (f" ± {fmt_time(e)}" if e else "")
            name = f"**{label}**" if key == COMPILE_REF else label
            out.append(f"| {name} | {jdk} | {time} | {ratio(v / ref) if v is not None and ref else ''} "
                       f"| {ratio(v / lim) if v is not None and lim else ''} | {why if i == 0 else '″'} |")
    out.append("")
    return out


# A real program (JMH class Sqlite, tools/bench-rust/src/sqlite.rs): SQLite through WASI preview 1, one new
# instance per run. Rows: (source, key, label, notes); the Rust row is the floor.
SQLITE_TITLE = ("A real program: SQLite 3.54.1 inserting and querying 5000 rows in `:memory:` "
                "(WASI preview 1 command, a new instance per run)")
SQLITE_ROWS = [
    ("rust", "sqlite.run", RUST + ", `wasmtime_wasi::p1`", "The floor: `InstancePre`, stdout in a `MemoryOutputPipe`."),
    ("jmh", "Sqlite.wasmbridge", "wasmbridge (`Linker.defineWasi`, `InstancePre`)",
     "The Rust row's work plus a `WasiConfig` per store, the JNI calls and the stdout copy."),
    ("jmh", "Sqlite.wasmtimeJava", WTJ, "Wasmtime 7.0.1 and its WASI; stdout only to a file (in /dev/shm)."),
    ("jmh", "Sqlite.endiveCompiler", ENDIVE_C, "Endive's WASI; the module translated to JVM bytecode once."),
    ("jmh", "Sqlite.chicoryCompiler", CHICORY_C, "Chicory's WASI; the module translated once."),
    ("jmh", "Sqlite.graalwasmJit", GRAAL_JIT, "Built-in WASI (`wasm.Builtins`); a context per run."),
    ("jmh", "Sqlite.endiveInterpreter", ENDIVE_I, "Interpreted; seconds per run: 2 warm-up and 3 measured iterations."),
    ("jmh", "Sqlite.graalwasm", GRAAL,
     "Interpreted; a context per run; seconds per run: 2 warm-up and 3 measured iterations."),
]


def render_sqlite(runs, rust, rust_err):
    """The SQLite table (time per run per runtime and JDK, ratio to wasmbridge on the same JDK and to the Rust
    floor), or [] when the run has none of its rows."""
    if rust.get("sqlite.run") is None and not any(k.startswith("Sqlite.") for r in runs for k in r["jmh"]):
        return []
    floor = rust.get("sqlite.run")
    out = [f"### {SQLITE_TITLE}", ""]
    out.append("One run: a new instance of the module (compiled once), `_start` with the row count as its argument, "
               "stdout captured; every runtime prints the same summary line (`SqliteTest`). Built by "
               "`bench/build-sqlite.sh` from the libsqlite3-sys crate's amalgamation (clang-14 -O2, wasm32-wasi).")
    out.append("")
    out.append("| Runtime | JDK | Time per run | × wasmbridge | × Rust floor | Warm-up | Notes |")
    out.append("|---|---|---:|---:|---:|---|---|")
    for src, key, label, notes in SQLITE_ROWS:
        if src == "rust":
            refs = [r["jmh"].get("Sqlite.wasmbridge") for r in runs]
            ref = refs[0] if len(refs) == 1 else None
            lines = [("", rust.get(key), rust_err.get(key), ref, "")]
        else:
            lines = [(r["jdk"], r["jmh"][key], r["err"].get(key), r["jmh"].get("Sqlite.wasmbridge"),
                      r["warm"].get(key, "")) for r in runs if key in r["jmh"]] or [("", None, None, None, "")]
        for i, (jdk, v, e, ref, warm) in enumerate(lines):
            time = "not run" if v is None else fmt_time(v) + (f" ± {fmt_time(e)}" if e else "")
            vs_ref = fmt_ratio(v / ref) if v is not None and ref else ""
            vs_floor = fmt_ratio(v / floor) if v is not None and floor else ""
            name = f"**{label}**" if key == "Sqlite.wasmbridge" else label
            out.append(f"| {name} | {jdk} | {time} | {vs_ref} | {vs_floor} | {warm} | {notes if i == 0 else '″'} |")
    out.append("")
    return out


# The plugin call (JMH PluginCall, one row per runtime and input size; Rust plugin.<size>).
PLUGIN_SIZES = [("100", "100 B"), ("10240", "10 KiB")]
PLUGIN_GOAL = 2.0
PLUGIN_ROWS = [
    ("rust", "Wasmtime 48.0.8 from Rust, typed functions (floor)",
     "`TypedFunc` for alloc, transform and dealloc, `Memory::write` / `read`, `String::from_utf8`."),
    ("wasmbridge", "wasmbridge, typed views + `Memory.buffer()`",
     "`as(IntUnaryOperator)` alloc, `as(IntBiConsumer)` dealloc, `as(Functions.IntBiToLongFunction)` "
     "transform (before 2026-12-01: `asMethodHandle()`, no typed shape had that signature), copies through "
     "the zero-copy buffer view."),
    ("wasmbridgePacked", "breakdown: wasmbridge, `transform_packed` as `LongUnaryOperator`",
     "The same with the guest's `(i64) -> i64` variant of `transform` through another typed view."),
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
    """PluginCall's JMH rows per JDK as {jdk: {(method, size): (ns, error ns)}} (load() keys by name only, and
    these rows differ by their size parameter), from jmh-<jdk>.json (or a single jmh.json, JDK "")."""
    import glob
    paths = [(re.match(r"jmh-(.+)\.json$", os.path.basename(p)).group(1), p)
             for p in glob.glob(os.path.join(results_dir, "jmh-*.json"))]
    if not paths and os.path.exists(os.path.join(results_dir, "jmh.json")):
        paths = [("", os.path.join(results_dir, "jmh.json"))]
    by_jdk = {}
    for jdk, path in sorted(paths, key=lambda x: [int(n) for n in re.findall(r"\d+", x[0])] or [0]):
        rows = by_jdk.setdefault(jdk, {})
        with open(path) as f:
            for r in json.load(f):
                cls, method = r["benchmark"].rsplit(".", 2)[-2:]
                if cls != "PluginCall":
                    continue
                m = r["primaryMetric"]
                e = m.get("scoreError")
                e = to_ns(e, m["scoreUnit"]) if isinstance(e, (int, float)) and not math.isnan(e) else None
                rows[(method, r.get("params", {}).get("size"))] = (to_ns(m["score"], m["scoreUnit"]), e)
    return {jdk: rows for jdk, rows in by_jdk.items() if rows}


def render_plugin(results_dir, rust, rust_err):
    """The plugin-call table (a JDK column; ratios to wasmbridge on the same JDK), or [] when the run has none
    of its rows."""
    by_jdk = load_plugin(results_dir)
    if not by_jdk and not any(f"plugin.{s}" in rust for s, _ in PLUGIN_SIZES):
        return []

    def floor(size):
        return rust.get(f"plugin.{size}")

    out = ["### Plugin call: a string into the guest's allocator, a JSON field extraction + template fill in C, "
           "the string back", ""]
    out.append("Per operation: Java `String` → UTF-8 → guest `alloc` → copy in → `transform(ptr, len) -> i64` → "
               "copy the result out → `new String(.., UTF_8)` → `dealloc` of both buffers (`tests/bench/plugin.c`, "
               "JMH `PluginCall`). \"× wasmbridge\" divides by the bold row of the same JDK, \"× floor\" by the "
               "Rust row.")
    out.append("")
    head = "| Runtime and call path | JDK |"
    sep = "|---|---|"
    for _, label in PLUGIN_SIZES:
        head += f" {label} | × wasmbridge | × floor |"
        sep += "---:|---:|---:|"
    out.append(head + " Why |")
    out.append(sep + "---|")
    for key, label, why in PLUGIN_ROWS:
        name = f"**{label}**" if key == "wasmbridge" else label
        if key == "rust":
            lines = [("", {(key, s): (floor(s), rust_err.get(f"plugin.{s}")) for s, _ in PLUGIN_SIZES},
                      next(iter(by_jdk.values())) if len(by_jdk) == 1 else {})]
        else:
            lines = [(jdk, rows, rows) for jdk, rows in by_jdk.items()
                     if any((key, s) in rows for s, _ in PLUGIN_SIZES)] or [("", {}, {})]
        for i, (jdk, rows, refs) in enumerate(lines):
            line = f"| {name} | {jdk} |"
            for size, _ in PLUGIN_SIZES:
                v, e = rows.get((key, size), (None, None))
                ref = refs.get(("wasmbridge", size), (None, None))[0]
                lim = floor(size)
                time = "not run" if v is None else fmt_time(v) + (f" ± {fmt_time(e)}" if e else "")
                line += f" {time} | {fmt_ratio(v / ref) if v is not None and ref else ''} |"
                line += f" {fmt_ratio(v / lim) if v is not None and lim and key != 'rust' else ''} |"
            out.append(line + f" {why if i == 0 else '″'} |")
    out.append("")
    for jdk, rows in by_jdk.items():
        w, c = rows.get(("wasmbridge", "100"), (None,))[0], rows.get(("endiveCompiler", "100"), (None,))[0]
        if w is not None and c:
            verdict = "met" if w / c <= PLUGIN_GOAL else "**not met**"
            on = f" on JDK {jdk}" if jdk else ""
            out.append(f"Goal: the plugin call with 100 B in and out ≤ {PLUGIN_GOAL:g}× Endive's compiler{on}: "
                       f"wasmbridge / Endive compiler = {fmt_ratio(w / c)} ({verdict}).")
            out.append("")
    return out


def render(results_dir):
    runs, rust, rust_err, rust_footprint, meta = load(results_dir)
    out = meta_line(meta)
    out.append("Time per operation (JMH: mean of the measured iterations, ± the 99.9% confidence half-width; "
               "Rust: mean of the samples ± standard deviation, the faster of the runs before and after JMH). "
               "Each JMH row is measured once per JDK (column JDK); \"× wasmbridge\" divides by the table's "
               "reference wasmbridge row (in bold) on the same JDK, \"× limit\" by the limit named in the row's "
               "notes (a JMH limit on the same JDK). Ratios never mix JDKs. Warm-up: JMH's schedule of the row, "
               "forks × (warm-up iterations × time + measured iterations × time); \"still falling\" marks a row "
               "whose last measured iterations were more than 10% faster than its first (steady state not "
               "reached, or the load changed). GraalWasm 23.1 rows run on JDK 17 only: it does not start on "
               "JDK 25 (it calls `sun.misc.Unsafe.ensureClassInitialized`, removed in JDK 22), and the GraalWasm "
               "for JDK 21+ (24.x) is not the one measured here.")
    out.append("")
    for t in TABLES:
        out.append(f"### {t['title']}")
        out.append("")
        head = "| Runtime and call path | JDK | Time per op | × wasmbridge | × limit |"
        sep = "|---|---|---:|---:|---:|"
        if t.get("bandwidth"):
            head += " GB/s |"
            sep += "---:|"
        head += " Warm-up | Why |"
        sep += "---|---|"
        out.append(head)
        out.append(sep)
        for src, key, label, limit_key, why in t["rows"]:
            if src == "rust":
                lines = [("", rust.get(key), rust_err.get(key), None, rust, "")]
            else:
                lines = [(r["jdk"], r["jmh"][key], r["err"].get(key), r["jmh"].get(t["ref"]), r["jmh"],
                          r["warm"].get(key, "")) for r in runs if key in r["jmh"]]
                if not lines:
                    lines = [("", None, None, None, {}, "")]
            for i, (jdk, v, e, ref, jmh, warm) in enumerate(lines):
                if src == "rust":  # the reference of a Rust row: every JDK's wasmbridge row
                    refs = [(r["jdk"], r["jmh"].get(t["ref"])) for r in runs if r["jmh"].get(t["ref"])]
                    vs_ref = ", ".join(fmt_ratio(v / x) + (f" ({j})" if len(refs) > 1 else "") for j, x in refs) \
                        if v is not None else ""
                else:
                    vs_ref = fmt_ratio(v / ref) if v is not None and ref else ""
                time = "not run" if v is None else fmt_time(v) + (f" ± {fmt_time(e)}" if e else "")
                lim = None
                if limit_key:
                    lim = jmh.get(limit_key) if "." in limit_key and limit_key[0].isupper() else rust.get(limit_key)
                vs_lim = fmt_ratio(v / lim) if v is not None and lim else ""
                name = f"**{label}**" if (src == "jmh" and key == t["ref"]) else label
                row = f"| {name} | {jdk} | {time} | {vs_ref} | {vs_lim} |"
                if t.get("bandwidth"):
                    row += (f" {(1 << 20) / v:.1f} |" if v and "Call" not in key else " |")
                row += f" {warm} | {why if i == 0 else '″'} |"
                out.append(row)
        out.append("")
    out.extend(render_plugin(results_dir, rust, rust_err))
    out.extend(render_sqlite(runs, rust, rust_err))
    out.extend(render_compile(runs, rust, rust_err))
    if any(r["footprint"] for r in runs) or rust_footprint:
        out.append("### Memory and time per live instance (1000 live instances of the small module)")
        out.append("")
        out.append("Native: growth of the process's resident set with a pre-touched fixed heap; heap: growth of "
                   "the Java heap in use after a full GC. Time: creating one instance (store or context included) "
                   "and calling it once, averaged over the 1000. One JVM per runtime and JDK.")
        out.append("")
        out.append("| Runtime | JDK | Native KiB / instance | Java heap KiB / instance | µs / instance |")
        out.append("|---|---|---:|---:|---:|")
        for r in rust_footprint:
            out.append(f"| Wasmtime 48.0.8 from Rust, {r['name']} allocator |  | {r['kib_per_instance']:.1f} | 0 | "
                       f"{r['us_per_instance']:.1f} |")
        order = list(FOOTPRINT_LABELS) + sorted({f["runtime"] for r in runs for f in r["footprint"]} -
                                               set(FOOTPRINT_LABELS))
        for rt in order:
            for run in runs:
                for f in run["footprint"]:
                    if f["runtime"] == rt:
                        out.append(f"| {FOOTPRINT_LABELS.get(rt, rt)} | {run['jdk']} | "
                                   f"{f['native_kib_per_instance']:.1f} | {f['heap_kib_per_instance']:.1f} | "
                                   f"{f['us_per_instance']:.1f} |")
        out.append("")
    return "\n".join(out)


def render_all_components(runs, rust, rust_err, meta):
    """The component-call section of every JDK run (one table per JDK, its heading naming the JDK when the
    run has several)."""
    out = []
    for i, r in enumerate(runs):
        err = dict(r["err"])
        err.update({"rust:" + k: v for k, v in rust_err.items()})
        part = render_components(r["jmh"], rust, err, meta if i == 0 else None)
        if part and len(runs) > 1:
            part[0] += f" (JDK {r['jdk']})"
        out.extend(part)
    if not runs:
        out = render_components({}, rust, {"rust:" + k: v for k, v in rust_err.items()}, meta)
    return out


def pop_option(args, name):
    """The value after name in args, both taken out of args; None when name is absent. ValueError when
    name is the last argument."""
    if name not in args:
        return None
    i = args.index(name)
    if i + 1 >= len(args):
        raise ValueError(f"{name} needs a value")
    value = args[i + 1]
    del args[i:i + 2]
    return value


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
    try:
        update = pop_option(args, "--update")
    except ValueError:
        print(__doc__, file=sys.stderr)
        return 2
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    results_dir = args[0]
    runs, rust, rust_err, _, meta = load(results_dir)
    components = "\n".join(render_all_components(runs, rust, rust_err, meta))
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
