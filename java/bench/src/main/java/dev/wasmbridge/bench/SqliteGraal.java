package dev.wasmbridge.bench;

import java.io.ByteArrayOutputStream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.ByteSequence;

/**
 * The SQLite program in GraalWasm 23.1 with its built-in WASI preview 1 ({@code
 * wasm.Builtins=wasi_snapshot_preview1}): one engine and one source for every run (the parsed module is
 * shared), per run a new context with the arguments and stdout and stderr into byte arrays, the module
 * evaluated (instantiated) in it and {@code _start} executed. Interpreted on a stock JDK; with the Graal
 * compiler as the JVM's JVMCI compiler (the {@code graalwasmJit} row's fork) compiled by Truffle.
 */
final class SqliteGraal implements SqliteRunner {
    private final Engine engine;
    private final Source source;
    private final String[] args;

    /**
     * @param jit whether Truffle must compile: refuse to run interpreted
     * @param rows the rows the program inserts per run
     * @throws IllegalStateException if {@code jit} and the Truffle runtime is the interpreter
     */
    SqliteGraal(boolean jit, int rows) {
        engine = Engine.newBuilder("wasm").option("engine.WarnInterpreterOnly", "false").build();
        if (jit && engine.getImplementationName().equals("Interpreted")) {
            engine.close();
            throw new IllegalStateException("GraalWasm runs interpreted in this JVM: the JIT row needs the flags of"
                    + " Sha256.graalwasmJit (run from the repository root after the bench module's package)");
        }
        source = Source.newBuilder("wasm", ByteSequence.create(SqliteRunner.wasm()), "sqlite").buildLiteral();
        args = SqliteRunner.args(rows);
    }

    @Override
    public String run() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = 0;
        try (Context context = Context.newBuilder("wasm").engine(engine)
                .option("wasm.Builtins", "wasi_snapshot_preview1")
                .arguments("wasm", args).out(out).err(err).build()) {
            try {
                context.eval(source).getMember("_start").execute();
            } catch (PolyglotException e) {
                if (!e.isExit()) {
                    throw e;
                }
                status = e.getExitStatus();
            }
        }
        return SqliteRunner.result(engine.getImplementationName().equals("Interpreted") ? "graalwasm"
                : "graalwasmJit", status, out.toByteArray(), err.toByteArray());
    }

    @Override
    public void close() {
        engine.close();
    }
}
