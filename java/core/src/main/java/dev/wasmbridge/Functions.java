package dev.wasmbridge;

/**
 * Functional interfaces for the numeric shapes that {@code java.util.function} lacks: {@code f32}
 * values, two {@code i32} parameters and no result or an {@code i64} one (the {@code (ptr, len) -> packed}
 * signature of plugin ABIs), three {@code i32} parameters. Like the
 * {@code java.util.function} ones, they are typed shapes of {@link Function#as(Class)} and {@link
 * Linker#define(String, String, Class, Object)}: calls cross JNI with primitives only.
 *
 * <p>Thread safety: a holder of interfaces; see each use.
 */
public final class Functions {
    private Functions() {
    }

    /** A wasm function {@code () -> f32}. */
    @FunctionalInterface
    public interface FloatSupplier {
        /**
         * Calls it.
         *
         * @return the result
         */
        float getAsFloat();
    }

    /** A wasm function {@code (f32) -> f32}. */
    @FunctionalInterface
    public interface FloatUnaryOperator {
        /**
         * Calls it.
         *
         * @param a the argument
         * @return the result
         */
        float applyAsFloat(float a);
    }

    /** A wasm function {@code (f32, f32) -> f32}. */
    @FunctionalInterface
    public interface FloatBinaryOperator {
        /**
         * Calls it.
         *
         * @param a the first argument
         * @param b the second argument
         * @return the result
         */
        float applyAsFloat(float a, float b);
    }

    /** A wasm function {@code (f32) -> ()}. */
    @FunctionalInterface
    public interface FloatConsumer {
        /**
         * Calls it.
         *
         * @param a the argument
         */
        void accept(float a);
    }

    /** A wasm function {@code (i32, i32) -> ()}. */
    @FunctionalInterface
    public interface IntBiConsumer {
        /**
         * Calls it.
         *
         * @param a the first argument
         * @param b the second argument
         */
        void accept(int a, int b);
    }

    /**
     * A wasm function {@code (i32, i32) -> i64}: the usual plugin export taking a buffer's pointer and length
     * and returning another one packed into 64 bits.
     */
    @FunctionalInterface
    public interface IntBiToLongFunction {
        /**
         * Calls it.
         *
         * @param a the first argument
         * @param b the second argument
         * @return the result
         */
        long applyAsLong(int a, int b);
    }

    /** A wasm function {@code (i32, i32, i32) -> i32}. */
    @FunctionalInterface
    public interface IntTernaryOperator {
        /**
         * Calls it.
         *
         * @param a the first argument
         * @param b the second argument
         * @param c the third argument
         * @return the result
         */
        int applyAsInt(int a, int b, int c);
    }
}
