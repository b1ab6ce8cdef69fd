package dev.wasmbridge.graal;

import dev.wasmbridge.component.ComponentFunction;
import dev.wasmbridge.component.ResourceHandle;
import dev.wasmbridge.component.Result;
import dev.wasmbridge.component.WitType;
import dev.wasmbridge.component.WitVariant;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

/**
 * Conversions between polyglot values and the natural Java values of {@link
 * ComponentFunction#call(Object...)}, driven by the WIT type, in jco's conventions (see {@link
 * WitFunction} for the table). Failures are {@link IllegalArgumentException}s naming where the value
 * is wrong ({@code argument 0 'p' of component function 'echo-point', record field 'x'}).
 */
final class WitConvert {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private WitConvert() {
    }

    // ------------------------------------------------------------------ guest -> natural

    /** Where a value is, for messages: made into text only when a message needs it. */
    private static final class At {
        private final Object parent;
        private final String part;
        private final Object key;
        private final String end;

        At(Object parent, String part, Object key, String end) {
            this.parent = parent;
            this.part = part;
            this.key = key;
            this.end = end;
        }

        @Override
        public String toString() {
            return parent + part + key + end;
        }
    }

    /**
     * A guest value as the natural Java value {@link ComponentFunction#call(Object...)} takes for
     * {@code type}.
     *
     * @throws IllegalArgumentException if the value does not fit the type
     */
    static Object toNatural(WitType type, Value v, Object where) {
        switch (type.kind()) {
            case BOOL:
                if (v.isBoolean()) {
                    return v.asBoolean();
                }
                throw mismatch(type, v, where, "a boolean");
            case S8:
                return (byte) integer(type, v, where, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case U8:
                return (short) integer(type, v, where, 0, 0xFF);
            case S16:
                return (short) integer(type, v, where, Short.MIN_VALUE, Short.MAX_VALUE);
            case U16:
                return (int) integer(type, v, where, 0, 0xFFFF);
            case S32:
                return (int) integer(type, v, where, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case U32:
                return integer(type, v, where, 0, 0xFFFF_FFFFL);
            case S64:
                return integer(type, v, where, Long.MIN_VALUE, Long.MAX_VALUE);
            case U64:
                return u64(type, v, where);
            case F32:
                if (v.fitsInFloat()) {
                    return v.asFloat();
                }
                if (v.fitsInDouble()) {
                    // As WebAssembly's JavaScript API (and jco) do: round the double to the nearest float.
                    return (float) v.asDouble();
                }
                throw mismatch(type, v, where, "a number");
            case F64:
                if (v.fitsInDouble()) {
                    return v.asDouble();
                }
                throw mismatch(type, v, where, "a number that a double holds exactly");
            case CHAR:
                return codePoint(type, v, where);
            case STRING:
                if (v.isString()) {
                    return v.asString();
                }
                throw mismatch(type, v, where, "a string");
            case LIST:
                return list((WitType.ListOf) type, v, where);
            case RECORD:
                return record((WitType.Record) type, v, where);
            case TUPLE: {
                List<WitType> types = ((WitType.Tuple) type).types();
                if (!v.hasArrayElements() || v.isString() || v.getArraySize() != types.size()) {
                    throw mismatch(type, v, where, "an array of " + types.size() + " elements");
                }
                List<Object> out = new ArrayList<>(types.size());
                for (int i = 0; i < types.size(); i++) {
                    out.add(toNatural(types.get(i), v.getArrayElement(i), new At(where, ", tuple element ", i, "")));
                }
                return out;
            }
            case VARIANT:
                return variant((WitType.Variant) type, v, where);
            case ENUM:
                if (v.isString() && ((WitType.Enum) type).names().contains(v.asString())) {
                    return v.asString();
                }
                throw mismatch(type, v, where, "one of the names " + ((WitType.Enum) type).names());
            case OPTION:
                return option((WitType.Option) type, v, where);
            case RESULT:
                return result((WitType.Result) type, v, where);
            case FLAGS:
                return flags((WitType.Flags) type, v, where);
            case OWN:
            case BORROW:
                return resource(type, v, where);
            default:
                throw new IllegalArgumentException(where + ": values of type " + type + " cannot cross yet");
        }
    }

    private static long integer(WitType type, Value v, Object where, long min, long max) {
        if (v.fitsInLong()) {
            long x = v.asLong();
            if (x >= min && x <= max) {
                return x;
            }
        }
        throw mismatch(type, v, where, "an integer from " + min + " to " + max);
    }

    private static Object u64(WitType type, Value v, Object where) {
        if (v.fitsInLong() && v.asLong() >= 0) {
            return v.asLong();
        }
        if (v.fitsInBigInteger()) {
            BigInteger b = v.asBigInteger();
            if (b.signum() >= 0 && b.compareTo(TWO_64) < 0) {
                return b;
            }
        }
        throw mismatch(type, v, where, "an integer (or BigInt) from 0 to 18446744073709551615");
    }

    private static int codePoint(WitType type, Value v, Object where) {
        if (v.isString()) {
            String s = v.asString();
            if (!s.isEmpty() && s.codePointCount(0, s.length()) == 1) {
                int cp = s.codePointAt(0);
                if (cp < 0xD800 || cp > 0xDFFF) {
                    return cp;
                }
            }
        } else if (v.fitsInInt()) {
            int cp = v.asInt();
            if (cp >= 0 && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF)) {
                return cp;
            }
        }
        throw mismatch(type, v, where, "a string of one Unicode scalar value, or its code point");
    }

    private static Object list(WitType.ListOf type, Value v, Object where) {
        WitType element = type.element();
        if (element.kind() == WitType.Kind.U8 && (v.hasBufferElements()
                || v.isHostObject() && v.asHostObject() instanceof byte[])) {
            return Bytes.of(v, where.toString());
        }
        if (!v.hasArrayElements() || v.isString()) {
            throw mismatch(type, v, where, element.kind() == WitType.Kind.U8
                    ? "an array of numbers from 0 to 255, or a buffer" : "an array");
        }
        long size = v.getArraySize();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(where + ": array too large (" + size + " elements)");
        }
        if (element.kind() == WitType.Kind.U8) {
            byte[] bytes = new byte[(int) size];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) integer(element, v.getArrayElement(i), new At(where, ", list element ", i, ""), 0, 0xFF);
            }
            return bytes;
        }
        List<Object> out = new ArrayList<>((int) size);
        for (int i = 0; i < size; i++) {
            out.add(toNatural(element, v.getArrayElement(i), new At(where, ", list element ", i, "")));
        }
        return out;
    }

    /**
     * A member of a guest object or an entry of a guest map (a Python dict, a JavaScript Map) by its
     * WIT name or its camelCase spelling; null if neither is there (or the value is undefined).
     */
    private static Value member(Value object, String name) {
        String camel = Names.camel(name);
        Value m = null;
        if (object.hasHashEntries()) {
            if (object.hasHashEntry(name)) {
                m = object.getHashValue(name);
            } else if (!camel.equals(name) && object.hasHashEntry(camel)) {
                m = object.getHashValue(camel);
            }
        } else if (object.hasMember(name)) {
            m = object.getMember(name);
        } else if (!camel.equals(name) && object.hasMember(camel)) {
            m = object.getMember(camel);
        }
        return m == null || isAbsent(m) ? null : m;
    }

    /** JavaScript's undefined (a missing member) as opposed to null. */
    private static boolean isAbsent(Value v) {
        return v.isNull() && "undefined".equals(v.toString());
    }

    private static boolean isObject(Value v) {
        return (v.hasHashEntries() || v.hasMembers()) && !v.isString() && !v.hasArrayElements() && !v.isNull();
    }

    private static Object record(WitType.Record type, Value v, Object where) {
        if (!isObject(v)) {
            throw mismatch(type, v, where, "an object with the record's fields");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (WitType.Field f : type.fields()) {
            Object at = new At(where, ", record field '", f.name(), "'");
            Value m = member(v, f.name());
            if (m == null) {
                if (f.type().kind() == WitType.Kind.OPTION) {
                    out.put(f.name(), Optional.empty()); // as jco: an option field may be left out
                    continue;
                }
                throw new IllegalArgumentException(at + ": missing (expected " + f.type() + ")");
            }
            out.put(f.name(), toNatural(f.type(), m, at));
        }
        return out;
    }

    /** The {@code tag} of a {@code {tag, val}} object, checked against the names allowed. */
    private static String tag(WitType type, Value v, Object where, List<String> tags) {
        Value tag = isObject(v) ? member(v, "tag") : null;
        if (tag == null || !tag.isString() || !tags.contains(tag.asString())) {
            throw mismatch(type, v, where, "an object {tag, val} with tag one of " + tags);
        }
        return tag.asString();
    }

    /** The {@code val} of a {@code {tag, val}} object for a case that has {@code payload} (or none). */
    private static Object val(Optional<WitType> payload, Value v, Object at) {
        Value val = member(v, "val");
        if (payload.isEmpty()) {
            if (val != null && !val.isNull()) {
                throw new IllegalArgumentException(at + ": the case has no payload, got " + describe(val));
            }
            return null;
        }
        if (val == null) {
            if (payload.get().kind() == WitType.Kind.OPTION) {
                return Optional.empty();
            }
            throw new IllegalArgumentException(at + ": missing val (expected " + payload.get() + ")");
        }
        return toNatural(payload.get(), val, at);
    }

    private static Object variant(WitType.Variant type, Value v, Object where) {
        List<String> names = new ArrayList<>();
        for (WitType.Case c : type.cases()) {
            names.add(c.name());
        }
        String tag = tag(type, v, where, names);
        WitType.Case c = type.cases().get(names.indexOf(tag));
        return new WitVariant(tag, val(c.type(), v, new At(where, ", variant case '", tag, "'")));
    }

    /**
     * {@code option<T>}: null or undefined for none, else the value; as jco does, an option whose value
     * is itself an option takes {@code {tag: "none"}} / {@code {tag: "some", val}} (and null for none).
     */
    private static Object option(WitType.Option type, Value v, Object where) {
        if (v.isNull()) {
            return Optional.empty();
        }
        Object at = new At(where, ", option value", "", "");
        if (type.type().kind() == WitType.Kind.OPTION) {
            String tag = tag(type, v, where, List.of("none", "some"));
            return tag.equals("none") ? Optional.empty() : Optional.of(val(Optional.of(type.type()), v, at));
        }
        return Optional.of(toNatural(type.type(), v, at));
    }

    private static Object result(WitType.Result type, Value v, Object where) {
        String tag = tag(type, v, where, List.of("ok", "err"));
        boolean ok = tag.equals("ok");
        Object val = val(ok ? type.ok() : type.err(), v, new At(where, ", result ", tag, " value"));
        return ok ? Result.ok(val) : Result.err(val);
    }

    /**
     * Flags: as jco, an object with a boolean per flag (by WIT name or camelCase; a missing one is
     * false); or an array of the names of the flags that are set.
     */
    private static Object flags(WitType.Flags type, Value v, Object where) {
        Set<String> set = new LinkedHashSet<>();
        if (v.hasArrayElements() && !v.isString()) {
            for (long i = 0; i < v.getArraySize(); i++) {
                Value n = v.getArrayElement(i);
                if (!n.isString() || !type.names().contains(n.asString())) {
                    throw new IllegalArgumentException(where + ", flags element " + i + ": " + type + " has no flag "
                            + (n.isString() ? "'" + n.asString() + "'" : describe(n)));
                }
                set.add(n.asString());
            }
            return set;
        }
        if (!isObject(v)) {
            throw mismatch(type, v, where, "an object of booleans by flag name, or an array of names");
        }
        for (String name : type.names()) {
            Value b = member(v, name);
            if (b == null || b.isNull()) {
                continue;
            }
            if (!b.isBoolean()) {
                throw new IllegalArgumentException(where + ", flag '" + name + "': expected a boolean, got "
                        + describe(b));
            }
            if (b.asBoolean()) {
                set.add(name);
            }
        }
        return set;
    }

    private static Object resource(WitType type, Value v, Object where) {
        if (v.isProxyObject() && v.asProxyObject() instanceof WitResource) {
            return ((WitResource) v.asProxyObject()).handle();
        }
        if (v.isHostObject()) {
            // A ResourceHandle, or the Java object of a resource the linker implements (the call checks its class).
            return v.asHostObject();
        }
        throw mismatch(type, v, where, "a resource handle returned by a component function, or a host resource object");
    }

    /** A guest value for messages: a string quoted, anything else as {@link Convert#describe}. */
    private static String describe(Value v) {
        if (v.isString()) {
            String s = v.asString();
            return "\"" + (s.length() > 60 ? s.substring(0, 57) + "..." : s) + "\" (string)";
        }
        return Convert.describe(v);
    }

    private static IllegalArgumentException mismatch(WitType type, Value v, Object where, String expected) {
        return new IllegalArgumentException(where + ": expected " + type + " (" + expected + "), got "
                + describe(v));
    }

    // ------------------------------------------------------------------ natural -> guest

    /**
     * A natural Java value that a component function returned, as guests get it for {@code type}.
     * Results are {@code {tag, val}} objects here; {@link #resultToGuest} is for a function's own result.
     */
    static Object toGuest(WitType type, Object o) {
        switch (type.kind()) {
            case U64: {
                // A Long where one holds the value (as s64 and the core adapter's i64); only a
                // BigInteger, past 2^63, is a BigInt in JavaScript: polyglot makes no BigInt of a long.
                long bits = (Long) o;
                return bits >= 0 ? (Object) bits : new BigInteger(Long.toUnsignedString(bits));
            }
            case CHAR:
                return new String(Character.toChars((Integer) o));
            case LIST: {
                WitType element = ((WitType.ListOf) type).element();
                if (o instanceof byte[]) {
                    return new Bytes((byte[]) o);
                }
                List<?> list = (List<?>) o;
                List<Object> out = new ArrayList<>(list.size());
                for (Object e : list) {
                    out.add(toGuest(element, e));
                }
                return ProxyArray.fromList(out);
            }
            case RECORD: {
                Map<?, ?> map = (Map<?, ?>) o;
                LinkedHashMap<String, Object> out = new LinkedHashMap<>();
                for (WitType.Field f : ((WitType.Record) type).fields()) {
                    out.put(f.name(), toGuest(f.type(), map.get(f.name())));
                }
                return new WitObject(out, "record");
            }
            case TUPLE: {
                List<WitType> types = ((WitType.Tuple) type).types();
                List<?> list = (List<?>) o;
                Object[] out = new Object[types.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = toGuest(types.get(i), list.get(i));
                }
                return ProxyArray.fromArray(out);
            }
            case VARIANT: {
                WitVariant v = (WitVariant) o;
                for (WitType.Case c : ((WitType.Variant) type).cases()) {
                    if (c.name().equals(v.caseName())) {
                        return WitObject.tagged(c.name(), c.type().isPresent(),
                                c.type().map(t -> toGuest(t, v.value())).orElse(null), "variant");
                    }
                }
                throw new IllegalStateException("no case " + v.caseName() + " in " + type);
            }
            case OPTION: {
                Optional<?> opt = (Optional<?>) o;
                WitType inner = ((WitType.Option) type).type();
                if (inner.kind() == WitType.Kind.OPTION) {
                    return opt.isEmpty() ? WitObject.tagged("none", false, null, "option")
                            : WitObject.tagged("some", true, toGuest(inner, opt.get()), "option");
                }
                return opt.isEmpty() ? null : toGuest(inner, opt.get());
            }
            case RESULT: {
                Result<?, ?> r = (Result<?, ?>) o;
                Optional<WitType> side = r.isOk() ? ((WitType.Result) type).ok() : ((WitType.Result) type).err();
                return WitObject.tagged(r.isOk() ? "ok" : "err", side.isPresent(),
                        side.map(t -> toGuest(t, value(r))).orElse(null), "result");
            }
            case FLAGS: {
                Collection<?> set = (Collection<?>) o;
                LinkedHashMap<String, Object> out = new LinkedHashMap<>();
                for (String name : ((WitType.Flags) type).names()) {
                    out.put(name, set.contains(name));
                }
                return new WitObject(out, "flags");
            }
            case OWN:
            case BORROW:
                return o instanceof ResourceHandle ? new WitResource((ResourceHandle) o) : o;
            default:
                // bool, the other integers, the floats, string: their Java boxes are guest values as they are.
                return o;
        }
    }

    /**
     * A function's result as the guest gets it: as {@link #toGuest}, except that a {@code result} at
     * the top is unwrapped as jco does: its {@code ok} value is returned, its {@code err} value thrown
     * as a {@link ComponentErrorException}.
     */
    static Object resultToGuest(Optional<WitType> type, Object o, String function) {
        if (type.isEmpty()) {
            return null;
        }
        WitType t = type.get();
        if (t.kind() != WitType.Kind.RESULT) {
            return toGuest(t, o);
        }
        Result<?, ?> r = (Result<?, ?>) o;
        WitType.Result rt = (WitType.Result) t;
        Optional<WitType> side = r.isOk() ? rt.ok() : rt.err();
        Object value = side.map(s -> toGuest(s, value(r))).orElse(null);
        if (!r.isOk()) {
            throw new ComponentErrorException(function, value);
        }
        return value;
    }

    /** The value of either side of {@code r}. */
    private static Object value(Result<?, ?> r) {
        return r instanceof Result.Ok<?, ?> ok ? ok.value() : ((Result.Err<?, ?>) r).error();
    }
}
