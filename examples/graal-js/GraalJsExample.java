// The GraalJS example: runs text.js in GraalJS with `wasm` bound to the exports of text.wat, which runs
// on Wasmtime through wasmbridge. See README.md in this folder for the command.
//
//   java [...] -cp CLASSPATH examples/graal-js/GraalJsExample.java [DIR]     (DIR: this folder)

import dev.wasmbridge.Engine;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.Instance;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.ValType;
import dev.wasmbridge.graal.PolyglotWasm;
import java.nio.file.Path;
import java.util.List;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;

public class GraalJsExample {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "examples/graal-js");
        try (Engine engine = Engine.create();
             Module module = Module.fromPath(engine, dir.resolve("text.wat"));
             Store store = Store.create(engine);
             Linker linker = Linker.create(engine);
             Context js = Context.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build()) {
            // The wasm import env.log, implemented in JavaScript: it reads the message from the caller's memory.
            PolyglotWasm.defineFunctionWithCaller(linker, "env", "log",
                    FuncType.of(List.of(ValType.I32, ValType.I32), List.of()),
                    js.eval("js", "(caller, ptr, len) => console.log('wasm says: ' + caller.memory().readString(ptr, len))"));
            Instance instance = linker.instantiate(store, module);
            js.getBindings("js").putMember("wasm", PolyglotWasm.exports(instance));
            js.eval(Source.newBuilder("js", dir.resolve("text.js").toFile()).build());
        }
    }
}
