package dev.wasmbridge.bench;

import java.nio.charset.StandardCharsets;

/**
 * The real program of the benchmarks run by one runtime: SQLite with the driver
 * {@code tests/bench/wasi/sqlite_bench.c} (built by {@code bench/build-sqlite.sh}, packed as
 * {@code kernels/sqlite.wasm}), a WASI preview 1 command that inserts and queries {@link #ROWS} rows in
 * an in-memory database and prints one summary line. The module is compiled (or parsed) once when the
 * runner is made; each {@link #run()} makes a new instance, gives it the arguments and an in-memory
 * stdout through the runtime's own WASI preview 1, and runs {@code _start}.
 */
interface SqliteRunner extends AutoCloseable {
    /** The rows the program inserts per run in the benchmark: the program's argument. */
    int ROWS = 5000;

    /**
     * Runs the program once in a new instance.
     *
     * @return what it wrote to stdout (one line)
     * @throws IllegalStateException if it exits with a status other than 0 (with what it wrote to stderr)
     */
    String run();

    /** Frees what the runner holds (nothing by default). */
    @Override
    default void close() {
    }

    /**
     * The bytes of the program.
     *
     * @return {@code kernels/sqlite.wasm}
     */
    static byte[] wasm() {
        return Kernels.wasm("sqlite");
    }

    /**
     * The program's arguments ({@code argv}).
     *
     * @param rows the rows to insert
     * @return its name and {@code rows}
     */
    static String[] args(int rows) {
        return new String[] {"sqlite_bench", Integer.toString(rows)};
    }

    /**
     * Turns what a run wrote into its result, or fails.
     *
     * @param runtime the runtime's name, for the message
     * @param status the exit status
     * @param stdout what the program wrote to stdout
     * @param stderr what it wrote to stderr
     * @return stdout as text
     * @throws IllegalStateException if {@code status} is not 0
     */
    static String result(String runtime, int status, byte[] stdout, byte[] stderr) {
        if (status != 0) {
            throw new IllegalStateException(runtime + ": sqlite_bench exited with " + status + ": "
                    + new String(stderr, StandardCharsets.UTF_8).strip());
        }
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
