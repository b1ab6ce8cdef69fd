package dev.wasmbridge.component;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The bytes of component values and types as they cross JNI, and what the codecs share. The value
 * layout ({@code native/src/component/values.rs} reads and writes the same; {@link WitCodec} has a
 * class per kind that reads and writes it): little-endian scalars, {@code char} as its code point in 4
 * bytes, strings and lists as a u32 count then their UTF-8 bytes or elements, record and tuple fields in
 * order, a variant or enum as its u32 case index then the payload, an option as a u8 0/1 then the value,
 * a result as a u8 0 (ok) / 1 (err) then the value of that side if it has a type, flags as u32 words of
 * bits, a resource as a tag byte ({@link ComponentAbi}) then a handle's u64 key or a host object's u32
 * rep. The golden files of {@code GoldenValuesTest} (written by values.rs's tests) hold an example of
 * every kind. Types arrive in the encoding {@link #readType} reads ({@link WitType.Kind} ordinals as
 * tags). Here too: the call buffer ({@link Out}), where a value is ({@link At}) and the messages for
 * values that do not fit.
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

    // ------------------------------------------------------------------ where and what is wrong

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

    /** {@code value} as text, cut at 40 characters. */
    static String abbreviate(Object value) {
        String s = String.valueOf(value);
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
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
}
