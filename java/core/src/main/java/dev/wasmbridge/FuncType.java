package dev.wasmbridge;

import java.util.List;

/**
 * A function's signature.
 *
 * @param params the parameter types, in order
 * @param results the result types, in order (more than one with multi-value)
 *
 * <p>Thread safety: immutable.
 */
public record FuncType(List<ValType> params, List<ValType> results) implements ExternType {
    /**
     * Creates a signature; the lists are copied.
     *
     * @param params the parameter types
     * @param results the result types
     * @throws NullPointerException if a list or an element is null
     */
    public FuncType {
        params = List.copyOf(params);
        results = List.copyOf(results);
    }

    /**
     * A signature from parameter and result types.
     *
     * @param params the parameter types
     * @param results the result types
     * @return the signature
     * @throws NullPointerException if a list or an element is null
     */
    public static FuncType of(List<ValType> params, List<ValType> results) {
        return new FuncType(params, results);
    }

    /**
     * The signature in WebAssembly text form, such as {@code (func (param i32 i32) (result i32))}.
     *
     * @return the text form
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(func");
        if (!params.isEmpty()) {
            sb.append(" (param");
            params.forEach(p -> sb.append(' ').append(p));
            sb.append(')');
        }
        if (!results.isEmpty()) {
            sb.append(" (result");
            results.forEach(r -> sb.append(' ').append(r));
            sb.append(')');
        }
        return sb.append(')').toString();
    }
}
