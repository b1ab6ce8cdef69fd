/**
 * WASI preview 1: what a WebAssembly program sees of the host ({@link dev.wasmbridge.wasi.WasiConfig}:
 * arguments, environment, standard streams, preopened directories) and how it ends ({@link
 * dev.wasmbridge.wasi.WasiExitException}). A store takes a configuration with {@code Store.setWasi};
 * a linker provides the {@code wasi_snapshot_preview1} imports with {@code Linker.defineWasi()}.
 */
package dev.wasmbridge.wasi;
