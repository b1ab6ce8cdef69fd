package dev.wasmbridge.component;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A value of a WIT type, exactly: every WIT value has one representation here and each converts
 * losslessly to what crosses into the component and back (unsigned integers keep their range, floats
 * their NaN bits, {@code char} is a code point, nested options stay apart). {@link
 * ComponentFunction#callValues(WitValue...)} takes and returns these; {@link
 * ComponentFunction#call(Object...)} takes the natural Java values instead.
 *
 * <p>Thread safety: immutable ({@link Bytes} holds a copy of its array and hands out copies).
 */
public sealed interface WitValue
        permits WitValue.Bool, WitValue.S8, WitValue.U8, WitValue.S16, WitValue.U16, WitValue.S32, WitValue.U32,
        WitValue.S64, WitValue.U64, WitValue.F32, WitValue.F64, WitValue.Char, WitValue.Str, WitValue.Bytes,
        WitValue.ListOf, WitValue.Record, WitValue.Tuple, WitValue.Variant, WitValue.Enum, WitValue.Option,
        WitValue.Result, WitValue.Flags, WitValue.Resource, WitValue.HostResource {

    /**
     * {@code bool}.
     *
     * @param value the value
     */
    record Bool(boolean value) implements WitValue {
    }

    /**
     * {@code s8}.
     *
     * @param value the value
     */
    record S8(byte value) implements WitValue {
    }

    /**
     * {@code u8}, 0 to 255.
     *
     * @param value the value
     */
    record U8(int value) implements WitValue {
        /**
         * Checks the range.
         *
         * @param value the value
         * @throws IllegalArgumentException if {@code value} is outside 0 to 255
         */
        public U8 {
            if (value < 0 || value > 0xFF) {
                throw new IllegalArgumentException("u8 out of range: " + value);
            }
        }
    }

    /**
     * {@code s16}.
     *
     * @param value the value
     */
    record S16(short value) implements WitValue {
    }

    /**
     * {@code u16}, 0 to 65535.
     *
     * @param value the value
     */
    record U16(int value) implements WitValue {
        /**
         * Checks the range.
         *
         * @param value the value
         * @throws IllegalArgumentException if {@code value} is outside 0 to 65535
         */
        public U16 {
            if (value < 0 || value > 0xFFFF) {
                throw new IllegalArgumentException("u16 out of range: " + value);
            }
        }
    }

    /**
     * {@code s32}.
     *
     * @param value the value
     */
    record S32(int value) implements WitValue {
    }

    /**
     * {@code u32}, 0 to 4294967295.
     *
     * @param value the value
     */
    record U32(long value) implements WitValue {
        /**
         * Checks the range.
         *
         * @param value the value
         * @throws IllegalArgumentException if {@code value} is outside 0 to 2^32 - 1
         */
        public U32 {
            if (value < 0 || value > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("u32 out of range: " + value);
            }
        }
    }

    /**
     * {@code s64}.
     *
     * @param value the value
     */
    record S64(long value) implements WitValue {
    }

    /**
     * {@code u64}: its 64 bits in a {@code long} (values from 2^63 up are negative {@code long}s;
     * {@link #toBigInteger()} and {@link #of(BigInteger)} convert exactly).
     *
     * @param bits the value's bits
     */
    record U64(long bits) implements WitValue {
        private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

        /**
         * The value.
         *
         * @return the value, 0 to 2^64 - 1
         */
        public BigInteger toBigInteger() {
            return new BigInteger(Long.toUnsignedString(bits));
        }

        /**
         * A {@code u64} from its value.
         *
         * @param value the value
         * @return the u64
         * @throws IllegalArgumentException if {@code value} is outside 0 to 2^64 - 1
         * @throws NullPointerException if {@code value} is null
         */
        public static U64 of(BigInteger value) {
            if (value.signum() < 0 || value.compareTo(MAX) > 0) {
                throw new IllegalArgumentException("u64 out of range: " + value);
            }
            return new U64(value.longValue());
        }

        @Override
        public String toString() {
            return "U64[" + Long.toUnsignedString(bits) + "]";
        }
    }

    /**
     * {@code f32}; NaN payloads are kept.
     *
     * @param value the value
     */
    record F32(float value) implements WitValue {
    }

    /**
     * {@code f64}; NaN payloads are kept.
     *
     * @param value the value
     */
    record F64(double value) implements WitValue {
    }

    /**
     * {@code char}: a Unicode scalar value (a code point that is not a surrogate), so characters
     * outside the Basic Multilingual Plane are one value.
     *
     * @param codePoint the code point
     */
    record Char(int codePoint) implements WitValue {
        /**
         * Checks the code point.
         *
         * @param codePoint the code point
         * @throws IllegalArgumentException if it is a surrogate or beyond U+10FFFF
         */
        public Char {
            if (codePoint < 0 || codePoint > Character.MAX_CODE_POINT
                    || codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
                throw new IllegalArgumentException("not a Unicode scalar value (a surrogate or beyond U+10FFFF): U+"
                        + Integer.toHexString(codePoint).toUpperCase(java.util.Locale.ROOT));
            }
        }
    }

    /**
     * {@code string}: well-formed UTF-16, so it is exactly a string of Unicode scalar values as WIT's
     * are (a lone surrogate is refused, never turned into a silent {@code ?}).
     *
     * @param value the string
     */
    record Str(String value) implements WitValue {
        /**
         * Checks the string.
         *
         * @param value the string
         * @throws IllegalArgumentException if it has a lone surrogate
         * @throws NullPointerException if {@code value} is null
         */
        public Str {
            ValueCodec.checkWellFormed(value, "string");
        }
    }

    /**
     * {@code list<u8>} as bytes (the fast path for binary data).
     *
     * @param value the bytes (copied in, copied out)
     */
    record Bytes(byte[] value) implements WitValue {
        /**
         * Copies the bytes.
         *
         * @param value the bytes
         * @throws NullPointerException if {@code value} is null
         */
        public Bytes {
            value = value.clone();
        }

        /**
         * The bytes.
         *
         * @return a copy of the bytes
         */
        @Override
        public byte[] value() {
            return value.clone();
        }

        /** The array itself, for the codec: callers never mutate it. */
        byte[] shared() {
            return value;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes && Arrays.equals(value, ((Bytes) o).value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Bytes[" + value.length + " bytes]";
        }
    }

    /**
     * {@code list<T>} (for {@code list<u8>} {@link Bytes} is accepted too, and returned).
     *
     * @param elements the elements
     */
    record ListOf(List<WitValue> elements) implements WitValue {
        /**
         * Copies the elements.
         *
         * @param elements the elements
         * @throws NullPointerException if {@code elements} or one of them is null
         */
        public ListOf {
            elements = List.copyOf(elements);
        }
    }

    /**
     * A record field's value.
     *
     * @param name the field's name
     * @param value its value
     */
    record FieldValue(String name, WitValue value) {
        /**
         * Checks the parts.
         *
         * @param name the name
         * @param value the value
         * @throws NullPointerException if an argument is null
         */
        public FieldValue {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A record: its fields in the type's order.
     *
     * @param fields the fields
     */
    record Record(List<FieldValue> fields) implements WitValue {
        /**
         * Copies the fields.
         *
         * @param fields the fields
         * @throws NullPointerException if {@code fields} or one of them is null
         */
        public Record {
            fields = List.copyOf(fields);
        }

        /**
         * The value of the field {@code name}.
         *
         * @param name the field's name
         * @return its value
         * @throws IllegalArgumentException if the record has no such field
         * @throws NullPointerException if {@code name} is null
         */
        public WitValue get(String name) {
            java.util.Objects.requireNonNull(name, "name");
            for (FieldValue f : fields) {
                if (f.name().equals(name)) {
                    return f.value();
                }
            }
            throw new IllegalArgumentException("no field '" + name + "'");
        }
    }

    /**
     * A tuple.
     *
     * @param values the values, in order
     */
    record Tuple(List<WitValue> values) implements WitValue {
        /**
         * Copies the values.
         *
         * @param values the values
         * @throws NullPointerException if {@code values} or one of them is null
         */
        public Tuple {
            values = List.copyOf(values);
        }
    }

    /**
     * A variant's case, with its payload if the case has one.
     *
     * @param caseName the case
     * @param payload the payload, or empty
     */
    record Variant(String caseName, Optional<WitValue> payload) implements WitValue {
        /**
         * Checks the parts.
         *
         * @param caseName the case
         * @param payload the payload, or empty
         * @throws NullPointerException if an argument is null
         */
        public Variant {
            Objects.requireNonNull(caseName, "caseName");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /**
     * An enum's case.
     *
     * @param caseName the case
     */
    record Enum(String caseName) implements WitValue {
        /**
         * Checks the part.
         *
         * @param caseName the case
         * @throws NullPointerException if {@code caseName} is null
         */
        public Enum {
            Objects.requireNonNull(caseName, "caseName");
        }
    }

    /**
     * An option: empty for {@code none}; {@code option<option<T>>} nests ({@code some(none)} is an
     * {@code Option} holding an empty {@code Option}).
     *
     * @param value the value, or empty
     */
    record Option(Optional<WitValue> value) implements WitValue {
        /**
         * Checks the part.
         *
         * @param value the value, or empty
         * @throws NullPointerException if {@code value} is null
         */
        public Option {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A result: success or error, each with a value where the type has one.
     *
     * @param isOk whether it is the success case
     * @param value the value, or empty
     */
    record Result(boolean isOk, Optional<WitValue> value) implements WitValue {
        /**
         * Checks the part.
         *
         * @param isOk whether it is the success case
         * @param value the value, or empty
         * @throws NullPointerException if {@code value} is null
         */
        public Result {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A flags value: the names of the flags that are set.
     *
     * @param names the set flags
     */
    record Flags(Set<String> names) implements WitValue {
        /**
         * Copies the names.
         *
         * @param names the set flags
         * @throws NullPointerException if {@code names} or one of them is null
         */
        public Flags {
            names = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(names));
            for (String n : names) {
                Objects.requireNonNull(n, "flag name");
            }
        }
    }

    /**
     * A resource handle ({@code own} or {@code borrow}): a resource the component, or Wasmtime,
     * implements.
     *
     * @param handle the handle
     */
    record Resource(ResourceHandle handle) implements WitValue {
        /**
         * Checks the part.
         *
         * @param handle the handle
         * @throws NullPointerException if {@code handle} is null
         */
        public Resource {
            Objects.requireNonNull(handle, "handle");
        }
    }

    /**
     * A resource the linker implements in Java ({@link ComponentLinker.Instance#defineResource}), as
     * its Java object ({@code own} or {@code borrow}).
     *
     * @param value the object behind the resource
     */
    record HostResource(Object value) implements WitValue {
        /**
         * Checks the part.
         *
         * @param value the object
         * @throws NullPointerException if {@code value} is null
         */
        public HostResource {
            Objects.requireNonNull(value, "value");
        }
    }
}
