package dev.wasmbridge.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random modules that mostly validate, so the fuzzer reaches compilation, instantiation and execution:
 * typed expression trees over i32/i64/f32/f64 with arithmetic, conversions (trapping ones included),
 * loads and stores, memory.grow, globals, locals, calls (recursion included), call_indirect, host and
 * WASI imports, loops with data-dependent exits, and now and then a start function. Fuel and a deadline
 * stop whatever does not stop by itself.
 */
final class WatGenerator {
    private static final String[] TYPES = {"i32", "i64", "f32", "f64"};

    private final Random rnd;
    private final StringBuilder out = new StringBuilder();
    private final List<Func> funcs = new ArrayList<>();
    private boolean memory;
    private boolean table;
    private final List<String> globals = new ArrayList<>();
    private int labels;

    /** A defined or imported function: its index name, parameter and result types. */
    private static final class Func {
        final String name;
        final List<String> params;
        final String result; // null for none
        /** Its slot in the table (defined functions), or -1 (imports). */
        final int slot;

        Func(String name, List<String> params, String result) {
            this(name, params, result, -1);
        }

        Func(String name, List<String> params, String result, int slot) {
            this.name = name;
            this.params = params;
            this.result = result;
            this.slot = slot;
        }
    }

    /** The function being generated: its parameters and locals by type. */
    private List<String> locals;

    WatGenerator(Random rnd) {
        this.rnd = rnd;
    }

    String generate() {
        out.append("(module\n");
        // imports: host functions of HostLinker and a few harmless WASI calls
        if (rnd.nextBoolean()) {
            out.append(" (import \"env\" \"add\" (func $add (param i32 i32) (result i32)))\n");
            funcs.add(new Func("$add", List.of("i32", "i32"), "i32"));
        }
        if (rnd.nextInt(4) == 0) {
            out.append(" (import \"env\" \"fail\" (func $fail))\n");
            funcs.add(new Func("$fail", List.of(), null));
        }
        if (rnd.nextInt(3) == 0) {
            out.append(" (import \"env\" \"log\" (func $log (param i32 i32)))\n");
            funcs.add(new Func("$log", List.of("i32", "i32"), null));
        }
        if (rnd.nextInt(3) == 0) {
            out.append(" (import \"wasi_snapshot_preview1\" \"random_get\" (func $random_get (param i32 i32) (result i32)))\n");
            funcs.add(new Func("$random_get", List.of("i32", "i32"), "i32"));
        }
        if (rnd.nextInt(3) == 0) {
            out.append(" (import \"wasi_snapshot_preview1\" \"fd_write\" (func $fd_write (param i32 i32 i32 i32) (result i32)))\n");
            funcs.add(new Func("$fd_write", List.of("i32", "i32", "i32", "i32"), "i32"));
        }
        if (rnd.nextInt(8) == 0) {
            out.append(" (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $proc_exit (param i32)))\n");
            funcs.add(new Func("$proc_exit", List.of("i32"), null));
        }
        if (rnd.nextInt(5) == 0) {
            out.append(" (import \"env\" \"missing\" (func $missing))\n"); // a link error
            funcs.add(new Func("$missing", List.of(), null));
        }
        memory = rnd.nextInt(5) != 0;
        if (memory) {
            int min = rnd.nextInt(10) == 0 ? rnd.nextInt(70000) : rnd.nextInt(3);
            out.append(" (memory (export \"memory\") ").append(min);
            if (rnd.nextBoolean()) {
                out.append(' ').append(min + rnd.nextInt(8));
            }
            out.append(")\n");
            if (rnd.nextBoolean()) {
                out.append(" (data (i32.const ").append(rnd.nextInt(70000)).append(") \"hello\\00\\ff\")\n");
            }
        }
        int nGlobals = rnd.nextInt(3);
        for (int i = 0; i < nGlobals; i++) {
            String t = type();
            globals.add(t);
            out.append(" (global $g").append(i).append(" (export \"g").append(i).append("\") (mut ").append(t).append(") ")
                    .append(constant(t)).append(")\n");
        }
        int nFuncs = 1 + rnd.nextInt(4);
        List<Func> defined = new ArrayList<>();
        for (int i = 0; i < nFuncs; i++) {
            int np = rnd.nextInt(4);
            List<String> params = new ArrayList<>();
            for (int p = 0; p < np; p++) {
                params.add(type());
            }
            Func f = new Func("$f" + i, params, rnd.nextInt(5) == 0 ? null : type(), i);
            funcs.add(f);
            defined.add(f);
        }
        table = rnd.nextBoolean();
        if (table) {
            out.append(" (table $t (export \"table\") ").append(defined.size() + 1).append(" funcref)\n");
            out.append(" (elem (i32.const 0)");
            for (Func f : defined) {
                out.append(' ').append(f.name);
            }
            out.append(")\n");
            for (int i = 0; i < defined.size(); i++) {
                Func f = defined.get(i);
                out.append(" (type $sig").append(i).append(" (func").append(signature(f)).append("))\n");
            }
        }
        for (int i = 0; i < defined.size(); i++) {
            function(defined.get(i));
        }
        if (rnd.nextInt(6) == 0) {
            // a start function: runs during instantiation
            out.append(" (func $start ");
            locals = new ArrayList<>();
            out.append(statement(3)).append(")\n (start $start)\n");
        }
        out.append(")\n");
        return out.toString();
    }

