package dev.wasmbridge.component;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The two conversions of component values: natural Java values to and from {@link WitValue}s (by the
 * WIT type, naming where a value is wrong), and {@link WitValue}s to and from the bytes that cross JNI
 * ({@code native/src/component/values.rs} reads and writes the same layout: little-endian scalars,
 * {@code char} as its code point in 4 bytes, strings and lists as a u32 count then their UTF-8 bytes
 * or elements, record and tuple fields in order, a variant or enum as its u32 case index then the
 * payload, an option as a u8 0/1 then the value, a result as a u8 0 (ok) / 1 (err) then the value of
 * that side if it has a type, flags as u32 words of bits, a resource as a tag byte ({@link ComponentAbi}) then a handle's u64 key
 * or a host object's u32 rep). Types arrive in the
 * encoding {@link #readType} reads ({@link WitType.Kind} ordinals as tags).
 */
final class ValueCodec {
    private ValueCodec() {
    }

    // ------------------------------------------------------------------ bytes out

    /**
     * A growable little-endian byte buffer: on the heap (for {@link #toArray()}), or a store's direct
     * call buffer ({@link ComponentStoreState#io()}), reused per function.
     */
    static final class Out {
        ByteBuffer buf;
        /** The direct buffer's address, 0 on the heap. */
        long address;
        /** The store whose call buffer this writes, null on the heap. */
        private final ComponentStoreState direct;
        /** The resources of the call being encoded (made on first use). */
        private ResourceContext resources;
        private final java.util.function.Supplier<ResourceContext> newResources;

        /** A buffer on the heap. */
        Out(java.util.function.Supplier<ResourceContext> newResources) {
            this(null, newResources);
        }

        /** The call buffer of {@code direct}'s store (taken at each {@link #reset()}). */
        Out(ComponentStoreState direct, java.util.function.Supplier<ResourceContext> newResources) {
            this.direct = direct;
            this.newResources = newResources;
            this.buf = direct == null ? ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN) : null;
        }

        void reset() {
            if (direct != null) {
                buf = direct.io();
                address = direct.ioAddress();
            }
            buf.clear();
            resources = null;
        }

        ResourceContext resources() {
            if (resources == null) {
                resources = newResources.get();
            }
            return resources;
        }

        /** The resources of this call, or null if it passed none. */
        ResourceContext resourcesIfAny() {
            return resources;
        }

        private void room(long n) {
            if (buf.remaining() < n) {
                int pos = buf.position();
                if (pos + n > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("the values are larger than 2 GiB");
                }
                int size = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(buf.capacity() * 2L, pos + n));
                ByteBuffer bigger;
                if (direct != null) {
                    bigger = direct.growIo(size);
                    address = direct.ioAddress();
                } else {
                    bigger = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
                }
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        void u8(int v) {
            room(1);
            buf.put((byte) v);
        }

        void u16(int v) {
            room(2);
            buf.putShort((short) v);
        }

        void u32(int v) {
            room(4);
            buf.putInt(v);
        }

        void u64(long v) {
            room(8);
            buf.putLong(v);
        }

        void bytes(byte[] b) {
            room(4L + b.length);
            buf.putInt(b.length);
            buf.put(b);
        }

        /** The bytes written (heap buffers). */
        byte[] toArray() {
            return Arrays.copyOf(buf.array(), buf.position());
        }
    }

    // ------------------------------------------------------------------ types

    /** Reads one type of the native encoding. */
    static WitType readType(ByteBuffer in) {
        int tag = in.get();
        WitType.Kind[] kinds = WitType.Kind.values();
        if (tag < 0 || tag >= kinds.length) {
            throw new IllegalStateException("unknown WIT type tag " + tag);
        }
        WitType.Kind kind = kinds[tag];
        switch (kind) {
            case LIST:
                return new WitType.ListOf(readType(in));
            case RECORD: {
                int n = in.getInt();
                List<WitType.Field> fields = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    fields.add(new WitType.Field(string(in), readType(in)));
                }
                return new WitType.Record(fields);
            }
            case TUPLE: {
                int n = in.getInt();
                List<WitType> types = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    types.add(readType(in));
                }
                return new WitType.Tuple(types);
            }
            case VARIANT: {
                int n = in.getInt();
                List<WitType.Case> cases = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String name = string(in);
                    cases.add(new WitType.Case(name, optionalType(in)));
                }
                return new WitType.Variant(cases);
            }
            case ENUM:
                return new WitType.Enum(strings(in));
            case OPTION:
                return new WitType.Option(readType(in));
            case RESULT: {
                Optional<WitType> ok = optionalType(in);
                return new WitType.Result(ok, optionalType(in));
            }
            case FLAGS:
                return new WitType.Flags(strings(in));
            case OWN:
                return new WitType.Own(string(in));
            case BORROW:
                return new WitType.Borrow(string(in));
            case UNSUPPORTED:
                return new WitType.Unsupported(string(in));
            default:
                return new WitType.Primitive(kind);
        }
    }

    private static Optional<WitType> optionalType(ByteBuffer in) {
        return in.get() != 0 ? Optional.of(readType(in)) : Optional.empty();
    }

    /** Reads a u32 count and that many bytes of UTF-8 (decoded in place from a heap buffer). */
    static String string(ByteBuffer in) {
        int n = in.getInt();
        if (in.hasArray()) {
            String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
            in.position(in.position() + n);
            return s;
        }
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static List<String> strings(ByteBuffer in) {
        int n = in.getInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(string(in));
        }
        return out;
    }

    static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    // ------------------------------------------------------------------ natural -> WitValue

    /**
     * Where a value is, as {@code parent + before + detail + after}, composed only when a message names
     * it (a call that fits its type builds no strings). {@code parent} is a {@code String} or an {@code At}.
     */
    static final class At {
        private final Object parent;
        private final String before;
        private final Object detail;
        private final String after;

        At(Object parent, String before, Object detail, String after) {
            this.parent = parent;
            this.before = before;
            this.detail = detail;
            this.after = after;
        }

        @Override
        public String toString() {
            return parent + before + detail + after;
        }
    }

    /** {@code where: expected TYPE, got Class value}, for a value that does not fit its type. */
    static IllegalArgumentException wrong(Object where, WitType type, Object value) {
        return new IllegalArgumentException(where + ": expected " + type + ", got "
                + (value == null ? "null" : value.getClass().getSimpleName() + " " + abbreviate(value)));
    }

    private static String abbreviate(Object value) {
        String s = String.valueOf(value);
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    /** A Java integer of any width ({@code Byte} to {@code Long}) whose value is in {@code [min, max]}. */
    private static long integer(Object v, WitType type, Object where, long min, long max) {
        if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
            long x = ((Number) v).longValue();
            if (x < min || x > max) {
                throw new IllegalArgumentException(where + ": " + x + " is out of the range of " + type);
            }
            return x;
        }
        throw wrong(where, type, v);
    }

    /**
     * The {@link WitValue} of natural Java value {@code v} for {@code type}. A {@link WitValue} is
     * taken as it is (and checked when written).
     */
    static WitValue fromNatural(WitType type, Object v, Object where) {
        if (v instanceof WitValue) {
            return (WitValue) v;
        }
        switch (type.kind()) {
            case BOOL:
                if (v instanceof Boolean) {
                    return new WitValue.Bool((Boolean) v);
                }
                throw wrong(where, type, v);
            case S8:
                return new WitValue.S8((byte) integer(v, type, where, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case U8:
                return new WitValue.U8((int) integer(v, type, where, 0, 0xFF));
            case S16:
                return new WitValue.S16((short) integer(v, type, where, Short.MIN_VALUE, Short.MAX_VALUE));
            case U16:
                return new WitValue.U16((int) integer(v, type, where, 0, 0xFFFF));
            case S32:
                return new WitValue.S32((int) integer(v, type, where, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case U32:
                return new WitValue.U32(integer(v, type, where, 0, 0xFFFF_FFFFL));
            case S64:
                return new WitValue.S64(integer(v, type, where, Long.MIN_VALUE, Long.MAX_VALUE));
            case U64:
                if (v instanceof BigInteger) {
                    try {
                        return WitValue.U64.of((BigInteger) v);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(where + ": " + v + " is out of the range of u64", e);
                    }
                }
                if (v instanceof Long || v instanceof Integer && (Integer) v >= 0 || v instanceof Short && (Short) v >= 0
                        || v instanceof Byte && (Byte) v >= 0) {
                    return new WitValue.U64(((Number) v).longValue());
                }
                throw wrong(where, type, v);
            case F32:
                // Exact conversions only: a Short or Byte fits a float's 24-bit significand.
                if (v instanceof Float || v instanceof Short || v instanceof Byte) {
                    return new WitValue.F32(((Number) v).floatValue());
                }
                throw wrong(where, type, v);
            case F64:
                // Exact conversions only: a Float or an Integer fits a double (a Long may not).
                if (v instanceof Double || v instanceof Float || v instanceof Integer || v instanceof Short
                        || v instanceof Byte) {
                    return new WitValue.F64(((Number) v).doubleValue());
                }
                throw wrong(where, type, v);
            case CHAR:
                if (v instanceof Integer || v instanceof Character) {
                    int cp = v instanceof Character ? (Character) v : (Integer) v;
                    try {
                        return new WitValue.Char(cp);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                    }
                }
                throw wrong(where, type, v);
            case STRING:
                if (v instanceof String) {
                    try {
                        return new WitValue.Str((String) v); // checks the string once
                    } catch (IllegalArgumentException e) {
                        checkWellFormed((String) v, where); // the same finding, named where it is
                        throw e;
                    }
                }
                throw wrong(where, type, v);
            case LIST: {
                WitType element = ((WitType.ListOf) type).element();
                if (v instanceof byte[] && element.kind() == WitType.Kind.U8) {
                    return new WitValue.Bytes((byte[]) v);
                }
                if (!(v instanceof List)) {
                    throw wrong(where, type, v);
                }
                List<?> list = (List<?>) v;
                List<WitValue> out = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    out.add(fromNatural(element, list.get(i), new At(where, " list element ", i, "")));
                }
                return new WitValue.ListOf(out);
            }
            case RECORD: {
                if (!(v instanceof Map)) {
                    throw wrong(where, type, v);
                }
                Map<?, ?> map = (Map<?, ?>) v;
                List<WitType.Field> fields = ((WitType.Record) type).fields();
                List<WitValue.FieldValue> out = new ArrayList<>(fields.size());
                for (WitType.Field f : fields) {
                    Object at = new At(where, " record field '", f.name(), "'");
                    if (!map.containsKey(f.name())) {
                        throw new IllegalArgumentException(at + ": missing");
                    }
                    out.add(new WitValue.FieldValue(f.name(), fromNatural(f.type(), map.get(f.name()), at)));
                }
                if (map.size() != fields.size()) { // every field is in the map, so a key is not a field
                    for (Object key : map.keySet()) {
                        if (fields.stream().noneMatch(f -> f.name().equals(key))) {
                            throw new IllegalArgumentException(where + ": " + type + " has no field '" + key + "'");
                        }
                    }
                }
                return new WitValue.Record(out);
            }
            case TUPLE: {
                List<WitType> types = ((WitType.Tuple) type).types();
                if (!(v instanceof List) || ((List<?>) v).size() != types.size()) {
                    throw wrong(where, type, v);
                }
                List<?> list = (List<?>) v;
                List<WitValue> out = new ArrayList<>(types.size());
                for (int i = 0; i < types.size(); i++) {
                    out.add(fromNatural(types.get(i), list.get(i), new At(where, " tuple element ", i, "")));
                }
                return new WitValue.Tuple(out);
            }
            case VARIANT: {
                if (!(v instanceof WitVariant)) {
                    throw wrong(where, type, v);
                }
                WitVariant variant = (WitVariant) v;
                WitType.Case c = caseOf((WitType.Variant) type, variant.caseName(), where);
                Object at = new At(where, " variant case '", c.name(), "'");
                if (c.type().isEmpty()) {
                    if (variant.value() != null) {
                        throw new IllegalArgumentException(at + ": the case has no payload, got " + abbreviate(variant.value()));
                    }
                    return new WitValue.Variant(c.name(), Optional.empty());
                }
                return new WitValue.Variant(c.name(), Optional.of(fromNatural(c.type().get(), variant.value(), at)));
            }
            case ENUM:
                if (v instanceof String && ((WitType.Enum) type).names().contains(v)) {
                    return new WitValue.Enum((String) v);
                }
                throw wrong(where, type, v);
            case OPTION:
                if (!(v instanceof Optional)) {
                    throw wrong(where, type, v);
                }
                Optional<?> o = (Optional<?>) v;
                return new WitValue.Option(o.isEmpty() ? Optional.empty()
                        : Optional.of(fromNatural(((WitType.Option) type).type(), o.get(), new At(where, " option value", "", ""))));
            case RESULT: {
                if (!(v instanceof WitResult)) {
                    throw wrong(where, type, v);
                }
                WitResult r = (WitResult) v;
                WitType.Result rt = (WitType.Result) type;
                Optional<WitType> side = r.isOk() ? rt.ok() : rt.err();
                Object at = new At(where, " result ", r.isOk() ? "ok" : "err", " value");
                if (side.isEmpty()) {
                    if (r.value() != null) {
                        throw new IllegalArgumentException(at + ": the type has none, got " + abbreviate(r.value()));
                    }
                    return new WitValue.Result(r.isOk(), Optional.empty());
                }
                return new WitValue.Result(r.isOk(), Optional.of(fromNatural(side.get(), r.value(), at)));
            }
            case FLAGS: {
                if (!(v instanceof Collection)) {
                    throw wrong(where, type, v);
                }
                Set<String> names = new LinkedHashSet<>();
                for (Object n : (Collection<?>) v) {
                    if (!(n instanceof String) || !((WitType.Flags) type).names().contains(n)) {
                        throw new IllegalArgumentException(where + ": " + type + " has no flag " + abbreviate(n));
                    }
                    names.add((String) n);
                }
                return new WitValue.Flags(names);
            }
            case OWN:
            case BORROW:
                if (v instanceof ResourceHandle) {
                    return new WitValue.Resource((ResourceHandle) v);
                }
                if (v == null) {
                    throw wrong(where, type, v);
                }
                // Any other object is one implementing a host resource; the call checks its class.
                return new WitValue.HostResource(v);
            default:
                throw new IllegalArgumentException(where + ": values of type " + type + " cannot cross yet");
        }
    }

    private static WitType.Case caseOf(WitType.Variant type, String name, Object where) {
        for (WitType.Case c : type.cases()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException(where + ": " + type + " has no case '" + name + "'");
    }

    // ------------------------------------------------------------------ WitValue -> natural

    /** The natural Java value of {@code v} (see {@link ComponentFunction#call(Object...)}). */
    static Object toNatural(WitValue v) {
        if (v instanceof WitValue.Bool) {
            return ((WitValue.Bool) v).value();
        } else if (v instanceof WitValue.S8) {
            return ((WitValue.S8) v).value();
        } else if (v instanceof WitValue.U8) {
            return (short) ((WitValue.U8) v).value();
        } else if (v instanceof WitValue.S16) {
            return ((WitValue.S16) v).value();
        } else if (v instanceof WitValue.U16) {
            return ((WitValue.U16) v).value();
        } else if (v instanceof WitValue.S32) {
            return ((WitValue.S32) v).value();
        } else if (v instanceof WitValue.U32) {
            return ((WitValue.U32) v).value();
        } else if (v instanceof WitValue.S64) {
            return ((WitValue.S64) v).value();
        } else if (v instanceof WitValue.U64) {
            return ((WitValue.U64) v).bits();
        } else if (v instanceof WitValue.F32) {
            return ((WitValue.F32) v).value();
        } else if (v instanceof WitValue.F64) {
            return ((WitValue.F64) v).value();
        } else if (v instanceof WitValue.Char) {
            return ((WitValue.Char) v).codePoint();
        } else if (v instanceof WitValue.Str) {
            return ((WitValue.Str) v).value();
        } else if (v instanceof WitValue.Bytes) {
            return ((WitValue.Bytes) v).shared();
        } else if (v instanceof WitValue.ListOf) {
            List<WitValue> elements = ((WitValue.ListOf) v).elements();
            List<Object> out = new ArrayList<>(elements.size());
            for (WitValue e : elements) {
                out.add(toNatural(e));
            }
            return out;
        } else if (v instanceof WitValue.Record) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (WitValue.FieldValue f : ((WitValue.Record) v).fields()) {
                out.put(f.name(), toNatural(f.value()));
            }
            return out;
        } else if (v instanceof WitValue.Tuple) {
            List<WitValue> values = ((WitValue.Tuple) v).values();
            List<Object> out = new ArrayList<>(values.size());
            for (WitValue e : values) {
                out.add(toNatural(e));
            }
            return out;
        } else if (v instanceof WitValue.Variant) {
            WitValue.Variant var = (WitValue.Variant) v;
            return new WitVariant(var.caseName(), var.payload().map(ValueCodec::toNatural).orElse(null));
        } else if (v instanceof WitValue.Enum) {
            return ((WitValue.Enum) v).caseName();
        } else if (v instanceof WitValue.Option) {
            return ((WitValue.Option) v).value().map(ValueCodec::toNatural);
        } else if (v instanceof WitValue.Result) {
            WitValue.Result r = (WitValue.Result) v;
            return new WitResult(r.isOk(), r.value().map(ValueCodec::toNatural).orElse(null));
        } else if (v instanceof WitValue.Flags) {
            return ((WitValue.Flags) v).names();
        } else if (v instanceof WitValue.Resource) {
            return ((WitValue.Resource) v).handle();
        } else {
            return ((WitValue.HostResource) v).value();
        }
    }

    // ------------------------------------------------------------------ WitValue -> bytes

    private static IllegalArgumentException mismatch(Object where, WitType type, WitValue value) {
        return new IllegalArgumentException(where + ": expected " + type + ", got " + abbreviate(value));
    }

    /** Writes {@code v} as a value of {@code type}, checking it fits. */
    static void write(WitType type, WitValue v, Out out, Object where) {
        switch (type.kind()) {
            case BOOL:
                out.u8(cast(WitValue.Bool.class, type, v, where).value() ? 1 : 0);
                return;
            case S8:
                out.u8(cast(WitValue.S8.class, type, v, where).value());
                return;
            case U8:
                out.u8(cast(WitValue.U8.class, type, v, where).value());
                return;
            case S16:
                out.u16(cast(WitValue.S16.class, type, v, where).value());
                return;
            case U16:
                out.u16(cast(WitValue.U16.class, type, v, where).value());
                return;
            case S32:
                out.u32(cast(WitValue.S32.class, type, v, where).value());
                return;
            case U32:
                out.u32((int) cast(WitValue.U32.class, type, v, where).value());
                return;
            case S64:
                out.u64(cast(WitValue.S64.class, type, v, where).value());
                return;
            case U64:
                out.u64(cast(WitValue.U64.class, type, v, where).bits());
                return;
            case F32:
                out.u32(Float.floatToRawIntBits(cast(WitValue.F32.class, type, v, where).value()));
                return;
            case F64:
                out.u64(Double.doubleToRawLongBits(cast(WitValue.F64.class, type, v, where).value()));
                return;
            case CHAR:
                out.u32(cast(WitValue.Char.class, type, v, where).codePoint());
                return;
            case STRING:
                // Well-formed: WitValue.Str checks it when it is made.
                out.bytes(cast(WitValue.Str.class, type, v, where).value().getBytes(StandardCharsets.UTF_8));
                return;
            case LIST: {
                WitType element = ((WitType.ListOf) type).element();
                if (v instanceof WitValue.Bytes && element.kind() == WitType.Kind.U8) {
                    out.bytes(((WitValue.Bytes) v).shared());
                    return;
                }
                List<WitValue> elements = cast(WitValue.ListOf.class, type, v, where).elements();
                out.u32(elements.size());
                for (int i = 0; i < elements.size(); i++) {
                    write(element, elements.get(i), out, new At(where, " list element ", i, ""));
                }
                return;
            }
            case RECORD: {
                List<WitValue.FieldValue> values = cast(WitValue.Record.class, type, v, where).fields();
                List<WitType.Field> fields = ((WitType.Record) type).fields();
                if (values.size() != fields.size()) {
                    throw mismatch(where, type, v);
                }
                for (int i = 0; i < fields.size(); i++) {
                    WitType.Field f = fields.get(i);
                    WitValue.FieldValue value = values.get(i);
                    if (!value.name().equals(f.name())) {
                        throw new IllegalArgumentException(where + ": field " + i + " of " + type + " is '" + f.name()
                                + "', got '" + value.name() + "'");
                    }
                    write(f.type(), value.value(), out, new At(where, " record field '", f.name(), "'"));
                }
                return;
            }
            case TUPLE: {
                List<WitValue> values = cast(WitValue.Tuple.class, type, v, where).values();
                List<WitType> types = ((WitType.Tuple) type).types();
                if (values.size() != types.size()) {
                    throw mismatch(where, type, v);
                }
                for (int i = 0; i < types.size(); i++) {
                    write(types.get(i), values.get(i), out, new At(where, " tuple element ", i, ""));
                }
                return;
            }
            case VARIANT: {
                WitValue.Variant var = cast(WitValue.Variant.class, type, v, where);
                List<WitType.Case> cases = ((WitType.Variant) type).cases();
                int index = indexOfCase(cases, var.caseName(), type, where);
                WitType.Case c = cases.get(index);
                out.u32(index);
                Object at = new At(where, " variant case '", c.name(), "'");
                if (c.type().isPresent() != var.payload().isPresent()) {
                    throw new IllegalArgumentException(at + (c.type().isPresent() ? ": the case needs a payload"
                            : ": the case has no payload"));
                }
                if (c.type().isPresent()) {
                    write(c.type().get(), var.payload().get(), out, at);
                }
                return;
            }
            case ENUM: {
                String name = cast(WitValue.Enum.class, type, v, where).caseName();
                int index = ((WitType.Enum) type).names().indexOf(name);
                if (index < 0) {
                    throw new IllegalArgumentException(where + ": " + type + " has no case '" + name + "'");
                }
                out.u32(index);
                return;
            }
            case OPTION: {
                Optional<WitValue> value = cast(WitValue.Option.class, type, v, where).value();
                out.u8(value.isPresent() ? 1 : 0);
                if (value.isPresent()) {
                    write(((WitType.Option) type).type(), value.get(), out, new At(where, " option value", "", ""));
                }
                return;
            }
            case RESULT: {
                WitValue.Result r = cast(WitValue.Result.class, type, v, where);
                WitType.Result rt = (WitType.Result) type;
                Optional<WitType> side = r.isOk() ? rt.ok() : rt.err();
                Object at = new At(where, " result ", r.isOk() ? "ok" : "err", " value");
                if (side.isPresent() != r.value().isPresent()) {
                    throw new IllegalArgumentException(at + (side.isPresent() ? ": the type needs a value"
                            : ": the type has none"));
                }
                out.u8(r.isOk() ? 0 : 1);
                if (side.isPresent()) {
                    write(side.get(), r.value().get(), out, at);
                }
                return;
            }
            case FLAGS: {
                Set<String> set = cast(WitValue.Flags.class, type, v, where).names();
                List<String> names = ((WitType.Flags) type).names();
                BitSet bits = new BitSet(names.size());
                for (String n : set) {
                    int i = names.indexOf(n);
                    if (i < 0) {
                        throw new IllegalArgumentException(where + ": " + type + " has no flag '" + n + "'");
                    }
                    bits.set(i);
                }
                long[] words = bits.toLongArray();
                for (int w = 0; w < (names.size() + 31) / 32; w++) {
                    long word = w / 2 < words.length ? words[w / 2] : 0;
                    out.u32((int) (w % 2 == 0 ? word : word >>> 32));
                }
                return;
            }
            case OWN:
            case BORROW:
                if (v instanceof WitValue.HostResource) {
                    out.u8(ComponentAbi.RESOURCE_HOST);
                    out.u32(out.resources().rep(((WitValue.HostResource) v).value(), type, where));
                } else {
                    ResourceHandle h = cast(WitValue.Resource.class, type, v, where).handle();
                    out.u8(ComponentAbi.RESOURCE_HANDLE);
                    out.u64(out.resources().key(h, type, where));
                }
                return;
            default:
                throw new IllegalArgumentException(where + ": values of type " + type + " cannot cross yet");
        }
    }

    private static int indexOfCase(List<WitType.Case> cases, String name, WitType type, Object where) {
        for (int i = 0; i < cases.size(); i++) {
            if (cases.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(where + ": " + type + " has no case '" + name + "'");
    }

    private static <T extends WitValue> T cast(Class<T> c, WitType type, WitValue v, Object where) {
        if (!c.isInstance(v)) {
            throw mismatch(where, type, v);
        }
        return c.cast(v);
    }

    /**
     * The string {@link #decodedStr} is making on this thread: decoded from UTF-8, so it has no lone
     * surrogate and {@link #checkWellFormed} need not scan it.
     */
    private static final ThreadLocal<String> DECODED = new ThreadLocal<>();

    /** A {@link WitValue.Str} of a string decoded from UTF-8 (well-formed by construction). */
    static WitValue.Str decodedStr(String s) {
        DECODED.set(s);
        try {
            return new WitValue.Str(s);
        } finally {
            DECODED.set(null);
        }
    }

    /**
     * Checks that {@code s} is well-formed UTF-16, so that it encodes as UTF-8 exactly.
     *
     * @throws IllegalArgumentException naming the first lone surrogate, prefixed by {@code where}
     */
    static void checkWellFormed(String s, Object where) {
        if (s != null && s == DECODED.get()) {
            return;
        }
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException(where + ": the string has a lone surrogate U+"
                            + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at index " + i
                            + " (not valid UTF-8)");
                }
            }
        }
    }

    // ------------------------------------------------------------------ bytes -> WitValue

    /** Whether values of {@code type} may hold resources (own or borrow handles). */
    static boolean hasResources(WitType type) {
        switch (type.kind()) {
            case OWN:
            case BORROW:
            case UNSUPPORTED: // not known not to
                return true;
            case LIST:
                return hasResources(((WitType.ListOf) type).element());
            case RECORD:
                return ((WitType.Record) type).fields().stream().anyMatch(f -> hasResources(f.type()));
            case TUPLE:
                return ((WitType.Tuple) type).types().stream().anyMatch(ValueCodec::hasResources);
            case VARIANT:
                return ((WitType.Variant) type).cases().stream().anyMatch(c -> c.type().map(ValueCodec::hasResources).orElse(false));
            case OPTION:
                return hasResources(((WitType.Option) type).type());
            case RESULT:
                return ((WitType.Result) type).ok().map(ValueCodec::hasResources).orElse(false)
                        || ((WitType.Result) type).err().map(ValueCodec::hasResources).orElse(false);
            default:
                return false;
        }
    }

    /**
     * Reads a value of {@code type}; resources become handles through {@code resources} (which may be
     * null if the type holds none, see {@link #hasResources}).
     */
    static WitValue read(WitType type, ByteBuffer in, ResourceContext resources) {
        switch (type.kind()) {
            case BOOL:
                return new WitValue.Bool(in.get() != 0);
            case S8:
                return new WitValue.S8(in.get());
            case U8:
                return new WitValue.U8(in.get() & 0xFF);
            case S16:
                return new WitValue.S16(in.getShort());
            case U16:
                return new WitValue.U16(in.getShort() & 0xFFFF);
            case S32:
                return new WitValue.S32(in.getInt());
            case U32:
                return new WitValue.U32(in.getInt() & 0xFFFF_FFFFL);
            case S64:
                return new WitValue.S64(in.getLong());
            case U64:
                return new WitValue.U64(in.getLong());
            case F32:
                return new WitValue.F32(Float.intBitsToFloat(in.getInt()));
            case F64:
                return new WitValue.F64(Double.longBitsToDouble(in.getLong()));
            case CHAR:
                return new WitValue.Char(in.getInt());
            case STRING:
                return decodedStr(string(in));
            case LIST: {
                WitType element = ((WitType.ListOf) type).element();
                int n = in.getInt();
                if (element.kind() == WitType.Kind.U8) {
                    byte[] b = new byte[n];
                    in.get(b);
                    return new WitValue.Bytes(b);
                }
                List<WitValue> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(read(element, in, resources));
                }
                return new WitValue.ListOf(out);
            }
            case RECORD: {
                List<WitType.Field> fields = ((WitType.Record) type).fields();
                List<WitValue.FieldValue> out = new ArrayList<>(fields.size());
                for (WitType.Field f : fields) {
                    out.add(new WitValue.FieldValue(f.name(), read(f.type(), in, resources)));
                }
                return new WitValue.Record(out);
            }
            case TUPLE: {
                List<WitType> types = ((WitType.Tuple) type).types();
                List<WitValue> out = new ArrayList<>(types.size());
                for (WitType t : types) {
                    out.add(read(t, in, resources));
                }
                return new WitValue.Tuple(out);
            }
            case VARIANT: {
                WitType.Case c = ((WitType.Variant) type).cases().get(in.getInt());
                return new WitValue.Variant(c.name(), c.type().map(t -> read(t, in, resources)));
            }
            case ENUM:
                return new WitValue.Enum(((WitType.Enum) type).names().get(in.getInt()));
            case OPTION:
                return new WitValue.Option(in.get() != 0
                        ? Optional.of(read(((WitType.Option) type).type(), in, resources)) : Optional.empty());
            case RESULT: {
                boolean ok = in.get() == 0;
                WitType.Result rt = (WitType.Result) type;
                return new WitValue.Result(ok, (ok ? rt.ok() : rt.err()).map(t -> read(t, in, resources)));
            }
            case FLAGS: {
                List<String> names = ((WitType.Flags) type).names();
                Set<String> set = new LinkedHashSet<>();
                for (int w = 0; w < (names.size() + 31) / 32; w++) {
                    int word = in.getInt();
                    for (int b = 0; b < 32 && w * 32 + b < names.size(); b++) {
                        if ((word >>> b & 1) != 0) {
                            set.add(names.get(w * 32 + b));
                        }
                    }
                }
                return new WitValue.Flags(set);
            }
            case OWN:
            case BORROW:
                int tag = in.get();
                if (tag == ComponentAbi.RESOURCE_HOST) {
                    return resources.host(in.getInt(), type);
                }
                return resources.handle(in.getLong(), type);
            default:
                throw new IllegalStateException("values of type " + type + " cannot cross yet");
        }
    }

}
