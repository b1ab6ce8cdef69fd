package dev.wasmbridge;

import dev.wasmbridge.internal.Handle;
import java.util.Objects;

/**
 * Resolves a module's imports by name and instantiates it (Wasmtime's {@code Linker}).
 *
 * <p>Thread safety: thread-safe. Definitions and instantiations may come from several threads. An
 * instantiation uses the definitions as they were when it started and holds no lock while the
 * module's start function runs, so a host function it calls may define names on this same linker
 * (they apply to later instantiations). Definitions taken from a store's instance can only be used
 * to instantiate into that same store.
 *
 * <p>Lifetime: host functions (their Java objects) are held strongly by the linker's native side, and
 * by every store with an instance that imports them, until those are closed. A host function that
 * captures its own linker or store keeps it reachable from the JVM's native roots, so the {@code
 * Cleaner} can never free it: close linkers and stores explicitly (try-with-resources), or let such
 * functions reach their store through {@link Caller#store()} instead of capturing it.
 */
public final class Linker implements AutoCloseable {
    private final Engine engine;
    private final Handle handle;

    private Linker(Engine engine) {
        this.engine = engine;
        long e = engine.acquire();
        try {
            this.handle = new Handle(this, Native.linkerNew(e), Native::linkerFree, "Linker");
        } finally {
            engine.release();
        }
    }

    /**
     * Creates an empty linker.
     *
     * @param engine the engine of the modules it will link
     * @return a new linker
     * @throws NullPointerException if {@code engine} is null
     * @throws IllegalStateException if the engine is closed
     */
    public static Linker create(Engine engine) {
        return new Linker(Objects.requireNonNull(engine, "engine"));
    }

    /**
     * The engine this linker belongs to.
     *
     * @return the engine
     */
    public Engine engine() {
        return engine;
    }

    /**
     * Allows a later definition of a name to replace an earlier one (off by default: redefining is a
     * {@link LinkException}).
     *
     * @param allow whether to allow shadowing
     * @return this linker
     * @throws IllegalStateException if the linker is closed
     */
    public Linker allowShadowing(boolean allow) {
        write(l -> Native.linkerAllowShadowing(l, allow));
        return this;
    }

    /**
     * Defines the WASI preview 1 imports ({@code wasi_snapshot_preview1}). Each store serves them
     * from its own context ({@link Store#setWasi}); a store that has none gets one that grants
     * nothing. A WASI program's {@code proc_exit} ends the running call (or the instantiation whose
     * start function called it) with a {@link dev.wasmbridge.wasi.WasiExitException} carrying the
     * code, 0 included; codes outside 0 to 125 are a {@link TrapException} instead (wasmtime-wasi
     * reserves them).
     *
     * @return this linker
     * @throws LinkException if WASI is already defined and shadowing is off
     * @throws IllegalStateException if the linker is closed
     */
    public Linker defineWasi() {
        write(Native::linkerDefineWasi);
        return this;
    }

    /**
     * Instantiates a module in a store, resolving its imports from this linker's definitions and
     * running its start function.
     *
     * @param store the store to instantiate into
     * @param module the module
     * @return the new instance
     * @throws LinkException if an import is missing or has the wrong type
     * @throws TrapException if the start function traps
     * @throws IllegalArgumentException if the store or module belongs to another engine
     * @throws IllegalStateException if the linker, store or module is closed, or the store is in use
     *     by another thread
     * @throws NullPointerException if an argument is null
     */
    public Instance instantiate(Store store, Module module) {
        store.checkSameEngine(engine, "the Linker");
        store.checkSameEngine(module.engine(), "the Module");
        long l = handle.acquire();
        try {
            long m = module.acquire();
            try {
                long s = store.enter();
                try {
                    return new Instance(store, Native.linkerInstantiate(l, store, s, m));
                } finally {
                    store.exit();
                }
            } finally {
                module.release();
            }
        } finally {
            handle.release();
        }
    }

    /**
     * Resolves and type-checks {@code module}'s imports once, for cheap instantiation per request
     * ({@link InstancePre#instantiate(Store)}). Later definitions do not affect the result.
     *
     * @param module the module
     * @return the prepared module, to close when done
     * @throws LinkException if an import is missing or has the wrong type
     * @throws IllegalArgumentException if the module belongs to another engine
     * @throws IllegalStateException if the linker or module is closed
     * @throws NullPointerException if {@code module} is null
     */
    public InstancePre prepare(Module module) {
        checkEngine(module);
        long l = handle.acquire();
        try {
            long m = module.acquire();
            try {
                return new InstancePre(module, Native.instancePreNew(l, m));
            } finally {
                module.release();
            }
        } finally {
            handle.release();
        }
    }

