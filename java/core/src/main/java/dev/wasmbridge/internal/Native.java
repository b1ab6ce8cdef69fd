package dev.wasmbridge.internal;

import java.nio.ByteBuffer;

/**
 * Every native method of wasmbridge, implemented in Rust ({@code native/src/<type>.rs}, the Rust
 * function is named {@code Java_dev_wasmbridge_internal_Native_<method>}). Not part of the API: the
 * facade classes check arguments, ownership and lifetimes before calling here.
 *
 * <p>Conventions: objects are {@code long} handles; views owned by a store are {@code int} indices
 * into that store; values use the slot convention of {@code Function.callRaw}; types come back
 * encoded as bytes (decoded by {@code dev.wasmbridge.TypeCodec}). Failures arrive as the Java
 * exceptions of {@code native/src/error.rs}.
 *
 * <p>Thread safety: the caller guarantees what each Rust function's comment requires, in particular
 * that a store is used by one thread at a time.
 */
public final class Native {
    static {
        NativeLoader.load();
    }

    private Native() {
    }

    /**
     * Makes sure the library is loaded (the class initializer does it).
     *
     * @throws UnsatisfiedLinkError if it cannot be loaded
     */
    public static void ensureLoaded() {
        // Calling this triggers the static initializer.
    }

    // engine.rs

    /**
     * Creates an engine.
     *
     * @param optLevel 0 none, 1 speed, 2 speed and size
     * @param fuel whether fuel is consumed
     * @param epochInterruption whether epoch interruption is compiled in
     * @param maxWasmStack the maximum wasm stack in bytes, 0 for Wasmtime's default
     * @param parallelCompilation whether to compile functions in parallel
     * @param signalsBasedTraps whether traps use signal handlers
     * @param pooling the pooling limits (instances, memories, tables, max memory bytes, table elements;
     *     -1 for a default), or null for on-demand allocation
     * @param memoryReservation bytes reserved per memory, or -1 for the default
     * @param memoryGuardSize guard bytes per memory, or -1 for the default
     * @param cacheDirectory the compilation cache directory, or null for none
     * @return the engine handle
     */
    public static native long engineNew(int optLevel, boolean fuel, boolean epochInterruption, long maxWasmStack,
            boolean parallelCompilation, boolean signalsBasedTraps, long[] pooling, long memoryReservation,
            long memoryGuardSize, String cacheDirectory);

    /**
     * Frees an engine handle.
     *
     * @param engine the handle
     */
    public static native void engineFree(long engine);

    // module.rs

    /**
     * Compiles a binary module.
     *
     * @param engine the engine handle
     * @param bytes the binary
     * @return the module handle
     */
    public static native long moduleNew(long engine, byte[] bytes);

    /**
     * Compiles a module from WAT text.
     *
     * @param engine the engine handle
     * @param wat the text
     * @return the module handle
     */
    public static native long moduleFromWat(long engine, String wat);

    /**
     * Converts WAT text to a binary module without compiling it.
     *
     * @param wat the text
     * @return the binary
     */
    public static native byte[] watToBinary(String wat);

    /**
     * Validates a binary module.
     *
     * @param engine the engine handle
     * @param bytes the binary
     */
    public static native void moduleValidate(long engine, byte[] bytes);

    /**
     * Encoded imports.
     *
     * @param module the module handle
     * @return the encoded list
     */
    public static native byte[] moduleImports(long module);

    /**
     * Encoded exports.
     *
     * @param module the module handle
     * @return the encoded list
     */
    public static native byte[] moduleExports(long module);

    /**
     * The module's name section name.
     *
     * @param module the module handle
     * @return the name or null
     */
    public static native String moduleName(long module);

    /**
     * Serializes a compiled module.
     *
     * @param module the module handle
     * @return the precompiled bytes
     */
    public static native byte[] moduleSerialize(long module);

    /**
     * Loads a precompiled module.
     *
     * @param engine the engine handle
     * @param bytes the precompiled bytes
     * @return the module handle
     */
    public static native long moduleDeserialize(long engine, byte[] bytes);

