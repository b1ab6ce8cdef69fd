package dev.wasmbridge;

import java.nio.ByteBuffer;

/**
 * Every native method of wasmbridge but one ({@link dev.wasmbridge.internal.JniFloor}), implemented in
 * Rust ({@code native/src/<type>.rs}; the Rust function is named {@code Java_dev_wasmbridge_Native_<method>}).
 * Package-private on purpose: the natives take raw pointers and trust their caller, so only the facade
 * classes beside it, which check arguments, ownership and lifetimes first, can reach them.
 *
 * <p>Conventions: objects are {@code long} handles; views owned by a store are {@code int} indices
 * into that store; values use the slot convention of {@code Function.callRaw}; types come back
 * encoded as bytes (decoded by {@link TypeCodec}); numbers that mean something on both sides live in
 * {@link Abi}. Failures arrive as the Java exceptions of {@code native/src/bridge/error.rs}.
 *
 * <p>Thread safety: the caller guarantees what each Rust function's comment requires, in particular
 * that a store is used by one thread at a time.
 */
final class Native {
    static {
        dev.wasmbridge.internal.NativeLoader.load();
    }

    private Native() {
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
     * @param cacheMode the compilation cache: {@code Abi.CACHE_*}
     * @param cachePath the cache's directory or configuration file, or null
     * @return the engine handle
     */
    static native long engineNew(int optLevel, boolean fuel, boolean epochInterruption, long maxWasmStack,
            boolean parallelCompilation, boolean signalsBasedTraps, long[] pooling, long memoryReservation,
            long memoryGuardSize, int cacheMode, String cachePath);

    /**
     * Frees an engine handle.
     *
     * @param engine the handle
     */
    static native void engineFree(long engine);

    // module.rs

    /**
     * Compiles a binary module.
     *
     * @param engine the engine handle
     * @param bytes the binary
     * @return the module handle
     */
    static native long moduleNew(long engine, byte[] bytes);

    /**
     * Compiles a module from WAT text.
     *
     * @param engine the engine handle
     * @param wat the text
     * @return the module handle
     */
    static native long moduleFromWat(long engine, String wat);

    /**
     * Converts WAT text to a binary module without compiling it.
     *
     * @param wat the text
     * @return the binary
     */
    static native byte[] watToBinary(String wat);

    /**
     * Validates a binary module.
     *
     * @param engine the engine handle
     * @param bytes the binary
     */
    static native void moduleValidate(long engine, byte[] bytes);

    /**
     * Encoded imports.
     *
     * @param module the module handle
     * @return the encoded list
     */
    static native byte[] moduleImports(long module);

    /**
     * Encoded exports.
     *
     * @param module the module handle
     * @return the encoded list
     */
    static native byte[] moduleExports(long module);

    /**
     * The module's name section name.
     *
     * @param module the module handle
     * @return the name or null
     */
    static native String moduleName(long module);

    /**
     * Serializes a compiled module.
     *
     * @param module the module handle
     * @return the precompiled bytes
     */
    static native byte[] moduleSerialize(long module);

    /**
     * The version of the Wasmtime inside the native library.
     *
     * @return for example {@code 48.0.8}
     */
    static native String wasmtimeVersion();

    /**
     * Loads a precompiled module.
     *
     * @param engine the engine handle
     * @param bytes the precompiled bytes
     * @return the module handle
     */
    static native long moduleDeserialize(long engine, byte[] bytes);

    /**
     * Loads a precompiled module from a file, mapped into memory.
     *
     * @param engine the engine handle
     * @param path the file's absolute path
     * @return the module handle
     */
    static native long moduleDeserializeFile(long engine, String path);

    /**
     * Frees a module handle.
     *
     * @param module the handle
     */
    static native void moduleFree(long module);

    // store.rs

    /**
     * Creates a store.
     *
     * @param engine the engine handle
     * @param id the store's id ({@code StoreIds}), which host functions' upcall stubs get
     * @return the store handle
     */
    static native long storeNew(long engine, int id);

    /**
     * Frees a store handle and everything it owns.
     *
     * @param store the handle
     */
    static native void storeFree(long store);

    /**
     * Sets the store's fuel.
     *
     * @param store the store handle
     * @param fuel the fuel
     */
    static native void storeSetFuel(long store, long fuel);

    /**
     * The store's remaining fuel.
     *
     * @param store the store handle
     * @return the fuel
     */
    static native long storeGetFuel(long store);

    /**
     * Sets the store's deadline.
     *
     * @param store the store handle
     * @param nanos nanoseconds from now, or negative for none
     */
    static native void storeSetDeadline(long store, long nanos);

    /**
     * The sizes of a store's registries: instances, functions, memories, globals, tables, typed views.
     *
     * @param store the store handle
     * @return the six sizes
     */
    static native long[] storeRegistrySizes(long store);

    /**
     * Makes the store's next host call panic inside its upcall (a test hook: the guards must restore
     * everything a call lends).
     *
     * @param store the store handle
     */
    static native void storePanicInNextHostCall(long store);

    /**
     * Interrupts the wasm running in the store; callable from any thread.
     *
     * @param store the store handle
     */
    static native void storeInterrupt(long store);

    // linker.rs

    /**
     * Creates a linker.
     *
     * @param engine the engine handle
     * @return the linker handle
     */
    static native long linkerNew(long engine);

    /**
     * Frees a linker handle.
     *
     * @param linker the handle
     */
    static native void linkerFree(long linker);

    /**
     * Allows or forbids redefinitions.
     *
     * @param linker the linker handle
     * @param allow whether later definitions replace earlier ones
     */
    static native void linkerAllowShadowing(long linker, boolean allow);

    /**
     * Instantiates a module.
     *
     * @param linker the linker handle
     * @param storeObject the Java store, for host functions the start function calls
     * @param store the store handle
     * @param module the module handle
     * @return the instance index
     */
    static native int linkerInstantiate(long linker, Object storeObject, long store, long module);

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
    static native void linkerDefine(long linker, long store, String module, String name, int kind, int index);

    /**
     * Defines a host function.
     *
     * @param linker the linker handle
     * @param module the import module name
     * @param name the import name
     * @param params the parameter type codes (ValType ordinals)
     * @param results the result type codes
     * @param definition the {@code HostDefinition} that implements it
     * @param stub the address of an upcall stub calling {@code definition.fromStub} ({@code Upcalls}), or 0:
     *     used for calls whose slots fit the store's call slots, JNI otherwise
     * @param keep what keeps the stub alive (held as long as the function), or null
     */
    static native void linkerDefineFunction(long linker, String module, String name, byte[] params,
            byte[] results, Object definition, long stub, Object keep);

    /**
     * Defines a typed host function implemented by a shape's functional interface.
     *
     * @param linker the linker handle
     * @param module the import module name
     * @param name the import name
     * @param shape the {@link Shape} ordinal
     * @param function the implementation, an instance of the shape's interface
     */
    static native void linkerDefineTyped(long linker, String module, String name, int shape, Object function);

    /**
     * Defines a typed host function called through an FFM upcall stub ({@link Upcalls}, JDK 22+).
     *
     * @param linker the linker handle
     * @param module the import module name
     * @param name the import name
     * @param shape the {@link Shape} ordinal
     * @param address the upcall stub: the shape's C signature plus a trailing {@code uint8_t *failed}
     * @param keepAlive the object that keeps the stub alive (held as long as the function)
     * @param function the implementation, called through JNI instead when the thread's stack is too low
     *     for the stub's adapter
     */
    static native void linkerDefineStub(long linker, String module, String name, int shape, long address,
            Object keepAlive, Object function);


    /**
     * Looks up an export of the instance calling the running host function.
     *
     * @param store the store handle
     * @param name the export name
     * @return a packed export ({@link Abi#KIND_SHIFT}), or -1 if there is no such export
     */
    static native long callerExport(long store, String name);

    /**
     * Defines the imports of a module that the linker lacks: as trapping functions, or as default
     * values.
     *
     * @param linker the linker handle
     * @param store the store handle (entered), or 0 for traps
     * @param module the module handle
     * @param defaultValues default values rather than traps
     */
    static native void linkerDefineUnknownImports(long linker, long store, long module, boolean defaultValues);

    /**
     * Defines every export of an instance under a module name.
     *
     * @param linker the linker handle
     * @param store the store handle
     * @param module the import module name
     * @param instance the instance index
     */
    static native void linkerDefineInstance(long linker, long store, String module, int instance);

    // wasi/mod.rs

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
     * @param network the network allow-list's addresses or CIDR networks
     * @param networkPorts their ports, -1 for any
     * @param sockets the socket flags: {@code Abi.SOCKETS_*} bits
     */
    static native void storeSetWasi(long store, String[] args, String[] env, boolean inheritEnv,
            int stdinMode, byte[] stdinBytes, Object stdinStream,
            int stdoutMode, Object stdoutStream, long stdoutLimit,
            int stderrMode, Object stderrStream, long stderrLimit,
            String[] preopenHosts, String[] preopenGuests, boolean[] preopenReadOnly,
            String[] network, int[] networkPorts, int sockets);

    /**
     * The stdout a store's WASI context captured so far.
     *
     * @param store the store handle
     * @return the bytes
     */
    static native byte[] storeWasiStdout(long store);

    /**
     * The stderr a store's WASI context captured so far.
     *
     * @param store the store handle
     * @return the bytes
     */
    static native byte[] storeWasiStderr(long store);

    /**
     * Defines the {@code wasi_snapshot_preview1} imports in a linker.
     *
     * @param linker the linker handle
     */
    static native void linkerDefineWasi(long linker);

    // instance_pre.rs

    /**
     * Pre-instantiates a module.
     *
     * @param linker the linker handle
     * @param module the module handle
     * @return the InstancePre handle
     */
    static native long instancePreNew(long linker, long module);

    /**
     * Instantiates a pre-instantiated module.
     *
     * @param pre the InstancePre handle
     * @param storeObject the Java store, for host functions the start function calls
     * @param store the store handle
     * @return the instance index
     */
    static native int instancePreInstantiate(long pre, Object storeObject, long store);

    /**
     * Frees an InstancePre handle.
     *
     * @param pre the handle
     */
    static native void instancePreFree(long pre);

    /**
     * Sets a store's resource limits.
     *
     * @param store the store handle
     * @param limits memory bytes, table elements, instances, tables, memories (-1: unset)
     */
    static native void storeSetLimits(long store, long[] limits);

    // instance.rs

    /**
     * Looks up an export.
     *
     * @param store the store handle
     * @param instance the instance index
     * @param name the export name
     * @return a packed export ({@link Abi#KIND_SHIFT}), or -1 if there is no such export
     */
    static native long instanceExport(long store, int instance, String name);

    /**
     * Encoded exports of an instance.
     *
     * @param store the store handle
     * @param instance the instance index
     * @return the encoded list
     */
    static native byte[] instanceExports(long store, int instance);

    // func.rs

    /**
     * Encoded type of a function.
     *
     * @param store the store handle
     * @param func the function index
     * @return the encoded type
     */
    static native byte[] funcType(long store, int func);

    /**
     * Calls a function with argument slots, writing result slots.
     *
     * @param storeObject the Java store, for host functions the call reaches
     * @param store the store handle
     * @param func the function index
     * @param args the argument slots
     * @param results receives the result slots
     */
    static native void funcCall(Object storeObject, long store, int func, long[] args, long[] results);

    /**
     * Calls a function whose argument slots Java has written into the store's call slots ({@link
     * #storeSlots}), leaving its result slots there.
     *
     * @param storeObject the Java store, for host functions the call reaches
     * @param store the store handle
     * @param func the function index
     * @param args how many argument slots were written (at most the call slots' capacity)
     * @param results how many result slots the caller expects (at most the capacity)
     */
    static native void funcCallSlots(Object storeObject, long store, int func, int args, int results);

    /**
     * A direct buffer over the store's call slots (native memory inside the store, freed with it): its
     * capacity divided by 8 is how many slots a call may pass this way.
     *
     * @param store the store handle
     * @return the buffer (big-endian, as every new buffer: the caller sets the native order)
     */
    static native java.nio.ByteBuffer storeSlots(long store);

    /**
     * Registers a typed view of a function after checking it has the shape's signature (once per
     * function and shape).
     *
     * @param store the store handle
     * @param func the function index
     * @param shape the {@link Shape} ordinal
     * @return the typed view's index
     */
    static native int funcTyped(long store, int func, int shape);

    // shapes.rs: the fast path of each Shape (same order), storeObject being the Java store handed
    // to host functions the call reaches, typed the index funcTyped returned.

    static native int callIntSupplier(Object storeObject, long store, int typed);
    static native long callLongSupplier(Object storeObject, long store, int typed);
    static native float callFloatSupplier(Object storeObject, long store, int typed);
    static native double callDoubleSupplier(Object storeObject, long store, int typed);
    static native int callIntUnaryOperator(Object storeObject, long store, int typed, int a);
    static native long callLongUnaryOperator(Object storeObject, long store, int typed, long a);
    static native float callFloatUnaryOperator(Object storeObject, long store, int typed, float a);
    static native double callDoubleUnaryOperator(Object storeObject, long store, int typed, double a);
    static native int callIntBinaryOperator(Object storeObject, long store, int typed, int a, int b);
    static native long callLongBinaryOperator(Object storeObject, long store, int typed, long a, long b);
    static native float callFloatBinaryOperator(Object storeObject, long store, int typed, float a, float b);
    static native double callDoubleBinaryOperator(Object storeObject, long store, int typed, double a, double b);
    static native int callIntTernaryOperator(Object storeObject, long store, int typed, int a, int b, int c);
    static native void callRunnable(Object storeObject, long store, int typed);
    static native void callIntConsumer(Object storeObject, long store, int typed, int a);
    static native void callLongConsumer(Object storeObject, long store, int typed, long a);
    static native void callFloatConsumer(Object storeObject, long store, int typed, float a);
    static native void callDoubleConsumer(Object storeObject, long store, int typed, double a);
    static native void callIntBiConsumer(Object storeObject, long store, int typed, int a, int b);
    static native long callIntToLongFunction(Object storeObject, long store, int typed, int a);
    static native double callIntToDoubleFunction(Object storeObject, long store, int typed, int a);
    static native int callLongToIntFunction(Object storeObject, long store, int typed, long a);
    static native double callLongToDoubleFunction(Object storeObject, long store, int typed, long a);
    static native int callDoubleToIntFunction(Object storeObject, long store, int typed, double a);
    static native long callDoubleToLongFunction(Object storeObject, long store, int typed, double a);
    static native long callIntBiToLongFunction(Object storeObject, long store, int typed, int a, int b);

    // memory.rs

    /**
     * Encoded type of a memory.
     *
     * @param store the store handle
     * @param memory the memory index
     * @return the encoded type
     */
    static native byte[] memoryType(long store, int memory);

    /**
     * Size in bytes.
     *
     * @param store the store handle
     * @param memory the memory index
     * @return the size
     */
    static native long memorySize(long store, int memory);

    /**
     * Grows a memory.
     *
     * @param store the store handle
     * @param memory the memory index
     * @param deltaPages pages to add
     * @return the previous size in pages
     */
    static native long memoryGrow(long store, int memory, long deltaPages);

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
    static native void memoryRead(long store, int memory, long address, byte[] dst, int offset, int length);

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
    static native void memoryWrite(long store, int memory, long address, byte[] src, int offset, int length);

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
    static native void memoryReadDirect(long store, int memory, long address, ByteBuffer dst, int position,
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
    static native void memoryWriteDirect(long store, int memory, long address, ByteBuffer src, int position,
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
    static native long memoryLoad(long store, int memory, long address, int width);

    /**
     * Stores a little-endian value.
     *
     * @param store the store handle
     * @param memory the memory index
     * @param address the address
     * @param width 1, 2, 4 or 8 bytes
     * @param bits the value (low {@code width} bytes are stored)
     */
    static native void memoryStore(long store, int memory, long address, int width, long bits);

    /**
     * A direct buffer over the memory's current bytes.
     *
     * @param store the store handle
     * @param memory the memory index
     * @return the buffer
     */
    static native ByteBuffer memoryBuffer(long store, int memory);

    // global.rs

    /**
     * Encoded type of a global.
     *
     * @param store the store handle
     * @param global the global index
     * @return the encoded type
     */
    static native byte[] globalType(long store, int global);

    /**
     * Reads a global's value slots.
     *
     * @param store the store handle
     * @param global the global index
     * @param out receives the slots
     */
    static native void globalGet(long store, int global, long[] out);

    /**
     * Writes a global's value slots.
     *
     * @param store the store handle
     * @param global the global index
     * @param in the slots
     */
    static native void globalSet(long store, int global, long[] in);

    // table.rs

    /**
     * Encoded type of a table.
     *
     * @param store the store handle
     * @param table the table index
     * @return the encoded type
     */
    static native byte[] tableType(long store, int table);

    /**
     * Number of elements.
     *
     * @param store the store handle
     * @param table the table index
     * @return the size
     */
    static native long tableSize(long store, int table);

    /**
     * Reads an element's reference slot.
     *
     * @param store the store handle
     * @param table the table index
     * @param index the element index
     * @return the slot
     */
    static native long tableGet(long store, int table, long index);

    /**
     * Writes an element from a reference slot.
     *
     * @param store the store handle
     * @param table the table index
     * @param index the element index
     * @param slot the reference slot
     */
    static native void tableSet(long store, int table, long index, long slot);

    /**
     * Grows a table.
     *
     * @param store the store handle
     * @param table the table index
     * @param delta elements to add
     * @param initSlot the reference slot for new elements
     * @return the previous size
     */
    static native long tableGrow(long store, int table, long delta, long initSlot);
}
