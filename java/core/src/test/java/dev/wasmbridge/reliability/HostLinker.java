package dev.wasmbridge.reliability;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Extern;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.Function;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Memory;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.ValType;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A linker with the host functions {@code tests/wat/host.wat} imports ({@code env.add}, {@code log},
 * {@code swap}, {@code fail}, {@code reenter}, {@code ref}), written as a careful host would: guest
 * pointers are checked, and a bad one traps instead of throwing a Java exception.
 */
final class HostLinker {
    /** What {@code env.fail} throws: the one Java exception the guest can cause on purpose. */
    static final class HostFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HostFailure() {
            super("env.fail was called");
        }
    }

    static final FuncType I32_I32_TO_I32 = FuncType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32));

    /** Bytes {@code env.log} read, across all stores. */
    static final AtomicLong LOGGED = new AtomicLong();

    private HostLinker() {
    }

    static Linker create(Engine engine) {
        return define(Linker.create(engine));
    }

    static Linker define(Linker linker) {
        linker.defineFunction("env", "add", I32_I32_TO_I32, (caller, args) -> new Object[] {(Integer) args[0] + (Integer) args[1]});
        linker.defineFunction("env", "log", FuncType.of(List.of(ValType.I32, ValType.I32), List.of()), (caller, args) -> {
            Optional<Extern> m = caller.export("memory");
            if (m.isEmpty() || !(m.get() instanceof Memory)) {
                throw new TrapException(TrapCode.UNREACHABLE_CODE_REACHED, "env.log: the caller exports no memory");
            }
            Memory memory = (Memory) m.get();
            long ptr = Integer.toUnsignedLong((Integer) args[0]);
            long len = Integer.toUnsignedLong((Integer) args[1]);
            if (len > 4096 || ptr + len > memory.byteSize()) {
                throw new TrapException(TrapCode.MEMORY_OUT_OF_BOUNDS, "env.log: bad pointer");
            }
            LOGGED.addAndGet(memory.read(ptr, (int) len).length);
            return null;
        });
        linker.defineFunction("env", "swap", FuncType.of(List.of(ValType.I64, ValType.F64), List.of(ValType.F64, ValType.I64)),
                (caller, args) -> new Object[] {args[1], args[0]});
        linker.defineFunction("env", "fail", FuncType.of(List.of(), List.of()), (caller, args) -> {
            throw new HostFailure();
        });
        linker.defineFunction("env", "reenter", FuncType.of(List.of(ValType.I32), List.of(ValType.I32)), (caller, args) -> {
            Optional<Extern> e = caller.export("countdown");
            int n = (Integer) args[0];
            if (e.isEmpty() || !(e.get() instanceof Function) || n <= 0) {
                return new Object[] {0};
            }
            Function countdown = (Function) e.get();
            if (!countdown.type().equals(FuncType.of(List.of(ValType.I32), List.of(ValType.I32)))) {
                return new Object[] {0};
            }
            return countdown.call(n - 1);
        });
        linker.defineFunction("env", "ref", FuncType.of(List.of(ValType.EXTERNREF), List.of(ValType.EXTERNREF)),
                (caller, args) -> new Object[] {args[0]});
        return linker;
    }
}