    /**
     * Defines {@code module}/{@code name} as a function implemented in Java. The definition serves
     * every store this linker instantiates into. Its arguments and results cross through the store's
     * call slots when they fit there; on JDK 22 and newer, a signature of numbers only is called through
     * an upcall stub of the foreign function API (see {@link #define(String, String, Class, Object)}).
     *
     * @param module the first level of the import name
     * @param name the second level of the import name
     * @param type the function's signature; arguments and results are checked against it
     * @param function the implementation
     * @return this linker
     * @throws LinkException if the name is already defined and shadowing is off
     * @throws IllegalStateException if the linker is closed
     * @throws NullPointerException if an argument is null
     */
    public Linker defineFunction(String module, String name, FuncType type, HostFunction function) {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(function, "function");
        defineHost(module, name, type, new HostDefinition(module + "." + name, type, function));
        return this;
    }

    /**
     * Defines {@code module}/{@code name} as a host function implemented by a Java functional
     * interface, whose method's signature is the import's: {@code int} is {@code i32}, {@code long}
     * {@code i64}, {@code float} {@code f32}, {@code double} {@code f64}, and the result one of those
     * or {@code void}. The function gets no {@link Caller}; use {@link #defineFunction} when it needs
     * the caller's memory. An exception it throws reaches the Java code that called into wasm as the
     * same object.
     *
     * <p>For the typed shapes (the interfaces listed at {@link Function#as(Class)}) wasm calls the
     * method with primitives only, the fastest way into Java: on JDK 22 and newer through an upcall stub
     * of the foreign function API, otherwise (or with {@code -Dwasmbridge.upcalls=jni}) through a JNI
     * upcall; exceptions behave the same either way. Any other such interface works too,
     * through a method handle that reads the arguments from an array of slots (one small array per
     * call, no boxing).
     *
     * @param <T> the interface
     * @param module the first level of the import name
     * @param name the second level of the import name
     * @param type the interface
     * @param function the implementation; called on the thread that called into wasm
     * @return this linker
     * @throws LinkException if the name is already defined and shadowing is off
     * @throws IllegalArgumentException if {@code type} is not a functional interface of numeric types
     * @throws IllegalStateException if the linker is closed
     * @throws NullPointerException if an argument is null
     */
    public <T> Linker define(String module, String name, Class<T> type, T function) {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(function, "function");
        Object target = type.cast(function);
        Shape shape = Shape.of(type);
        if (shape != null) {
            Object[] stub = Upcalls.stub(shape, target);
            if (stub != null) {
                long address = (Long) stub[0];
                write(l -> Native.linkerDefineStub(l, module, name, shape.ordinal(), address, stub[1], target));
            } else {
                write(l -> Native.linkerDefineTyped(l, module, name, shape.ordinal(), target));
            }
            return this;
        }
        java.lang.reflect.Method method = NumericHandles.numericMethod(type);
        FuncType funcType = NumericHandles.funcType(method);
        java.lang.invoke.MethodHandle handle;
        try {
            handle = java.lang.invoke.MethodHandles.publicLookup().unreflect(method).bindTo(target);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException(type.getName() + " is not accessible: " + e.getMessage(), e);
        }
        defineHost(module, name, funcType, new HostDefinition(module + "." + name, funcType,
                NumericHandles.slotAdapter(handle)));
        return this;
    }

    /**
     * Defines a {@link HostDefinition}: through an upcall stub on JDK 22+ when its signature has numbers only
     * ({@link Upcalls}), through JNI otherwise (and, in host.rs, for calls whose slots do not fit the store's
     * call slots).
     */
    private void defineHost(String module, String name, FuncType type, HostDefinition definition) {
        byte[] params = codes(type.params());
        byte[] results = codes(type.results());
        Object[] stub = definition.stubbable() ? Upcalls.stub(HostDefinition.FROM_STUB, definition) : null;
        long address = stub == null ? 0 : (Long) stub[0];
        Object keep = stub == null ? null : stub[1];
        write(l -> Native.linkerDefineFunction(l, module, name, params, results, definition, address, keep));
    }

