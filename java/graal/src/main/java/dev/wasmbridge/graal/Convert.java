package dev.wasmbridge.graal;

import dev.wasmbridge.Function;
import dev.wasmbridge.V128;
import dev.wasmbridge.ValType;
import java.util.List;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

/**
 * Conversions between polyglot values and the boxed Java values of wasmbridge's generic call path,
 * driven by the wasm type. Failures are {@link IllegalArgumentException}s, which guests see as
 * catchable errors.
 */
final class Convert {
    private Convert() {
    }

    /**
     * A guest value as the boxed Java value {@link Function#call(Object...)} takes for {@code type}.
     *
     * @param type the wasm type
     * @param v the guest value
     * @param what what the value is, for the error message ("argument 0 of add")
     * @return the Java value
     * @throws IllegalArgumentException if the value does not fit the type
     */
    static Object toWasm(ValType type, Value v, String what) {
        switch (type) {
            case I32:
                if (v.isBoolean()) {
                    return v.asBoolean() ? 1 : 0;
                }
                if (v.fitsInInt()) {
                    return v.asInt();
                }
                throw mismatch(type, v, what, "a number that fits in a signed 32-bit integer");
            case I64:
                if (v.isBoolean()) {
                    return v.asBoolean() ? 1L : 0L;
                }
                if (v.fitsInLong()) {
                    return v.asLong();
                }
                throw mismatch(type, v, what, "an integer (or BigInt) that fits in a signed 64-bit integer");
            case F32:
                if (v.fitsInFloat()) {
                    return v.asFloat();
                }
                if (v.fitsInDouble()) {
                    // As WebAssembly's JavaScript API does: round the double to the nearest float.
                    return (float) v.asDouble();
                }
                throw mismatch(type, v, what, "a number");
            case F64:
                if (v.fitsInDouble()) {
                    return v.asDouble();
                }
                throw mismatch(type, v, what, "a number that a double holds exactly");
            case V128:
                return toV128(v, what);
            case FUNCREF:
                if (v.isNull()) {
                    return null;
                }
                if (v.isProxyObject() && v.asProxyObject() instanceof WasmFunction) {
                    return ((WasmFunction) v.asProxyObject()).function();
                }
                if (v.isHostObject() && v.asHostObject() instanceof Function) {
                    return v.asHostObject();
                }
                throw mismatch(type, v, what, "a wasm function (an export of this adapter) or null");
            case EXTERNREF:
                return toExternref(v);
            default:
                if (v.isNull()) {
                    return null;
                }
                throw mismatch(type, v, what, "null (only null crosses for this reference type)");
        }
    }

    /**
     * What a guest gets for an externref argument it passes: null stays null, a host object or a
     * proxy is unwrapped so that Java host functions see the object itself, and any other guest value
     * travels as its {@link Value} (returned to a guest of the same context, it is that guest value again).
     */
    static Object toExternref(Value v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isProxyObject()) {
            return v.asProxyObject();
        }
        if (v.isHostObject()) {
            return v.asHostObject();
        }
        return v;
    }

    private static V128 toV128(Value v, String what) {
        if (v.isHostObject() && v.asHostObject() instanceof V128) {
            return v.asHostObject();
        }
        if (v.hasArrayElements() && v.getArraySize() == 16) {
            byte[] bytes = new byte[16];
            for (int i = 0; i < 16; i++) {
                Value e = v.getArrayElement(i);
                if (!e.fitsInInt() || e.asInt() < -128 || e.asInt() > 255) {
                    throw mismatch(ValType.V128, v, what, "16 bytes (numbers from -128 to 255)");
                }
                bytes[i] = (byte) e.asInt();
            }
            return V128.fromBytes(bytes);
        }
        throw mismatch(ValType.V128, v, what, "an array of 16 bytes");
    }

    /**
     * A wasm value (boxed as wasmbridge returns it) as guests get it: numbers as {@link Integer},
     * {@link Long}, {@link Float}, {@link Double}; a funcref as a callable {@link WasmFunction}; a
     * {@code v128} as an array of 16 unsigned bytes; an externref as the object that went in.
     *
     * @param type the wasm type
     * @param o the value
     * @return the guest-facing value
     */
    static Object toGuest(ValType type, Object o) {
        if (o == null) {
            return null;
        }
        switch (type) {
            case FUNCREF:
                return o instanceof Function ? new WasmFunction((Function) o, null) : o;
            case V128:
                byte[] bytes = ((V128) o).toBytes();
                Object[] elements = new Object[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    elements[i] = bytes[i] & 0xff;
                }
                return ProxyArray.fromArray(elements);
            default:
                return o;
        }
    }

    /**
     * Results of a wasm call as a guest gets them: null for none, the value for one, an array for
     * several.
     */
    static Object results(List<ValType> types, Object[] results) {
        if (types.isEmpty()) {
            return null;
        }
        if (types.size() == 1) {
            return toGuest(types.get(0), results[0]);
        }
        Object[] out = new Object[types.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toGuest(types.get(i), results[i]);
        }
        return ProxyArray.fromArray(out);
    }

    static IllegalArgumentException mismatch(ValType type, Value v, String what, String expected) {
        return new IllegalArgumentException(what + ": expected " + type + " (" + expected + "), got " + describe(v));
    }

    /** A short description of a guest value for error messages. */
    static String describe(Value v) {
        String text;
        try {
            text = v.toString();
        } catch (RuntimeException e) {
            text = "?";
        }
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        Value meta = null;
        try {
            meta = v.getMetaObject();
        } catch (RuntimeException e) {
            // no meta object
        }
        String kind = meta == null ? null : meta.getMetaSimpleName();
        return kind == null ? text : text + " (" + kind + ")";
    }

    /** An integer argument of one of the adapter's own member functions (addresses, lengths, indices). */
    static long toLong(Value[] args, int i, String function) {
        if (i >= args.length) {
            throw new IllegalArgumentException(function + ": missing argument " + i);
        }
        Value v = args[i];
        if (!v.fitsInLong()) {
            throw new IllegalArgumentException(function + ": argument " + i + " must be an integer, got " + describe(v));
        }
        return v.asLong();
    }

    static int toInt(Value[] args, int i, String function) {
        long l = toLong(args, i, function);
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(function + ": argument " + i + " is out of range: " + l);
        }
        return (int) l;
    }

    static void arity(Value[] args, int min, int max, String function) {
        if (args.length < min || args.length > max) {
            String expected = min == max ? String.valueOf(min) : min + " to " + max;
            throw new IllegalArgumentException(function + " takes " + expected + " argument"
                    + (max == 1 ? "" : "s") + ", got " + args.length);
        }
    }
}