    /**
     * Frees a module handle.
     *
     * @param module the handle
     */
    public static native void moduleFree(long module);

    // store.rs

    /**
     * Creates a store.
     *
     * @param engine the engine handle
     * @return the store handle
     */
    public static native long storeNew(long engine);

    /**
     * Frees a store handle and everything it owns.
     *
     * @param store the handle
     */
    public static native void storeFree(long store);

    /**
     * Sets the store's fuel.
     *
     * @param store the store handle
     * @param fuel the fuel
     */
    public static native void storeSetFuel(long store, long fuel);

    /**
     * The store's remaining fuel.
     *
     * @param store the store handle
     * @return the fuel
     */
    public static native long storeGetFuel(long store);

    /**
     * Sets the store's deadline.
     *
     * @param store the store handle
     * @param nanos nanoseconds from now, or negative for none
     */
    public static native void storeSetDeadline(long store, long nanos);

    /**
     * Interrupts the wasm running in the store; callable from any thread.
     *
     * @param store the store handle
     */
    public static native void storeInterrupt(long store);

    // linker.rs

    /**
     * Creates a linker.
     *
     * @param engine the engine handle
     * @return the linker handle
     */
    public static native long linkerNew(long engine);

    /**
     * Frees a linker handle.
     *
     * @param linker the handle
     */
    public static native void linkerFree(long linker);

    /**
     * Allows or forbids redefinitions.
     *
     * @param linker the linker handle
     * @param allow whether later definitions replace earlier ones
     */
    public static native void linkerAllowShadowing(long linker, boolean allow);

    /**
     * Instantiates a module.
     *
     * @param linker the linker handle
     * @param storeObject the Java store, for host functions the start function calls
     * @param store the store handle
     * @param module the module handle
     * @return the instance index
     */
    public static native int linkerInstantiate(long linker, Object storeObject, long store, long module);

    /**
     * Defines an extern of the store under a name.
     *
     * @param linker the linker handle
     * @param store the store handle
     * @param module the import module name
     * @param name the import name
     * @param kind 0 function, 1 global, 2 table, 3 memory
     * @param index the view's index in the store
     */
    public static native void linkerDefine(long linker, long store, String module, String name, int kind, int index);

    /**
     * Defines a host function.
     *
     * @param linker the linker handle
     * @param module the import module name
     * @param name the import name
     * @param params the parameter type codes (ValType ordinals)
     * @param results the result type codes
     * @param definition the {@code HostDefinition} that implements it
     */
    public static native void linkerDefineFunction(long linker, String module, String name, byte[] params,
            byte[] results, Object definition);

    /**
     * Defines a typed host function implemented by a {@code java.util.function} interface.
     *
     * @param linker the linker handle
     * @param module the import module name
     * @param name the import name
     * @param signature the interface number (see {@code host.rs}, linkerDefineTyped)
     * @param function the implementation
     */
    public static native void linkerDefineTyped(long linker, String module, String name, int signature,
            Object function);

    /**
     * Does nothing: the cost of a JNI call into this library, the floor every other call pays
     * (used by the benchmarks).
     */
    public static native void noop();

    /**
     * Looks up an export of the instance calling the running host function.
     *
     * @param store the store handle
     * @param name the export name
     * @return {@code kind << 32 | index}, or -1 if there is no such export
     */
    public static native long callerExport(long store, String name);

    /**
     * Defines every export of an instance under a module name.
     *
     * @param linker the linker handle
     * @param store the store handle
     * @param module the import module name
     * @param instance the instance index
     */
    public static native void linkerDefineInstance(long linker, long store, String module, int instance);

    // wasi.rs

