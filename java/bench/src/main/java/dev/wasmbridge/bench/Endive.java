package dev.wasmbridge.bench;

import java.util.List;
import java.util.function.Function;
import run.endive.compiler.MachineFactoryCompiler;
import run.endive.runtime.ExportFunction;
import run.endive.runtime.HostFunction;
import run.endive.runtime.ImportValues;
import run.endive.runtime.Instance;
import run.endive.runtime.Machine;
import run.endive.runtime.Memory;
import run.endive.wasm.Parser;
import run.endive.wasm.WasmModule;
import run.endive.wasm.types.FunctionType;
import run.endive.wasm.types.ValType;

/**
 * The kernels in Endive (formerly Chicory), a pure-Java runtime: its interpreter, or its compiler that
 * translates each module to JVM bytecode once (the machine factory is built once per module and reused
 * for every instance, the way Endive recommends).
 */
final class Endive {
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

    Endive(boolean compiled) {
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
