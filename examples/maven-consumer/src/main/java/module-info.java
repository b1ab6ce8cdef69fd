/** The example application, as a named module: wasmbridge works on the module path too. */
module com.example.checksum {
    requires dev.wasmbridge;

    exports com.example.checksum;
}
