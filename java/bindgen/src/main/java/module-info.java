/**
 * wasmbridge's WIT-to-Java generator: {@link dev.wasmbridge.bindgen.JavaBindgen} writes typed Java
 * bindings for a WIT world, for the runtime in {@code dev.wasmbridge} (module {@code dev.wasmbridge}). It
 * loads a native library of its own (the generator, without Wasmtime) and never the runtime's.
 *
 * <p>The library is loaded with {@code System.load}: on JDK 22 and newer, grant this module native access
 * ({@code --enable-native-access=dev.wasmbridge.bindgen}, or {@code ALL-UNNAMED} on the class path) to
 * avoid the JDK's warning.
 */
module dev.wasmbridge.bindgen {
    requires transitive dev.wasmbridge;

    exports dev.wasmbridge.bindgen;
}
