/**
 * The GraalVM polyglot adapter: WebAssembly modules and components running on Wasmtime, called from JavaScript,
 * Python and other Truffle languages, with guest functions as wasm imports. Start at {@link
 * dev.wasmbridge.graal.PolyglotWasm}, whose comment also gives the threading rules (a polyglot context
 * and a wasmbridge store are each used by one thread at a time).
 */
package dev.wasmbridge.graal;
