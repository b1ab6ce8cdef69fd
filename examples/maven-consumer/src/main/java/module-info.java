/** The example application, as a named module: wasmbridge works on the module path too. */
module com.example.checksum {
    requires dev.wasmbridge;
    // The generated bindings carry @javax.annotation.processing.Generated (source retention: compile time only).
    requires static java.compiler;

    exports com.example.checksum;
    exports com.example.calc;
    // The generated bindings (target/generated-sources/wasmbridge): the runtime reads their types reflectively.
    exports com.example.calc.bindings.arithmetic;
    exports com.example.calc.bindings.audit;
}
