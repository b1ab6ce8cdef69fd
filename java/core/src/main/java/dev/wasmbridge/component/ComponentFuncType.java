package dev.wasmbridge.component;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A component function's type: named parameters, at most one result, and whether it is async (which
 * wasmbridge cannot call yet). {@link #toString()} prints it in WIT: {@code func(a: u32, b: u32) -> u32}.
 *
 * <p>Thread safety: immutable.
 *
 * @param params the parameters, in order
 * @param result the result's type, or empty
 * @param isAsync whether the function is async ({@code async func})
 */
public record ComponentFuncType(List<Param> params, Optional<WitType> result, boolean isAsync) {
    /**
     * Copies the parameters.
     *
     * @param params the parameters
     * @param result the result's type, or empty
     * @param isAsync whether the function is async
     * @throws NullPointerException if an argument or a parameter is null
     */
    public ComponentFuncType {
        params = List.copyOf(params);
        Objects.requireNonNull(result, "result");
    }

    /**
     * A parameter: its name and type.
     *
     * <p>Thread safety: immutable.
     *
     * @param name the name, as in WIT
     * @param type the type
     */
    public record Param(String name, WitType type) {
        /**
         * Checks the parts.
         *
         * @param name the name
         * @param type the type
         * @throws NullPointerException if an argument is null
         */
        public Param {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() {
            return name + ": " + type;
        }
    }

    @Override
    public String toString() {
        return (isAsync ? "async " : "") + params.stream().map(Param::toString)
                .collect(Collectors.joining(", ", "func(", ")")) + result.map(r -> " -> " + r).orElse("");
    }
}