    /**
     * Replaces a store's WASI context. Stream modes are {@code WasiConfig.StreamMode} ordinals.
     *
     * @param store the store handle
     * @param args the arguments, program name first
     * @param env environment variables as name, value, name, value, ...
     * @param inheritEnv whether the process's variables are added (explicit ones win)
     * @param stdinMode the stdin mode
     * @param stdinBytes the stdin bytes (memory mode), else null
     * @param stdinStream the {@code java.io.InputStream} (stream mode), else null
     * @param stdoutMode the stdout mode
     * @param stdoutStream the {@code java.io.OutputStream} (stream mode), else null
     * @param stdoutLimit the most bytes captured (memory mode)
     * @param stderrMode the stderr mode
     * @param stderrStream the {@code java.io.OutputStream} (stream mode), else null
     * @param stderrLimit the most bytes captured (memory mode)
     * @param preopenHosts the preopened directories' host paths
     * @param preopenGuests their guest paths
     * @param preopenReadOnly whether each is read-only
     */
    public static native void storeSetWasi(long store, String[] args, String[] env, boolean inheritEnv,
            int stdinMode, byte[] stdinBytes, Object stdinStream,
            int stdoutMode, Object stdoutStream, long stdoutLimit,
            int stderrMode, Object stderrStream, long stderrLimit,
            String[] preopenHosts, String[] preopenGuests, boolean[] preopenReadOnly);

    /**
     * The stdout a store's WASI context captured so far.
     *
     * @param store the store handle
     * @return the bytes
     */
    public static native byte[] storeWasiStdout(long store);

    /**
     * The stderr a store's WASI context captured so far.
     *
     * @param store the store handle
     * @return the bytes
     */
    public static native byte[] storeWasiStderr(long store);

    /**
     * Defines the {@code wasi_snapshot_preview1} imports in a linker.
     *
     * @param linker the linker handle
     */
    public static native void linkerDefineWasi(long linker);

    // instance_pre.rs

    /**
     * Pre-instantiates a module.
     *
     * @param linker the linker handle
     * @param module the module handle
     * @return the InstancePre handle
     */
    public static native long instancePreNew(long linker, long module);

    /**
     * Instantiates a pre-instantiated module.
     *
     * @param pre the InstancePre handle
     * @param storeObject the Java store, for host functions the start function calls
     * @param store the store handle
     * @return the instance index
     */
    public static native int instancePreInstantiate(long pre, Object storeObject, long store);

    /**
     * Frees an InstancePre handle.
     *
     * @param pre the handle
     */
    public static native void instancePreFree(long pre);

    /**
     * Sets a store's resource limits.
     *
     * @param store the store handle
     * @param limits memory bytes, table elements, instances, tables, memories (-1: unset)
     */
    public static native void storeSetLimits(long store, long[] limits);

    // instance.rs

    /**
     * Looks up an export.
     *
     * @param store the store handle
     * @param instance the instance index
     * @param name the export name
     * @return {@code kind << 32 | index}, or -1 if there is no such export
     */
    public static native long instanceExport(long store, int instance, String name);

    /**
     * Encoded exports of an instance.
     *
     * @param store the store handle
     * @param instance the instance index
     * @return the encoded list
     */
    public static native byte[] instanceExports(long store, int instance);

    // func.rs

    /**
     * Encoded type of a function.
     *
     * @param store the store handle
     * @param func the function index
     * @return the encoded type
     */
    public static native byte[] funcType(long store, int func);

    /**
     * Calls a function with argument slots, writing result slots.
     *
     * @param storeObject the Java store, for host functions the call reaches
     * @param store the store handle
     * @param func the function index
     * @param args the argument slots
     * @param results receives the result slots
     */
    public static native void funcCall(Object storeObject, long store, int func, long[] args, long[] results);

    /**
     * Registers a typed view of a function after checking its signature.
     *
     * @param store the store handle
     * @param func the function index
     * @param signature the signature number (see {@code func.rs}, enum Typed)
     * @return the typed view's index
     */
    public static native int funcTyped(long store, int func, int signature);

