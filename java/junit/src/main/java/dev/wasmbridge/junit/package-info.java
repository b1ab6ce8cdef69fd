/**
 * A JUnit 5 extension for WebAssembly modules.
 *
 * <pre>{@code
 * @WasmTest
 * @WasmModule("add.wat")                      // a class-path resource, .wat or .wasm
 * class AddTest {
 *     @Test
 *     void adds(Instance instance) {          // a fresh store per test; closed after it
 *         assertEquals(42, instance.function("add").call(40, 2)[0]);
 *     }
 *
 *     @Test
 *     @WasmModule("trap.wat")
 *     void traps(Instance instance) {
 *         WasmAssertions.assertTrap(TrapCode.UNREACHABLE_CODE_REACHED, () -> instance.function("boom").call());
 *     }
 *
 *     @Test
 *     @WasmModule("hello.wasm")               // imports wasi_snapshot_preview1: WASI is set up by itself
 *     @WasiArgs({"hello", "Alice"})
 *     void greets(Instance instance, WasiOutput output) {
 *         WasmAssertions.assertExitCode(0, () -> instance.function("_start").call());
 *         assertEquals("Hello, Alice!\n", output.stdout());
 *     }
 * }
 * }</pre>
 *
 * <p>What can be injected, into test method, lifecycle method and constructor parameters and into fields
 * annotated with {@link dev.wasmbridge.junit.WasmInject} or {@link dev.wasmbridge.junit.WasmModule}:
 * <ul>
 *   <li>{@link dev.wasmbridge.Engine}: one per test class (configured by {@link dev.wasmbridge.junit.WasmEngineConfig};
 *       {@code @Nested} classes share their enclosing class's), closed after the class's tests;</li>
 *   <li>{@link dev.wasmbridge.Module}: compiled once per engine and resource, closed with the engine;</li>
 *   <li>{@link dev.wasmbridge.Store} and {@link dev.wasmbridge.Linker}: one of each per test, closed after it
 *       (after the {@code @AfterEach} methods);</li>
 *   <li>{@link dev.wasmbridge.Instance}: one per test and module, instantiated in the test's store by its linker;</li>
 *   <li>{@link dev.wasmbridge.junit.WasiOutput}: what the test's WASI program wrote to stdout and stderr;</li>
 *   <li>for components, {@link dev.wasmbridge.component.Component}, its instance, interfaces bound to it, and a
 *       {@link dev.wasmbridge.http.WasiHttpHandler} that serves a {@code wasi:http} component's requests without
 *       a socket, one per test, closed after it (see {@link dev.wasmbridge.junit.WasmExtension}).</li>
 * </ul>
 * The module of a {@code Module} or {@code Instance} is named by {@link dev.wasmbridge.junit.WasmModule} on the
 * parameter or field, else on the method, else on the test class (or an enclosing class).
 */
package dev.wasmbridge.junit;
