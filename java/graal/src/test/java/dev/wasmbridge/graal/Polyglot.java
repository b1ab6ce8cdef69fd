package dev.wasmbridge.graal;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;

/** Polyglot contexts for the tests, all on one shared polyglot engine (its code cache makes them start faster). */
final class Polyglot {
    private static final Engine ENGINE = Engine.newBuilder()
            .option("engine.WarnInterpreterOnly", "false")
            .build();

    private Polyglot() {
    }

    static Context js() {
        return Context.newBuilder("js").engine(ENGINE).build();
    }

    /**
     * A JS context with {@link PolyglotWasm#hostAccess()}, on an engine of its own: an engine caches what
     * host classes allow for the first host access policy it sees, so contexts that share an engine must
     * share their policy too.
     */
    static Context jsWithBufferAccess() {
        return Context.newBuilder("js").allowHostAccess(PolyglotWasm.hostAccess())
                .option("engine.WarnInterpreterOnly", "false").build();
    }

    /** JavaScript and GraalWasm in one context, for the differential tests. */
    static Context jsAndWasm() {
        return Context.newBuilder("js", "wasm").engine(ENGINE).build();
    }

    static Context python() {
        return Context.newBuilder("python").engine(ENGINE).build();
    }
}
