package dev.wasmbridge;

import java.util.List;

/**
 * Java objects to and from the slot convention of {@link Function#callRaw(long...)}: numbers as
 * their bits, v128 as two slots, references as 0 for null or a store-local key + 1.
 */
final class Values {
    private Values() {
    }

    static int slotCount(List<ValType> types) {
        int n = 0;
        for (ValType t : types) {
            n += t.slots();
        }
        return n;
    }

    /** Writes {@code value} of type {@code type} at {@code slots[pos]}; returns the next position. */
    static int toSlots(Store store, ValType type, Object value, long[] slots, int pos, String what) {
        switch (type) {
            case I32:
                if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
                    slots[pos] = ((Number) value).intValue();
                } else if (value instanceof Character) {
                    slots[pos] = (Character) value;
                } else {
                    throw mismatch(type, value, what);
                }
                return pos + 1;
            case I64:
                if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                    slots[pos] = ((Number) value).longValue();
                } else if (value instanceof Character) {
                    slots[pos] = (Character) value;
                } else {
                    throw mismatch(type, value, what);
                }
                return pos + 1;
            case F32:
                if (!(value instanceof Float)) {
                    throw mismatch(type, value, what);
                }
                slots[pos] = Float.floatToRawIntBits((Float) value) & 0xFFFF_FFFFL;
                return pos + 1;
            case F64:
                if (value instanceof Double) {
                    slots[pos] = Double.doubleToRawLongBits((Double) value);
                } else if (value instanceof Float) {
                    slots[pos] = Double.doubleToRawLongBits((Float) value);
                } else {
                    throw mismatch(type, value, what);
                }
                return pos + 1;
            case V128:
                if (!(value instanceof V128)) {
                    throw mismatch(type, value, what);
                }
                slots[pos] = ((V128) value).low();
                slots[pos + 1] = ((V128) value).high();
                return pos + 2;
            default:
                slots[pos] = refSlot(store, type, value, what);
                return pos + 1;
        }
    }

    static long refSlot(Store store, ValType type, Object value, String what) {
        if (value == null) {
            return 0;
        }
        switch (type) {
            case FUNCREF:
                if (!(value instanceof Function)) {
                    throw mismatch(type, value, what);
                }
                Function f = (Function) value;
                if (f.store() != store) {
                    throw new IllegalArgumentException(what + ": the function belongs to a different store");
                }
                return f.index() + 1L;
            case EXTERNREF:
                return store.externKey(value) + 1;
            default:
                throw new IllegalArgumentException(what + ": only null can be passed as " + type);
        }
    }

    /** Reads a value of {@code type} at {@code slots[pos]}. */
    static Object fromSlots(Store store, ValType type, long[] slots, int pos) {
        long s = slots[pos];
        switch (type) {
            case I32:
                return (int) s;
            case I64:
                return s;
            case F32:
                return Float.intBitsToFloat((int) s);
            case F64:
                return Double.longBitsToDouble(s);
            case V128:
                return new V128(s, slots[pos + 1]);
            default:
                return fromRefSlot(store, type, s);
        }
    }

    static Object fromRefSlot(Store store, ValType type, long slot) {
        if (slot == 0) {
            return null;
        }
        switch (type) {
            case FUNCREF:
                return new Function(store, (int) (slot - 1));
            case EXTERNREF:
                return store.externValue(slot - 1);
            default:
                throw new IllegalStateException("a non-null " + type + " reached Java");
        }
    }

    private static IllegalArgumentException mismatch(ValType type, Object value, String what) {
        String got = value == null ? "null" : value.getClass().getSimpleName() + " " + value;
        return new IllegalArgumentException(what + ": expected " + type + " (" + type.javaType().getSimpleName()
                + "), got " + got);
    }
}
