/**
 * A JUnit 5 extension for WebAssembly modules on wasmbridge: {@link dev.wasmbridge.junit.WasmTest} injects
 * engines, modules, stores and instances into tests, {@link dev.wasmbridge.junit.WasmAssertions} checks traps,
 * exit codes and memory contents.
 */
module dev.wasmbridge.junit {
    requires transitive dev.wasmbridge;
    requires transitive org.junit.jupiter.api;
    requires org.junit.platform.commons;

    exports dev.wasmbridge.junit;
}