    private String signature(Func f) {
        StringBuilder sb = new StringBuilder();
        if (!f.params.isEmpty()) {
            sb.append(" (param");
            f.params.forEach(p -> sb.append(' ').append(p));
            sb.append(')');
        }
        if (f.result != null) {
            sb.append(" (result ").append(f.result).append(')');
        }
        return sb.toString();
    }

    private void function(Func f) {
        out.append(" (func ").append(f.name).append(" (export \"").append(f.name.substring(1)).append("\")").append(signature(f));
        locals = new ArrayList<>(f.params);
        int nLocals = rnd.nextInt(3);
        for (int i = 0; i < nLocals; i++) {
            String t = type();
            locals.add(t);
            out.append(" (local ").append(t).append(')');
        }
        out.append('\n');
        int statements = rnd.nextInt(4);
        for (int i = 0; i < statements; i++) {
            out.append("  ").append(statement(3)).append('\n');
        }
        if (f.result != null) {
            out.append("  ").append(expr(f.result, 4)).append('\n');
        }
        out.append(" )\n");
    }

    private String type() {
        return TYPES[rnd.nextInt(TYPES.length)];
    }

    private String constant(String t) {
        switch (t) {
            case "i32": {
                int[] interesting = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 65536, 65535, 8, rnd.nextInt()};
                return "(i32.const " + interesting[rnd.nextInt(interesting.length)] + ")";
            }
            case "i64": {
                long[] interesting = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 32, rnd.nextLong()};
                return "(i64.const " + interesting[rnd.nextInt(interesting.length)] + ")";
            }
            case "f32": {
                String[] interesting = {"0", "-0", "1.5", "nan", "-nan", "inf", "-inf", "0x1p-149", "3.4e38", "nan:0x200000"};
                return "(f32.const " + interesting[rnd.nextInt(interesting.length)] + ")";
            }
            default: {
                String[] interesting = {"0", "-0", "1.5", "nan", "-inf", "inf", "0x1p-1074", "1e308", "9.3e18", "nan:0x4000000000000"};
                return "(f64.const " + interesting[rnd.nextInt(interesting.length)] + ")";
            }
        }
    }

    private String local(String t) {
        List<Integer> matching = new ArrayList<>();
        for (int i = 0; i < locals.size(); i++) {
            if (locals.get(i).equals(t)) {
                matching.add(i);
            }
        }
        return matching.isEmpty() ? null : String.valueOf(matching.get(rnd.nextInt(matching.size())));
    }

    private String global(String t) {
        List<Integer> matching = new ArrayList<>();
        for (int i = 0; i < globals.size(); i++) {
            if (globals.get(i).equals(t)) {
                matching.add(i);
            }
        }
        return matching.isEmpty() ? null : "$g" + matching.get(rnd.nextInt(matching.size()));
    }

    private String address(int depth) {
        // mostly small addresses, sometimes anything
        return rnd.nextInt(4) == 0 ? expr("i32", depth - 1) : "(i32.const " + rnd.nextInt(rnd.nextBoolean() ? 1024 : 70000) + ")";
    }

    /** An expression of type {@code t}. */
    String expr(String t, int depth) {
        if (depth <= 0 || rnd.nextInt(4) == 0) {
            String l = local(t);
            if (l != null && rnd.nextBoolean()) {
                return "(local.get " + l + ")";
            }
            String g = global(t);
            if (g != null && rnd.nextInt(3) == 0) {
                return "(global.get " + g + ")";
            }
            return constant(t);
        }
        boolean isInt = t.charAt(0) == 'i';
        switch (rnd.nextInt(12)) {
            case 0:
            case 1: {
                String[] ops = isInt ? new String[] {"add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr"}
                        : new String[] {"add", "sub", "mul", "div", "min", "max", "copysign"};
                return "(" + t + "." + ops[rnd.nextInt(ops.length)] + " " + expr(t, depth - 1) + " " + expr(t, depth - 1) + ")";
            }
            case 2: {
                String[] ops = isInt ? new String[] {"clz", "ctz", "popcnt"} : new String[] {"abs", "neg", "sqrt", "ceil", "floor", "trunc", "nearest"};
                return "(" + t + "." + ops[rnd.nextInt(ops.length)] + " " + expr(t, depth - 1) + ")";
            }
            case 3: {
                if (!t.equals("i32")) {
                    return conversion(t, depth);
                }
                String from = type();
                String[] ops = from.charAt(0) == 'i' ? new String[] {"eq", "ne", "lt_s", "lt_u", "gt_s", "ge_u", "le_s"} : new String[] {"eq", "ne", "lt", "gt", "le", "ge"};
                if (from.charAt(0) == 'i' && rnd.nextInt(4) == 0) {
                    return "(" + from + ".eqz " + expr(from, depth - 1) + ")";
                }
                return "(" + from + "." + ops[rnd.nextInt(ops.length)] + " " + expr(from, depth - 1) + " " + expr(from, depth - 1) + ")";
            }
            case 4:
                return conversion(t, depth);
            case 5: {
                if (!memory) {
                    return constant(t);
                }
                String op = t + ".load";
                if (isInt && rnd.nextBoolean()) {
                    String[] narrow = t.equals("i32") ? new String[] {"8_s", "8_u", "16_s", "16_u"} : new String[] {"8_s", "16_u", "32_s", "32_u"};
                    op += narrow[rnd.nextInt(narrow.length)];
                }
                String offset = rnd.nextInt(4) == 0 ? " offset=" + rnd.nextInt(70000) : "";
                return "(" + op + offset + " " + address(depth) + ")";
            }
            case 6:
                if (memory && t.equals("i32")) {
                    return rnd.nextBoolean() ? "(memory.size)" : "(memory.grow " + (rnd.nextBoolean() ? "(i32.const " + rnd.nextInt(4) + ")" : expr("i32", depth - 1)) + ")";
                }
                return "(select " + expr(t, depth - 1) + " " + expr(t, depth - 1) + " " + expr("i32", depth - 1) + ")";
            case 7:
                return "(if (result " + t + ") " + expr("i32", depth - 1) + " (then " + expr(t, depth - 1) + ") (else " + expr(t, depth - 1) + "))";
            case 8: {
                // call a function returning t (recursion included)
                List<Func> candidates = new ArrayList<>();
                for (Func f : funcs) {
                    if (t.equals(f.result)) {
                        candidates.add(f);
                    }
                }
                if (candidates.isEmpty()) {
                    return constant(t);
                }
                Func f = candidates.get(rnd.nextInt(candidates.size()));
                if (table && f.slot >= 0 && rnd.nextInt(3) == 0) {
                    int index = f.slot;
                    return "(call_indirect (type $sig" + index + ")" + args(f, depth) + " "
                            + (rnd.nextInt(3) == 0 ? expr("i32", depth - 1) : "(i32.const " + index + ")") + ")";
                }
                return "(call " + f.name + args(f, depth) + ")";
            }
            case 9: {
                // a loop that runs while a counter local is below a bound: terminates unless the bound is huge
                String l = local("i32");
                if (l == null) {
                    return constant(t);
                }
                String label = "$l" + labels++;
                return "(block (result " + t + ") (loop " + label + " " + statement(depth - 1)
                        + " (local.set " + l + " (i32.add (local.get " + l + ") (i32.const 1)))"
                        + " (br_if " + label + " (i32.lt_u (local.get " + l + ") " + expr("i32", 1) + "))) " + expr(t, depth - 1) + ")";
            }
            case 10: {
                String l = local(t);
                return l == null ? constant(t) : "(local.tee " + l + " " + expr(t, depth - 1) + ")";
            }
            default:
                return constant(t);
        }
    }

    private String args(Func f, int depth) {
        StringBuilder sb = new StringBuilder();
        for (String p : f.params) {
            sb.append(' ').append(expr(p, depth - 1));
        }
        return sb.toString();
    }

    private String conversion(String t, int depth) {
        switch (t) {
            case "i32": {
                String[] ops = {"(i32.wrap_i64 %s)", "(i32.trunc_f32_s %s)", "(i32.trunc_f64_u %s)", "(i32.trunc_sat_f32_s %s)", "(i32.reinterpret_f32 %s)", "(i32.extend8_s %s)"};
                String[] from = {"i64", "f32", "f64", "f32", "f32", "i32"};
                int k = rnd.nextInt(ops.length);
                return String.format(ops[k], expr(from[k], depth - 1));
            }
            case "i64": {
                String[] ops = {"(i64.extend_i32_s %s)", "(i64.extend_i32_u %s)", "(i64.trunc_f64_s %s)", "(i64.trunc_f32_u %s)", "(i64.trunc_sat_f64_u %s)", "(i64.reinterpret_f64 %s)"};
                String[] from = {"i32", "i32", "f64", "f32", "f64", "f64"};
                int k = rnd.nextInt(ops.length);
                return String.format(ops[k], expr(from[k], depth - 1));
            }
            case "f32": {
                String[] ops = {"(f32.convert_i32_s %s)", "(f32.convert_i64_u %s)", "(f32.demote_f64 %s)", "(f32.reinterpret_i32 %s)"};
                String[] from = {"i32", "i64", "f64", "i32"};
                int k = rnd.nextInt(ops.length);
                return String.format(ops[k], expr(from[k], depth - 1));
            }
            default: {
                String[] ops = {"(f64.convert_i32_u %s)", "(f64.convert_i64_s %s)", "(f64.promote_f32 %s)", "(f64.reinterpret_i64 %s)"};
                String[] from = {"i32", "i64", "f32", "i64"};
                int k = rnd.nextInt(ops.length);
                return String.format(ops[k], expr(from[k], depth - 1));
            }
        }
    }

    /** A statement (leaves nothing on the stack). */
    String statement(int depth) {
        switch (rnd.nextInt(9)) {
            case 0:
                if (memory) {
                    String t = type();
                    return "(" + t + ".store " + address(depth) + " " + expr(t, depth - 1) + ")";
                }
                return "(drop " + expr(type(), depth) + ")";
            case 1: {
                String t = type();
                String l = local(t);
                return l == null ? "(drop " + expr(t, depth) + ")" : "(local.set " + l + " " + expr(t, depth - 1) + ")";
            }
            case 2: {
                String t = type();
                String g = global(t);
                return g == null ? "(nop)" : "(global.set " + g + " " + expr(t, depth - 1) + ")";
            }
            case 3: {
                // a call for its effect: host and WASI imports included
                Func f = funcs.get(rnd.nextInt(funcs.size()));
                if (f.name.equals("$fail") && rnd.nextInt(4) != 0) {
                    return "(nop)";
                }
                String call = "(call " + f.name + args(f, depth) + ")";
                return f.result == null ? call : "(drop " + call + ")";
            }
            case 4:
                if (memory && rnd.nextBoolean()) {
                    return "(memory.fill " + address(depth) + " " + expr("i32", 1) + " (i32.const " + rnd.nextInt(300) + "))";
                }
                return "(if " + expr("i32", depth - 1) + " (then " + statement(depth - 1) + "))";
            case 5:
                return rnd.nextInt(20) == 0 ? "(unreachable)" : "(nop)";
            default:
                return "(drop " + expr(type(), depth) + ")";
        }
    }
}