    private static byte[] codes(java.util.List<ValType> types) {
        byte[] b = new byte[types.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) types.get(i).ordinal();
        }
        return b;
    }

    /**
     * Defines {@code module}/{@code name} as an extern taken from an instance of {@code store}, for
     * example another instance's memory.
     *
     * @param store the store the extern belongs to
     * @param module the first level of the import name
     * @param name the second level of the import name
     * @param item the function, memory, global or table
     * @return this linker
     * @throws LinkException if the name is already defined and shadowing is off
     * @throws IllegalArgumentException if {@code item} belongs to another store
     * @throws IllegalStateException if the linker or store is closed, or the store is in use by
     *     another thread
     * @throws NullPointerException if an argument is null
     */
    public Linker define(Store store, String module, String name, Extern item) {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(item, "item");
        store.checkSameEngine(engine, "the Linker");
        if (item.store() != store) {
            throw new IllegalArgumentException("the extern belongs to a different store");
        }
        write(l -> {
            long s = store.enter();
            try {
                Native.linkerDefine(l, s, module, name, item.kind(), item.index());
            } finally {
                store.exit();
            }
        });
        return this;
    }

    /**
     * Defines every export of {@code instance} under the import module name {@code module}.
     *
     * @param store the store the instance belongs to
     * @param module the first level of the import names
     * @param instance the instance whose exports to define
     * @return this linker
     * @throws LinkException if a name is already defined and shadowing is off
     * @throws IllegalArgumentException if {@code instance} belongs to another store
     * @throws IllegalStateException if the linker or store is closed, or the store is in use by
     *     another thread
     * @throws NullPointerException if an argument is null
     */
    public Linker defineInstance(Store store, String module, Instance instance) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(instance, "instance");
        if (instance.store() != store) {
            throw new IllegalArgumentException("the instance belongs to a different store");
        }
        store.checkSameEngine(engine, "the Linker");
        write(l -> {
            long s = store.enter();
            try {
                Native.linkerDefineInstance(l, s, module, instance.index());
            } finally {
                store.exit();
            }
        });
        return this;
    }

    /**
     * Defines each import of {@code module} that this linker does not provide as a function that
     * traps when called (what {@code wasmtime run -W unknown-imports-trap} does): the module then
     * instantiates, and fails only if it calls one. Imports this linker already has are left as
     * they are; only function imports can be made up this way.
     *
     * @param module the module whose imports to complete
     * @return this linker
     * @throws LinkException if a missing import is not a function
     * @throws IllegalArgumentException if {@code module} belongs to another engine
     * @throws IllegalStateException if the linker or module is closed
     * @throws NullPointerException if {@code module} is null
     */
    public Linker defineUnknownImportsAsTraps(Module module) {
        Objects.requireNonNull(module, "module");
        checkEngine(module);
        write(l -> {
            long m = module.acquire();
            try {
                Native.linkerDefineUnknownImports(l, 0, m, false);
            } finally {
                module.release();
            }
        });
        return this;
    }

    /**
     * Defines each import of {@code module} that this linker does not provide with a default: a
     * function returns zeros (null references) without doing anything, and a global, table or
     * memory is made in {@code store} with its type's initial value (what {@code wasmtime run -W
     * unknown-imports-default} does). Imports this linker already has are left as they are.
     *
     * @param store the store the made-up globals, tables and memories belong to
     * @param module the module whose imports to complete
     * @return this linker
     * @throws LinkException if a default cannot be made for a missing import (a tag, say)
     * @throws IllegalArgumentException if {@code store} or {@code module} belongs to another engine
     * @throws IllegalStateException if the linker, store or module is closed, or the store is in
     *     use by another thread
     * @throws NullPointerException if an argument is null
     */
    public Linker defineUnknownImportsAsDefaultValues(Store store, Module module) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(module, "module");
        checkEngine(module);
        store.checkSameEngine(engine, "the Linker");
        write(l -> {
            long m = module.acquire();
            try {
                long s = store.enter();
                try {
                    Native.linkerDefineUnknownImports(l, s, m, true);
                } finally {
                    store.exit();
                }
            } finally {
                module.release();
            }
        });
        return this;
    }

    private void checkEngine(Module module) {
        if (module.engine() != engine) {
            throw new IllegalArgumentException("the Module belongs to a different engine than the Linker");
        }
    }

    private interface LinkerAction {
        void run(long linker);
    }

    private void write(LinkerAction action) {
        long l = handle.acquire();
        try {
            action.run(l);
        } finally {
            handle.release();
        }
    }

    /**
     * Releases the linker. Idempotent. Instances already created are unaffected.
     */
    @Override
    public void close() {
        handle.close();
    }
}
