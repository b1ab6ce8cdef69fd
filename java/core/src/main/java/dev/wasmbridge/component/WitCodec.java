package dev.wasmbridge.component;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes and reads the values of one WIT type in the byte layout that crosses JNI (the layout {@link
 * ValueCodec} describes; {@code native/src/component/values.rs} is the other side, golden files keep them
 * in step): one subclass per WIT kind, each writing its kind's layout once for three uses.
 *
 * <ul>
 *   <li>The exact model: every codec writes a {@link WitValue} as it is, and an {@link Mode#EXACT} codec
 *       reads {@link WitValue}s ({@link ComponentFunction#callValues}).
 *   <li>Natural values ({@link ComponentFunction#call(Object...)}, host functions given {@code Object}s):
 *       a {@link Mode#NATURAL} codec writes them straight into the call's bytes and reads them back.
 *   <li>Bound interfaces: a {@link Mode#JAVA} codec, made by {@link TypedCodec.Builder} for one Java type
 *       (records, enums, sealed variants, {@code EnumSet}, {@code byte[]}, widths of integers).
 * </ul>
 *
 * Made once per function; thread-safe (immutable), as long as a record's or variant's Java class is.
 */
abstract class WitCodec {
    /** What a codec reads and, beside {@link WitValue}s, takes. */
    enum Mode {
        /** {@link WitValue}s (writes natural values too). */
        EXACT,
        /** The natural mapping of {@link ComponentFunction#call(Object...)} (writes {@link WitValue}s too). */
        NATURAL,
        /** The Java types of a bound interface. */
        JAVA
    }

    final WitType type;
    final Mode mode;

    WitCodec(WitType type, Mode mode) {
        this.type = type;
        this.mode = mode;
    }

    /** Writes {@code v} (a {@link WitValue} or a value of this codec's mapping), naming {@code where} if it does not fit. */
    void write(Object v, ValueCodec.Out out, Object where) {
        if (v instanceof WitValue w) {
            writeValue(w, out, where);
        } else {
            writeJava(v, out, where);
        }
    }

    /** Writes a {@link WitValue} of this type. */
    abstract void writeValue(WitValue v, ValueCodec.Out out, Object where);

    /** Writes a Java value of this codec's mapping (never a primitive: boxed). */
    abstract void writeJava(Object v, ValueCodec.Out out, Object where);

    /** Reads a value; {@code resources} is null when the type holds none. */
    abstract Object read(ByteBuffer in, ResourceContext resources);

    final boolean exact() {
        return mode == Mode.EXACT;
    }

    /** {@code where: expected TYPE, got Class value}. */
    final IllegalArgumentException wrong(Object where, Object v) {
        return ValueCodec.wrong(where, type, v);
    }

    /** {@code v} as a {@code c}, or {@link #mismatch}. */
    final <T extends WitValue> T cast(Class<T> c, WitValue v, Object where) {
        if (!c.isInstance(v)) {
            throw mismatch(where, v);
        }
        return c.cast(v);
    }

    /** {@code where: expected TYPE, got value}, for a {@link WitValue} that is not of this type. */
    final IllegalArgumentException mismatch(Object where, WitValue v) {
        return new IllegalArgumentException(where + ": expected " + type + ", got " + ValueCodec.abbreviate(v));
    }

    // ------------------------------------------------------------------ factories

    /** The codec reading {@link WitValue}s of {@code type}. */
    static WitCodec exact(WitType type) {
        return of(type, Mode.EXACT);
    }

    /** The codec of {@code type}'s natural values. */
    static WitCodec natural(WitType type) {
        return of(type, Mode.NATURAL);
    }

    private static WitCodec of(WitType type, Mode mode) {
        switch (type.kind()) {
            case BOOL:
                return new Bool(type, mode);
            case S8:
            case U8:
            case S16:
            case U16:
            case S32:
            case U32:
            case S64:
            case U64:
                return Int.of(type, mode);
            case F32:
                return new F32(type, mode);
            case F64:
                return new F64(type, mode);
            case CHAR:
                return new Char(type, mode, false);
            case STRING:
                return new Str(type, mode);
            case LIST: {
                WitType element = ((WitType.ListOf) type).element();
                return new ListCodec((WitType.ListOf) type, mode, of(element, mode), element.kind() == WitType.Kind.U8);
            }
            case RECORD: {
                List<WitType.Field> fields = ((WitType.Record) type).fields();
                WitCodec[] codecs = new WitCodec[fields.size()];
                for (int i = 0; i < codecs.length; i++) {
                    codecs[i] = of(fields.get(i).type(), mode);
                }
                return new RecordCodec(type, mode, codecs, null, null);
            }
            case TUPLE: {
                List<WitType> types = ((WitType.Tuple) type).types();
                WitCodec[] codecs = new WitCodec[types.size()];
                for (int i = 0; i < codecs.length; i++) {
                    codecs[i] = of(types.get(i), mode);
                }
                return new RecordCodec(type, mode, codecs, null, null);
            }
            case VARIANT: {
                List<WitType.Case> cases = ((WitType.Variant) type).cases();
                WitCodec[] payloads = new WitCodec[cases.size()];
                for (int i = 0; i < payloads.length; i++) {
                    payloads[i] = cases.get(i).type().map(t -> of(t, mode)).orElse(null);
                }
                return new VariantCodec((WitType.Variant) type, mode, payloads, null, null);
            }
            case ENUM:
                return new EnumCodec(type, mode, null, null);
            case OPTION:
                return new OptionCodec(type, mode, of(((WitType.Option) type).type(), mode));
            case RESULT: {
                WitType.Result r = (WitType.Result) type;
                return new ResultCodec(type, mode, r.ok().map(t -> of(t, mode)).orElse(null),
                        r.err().map(t -> of(t, mode)).orElse(null));
            }
            case FLAGS:
                return new FlagsCodec((WitType.Flags) type, mode, null, null);
            case OWN:
            case BORROW:
                return new ResourceCodec(type, mode, null);
            default:
                return new Unsupported(type);
        }
    }

    // ------------------------------------------------------------------ kinds

    /** {@code bool}: a u8 0 or 1; Java {@code Boolean}. */
    static final class Bool extends WitCodec {
        Bool(WitType type, Mode mode) {
            super(type, mode);
        }

        @Override
        void writeValue(WitValue v, ValueCodec.Out out, Object where) {
            out.u8(cast(WitValue.Bool.class, v, where).value() ? 1 : 0);
        }

        @Override
        void writeJava(Object v, ValueCodec.Out out, Object where) {
            if (!(v instanceof Boolean b)) {
                throw wrong(where, v);
            }
            out.u8(b ? 1 : 0);
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            boolean b = in.get() != 0;
            return exact() ? new WitValue.Bool(b) : b;
        }
    }

    /**
     * The integer types: little-endian in their width. Natural values: any of {@code Byte} to {@code
     * Long} whose value is in range ({@code u64} also a {@code Long}'s bits and a {@code BigInteger}),
     * read as the narrowest Java type holding every value ({@code u32} a {@code Long}, {@code u64} a
     * {@code Long}'s bits). Bound types: a Java type at least as wide; the same width holds the bits, a
     * wider one the exact value (range-checked); {@code BigInteger} for {@code u64}.
     */
    static final class Int extends WitCodec {
        private final int bits;
        private final boolean signed;
        /** The Java type read: 8 to 64 bits, 65 for BigInteger. */
        private final int javaBits;
        private final long min;
        private final long max;

        Int(WitType type, Mode mode, int javaBits) {
            super(type, mode);
            WitType.Kind k = type.kind();
            this.bits = switch (k) {
                case S8, U8 -> 8;
                case S16, U16 -> 16;
                case S32, U32 -> 32;
                default -> 64;
            };
            this.signed = k == WitType.Kind.S8 || k == WitType.Kind.S16 || k == WitType.Kind.S32 || k == WitType.Kind.S64;
            this.javaBits = javaBits;
            this.min = signed ? -(1L << (bits - 1)) : 0;
            this.max = bits == 64 ? Long.MAX_VALUE : signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
        }

        static Int of(WitType type, Mode mode) {
            int javaBits = switch (type.kind()) {
                case S8 -> 8;
                case U8, S16 -> 16;
                case U16, S32 -> 32;
                default -> 64;
            };
            return new Int(type, mode, javaBits);
        }

        @Override
        void writeValue(WitValue v, ValueCodec.Out out, Object where) {
            long x = switch (type.kind()) {
                case S8 -> cast(WitValue.S8.class, v, where).value();
                case U8 -> cast(WitValue.U8.class, v, where).value();
                case S16 -> cast(WitValue.S16.class, v, where).value();
                case U16 -> cast(WitValue.U16.class, v, where).value();
                case S32 -> cast(WitValue.S32.class, v, where).value();
                case U32 -> cast(WitValue.U32.class, v, where).value();
                case S64 -> cast(WitValue.S64.class, v, where).value();
                default -> cast(WitValue.U64.class, v, where).bits();
            };
            put(x, out);
        }

        @Override
        void writeJava(Object v, ValueCodec.Out out, Object where) {
            put(mode == Mode.JAVA ? bound(v, where) : natural(v, where), out);
        }

        private long natural(Object v, Object where) {
            if (bits == 64 && !signed) {
                if (v instanceof BigInteger b) {
                    if (b.signum() < 0 || b.bitLength() > 64) {
                        throw new IllegalArgumentException(where + ": " + b + " is out of the range of u64");
                    }
                    return b.longValue();
                }
                if (v instanceof Long || v instanceof Integer i && i >= 0 || v instanceof Short s && s >= 0
                        || v instanceof Byte b && b >= 0) {
                    return ((Number) v).longValue();
                }
                throw wrong(where, v);
            }
            if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
                long x = ((Number) v).longValue();
                if (x < min || x > max) {
                    throw new IllegalArgumentException(where + ": " + x + " is out of the range of " + type);
                }
                return x;
            }
            throw wrong(where, v);
        }

        private long bound(Object v, Object where) {
            if (v instanceof BigInteger b) {
                if (b.signum() < 0 || b.bitLength() > 64) {
                    throw new IllegalArgumentException(where + ": " + b + " is out of range for " + type);
                }
                return b.longValue();
            }
            if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                long x = ((Number) v).longValue();
                // The value's own width decides (a List<Integer> may hold a Long, erasure permitting): wider
                // than the WIT type is the exact value, range-checked; the same width is the bits.
                int width = v instanceof Long ? 64 : v instanceof Integer ? 32 : v instanceof Short ? 16 : 8;
                if (width > bits && (x < min || x > max) || width < bits && !signed && x < 0) {
                    throw new IllegalArgumentException(where + ": " + x + " is out of range for " + type);
                }
                return x;
            }
            throw wrong(where, v);
        }

        private void put(long x, ValueCodec.Out out) {
            switch (bits) {
                case 8 -> out.u8((int) x);
                case 16 -> out.u16((int) x);
                case 32 -> out.u32((int) x);
                default -> out.u64(x);
            }
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            long x = switch (bits) {
                case 8 -> signed ? in.get() : in.get() & 0xFF;
                case 16 -> signed ? in.getShort() : in.getShort() & 0xFFFF;
                case 32 -> signed ? in.getInt() : in.getInt() & 0xFFFF_FFFFL;
                default -> in.getLong();
            };
            if (exact()) {
                return switch (type.kind()) {
                    case S8 -> new WitValue.S8((byte) x);
                    case U8 -> new WitValue.U8((int) x);
                    case S16 -> new WitValue.S16((short) x);
                    case U16 -> new WitValue.U16((int) x);
                    case S32 -> new WitValue.S32((int) x);
                    case U32 -> new WitValue.U32(x);
                    case S64 -> new WitValue.S64(x);
                    default -> new WitValue.U64(x);
                };
            }
            return switch (javaBits) {
                case 8 -> (byte) x;
                case 16 -> (short) x;
                case 32 -> (int) x;
                case 64 -> x;
                default -> x >= 0 ? BigInteger.valueOf(x) : BigInteger.valueOf(x).add(BigInteger.ONE.shiftLeft(64));
            };
        }
    }

    /** {@code f32}: its raw bits (NaN payloads kept); {@code Float}, naturally also an exact {@code Short} or {@code Byte}. */
    static final class F32 extends WitCodec {
        F32(WitType type, Mode mode) {
            super(type, mode);
        }

        @Override
        void writeValue(WitValue v, ValueCodec.Out out, Object where) {
            out.u32(Float.floatToRawIntBits(cast(WitValue.F32.class, v, where).value()));
        }

        @Override
        void writeJava(Object v, ValueCodec.Out out, Object where) {
            // Exact conversions only: a Short or Byte fits a float's 24-bit significand.
            if (!(v instanceof Float || mode != Mode.JAVA && (v instanceof Short || v instanceof Byte))) {
                throw wrong(where, v);
            }
            out.u32(Float.floatToRawIntBits(((Number) v).floatValue()));
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            float f = Float.intBitsToFloat(in.getInt());
            return exact() ? new WitValue.F32(f) : f;
        }
    }

    /** {@code f64}: its raw bits; {@code Double}, naturally also a {@code Float}, {@code Integer}, {@code Short} or {@code Byte}. */
    static final class F64 extends WitCodec {
        F64(WitType type, Mode mode) {
            super(type, mode);
        }

        @Override
        void writeValue(WitValue v, ValueCodec.Out out, Object where) {
            out.u64(Double.doubleToRawLongBits(cast(WitValue.F64.class, v, where).value()));
        }

        @Override
        void writeJava(Object v, ValueCodec.Out out, Object where) {
            // Exact conversions only: a Float or an Integer fits a double (a Long may not).
            if (!(v instanceof Double || mode != Mode.JAVA && (v instanceof Float || v instanceof Integer
                    || v instanceof Short || v instanceof Byte))) {
                throw wrong(where, v);
            }
            out.u64(Double.doubleToRawLongBits(((Number) v).doubleValue()));
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            double d = Double.longBitsToDouble(in.getLong());
            return exact() ? new WitValue.F64(d) : d;
        }
    }

    /** {@code char}: its code point as a u32; an {@code Integer} code point or a {@code Character} (read as one: BMP only). */
    static final class Char extends WitCodec {
        private final boolean javaChar;

        Char(WitType type, Mode mode, boolean javaChar) {
            super(type, mode);
            this.javaChar = javaChar;
        }

        @Override
        void writeValue(WitValue v, ValueCodec.Out out, Object where) {
            out.u32(cast(WitValue.Char.class, v, where).codePoint());
        }

        @Override
        void writeJava(Object v, ValueCodec.Out out, Object where) {
            int cp;
            if (v instanceof Integer i) {
                cp = i;
            } else if (v instanceof Character c) {
                cp = c;
            } else {
                throw wrong(where, v);
            }
            if (cp < 0 || cp > Character.MAX_CODE_POINT || cp >= 0xD800 && cp <= 0xDFFF) {
                if (mode == Mode.JAVA) {
                    throw new IllegalArgumentException(where + ": " + cp + " (0x" + Integer.toHexString(cp)
                            + ") is not a Unicode scalar value");
                }
                try {
                    new WitValue.Char(cp);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
            out.u32(cp);
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            int cp = in.getInt();
            if (exact()) {
                return new WitValue.Char(cp);
            }
            if (!javaChar) {
                return cp;
            }
            if (cp > 0xFFFF) {
                throw new IllegalArgumentException("the component returned the char U+"
                        + Integer.toHexString(cp).toUpperCase(Locale.ROOT)
                        + ", which a Java char cannot hold: declare it as an int code point");
            }
            return (char) cp;
        }
    }

    /** {@code string}: a u32 byte count then UTF-8; a well-formed {@code String}. */
    static final class Str extends WitCodec {
        Str(WitType type, Mode mode) {
            super(type, mode);
        }

        @Override
        void writeValue(WitValue v, ValueCodec.Out out, Object where) {
            // Well-formed: WitValue.Str checks it when it is made.
            out.bytes(cast(WitValue.Str.class, v, where).value().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        void writeJava(Object v, ValueCodec.Out out, Object where) {
            if (!(v instanceof String s)) {
                throw wrong(where, v);
            }
            ValueCodec.checkWellFormed(s, where);
            out.bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            String s = ValueCodec.string(in);
            return exact() ? ValueCodec.decodedStr(s) : s;
        }
    }

    /**
     * {@code list<T>}: a u32 count then the elements; a {@code List} (bound: any {@code Collection}), and
     * {@code byte[]} for {@code list<u8>} (bound: also {@code list<s8>}), read as one when {@code bytes}.
     */
    static final class ListCodec extends WitCodec {
        private final WitCodec element;
        /** Whether a {@code byte[]} is the Java value (taken, and read). */
        private final boolean bytes;

        ListCodec(WitType.ListOf type, Mode mode, WitCodec element, boolean bytes) {
            super(type, mode);
            this.element = element;
            this.bytes = bytes;
        }

        @Override
        void writeValue(WitValue v, ValueCodec.Out out, Object where) {
            if (v instanceof WitValue.Bytes b && ((WitType.ListOf) type).element().kind() == WitType.Kind.U8) {
                out.bytes(b.shared());
                return;
            }
            writeAll(cast(WitValue.ListOf.class, v, where).elements(), out, where);
        }

        @Override
        void writeJava(Object v, ValueCodec.Out out, Object where) {
            if (v instanceof byte[] b && bytes) {
                out.bytes(b);
            } else if (mode == Mode.JAVA ? !bytes && v instanceof Collection<?> : v instanceof List<?>) {
                writeAll((Collection<?>) v, out, where);
            } else {
                throw wrong(where, v);
            }
        }

        private void writeAll(Collection<?> c, ValueCodec.Out out, Object where) {
            out.u32(c.size());
            int i = 0;
            for (Object e : c) {
                element.write(e, out, new ValueCodec.At(where, " list element ", i++, ""));
            }
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            int n = in.getInt();
            if (bytes) {
                byte[] b = new byte[n];
                in.get(b);
                return exact() ? new WitValue.Bytes(b) : b;
            }
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(element.read(in, resources));
            }
            return exact() ? new WitValue.ListOf(castAll(out)) : out;
        }

        @SuppressWarnings("unchecked")
        private static List<WitValue> castAll(List<?> values) {
            return (List<WitValue>) values;
        }
    }

    /**
     * {@code record} and {@code tuple} (one layout: the fields in order). Natural values: a {@code Map}
     * from field name (a record), a {@code List} (a tuple); bound: a Java record, components matched by
     * name (a record) or position (a tuple).
     */
    static final class RecordCodec extends WitCodec {
        private final WitCodec[] codecs;
        /** Per field, its name (a record) or null (a tuple). */
        private final String[] names;
        /** Per field, where it is: {@code " record field 'x'"}. */
        private final String[] wheres;
        /** The Java record (mode JAVA), else null. */
        private final TypedCodec.RecordShape shape;
        /** Per WIT field, the Java record component's index (mode JAVA). */
        private final int[] component;

        RecordCodec(WitType type, Mode mode, WitCodec[] codecs, TypedCodec.RecordShape shape, int[] component) {
            super(type, mode);
            this.codecs = codecs;
            this.shape = shape;
            this.component = component;
            this.names = new String[codecs.length];
            this.wheres = new String[codecs.length];
            for (int i = 0; i < codecs.length; i++) {
                if (type instanceof WitType.Record r) {
                    names[i] = r.fields().get(i).name();
                    wheres[i] = " record field '" + names[i] + "'";
                } else {
                    wheres[i] = " tuple element " + i;
                }
            }
        }

        private boolean isRecord() {
            return type instanceof WitType.Record;
        }

        @Override
        void writeValue(WitValue v, ValueCodec.Out out, Object where) {
            if (isRecord()) {
                List<WitValue.FieldValue> values = cast(WitValue.Record.class, v, where).fields();
                if (values.size() != codecs.length) {
                    throw mismatch(where, v);
                }
                for (int i = 0; i < codecs.length; i++) {
                    WitValue.FieldValue value = values.get(i);
                    if (!value.name().equals(names[i])) {
                        throw new IllegalArgumentException(where + ": field " + i + " of " + type + " is '" + names[i]
                                + "', got '" + value.name() + "'");
                    }
                    codecs[i].write(value.value(), out, new ValueCodec.At(where, wheres[i], "", ""));
                }
            } else {
                List<WitValue> values = cast(WitValue.Tuple.class, v, where).values();
                if (values.size() != codecs.length) {
                    throw mismatch(where, v);
                }
                for (int i = 0; i < codecs.length; i++) {
                    codecs[i].write(values.get(i), out, new ValueCodec.At(where, wheres[i], "", ""));
                }
            }
        }

        @Override
        void writeJava(Object v, ValueCodec.Out out, Object where) {
            if (mode == Mode.JAVA) {
                if (!shape.type.isInstance(v)) {
                    throw wrong(where, v);
                }
                for (int i = 0; i < codecs.length; i++) {
                    codecs[i].write(shape.get(component[i], v), out, new ValueCodec.At(where, wheres[i], "", ""));
                }
            } else if (isRecord()) {
                if (!(v instanceof Map<?, ?> map)) {
                    throw wrong(where, v);
                }
                for (int i = 0; i < codecs.length; i++) {
                    Object at = new ValueCodec.At(where, wheres[i], "", "");
                    Object value = map.get(names[i]);
                    if (value == null && !map.containsKey(names[i])) {
                        throw new IllegalArgumentException(at + ": missing");
                    }
                    codecs[i].write(value, out, at);
                }
                if (map.size() != codecs.length) { // every field is in the map, so a key is not a field
                    for (Object key : map.keySet()) {
                        if (!List.of(names).contains(key)) {
                            throw new IllegalArgumentException(where + ": " + type + " has no field '" + key + "'");
                        }
                    }
                }
            } else {
                if (!(v instanceof List<?> list) || list.size() != codecs.length) {
                    throw wrong(where, v);
                }
                for (int i = 0; i < codecs.length; i++) {
                    codecs[i].write(list.get(i), out, new ValueCodec.At(where, wheres[i], "", ""));
                }
            }
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            switch (mode) {
                case JAVA: {
                    Object[] values = new Object[codecs.length];
                    for (int i = 0; i < codecs.length; i++) {
                        values[component[i]] = codecs[i].read(in, resources);
                    }
                    return shape.make(values);
                }
                case NATURAL:
                    if (isRecord()) {
                        Map<String, Object> map = new LinkedHashMap<>();
                        for (int i = 0; i < codecs.length; i++) {
                            map.put(names[i], codecs[i].read(in, resources));
                        }
                        return map;
                    } else {
                        List<Object> list = new ArrayList<>(codecs.length);
                        for (WitCodec c : codecs) {
                            list.add(c.read(in, resources));
                        }
                        return list;
                    }
                default:
                    if (isRecord()) {
                        List<WitValue.FieldValue> fields = new ArrayList<>(codecs.length);
                        for (int i = 0; i < codecs.length; i++) {
                            fields.add(new WitValue.FieldValue(names[i], (WitValue) codecs[i].read(in, resources)));
                        }
                        return new WitValue.Record(fields);
                    } else {
                        List<WitValue> values = new ArrayList<>(codecs.length);
                        for (WitCodec c : codecs) {
                            values.add((WitValue) c.read(in, resources));
                        }
                        return new WitValue.Tuple(values);
                    }
            }
        }
    }

    /** One case of a variant bound to a Java record (no components, or one for the payload). */
    record Case(TypedCodec.RecordShape shape) {
    }

    /**
     * {@code variant}: the case's u32 index then its payload; a {@link WitVariant} naturally, bound a
     * sealed interface of records (a record per case).
     */
    static final class VariantCodec extends WitCodec {
        /** Per case, its payload's codec, or null for a case without one. */
        private final WitCodec[] payloads;
        private final String[] wheres;
        /** Per case, its Java record (mode JAVA). */
        private final Case[] cases;
        /** Each case's record class to its index (mode JAVA). */
        private final Map<Class<?>, Integer> index;

        VariantCodec(WitType.Variant type, Mode mode, WitCodec[] payloads, Case[] cases, Map<Class<?>, Integer> index) {
            super(type, mode);
            this.payloads = payloads;
            this.cases = cases;
            this.index = index;
            this.wheres = new String[payloads.length];
            for (int i = 0; i < payloads.length; i++) {
                wheres[i] = " variant case '" + type.cases().get(i).name() + "'";
            }
        }

        private int indexOf(String name, Object where) {
            List<WitType.Case> all = ((WitType.Variant) type).cases();
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).name().equals(name)) {
                    return i;
                }
            }
            throw new IllegalArgumentException(where + ": " + type + " has no case '" + name + "'");
        }

        @Override
        void writeValue(WitValue v, ValueCodec.Out out, Object where) {
            WitValue.Variant var = cast(WitValue.Variant.class, v, where);
            int i = indexOf(var.caseName(), where);
            out.u32(i);
            Object at = new ValueCodec.At(where, wheres[i], "", "");
            if ((payloads[i] != null) != var.payload().isPresent()) {
                throw new IllegalArgumentException(at + (payloads[i] != null ? ": the case needs a payload"
                        : ": the case has no payload"));
            }
            if (payloads[i] != null) {
                payloads[i].write(var.payload().get(), out, at);
            }
        }

        @Override
        void writeJava(Object v, ValueCodec.Out out, Object where) {
            if (mode == Mode.JAVA) {
                Integer i = v == null ? null : index.get(v.getClass());
                if (i == null) {
                    throw wrong(where, v);
                }
                out.u32(i);
                if (payloads[i] != null) {
                    payloads[i].write(cases[i].shape.get(0, v), out, new ValueCodec.At(where, wheres[i], "", ""));
                }
                return;
            }
            if (!(v instanceof WitVariant variant)) {
                throw wrong(where, v);
            }
            int i = indexOf(variant.caseName(), where);
            out.u32(i);
            Object at = new ValueCodec.At(where, wheres[i], "", "");
            if (payloads[i] == null) {
                if (variant.value() != null) {
                    throw new IllegalArgumentException(at + ": the case has no payload, got "
                            + ValueCodec.abbreviate(variant.value()));
                }
                return;
            }
            payloads[i].write(variant.value(), out, at);
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            int i = in.getInt();
            Object payload = payloads[i] == null ? null : payloads[i].read(in, resources);
            switch (mode) {
                case JAVA:
                    return cases[i].shape.make(payloads[i] == null ? new Object[0] : new Object[] {payload});
                case NATURAL:
                    return new WitVariant(name(i), payload);
                default:
                    return new WitValue.Variant(name(i), Optional.ofNullable((WitValue) payload));
            }
        }

        private String name(int i) {
            return ((WitType.Variant) type).cases().get(i).name();
        }
    }

    /** {@code enum}: the case's u32 index; its name naturally, bound a Java enum's constant. */
    static final class EnumCodec extends WitCodec {
        private final List<String> names;
        /** The Java enum (mode JAVA). */
        private final Class<?> enumType;
        /** Per constant (ordinal), its case's index (mode JAVA). */
        private final int[] index;
        /** Per case, its constant (mode JAVA). */
        private final Object[] byIndex;

        EnumCodec(WitType type, Mode mode, Class<?> enumType, int[] index) {
            super(type, mode);
            this.names = ((WitType.Enum) type).names();
            this.enumType = enumType;
            this.index = index;
            if (enumType == null) {
                this.byIndex = null;
            } else {
                Object[] constants = enumType.getEnumConstants();
                this.byIndex = new Object[constants.length];
                for (int i = 0; i < constants.length; i++) {
                    byIndex[index[i]] = constants[i];
                }
            }
        }

        @Override
        void writeValue(WitValue v, ValueCodec.Out out, Object where) {
            String name = cast(WitValue.Enum.class, v, where).caseName();
            int i = names.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException(where + ": " + type + " has no case '" + name + "'");
            }
            out.u32(i);
        }

        @Override
        void writeJava(Object v, ValueCodec.Out out, Object where) {
            if (mode == Mode.JAVA) {
                if (!enumType.isInstance(v)) {
                    throw wrong(where, v);
                }
                out.u32(index[((Enum<?>) v).ordinal()]);
                return;
            }
            int i = v instanceof String ? names.indexOf(v) : -1;
            if (i < 0) {
                throw wrong(where, v);
            }
            out.u32(i);
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            int i = in.getInt();
            return switch (mode) {
                case JAVA -> byIndex[i];
                case NATURAL -> names.get(i);
                default -> new WitValue.Enum(names.get(i));
            };
        }
    }

    /** {@code option<T>}: a u8 0 or 1 then the value; an {@code Optional} (nested ones stay apart). */
    static final class OptionCodec extends WitCodec {
        private final WitCodec value;

        OptionCodec(WitType type, Mode mode, WitCodec value) {
            super(type, mode);
            this.value = value;
        }

        @Override
        void writeValue(WitValue v, ValueCodec.Out out, Object where) {
            write(cast(WitValue.Option.class, v, where).value(), out, where);
        }

        @Override
        void writeJava(Object v, ValueCodec.Out out, Object where) {
            if (!(v instanceof Optional<?> o)) {
                throw wrong(where, v);
            }
            write(o, out, where);
        }

        private void write(Optional<?> o, ValueCodec.Out out, Object where) {
            out.u8(o.isPresent() ? 1 : 0);
            if (o.isPresent()) {
                value.write(o.get(), out, new ValueCodec.At(where, " option value", "", ""));
            }
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            if (in.get() == 0) {
                return exact() ? new WitValue.Option(Optional.empty()) : Optional.empty();
            }
            Object v = value.read(in, resources);
            return exact() ? new WitValue.Option(Optional.of((WitValue) v)) : Optional.of(v);
        }
    }

    /**
     * {@code result<T, E>}: a u8 0 (ok) or 1 (err) then the value of that side if it has a type; a
     * {@link Result} (the deprecated {@link WitResult} is still taken); a side without a type has a
     * null codec and a null value.
     */
    static final class ResultCodec extends WitCodec {
        final WitCodec ok;
        final WitCodec err;

        ResultCodec(WitType type, Mode mode, WitCodec ok, WitCodec err) {
            super(type, mode);
            this.ok = ok;
            this.err = err;
        }

        @Override
        void writeValue(WitValue v, ValueCodec.Out out, Object where) {
            WitValue.Result r = cast(WitValue.Result.class, v, where);
            WitCodec side = r.isOk() ? ok : err;
            Object at = new ValueCodec.At(where, " result ", r.isOk() ? "ok" : "err", " value");
            if ((side != null) != r.value().isPresent()) {
                throw new IllegalArgumentException(at + (side != null ? ": the type needs a value" : ": the type has none"));
            }
            out.u8(r.isOk() ? 0 : 1);
            if (side != null) {
                side.write(r.value().get(), out, at);
            }
        }

        @Override
        @SuppressWarnings("deprecation")
        void writeJava(Object v, ValueCodec.Out out, Object where) {
            if (v instanceof Result.Ok<?, ?> o) {
                out.u8(0);
                side(ok, o.value(), out, new ValueCodec.At(where, " result ok value", "", ""));
            } else if (v instanceof Result.Err<?, ?> e) {
                out.u8(1);
                side(err, e.error(), out, new ValueCodec.At(where, " result err value", "", ""));
            } else if (v instanceof WitResult r && mode != Mode.JAVA) {
                out.u8(r.isOk() ? 0 : 1);
                side(r.isOk() ? ok : err, r.value(), out, new ValueCodec.At(where, " result ", r.isOk() ? "ok" : "err",
                        " value"));
            } else {
                throw wrong(where, v);
            }
        }

        /** Writes one side's value: by its codec, or nothing (then the value must be null). */
        static void side(WitCodec c, Object v, ValueCodec.Out out, Object where) {
            if (c != null) {
                c.write(v, out, where);
            } else if (v != null) {
                throw new IllegalArgumentException(where + ": the type has no value here, got "
                        + v.getClass().getSimpleName() + " " + ValueCodec.abbreviate(v));
            }
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            boolean isOk = in.get() == 0;
            WitCodec side = isOk ? ok : err;
            Object value = side == null ? null : side.read(in, resources);
            if (exact()) {
                return new WitValue.Result(isOk, Optional.ofNullable((WitValue) value));
            }
            return isOk ? new Result.Ok<>(value) : new Result.Err<>(value);
        }
    }

    /**
     * {@code flags}: u32 words of bits, flag {@code i} bit {@code i % 32} of word {@code i / 32}; a
     * {@code Set} of names naturally, bound an {@code EnumSet}.
     */
    static final class FlagsCodec extends WitCodec {
        private final List<String> names;
        private final int words;
        /** The Java enum (mode JAVA). */
        private final Class<?> enumType;
        /** Per constant (ordinal), its flag's index (mode JAVA). */
        private final int[] index;
        private final Object[] constants;

        FlagsCodec(WitType.Flags type, Mode mode, Class<?> enumType, int[] index) {
            super(type, mode);
            this.names = type.names();
            this.words = (names.size() + 31) / 32;
            this.enumType = enumType;
            this.index = index;
            this.constants = enumType == null ? null : enumType.getEnumConstants();
        }

        @Override
        void writeValue(WitValue v, ValueCodec.Out out, Object where) {
            Set<String> set = cast(WitValue.Flags.class, v, where).names();
            int[] bits = new int[words];
            for (String n : set) {
                int i = names.indexOf(n);
                if (i < 0) {
                    throw new IllegalArgumentException(where + ": " + type + " has no flag '" + n + "'");
                }
                bits[i / 32] |= 1 << (i % 32);
            }
            put(bits, out);
        }

        @Override
        void writeJava(Object v, ValueCodec.Out out, Object where) {
            if (mode == Mode.JAVA ? !(v instanceof Set<?>) : !(v instanceof Collection<?>)) {
                throw wrong(where, v);
            }
            int[] bits = new int[words];
            for (Object o : (Collection<?>) v) {
                int i;
                if (mode == Mode.JAVA) {
                    if (!enumType.isInstance(o)) {
                        throw new IllegalArgumentException(where + ": expected " + type + " (a set of "
                                + enumType.getSimpleName() + "), got an element "
                                + (o == null ? "null" : o.getClass().getSimpleName()));
                    }
                    i = index[((Enum<?>) o).ordinal()];
                } else {
                    i = o instanceof String ? names.indexOf(o) : -1;
                    if (i < 0) {
                        throw new IllegalArgumentException(where + ": " + type + " has no flag " + ValueCodec.abbreviate(o));
                    }
                }
                bits[i / 32] |= 1 << (i % 32);
            }
            put(bits, out);
        }

        private static void put(int[] bits, ValueCodec.Out out) {
            for (int w : bits) {
                out.u32(w);
            }
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object read(ByteBuffer in, ResourceContext resources) {
            int[] bits = new int[words];
            for (int w = 0; w < words; w++) {
                bits[w] = in.getInt();
            }
            if (mode == Mode.JAVA) {
                EnumSet set = EnumSet.noneOf((Class) enumType);
                for (Object c : constants) {
                    int i = index[((Enum<?>) c).ordinal()];
                    if ((bits[i / 32] >>> (i % 32) & 1) != 0) {
                        set.add(c);
                    }
                }
                return set;
            }
            Set<String> set = new LinkedHashSet<>();
            for (int i = 0; i < names.size(); i++) {
                if ((bits[i / 32] >>> (i % 32) & 1) != 0) {
                    set.add(names.get(i));
                }
            }
            return exact() ? new WitValue.Flags(set) : Collections.unmodifiableSet(set);
        }
    }

    /**
     * {@code own} and {@code borrow}: a tag byte ({@link ComponentAbi}) then a component's handle's u64
     * key or a Java object's u32 rep; a {@link ResourceHandle} or the Java object (bound: the one that
     * {@code javaType} says, null for a handle).
     */
    static final class ResourceCodec extends WitCodec {
        /** Mode JAVA: the Java class implementing the resource, or null for a {@link ResourceHandle}. */
        private final Class<?> javaType;

        ResourceCodec(WitType type, Mode mode, Class<?> javaType) {
            super(type, mode);
            this.javaType = javaType;
        }

        @Override
        void writeValue(WitValue v, ValueCodec.Out out, Object where) {
            if (v instanceof WitValue.HostResource h) {
                host(h.value(), out, where);
            } else {
                handle(cast(WitValue.Resource.class, v, where).handle(), out, where);
            }
        }

        @Override
        void writeJava(Object v, ValueCodec.Out out, Object where) {
            if (v instanceof ResourceHandle h && (mode != Mode.JAVA || javaType == null)) {
                handle(h, out, where);
            } else if (v == null || mode == Mode.JAVA && javaType == null) {
                throw wrong(where, v);
            } else {
                // Any other object is one implementing a host resource; its context checks its class.
                host(v, out, where);
            }
        }

        private void handle(ResourceHandle h, ValueCodec.Out out, Object where) {
            out.u8(ComponentAbi.RESOURCE_HANDLE);
            out.u64(out.resources().key(h, type, where));
        }

        private void host(Object v, ValueCodec.Out out, Object where) {
            out.u8(ComponentAbi.RESOURCE_HOST);
            out.u32(out.resources().rep(v, type, where));
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            int tag = in.get();
            if (mode == Mode.JAVA) {
                if (javaType == null && tag == ComponentAbi.RESOURCE_HOST) {
                    in.getInt();
                    throw new IllegalStateException("a " + type + " arrived as a Java object, not as a component's handle");
                }
                if (javaType != null && tag != ComponentAbi.RESOURCE_HOST) {
                    in.getLong();
                    throw new IllegalStateException("a " + type + " arrived as a component's handle, not as a Java object");
                }
            }
            WitValue v = tag == ComponentAbi.RESOURCE_HOST ? resources.host(in.getInt(), type)
                    : resources.handle(in.getLong(), type);
            if (exact()) {
                return v;
            }
            Object o = v instanceof WitValue.HostResource h ? h.value() : ((WitValue.Resource) v).handle();
            return javaType != null ? javaType.cast(o) : o;
        }
    }

    /** A type whose values cannot cross yet ({@code stream}, {@code future}, ...). */
    static final class Unsupported extends WitCodec {
        Unsupported(WitType type) {
            super(type, Mode.NATURAL);
        }

        @Override
        void writeValue(WitValue v, ValueCodec.Out out, Object where) {
            writeJava(v, out, where);
        }

        @Override
        void writeJava(Object v, ValueCodec.Out out, Object where) {
            throw new IllegalArgumentException(where + ": values of type " + type + " cannot cross yet");
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            throw new IllegalStateException("values of type " + type + " cannot cross yet");
        }
    }
}
