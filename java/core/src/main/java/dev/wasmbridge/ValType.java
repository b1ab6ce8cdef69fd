package dev.wasmbridge;

/**
 * The type of a WebAssembly value, and the Java type that carries it through the generic call path
 * ({@link Function#call(Object...)}, {@link Global#get()}, ...).
 *
 * <p>Typed references (function-references and GC proposals) are reported as their family: any
 * function reference is {@link #FUNCREF}, any extern reference {@link #EXTERNREF}, GC references
 * {@link #ANYREF}, exception references {@link #EXNREF}.
 *
 * <p>Thread safety: immutable.
 */
public enum ValType {
    /** 32-bit integer, as {@link Integer}. */
    I32(Integer.class, 1),
    /** 64-bit integer, as {@link Long}. */
    I64(Long.class, 1),
    /** 32-bit float, as {@link Float} (bit patterns, NaN payloads included, are kept). */
    F32(Float.class, 1),
    /** 64-bit float, as {@link Double} (bit patterns, NaN payloads included, are kept). */
    F64(Double.class, 1),
    /** 128-bit vector, as {@link V128}. */
    V128(dev.wasmbridge.V128.class, 2),
    /** Function reference, as {@link Function} or null. */
    FUNCREF(Function.class, 1),
    /** Host reference, as any Java object or null. */
    EXTERNREF(Object.class, 1),
    /** GC reference (anyref family); only null crosses to Java. */
    ANYREF(Object.class, 1),
    /** Exception reference; only null crosses to Java. */
    EXNREF(Object.class, 1);

    private static final ValType[] VALUES = values();

    private final Class<?> javaType;
    private final int slots;

    ValType(Class<?> javaType, int slots) {
        this.javaType = javaType;
        this.slots = slots;
    }

    /**
     * The Java class that carries values of this type in the generic call path.
     *
     * @return the boxed Java type
     */
    public Class<?> javaType() {
        return javaType;
    }

    /**
     * How many {@code long} slots a value of this type takes in {@link Function#callRaw(long...)}:
     * 2 for {@link #V128} (low 64 bits first), 1 for every other type.
     *
     * @return 1 or 2
     */
    public int slots() {
        return slots;
    }

    /**
     * Whether this is a reference type.
     *
     * @return true for FUNCREF, EXTERNREF, ANYREF and EXNREF
     */
    public boolean isReference() {
        return ordinal() >= FUNCREF.ordinal();
    }

    static ValType fromCode(int code) {
        if (code < 0 || code >= VALUES.length) {
            throw new IllegalStateException("unknown value type code " + code);
        }
        return VALUES[code];
    }

    /**
     * The WebAssembly text name of the type, such as {@code i32} or {@code funcref}.
     *
     * @return the lower-case name
     */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
