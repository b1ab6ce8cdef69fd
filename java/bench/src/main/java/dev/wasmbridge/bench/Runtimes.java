package dev.wasmbridge.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One JMH state per runtime, set up once per fork. A benchmark method takes only the state of the
 * runtime it measures, so each fork loads only that runtime (two Wasmtime builds never share a JVM).
 */
public final class Runtimes {
    private Runtimes() {
    }

    /** wasmbridge, the default engine. */
    @State(Scope.Thread)
    public static class WasmbridgeState {
        Wasmbridge w;

        /** Compiles and instantiates the kernels. */
        @Setup(Level.Trial)
        public void setup() {
            w = new Wasmbridge();
        }

        /** Frees everything. */
        @TearDown(Level.Trial)
        public void tearDown() {
            w.close();
        }
    }

    /** wasmbridge's component model: {@code tests/components/bench.wat} in its own engine and store. */
    @State(Scope.Thread)
    public static class ComponentState {
        Components c;

        /** Compiles and instantiates the component. */
        @Setup(Level.Trial)
        public void setup() {
            c = new Components();
        }

        /** Frees everything. */
        @TearDown(Level.Trial)
        public void tearDown() {
            c.close();
        }
    }

    /** Endive's interpreter. */
    @State(Scope.Thread)
    public static class EndiveInterpreterState {
        Endive e;

        /** Parses and instantiates the kernels. */
        @Setup(Level.Trial)
        public void setup() {
            e = new Endive(false);
        }
    }

    /** Endive's compiler to JVM bytecode. */
    @State(Scope.Thread)
    public static class EndiveCompilerState {
        Endive e;

        /** Compiles and instantiates the kernels. */
        @Setup(Level.Trial)
        public void setup() {
            e = new Endive(true);
        }
    }

    /** Chicory 1.7.5's interpreter. */
    @State(Scope.Thread)
    public static class ChicoryInterpreterState {
        Chicory c;

        /** Parses and instantiates the kernels. */
        @Setup(Level.Trial)
        public void setup() {
            c = new Chicory(false);
        }
    }

    /** Chicory 1.7.5's compiler to JVM bytecode. */
    @State(Scope.Thread)
    public static class ChicoryCompilerState {
        Chicory c;

        /** Compiles and instantiates the kernels. */
        @Setup(Level.Trial)
        public void setup() {
            c = new Chicory(true);
        }
    }

    /** GraalWasm through the polyglot API (interpreter only on a stock JDK). */
    @State(Scope.Thread)
    public static class GraalState {
        Graal g;

        /** Parses and instantiates the kernels. */
        @Setup(Level.Trial)
        public void setup() {
            g = new Graal();
        }

        /** Closes the context and the engine. */
        @TearDown(Level.Trial)
        public void tearDown() {
            g.close();
        }
    }

    /**
     * GraalWasm compiled by Truffle with the Graal JIT (a JVM started with the Graal compiler as its JVMCI
     * compiler, as the {@code graalwasmJit} rows' forks are).
     */
    @State(Scope.Thread)
    public static class GraalJitState {
        Graal g;

        /**
         * Parses and instantiates the kernels.
         *
         * @throws IllegalStateException if Truffle runs interpreted (no Graal compiler in this JVM)
         */
        @Setup(Level.Trial)
        public void setup() {
            g = new Graal(true);
        }

        /** Closes the context and the engine. */
        @TearDown(Level.Trial)
        public void tearDown() {
            g.close();
        }
    }

    /** kawamuray's wasmtime-java. */
    @State(Scope.Thread)
    public static class WasmtimeJavaState {
        WasmtimeJava k;

        /** Compiles and instantiates the kernels. */
        @Setup(Level.Trial)
        public void setup() {
            k = new WasmtimeJava();
        }

        /** Disposes of the store. */
        @TearDown(Level.Trial)
        public void tearDown() {
            k.close();
        }
    }
}
