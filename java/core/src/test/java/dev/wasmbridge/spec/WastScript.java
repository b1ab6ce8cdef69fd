package dev.wasmbridge.spec;

import dev.wasmbridge.CompileException;
import dev.wasmbridge.Engine;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.Function;
import dev.wasmbridge.Global;
import dev.wasmbridge.Instance;
import dev.wasmbridge.LinkException;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.V128;
import dev.wasmbridge.ValType;
import dev.wasmbridge.WasmException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the commands of one converted {@code .wast} script (see {@code tools/spec-convert}) through the
 * public Java API: one {@link Store} and one {@link Linker} per script, with the {@code spectest} host
 * module (Java host functions for the {@code print*} imports, a small WAT module for the globals, table and
 * memories) defined in the linker. {@link #run} throws {@link AssertionError} when a command fails.
 */
final class WastScript implements AutoCloseable {
    /** The module that provides {@code spectest}'s globals, tables and memories (the spec interpreter's). */
    static final String SPECTEST_WAT = "(module\n"
            + "  (global (export \"global_i32\") i32 (i32.const 666))\n"
            + "  (global (export \"global_i64\") i64 (i64.const 666))\n"
            + "  (global (export \"global_f32\") f32 (f32.const 666.6))\n"
            + "  (global (export \"global_f64\") f64 (f64.const 666.6))\n"
            + "  (table (export \"table\") 10 20 funcref)\n"
            + "  (table (export \"table64\") i64 10 20 funcref)\n"
            + "  (memory (export \"memory\") 1 2))";

    /**
     * {@code spectest.shared_memory}, in a module of its own: an engine without shared memory support (the
     * facade's, so far: Wasmtime's {@code Config::shared_memory} is off by default) cannot instantiate it,
     * and the scripts that import it then fail to link.
     */
    static final String SPECTEST_SHARED_WAT = "(module (memory (export \"shared_memory\") 1 1 shared))";

    /** A host reference the script makes with {@code (ref.extern N)} or {@code (ref.host N)}. */
    record HostRef(long value) {
    }

    /** One wasm value as the script compares it: bits for numbers, both halves for v128, the object for refs. */
    record Val(ValType type, long bits, long high, Object ref) {
        static Val of(ValType type, Object boxed) {
            switch (type) {
                case I32:
                    return new Val(type, ((Integer) boxed) & 0xFFFF_FFFFL, 0, null);
                case I64:
                    return new Val(type, (Long) boxed, 0, null);
                case F32:
                    return new Val(type, Float.floatToRawIntBits((Float) boxed) & 0xFFFF_FFFFL, 0, null);
                case F64:
                    return new Val(type, Double.doubleToRawLongBits((Double) boxed), 0, null);
                case V128:
                    return new Val(type, ((V128) boxed).low(), ((V128) boxed).high(), null);
                default:
                    return new Val(type, 0, 0, boxed);
            }
        }

        @Override
        public String toString() {
            switch (type) {
                case I32:
                case I64:
                    return type + ":" + bits + " (0x" + Long.toHexString(bits) + ")";
                case F32:
                    return "f32:" + Float.intBitsToFloat((int) bits) + " (0x" + Long.toHexString(bits) + ")";
                case F64:
                    return "f64:" + Double.longBitsToDouble(bits) + " (0x" + Long.toHexString(bits) + ")";
                case V128:
                    return String.format("v128:0x%016x%016x", high, bits);
                default:
                    return type + ":" + ref;
            }
        }
    }

    private final Engine engine;
    private final Path dir;
    private final Store store;
    private final Linker linker;
    private final Map<String, Instance> instances = new HashMap<>();
    private final Map<String, Module> definitions = new HashMap<>();
    private final List<Module> modules = new ArrayList<>();
    private final Map<Long, HostRef> hostRefs = new HashMap<>();
    private Instance current;
    private int prints;

    WastScript(Engine engine, Module spectest, Module spectestShared, Path dir) {
        this.engine = engine;
        this.dir = dir;
        this.store = Store.create(engine);
        this.linker = Linker.create(engine);
        try {
            linker.allowShadowing(true);
            definePrint("print", List.of());
            definePrint("print_i32", List.of(ValType.I32));
            definePrint("print_i64", List.of(ValType.I64));
            definePrint("print_f32", List.of(ValType.F32));
            definePrint("print_f64", List.of(ValType.F64));
            definePrint("print_i32_f32", List.of(ValType.I32, ValType.F32));
            definePrint("print_f64_f64", List.of(ValType.F64, ValType.F64));
            linker.defineInstance(store, "spectest", linker.instantiate(store, spectest));
            if (spectestShared != null) {
                try {
                    linker.defineInstance(store, "spectest", linker.instantiate(store, spectestShared));
                } catch (WasmException noSharedMemory) {
                    // Not supported by this engine: see SPECTEST_SHARED_WAT.
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void definePrint(String name, List<ValType> params) {
        // The spec interpreter prints its arguments; here they are only counted (the log stays readable).
        linker.defineFunction("spectest", name, FuncType.of(params, List.of()), (caller, args) -> {
            prints++;
            return new Object[0];
        });
    }

    /** Runs one command. */
    void run(Map<String, Object> c) throws IOException, MalformedText {
        String type = (String) c.get("type");
        switch (type) {
            case "module": {
                String name = (String) c.get("name");
                current = null;
                if (name != null) {
                    instances.remove(name);
                }
                Instance i = linker.instantiate(store, load(c));
                current = i;
                if (name != null) {
                    instances.put(name, i);
                }
                return;
            }
            case "module_definition": {
                Module m = load(c);
                definitions.put(nameOrEmpty(c.get("name")), m);
                return;
            }
            case "module_instance": {
                Module m = definitions.get(nameOrEmpty(c.get("module")));
                if (m == null) {
                    throw new AssertionError("no module definition named " + c.get("module"));
                }
                Instance i = linker.instantiate(store, m);
                current = i;
                if (c.get("instance") != null) {
                    instances.put((String) c.get("instance"), i);
                }
                return;
            }
            case "register":
                linker.defineInstance(store, (String) c.get("as"), instance((String) c.get("name")));
                return;
            case "action":
                perform(action(c));
                return;
            case "assert_return":
                assertReturn(c);
                return;
            case "assert_trap":
                assertTrap(action(c), (String) c.get("text"));
                return;
            case "assert_exhaustion":
                assertTrap(action(c), (String) c.get("text"));
                return;
            case "assert_exception":
                assertException(action(c));
                return;
            case "assert_invalid":
            case "assert_malformed":
                assertNotCompiled(c);
                return;
            case "assert_invalid_custom":
            case "assert_malformed_custom":
                // Custom sections that an implementation may ignore: compiling or refusing both pass.
                try {
                    load(c);
                } catch (CompileException | MalformedText expected) {
                    // fine
                }
                return;
            case "assert_unlinkable": {
                Module m = load(c);
                try {
                    linker.instantiate(store, m);
                } catch (LinkException expected) {
                    return;
                }
                throw new AssertionError("expected a LinkException (" + c.get("text") + "), but the module instantiated");
            }
            case "assert_uninstantiable": {
                Module m = load(c);
                String text = (String) c.get("text");
                try {
                    linker.instantiate(store, m);
                } catch (TrapException e) {
                    checkTrap(e, text);
                    return;
                }
                throw new AssertionError("expected instantiation to trap (" + text + "), but it succeeded");
            }
            case "parse_error":
                throw new AssertionError("spec-convert could not parse the script: " + c.get("text"));
            case "unsupported":
                throw new AssertionError("not supported by the runner: " + c.get("text"));
            default:
                throw new AssertionError("unknown command type " + type);
        }
    }

    private static String nameOrEmpty(Object name) {
        return name == null ? "" : (String) name;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> action(Map<String, Object> c) {
        return (Map<String, Object>) c.get("action");
    }

    /** The text of a module file is not UTF-8: no {@code String} can carry it to {@link Module#fromWat}. */
    static final class MalformedText extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedText(String message) {
            super(message);
        }
    }

    private Module load(Map<String, Object> c) throws IOException, MalformedText {
        byte[] bytes = Files.readAllBytes(dir.resolve((String) c.get("filename")));
        Module m;
        if ("binary".equals(c.get("module_type"))) {
            m = Module.fromBytes(engine, bytes);
        } else {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new MalformedText("the module text is not UTF-8");
            }
            m = Module.fromWat(engine, text);
        }
        modules.add(m);
        return m;
    }

    private void assertNotCompiled(Map<String, Object> c) throws IOException {
        String kind = (String) c.get("type");
        try {
            load(c);
        } catch (CompileException expected) {
            return;
        } catch (MalformedText e) {
            if (kind.equals("assert_malformed")) {
                return; // a text module that is not UTF-8 is malformed (the utf8 tests of annotations.wast)
            }
            throw new AssertionError("expected a CompileException (" + c.get("text") + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new AssertionError("expected a CompileException (" + c.get("text") + "), got " + e, e);
        }
        throw new AssertionError("expected a CompileException (" + c.get("text") + "), but the "
                + c.get("module_type") + " module " + c.get("filename") + " compiled");
    }

    private Instance instance(String name) {
        if (name == null) {
            if (current == null) {
                throw new AssertionError("no current module (did the module before this command fail?)");
            }
            return current;
        }
        Instance i = instances.get(name);
        if (i == null) {
            throw new AssertionError("no module named $" + name + " (did it fail?)");
        }
        return i;
    }

    /** Performs an invoke or get action; returns the results. */
    @SuppressWarnings("unchecked")
    private Val[] perform(Map<String, Object> action) {
        Instance instance = instance((String) action.get("module"));
        String field = (String) action.get("field");
        if ("get".equals(action.get("type"))) {
            Global g = instance.global(field);
            return new Val[] {Val.of(g.type().content(), g.get())};
        }
        Function f = instance.function(field);
        FuncType t = f.type();
        List<Map<String, Object>> args = (List<Map<String, Object>>) action.get("args");
        if (args.size() != t.params().size()) {
            throw new AssertionError(field + " " + t + " takes " + t.params().size() + " arguments, the script passes "
                    + args.size());
        }
        List<ValType> results = t.results();
        Val[] out = new Val[results.size()];
        if (t.params().stream().noneMatch(ValType::isReference) && results.stream().noneMatch(ValType::isReference)) {
            // Bits in, bits out: NaN payloads cross untouched.
            long[] in = new long[args.stream().mapToInt(a -> "v128".equals(a.get("type")) ? 2 : 1).sum()];
            int pos = 0;
            for (Map<String, Object> a : args) {
                List<Object> lanes = "v128".equals(a.get("type")) ? (List<Object>) a.get("value") : null;
                if (lanes != null) {
                    in[pos++] = Long.parseUnsignedLong((String) lanes.get(0));
                    in[pos++] = Long.parseUnsignedLong((String) lanes.get(1));
                } else {
                    in[pos++] = Long.parseUnsignedLong((String) a.get("value"));
                }
            }
            long[] raw = f.callRaw(in);
            pos = 0;
            for (int i = 0; i < out.length; i++) {
                ValType rt = results.get(i);
                long bits = raw[pos];
                if (rt == ValType.I32 || rt == ValType.F32) {
                    bits &= 0xFFFF_FFFFL;
                }
                out[i] = new Val(rt, bits, rt == ValType.V128 ? raw[pos + 1] : 0, null);
                pos += rt.slots();
            }
            return out;
        }
        Object[] boxed = new Object[args.size()];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = box(args.get(i));
        }
        Object[] r = f.call(boxed);
        for (int i = 0; i < out.length; i++) {
            out[i] = Val.of(results.get(i), r[i]);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Object box(Map<String, Object> a) {
        String type = (String) a.get("type");
        switch (type) {
            case "i32":
                return (int) Long.parseUnsignedLong((String) a.get("value"));
            case "i64":
                return Long.parseUnsignedLong((String) a.get("value"));
            case "f32":
                return Float.intBitsToFloat((int) Long.parseUnsignedLong((String) a.get("value")));
            case "f64":
                return Double.longBitsToDouble(Long.parseUnsignedLong((String) a.get("value")));
            case "v128": {
                List<Object> lanes = (List<Object>) a.get("value");
                return new V128(Long.parseUnsignedLong((String) lanes.get(0)), Long.parseUnsignedLong((String) lanes.get(1)));
            }
            case "refnull":
                return null;
            case "externref":
            case "hostref":
                return hostRefs.computeIfAbsent(Long.parseLong((String) a.get("value")), HostRef::new);
            default:
                throw new AssertionError("unknown argument type " + type);
        }
    }

    @SuppressWarnings("unchecked")
    private void assertReturn(Map<String, Object> c) {
        Val[] actual = perform(action(c));
        List<Map<String, Object>> expected = (List<Map<String, Object>>) c.get("expected");
        if (actual.length != expected.size()) {
            throw new AssertionError("expected " + expected.size() + " results, got " + actual.length + ": "
                    + List.of(actual));
        }
        for (int i = 0; i < actual.length; i++) {
            String why = mismatch(expected.get(i), actual[i]);
            if (why != null) {
                throw new AssertionError("result " + i + ": " + why + " (expected " + expected.get(i) + ", got "
                        + actual[i] + ")");
            }
        }
    }

    /** Null when {@code v} matches the expected result {@code e}, else what differs. */
    @SuppressWarnings("unchecked")
    private static String mismatch(Map<String, Object> e, Val v) {
        String type = (String) e.get("type");
        switch (type) {
            case "either": {
                List<String> why = new ArrayList<>();
                for (Map<String, Object> alternative : (List<Map<String, Object>>) e.get("values")) {
                    String w = mismatch(alternative, v);
                    if (w == null) {
                        return null;
                    }
                    why.add(w);
                }
                return "no alternative matches: " + why;
            }
            case "i32":
            case "i64":
            case "f32":
            case "f64": {
                if (!v.type().toString().equals(type)) {
                    return "type " + v.type() + " is not " + type;
                }
                return number(type, (String) e.get("value"), v.bits()) ? null : "different value";
            }
            case "v128": {
                if (v.type() != ValType.V128) {
                    return "type " + v.type() + " is not v128";
                }
                String laneType = (String) e.get("lane_type");
                int width = Integer.parseInt(laneType.substring(1));
                List<Object> lanes = (List<Object>) e.get("value");
                for (int i = 0; i < lanes.size(); i++) {
                    int offset = i * width;
                    long lane = offset < 64 ? v.bits() >>> offset : v.high() >>> (offset - 64);
                    if (width < 64) {
                        lane &= (1L << width) - 1;
                    }
                    String laneKind = laneType.startsWith("f") ? laneType : "i64";
                    if (!number(laneKind, (String) lanes.get(i), lane)) {
                        return "lane " + i + " (" + laneType + ") differs";
                    }
                }
                return null;
            }
            default:
                break;
        }
        if (!v.type().isReference()) {
            return "type " + v.type() + " is not a reference type";
        }
        Object ref = v.ref();
        switch (type) {
            case "refnull":
                return ref == null ? null : "not null";
            case "externref":
            case "hostref": {
                if (ref == null) {
                    return "null";
                }
                Object n = e.get("value");
                if (n == null) {
                    return null;
                }
                return ref instanceof HostRef && ((HostRef) ref).value() == Long.parseLong((String) n)
                        ? null : "a different host reference";
            }
            case "funcref":
                return ref instanceof Function ? null : "not a function";
            default:
                // anyref, eqref, structref, arrayref, i31ref: non-null is all the facade could show.
                return ref != null ? null : "null";
        }
    }

    /** Whether {@code bits} (of a value of {@code type}) matches the expected value or NaN pattern. */
    private static boolean number(String type, String expected, long bits) {
        boolean f32 = type.equals("f32");
        if (expected.equals("nan:canonical")) {
            return f32 ? (bits & 0x7FFF_FFFFL) == 0x7FC0_0000L
                    : (bits & 0x7FFF_FFFF_FFFF_FFFFL) == 0x7FF8_0000_0000_0000L;
        }
        if (expected.equals("nan:arithmetic")) {
            return f32 ? (bits & 0x7FC0_0000L) == 0x7FC0_0000L
                    : (bits & 0x7FF8_0000_0000_0000L) == 0x7FF8_0000_0000_0000L;
        }
        long want = Long.parseUnsignedLong(expected);
        if (type.equals("i32") || f32) {
            return (bits & 0xFFFF_FFFFL) == (want & 0xFFFF_FFFFL);
        }
        return bits == want;
    }

    private void assertTrap(Map<String, Object> action, String text) {
        Val[] results;
        try {
            results = perform(action);
        } catch (TrapException e) {
            checkTrap(e, text);
            return;
        }
        throw new AssertionError("expected a trap (" + text + "), got " + List.of(results));
    }

    private static void checkTrap(TrapException e, String text) {
        Set<TrapCode> codes = TrapMessages.codesFor(text);
        if (!codes.contains(e.code())) {
            throw new AssertionError("expected a trap " + codes + " (\"" + text + "\"), got " + e.code() + ": "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private void assertException(Map<String, Object> action) {
        Val[] results;
        try {
            results = perform(action);
        } catch (WasmException e) {
            // Wasmtime reports an uncaught wasm exception as "thrown Wasm exception"; the facade has no
            // TrapCode of its own for it (see the spec README).
            if (e.getMessage() != null && e.getMessage().startsWith("thrown Wasm exception")) {
                return;
            }
            throw new AssertionError("expected an uncaught wasm exception, got " + e, e);
        }
        throw new AssertionError("expected an uncaught wasm exception, got " + List.of(results));
    }

    @Override
    public void close() {
        store.close();
        linker.close();
        for (Module m : modules) {
            m.close();
        }
    }
}
