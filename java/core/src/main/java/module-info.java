/**
 * wasmbridge: WebAssembly for the JVM on Wasmtime. The API is {@link dev.wasmbridge} (engines,
 * modules, stores, linkers, instances and their exports) and {@link dev.wasmbridge.wasi} (WASI
 * preview 1). {@code dev.wasmbridge.internal} holds the native bindings and the library loader and is
 * exported only to {@code dev.wasmbridge.bindgen} (the WIT-to-Java generator, which loads its own library
 * with the loader).
 *
 * <p>The native library is loaded with {@code System.load}: on JDK 22 and newer, grant this module
 * native access ({@code --enable-native-access=dev.wasmbridge}, or {@code ALL-UNNAMED} on the class
 * path) to avoid the JDK's warning.
 */
// The qualified export names a module of another artifact, not on this module's compile path.
@SuppressWarnings("module")
module dev.wasmbridge {
    requires java.net.http;

    exports dev.wasmbridge;
    exports dev.wasmbridge.component;
    exports dev.wasmbridge.http;
    exports dev.wasmbridge.wasi;
    // NativeLoader, for the generator's library (module dev.wasmbridge.bindgen, artifact wasmbridge-bindgen).
    exports dev.wasmbridge.internal to dev.wasmbridge.bindgen;
}
