package dev.wasmbridge.bench;

import java.util.List;
import java.util.function.Function;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;

/**
 * The kernels in Chicory 1.7.5, the last release of the pure-Java runtime Endive continues: its interpreter,
 * or its compiler that translates each module to JVM bytecode once (the machine factory is built once per
 * module and reused for every instance). The API is Endive's under the package {@code com.dylibso.chicory};
 * this class mirrors {@link Endive} line for line so the two are measured the same way.
 */
final class Chicory {
    final boolean compiled;
    final WasmModule callsModule;
    final Function<Instance, Machine> callsMachine;
    final ExportFunction add;
    final ExportFunction fib;
    final ExportFunction sha256;
    final ExportFunction matmul;
    final ExportFunction hostLoop;
    final Memory shaMemory;
    final int inputPtr;

    /**
     * Parses the kernels and instantiates each once (the {@code host} module with {@code env.add} in Java).
     *
     * @param compiled whether to run them through the compiler to JVM bytecode (else the interpreter)
     */
    Chicory(boolean compiled) {
        this.compiled = compiled;
        callsModule = Parser.parse(Kernels.wasm("calls"));
        callsMachine = compiled ? MachineFactoryCompiler.compile(callsModule) : null;
        Instance c = instantiate(callsModule, callsMachine, null);
        add = c.export("add");
        fib = c.export("fib");
        WasmModule shaModule = Parser.parse(Kernels.wasm("sha256"));
        Instance s = instantiate(shaModule, compiled ? MachineFactoryCompiler.compile(shaModule) : null, null);
        sha256 = s.export("sha256");
        shaMemory = s.memory();
        inputPtr = (int) s.export("input_ptr").apply()[0];
        shaMemory.write(inputPtr, Kernels.input());
        WasmModule mm = Parser.parse(Kernels.wasm("matmul"));
        matmul = instantiate(mm, compiled ? MachineFactoryCompiler.compile(mm) : null, null).export("matmul");
        WasmModule host = Parser.parse(Kernels.wasm("host"));
        ImportValues imports = ImportValues.builder()
                .addFunction(new HostFunction("env", "add", FunctionType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32)),
                        (instance, args) -> new long[] {(int) args[0] + (int) args[1]}))
                .build();
        hostLoop = instantiate(host, compiled ? MachineFactoryCompiler.compile(host) : null, imports).export("host_loop");
    }

    /** An instance of {@code module}, with {@code machine} (null: the interpreter) and {@code imports} (or none). */
    static Instance instantiate(WasmModule module, Function<Instance, Machine> machine, ImportValues imports) {
        Instance.Builder b = Instance.builder(module);
        if (machine != null) {
            b.withMachineFactory(machine);
        }
        if (imports != null) {
            b.withImportValues(imports);
        }
        return b.build();
    }

    /** A new instance of the {@code calls} module (per request). */
    Instance newCalls() {
        return instantiate(callsModule, callsMachine, null);
    }
}
