package dev.wasmbridge;

import java.util.List;
import java.util.function.IntUnaryOperator;

/** Test-only access to package-private hooks, for the test packages outside {@code dev.wasmbridge}. */
public final class Internals {
    private Internals() {
    }

    /**
     * A module whose "run"(n) calls the host function env.h n times; with memory, globals, a table.
     */
    public static final String HOST_LOOP_WAT = "(module"
            + " (import \"env\" \"h\" (func $h (param i32) (result i32)))"
            + " (memory (export \"memory\") 1) (global (export \"g\") (mut i32) (i32.const 5))"
            + " (table (export \"t\") 2 funcref) (global (export \"c\") i64 (i64.const 9))"
            + " (func $inc (export \"inc\") (param i32) (result i32) local.get 0 i32.const 1 i32.add)"
            + " (func (export \"run\") (param i32) (result i32) (local $acc i32)"
            + "   (block $done (loop $next"
            + "     local.get 0 i32.eqz br_if $done"
            + "     local.get $acc local.get 0 call $h i32.add local.set $acc"
            + "     local.get 0 i32.const 1 i32.sub local.set 0 br $next))"
            + "   local.get $acc)"
            + " (elem (i32.const 0) $inc))";

    /** env.h(n): reads memory byte 0 through the caller's memory and calls "inc" through a typed view. */
    public static Linker hostLoopLinker(Engine engine) {
        Linker linker = Linker.create(engine);
        linker.defineFunction("env", "h", FuncType.of(List.of(ValType.I32), List.of(ValType.I32)), (caller, args) -> {
            Memory memory = caller.memory("memory");
            IntUnaryOperator inc = caller.function("inc").as(IntUnaryOperator.class);
            return new Object[] {inc.applyAsInt(memory.readByte(0))};
        });
        return linker;
    }

    /** The sizes of a store's native registries (see {@code Store.registrySizes}). */
    public static long[] registrySizes(Store store) {
        return store.registrySizes();
    }
}