    /**
     * Fast path for a typed view ({@code Function.asIntSupplier}).
     *
     * @param storeObject the Java store, for host functions the call reaches
     * @param store the store handle
     * @param typed the typed view's index
     * @return the result
     */
    public static native int callV2I(Object storeObject, long store, int typed);

    /**
     * Fast path for a typed view ({@code Function.asLongSupplier}).
     *
     * @param storeObject the Java store, for host functions the call reaches
     * @param store the store handle
     * @param typed the typed view's index
     * @return the result
     */
    public static native long callV2J(Object storeObject, long store, int typed);

    /**
     * Fast path for a typed view ({@code Function.asIntUnaryOperator}).
     *
     * @param storeObject the Java store, for host functions the call reaches
     * @param store the store handle
     * @param typed the typed view's index
     * @param a argument 0
     * @return the result
     */
    public static native int callI2I(Object storeObject, long store, int typed, int a);

    /**
     * Fast path for a typed view ({@code Function.asIntBinaryOperator}).
     *
     * @param storeObject the Java store, for host functions the call reaches
     * @param store the store handle
     * @param typed the typed view's index
     * @param a argument 0
     * @param b argument 1
     * @return the result
     */
    public static native int callII2I(Object storeObject, long store, int typed, int a, int b);

    /**
     * Fast path for a typed view ({@code Function.asLongUnaryOperator}).
     *
     * @param storeObject the Java store, for host functions the call reaches
     * @param store the store handle
     * @param typed the typed view's index
     * @param a argument 0
     * @return the result
     */
    public static native long callJ2J(Object storeObject, long store, int typed, long a);

    /**
     * Fast path for a typed view ({@code Function.asLongBinaryOperator}).
     *
     * @param storeObject the Java store, for host functions the call reaches
     * @param store the store handle
     * @param typed the typed view's index
     * @param a argument 0
     * @param b argument 1
     * @return the result
     */
    public static native long callJJ2J(Object storeObject, long store, int typed, long a, long b);

    /**
     * Fast path for a typed view ({@code Function.asDoubleUnaryOperator}).
     *
     * @param storeObject the Java store, for host functions the call reaches
     * @param store the store handle
     * @param typed the typed view's index
     * @param a argument 0
     * @return the result
     */
    public static native double callD2D(Object storeObject, long store, int typed, double a);

    /**
     * Fast path for a typed view ({@code Function.asDoubleBinaryOperator}).
     *
     * @param storeObject the Java store, for host functions the call reaches
     * @param store the store handle
     * @param typed the typed view's index
     * @param a argument 0
     * @param b argument 1
     * @return the result
     */
    public static native double callDD2D(Object storeObject, long store, int typed, double a, double b);

    /**
     * Fast path for a typed view ({@code Function.asRunnable}).
     *
     * @param storeObject the Java store, for host functions the call reaches
     * @param store the store handle
     * @param typed the typed view's index
     */
    public static native void callV2V(Object storeObject, long store, int typed);

    /**
     * Fast path for a typed view ({@code Function.asIntConsumer}).
     *
     * @param storeObject the Java store, for host functions the call reaches
     * @param store the store handle
     * @param typed the typed view's index
     * @param a argument 0
     */
    public static native void callI2V(Object storeObject, long store, int typed, int a);

    /**
     * Fast path for a typed view ({@code Function.asLongConsumer}).
     *
     * @param storeObject the Java store, for host functions the call reaches
     * @param store the store handle
     * @param typed the typed view's index
     * @param a argument 0
     */
    public static native void callJ2V(Object storeObject, long store, int typed, long a);

    // memory.rs

    /**
     * Encoded type of a memory.
     *
     * @param store the store handle
     * @param memory the memory index
     * @return the encoded type
     */
    public static native byte[] memoryType(long store, int memory);

    /**
     * Size in bytes.
     *
     * @param store the store handle
     * @param memory the memory index
     * @return the size
     */
    public static native long memorySize(long store, int memory);

