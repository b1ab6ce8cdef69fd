package dev.wasmbridge.wasi;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import java.nio.file.Path;

/**
 * Runs a WASI program with the process's own stdin, stdout and stderr and exits with its exit code:
 * {@code InheritedStdioMain <program.wasm> [args...]}. Started as a child JVM by {@link WasiTest}.
 */
final class InheritedStdioMain {
    private InheritedStdioMain() {
    }

    public static void main(String[] args) {
        int code = 0;
        try (Engine engine = Engine.create();
                Module module = Module.fromPath(engine, Path.of(args[0]));
                Store store = Store.create(engine);
                Linker linker = Linker.create(engine).defineWasi()) {
            store.setWasi(WasiConfig.builder().args(args).inheritStdin().inheritStdout().inheritStderr().build());
            try {
                linker.instantiate(store, module).function("_start").call();
            } catch (WasiExitException e) {
                code = e.exitCode();
            }
        }
        System.exit(code);
    }
}
