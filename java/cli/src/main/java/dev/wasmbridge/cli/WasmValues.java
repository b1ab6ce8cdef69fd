package dev.wasmbridge.cli;

import dev.wasmbridge.FuncType;
import dev.wasmbridge.Function;
import dev.wasmbridge.V128;
import dev.wasmbridge.ValType;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;

/**
 * Command-line text to wasm values and back, for {@code run --invoke}.
 *
 * <p>Accepted arguments: {@code i32}/{@code i64} in decimal or {@code 0x} hex, optionally signed,
 * unsigned values up to 2^32-1 / 2^64-1 wrapping to their two's-complement bits ({@code 0xffffffff}
 * is -1); {@code f32}/{@code f64} as Java parses them ({@code 1.5}, {@code 1e-3}, {@code 0x1.8p1},
 * {@code NaN}, {@code Infinity}) plus WAT's {@code nan}, {@code inf}, {@code -inf}; {@code v128} as
 * {@code 0x} and up to 32 hex digits; reference types only as {@code null}.
 *
 * <p>Results print as: integers in signed decimal, floats as Java prints them except {@code nan},
 * {@code inf}, {@code -inf} (a NaN that is not the canonical one prints with its payload, {@code
 * nan:0x200000}), {@code v128} as {@code 0x} and 32 hex digits, references as {@code null} or {@code
 * <funcref>}/{@code <externref>}.
 */
final class WasmValues {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);
    private static final BigInteger MASK_64 = TWO_64.subtract(BigInteger.ONE);

    private WasmValues() {
    }

    /**
     * Parses the arguments of a call to {@code name} by its signature.
     *
     * @throws IllegalArgumentException if the count is wrong or a value does not parse; the message
     *     names the argument and its type
     */
    static Object[] parseArgs(String name, FuncType type, List<String> args) {
        List<ValType> params = type.params();
        if (args.size() != params.size()) {
            throw new IllegalArgumentException("function '" + name + "' " + type + " takes " + count(params.size())
                    + ", got " + args.size());
        }
        Object[] values = new Object[args.size()];
        for (int i = 0; i < values.length; i++) {
            try {
                values[i] = parse(params.get(i), args.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("argument " + (i + 1) + " of '" + name + "': " + e.getMessage(), e);
            }
        }
        return values;
    }

    private static String count(int n) {
        return n + (n == 1 ? " argument" : " arguments");
    }

    /**
     * Parses one value of a type.
     *
     * @throws IllegalArgumentException if it does not parse, with a message that says what would
     */
    static Object parse(ValType type, String text) {
        String s = text.strip();
        switch (type) {
            case I32:
                return (int) integer(s, 32, text, "an i32 (decimal or 0x hex, -2147483648 to 4294967295)").longValue();
            case I64:
                return integer(s, 64, text, "an i64 (decimal or 0x hex, -2^63 to 2^64-1)").longValue();
            case F32: {
                Double special = special(s);
                if (special != null) {
                    return Double.isNaN(special) ? Float.intBitsToFloat(s.startsWith("-") ? 0xffc00000 : 0x7fc00000)
                            : special.floatValue();
                }
                try {
                    return Float.parseFloat(s);
                } catch (NumberFormatException e) {
                    throw notA(text, "an f32 (like 1.5, -2e-3, 0x1.8p1, nan, inf, -inf)");
                }
            }
            case F64: {
                Double special = special(s);
                if (special != null) {
                    return Double.isNaN(special) && s.startsWith("-")
                            ? Double.longBitsToDouble(0xfff8000000000000L) : special;
                }
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw notA(text, "an f64 (like 1.5, -2e-3, 0x1.8p1, nan, inf, -inf)");
                }
            }
            case V128: {
                BigInteger bits = hex128(s);
                if (bits == null) {
                    throw notA(text, "a v128 (0x and up to 32 hex digits)");
                }
                return new V128(bits.and(MASK_64).longValue(), bits.shiftRight(64).longValue());
            }
            default:
                if (s.equals("null")) {
                    return null;
                }
                throw new IllegalArgumentException("a " + type + " can only be given as 'null' on the command line");
        }
    }

    private static BigInteger integer(String s, int bits, String text, String what) {
        boolean negative = s.startsWith("-");
        String digits = negative || s.startsWith("+") ? s.substring(1) : s;
        int radix = 10;
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            radix = 16;
            digits = digits.substring(2);
        }
        digits = digits.replace("_", "");
        if (digits.isEmpty() || digits.startsWith("-") || digits.startsWith("+")) {
            throw notA(text, what);
        }
        BigInteger v;
        try {
            v = new BigInteger(digits, radix);
        } catch (NumberFormatException e) {
            throw notA(text, what);
        }
        if (negative) {
            v = v.negate();
        }
        BigInteger min = BigInteger.ONE.shiftLeft(bits - 1).negate();
        BigInteger maxUnsigned = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        if (v.compareTo(min) < 0 || v.compareTo(maxUnsigned) > 0) {
            throw new IllegalArgumentException("'" + text + "' is out of range for " + what.substring(what.indexOf(' ') + 1));
        }
        return v;
    }

    private static BigInteger hex128(String s) {
        if (!(s.startsWith("0x") || s.startsWith("0X"))) {
            return null;
        }
        String digits = s.substring(2).replace("_", "");
        if (digits.isEmpty() || digits.length() > 32 || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return null;
        }
        BigInteger v = new BigInteger(digits, 16);
        return v.compareTo(TWO_128) < 0 ? v : null;
    }

    /** WAT's spellings of the special floats; Java's own ({@code NaN}, {@code Infinity}) parse anyway. */
    private static Double special(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "nan":
            case "+nan":
            case "-nan":
                return Double.NaN;
            case "inf":
            case "+inf":
            case "infinity":
            case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf":
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                return null;
        }
    }

    private static IllegalArgumentException notA(String text, String what) {
        return new IllegalArgumentException("'" + text + "' is not " + what);
    }

    /** Formats a result of a call for printing. */
    static String format(ValType type, Object value) {
        if (value == null) {
            return "null";
        }
        switch (type) {
            case I32:
            case I64:
                return value.toString();
            case F32: {
                float f = (Float) value;
                if (Float.isNaN(f)) {
                    int bits = Float.floatToRawIntBits(f);
                    return nan(bits < 0, bits & 0x7fffff, 0x400000);
                }
                return Float.isInfinite(f) ? (f > 0 ? "inf" : "-inf") : Float.toString(f);
            }
            case F64: {
                double d = (Double) value;
                if (Double.isNaN(d)) {
                    long bits = Double.doubleToRawLongBits(d);
                    return nan(bits < 0, bits & 0xfffffffffffffL, 0x8000000000000L);
                }
                return Double.isInfinite(d) ? (d > 0 ? "inf" : "-inf") : Double.toString(d);
            }
            case V128: {
                V128 v = (V128) value;
                return String.format("0x%016x%016x", v.high(), v.low());
            }
            default:
                return value instanceof Function ? "<funcref>" : "<" + type + ">";
        }
    }

    private static String nan(boolean negative, long payload, long canonical) {
        return (negative ? "-" : "") + "nan" + (payload == canonical ? "" : ":0x" + Long.toHexString(payload));
    }
}