    /**
     * Grows a memory.
     *
     * @param store the store handle
     * @param memory the memory index
     * @param deltaPages pages to add
     * @return the previous size in pages
     */
    public static native long memoryGrow(long store, int memory, long deltaPages);

    /**
     * Copies bytes out of linear memory.
     *
     * @param store the store handle
     * @param memory the memory index
     * @param address the start address
     * @param dst the destination array
     * @param offset the first index in {@code dst}
     * @param length the number of bytes
     */
    public static native void memoryRead(long store, int memory, long address, byte[] dst, int offset, int length);

    /**
     * Copies bytes into linear memory.
     *
     * @param store the store handle
     * @param memory the memory index
     * @param address the start address
     * @param src the source array
     * @param offset the first index in {@code src}
     * @param length the number of bytes
     */
    public static native void memoryWrite(long store, int memory, long address, byte[] src, int offset, int length);

    /**
     * Copies bytes out of linear memory into a direct buffer.
     *
     * @param store the store handle
     * @param memory the memory index
     * @param address the start address
     * @param dst the direct buffer
     * @param position the first buffer index written
     * @param length the number of bytes
     */
    public static native void memoryReadDirect(long store, int memory, long address, ByteBuffer dst, int position,
            int length);

    /**
     * Copies bytes from a direct buffer into linear memory.
     *
     * @param store the store handle
     * @param memory the memory index
     * @param address the start address
     * @param src the direct buffer
     * @param position the first buffer index read
     * @param length the number of bytes
     */
    public static native void memoryWriteDirect(long store, int memory, long address, ByteBuffer src, int position,
            int length);

    /**
     * Loads a little-endian value.
     *
     * @param store the store handle
     * @param memory the memory index
     * @param address the address
     * @param width 1, 2, 4 or 8 bytes
     * @return the value, zero-extended
     */
    public static native long memoryLoad(long store, int memory, long address, int width);

    /**
     * Stores a little-endian value.
     *
     * @param store the store handle
     * @param memory the memory index
     * @param address the address
     * @param width 1, 2, 4 or 8 bytes
     * @param bits the value (low {@code width} bytes are stored)
     */
    public static native void memoryStore(long store, int memory, long address, int width, long bits);

    /**
     * A direct buffer over the memory's current bytes.
     *
     * @param store the store handle
     * @param memory the memory index
     * @return the buffer
     */
    public static native ByteBuffer memoryBuffer(long store, int memory);

    // global.rs

    /**
     * Encoded type of a global.
     *
     * @param store the store handle
     * @param global the global index
     * @return the encoded type
     */
    public static native byte[] globalType(long store, int global);

    /**
     * Reads a global's value slots.
     *
     * @param store the store handle
     * @param global the global index
     * @param out receives the slots
     */
    public static native void globalGet(long store, int global, long[] out);

    /**
     * Writes a global's value slots.
     *
     * @param store the store handle
     * @param global the global index
     * @param in the slots
     */
    public static native void globalSet(long store, int global, long[] in);

    // table.rs

    /**
     * Encoded type of a table.
     *
     * @param store the store handle
     * @param table the table index
     * @return the encoded type
     */
    public static native byte[] tableType(long store, int table);

    /**
     * Number of elements.
     *
     * @param store the store handle
     * @param table the table index
     * @return the size
     */
    public static native long tableSize(long store, int table);

    /**
     * Reads an element's reference slot.
     *
     * @param store the store handle
     * @param table the table index
     * @param index the element index
     * @return the slot
     */
    public static native long tableGet(long store, int table, long index);

    /**
     * Writes an element from a reference slot.
     *
     * @param store the store handle
     * @param table the table index
     * @param index the element index
     * @param slot the reference slot
     */
    public static native void tableSet(long store, int table, long index, long slot);

    /**
     * Grows a table.
     *
     * @param store the store handle
     * @param table the table index
     * @param delta elements to add
     * @param initSlot the reference slot for new elements
     * @return the previous size
     */
    public static native long tableGrow(long store, int table, long delta, long initSlot);
}
