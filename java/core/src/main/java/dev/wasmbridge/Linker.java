package dev.wasmbridge;

import dev.wasmbridge.internal.Handle;
import dev.wasmbridge.internal.Native;
import java.util.Objects;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Resolves a module's imports by name and instantiates it (Wasmtime's {@code Linker}).
 *
 * <p>Thread safety: thread-safe. Definitions and instantiations may come from several threads;
 * a definition waits for instantiations in progress. Definitions taken from a store's instance can
 * only be used to instantiate into that same store.
 */
public final class Linker implements AutoCloseable {
    private final Engine engine;
    private final Handle handle;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

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
        lock.readLock().lock();
        try {
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
        } finally {
            lock.readLock().unlock();
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
        if (module.engine() != engine) {
            throw new IllegalArgumentException("the Module belongs to a different engine than the Linker");
        }
        lock.readLock().lock();
        try {
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
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Defines {@code module}/{@code name} as a function implemented in Java. The definition serves
     * every store this linker instantiates into.
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
        HostDefinition definition = new HostDefinition(module + "." + name, type, function);
        byte[] params = codes(type.params());
        byte[] results = codes(type.results());
        write(l -> Native.linkerDefineFunction(l, module, name, params, results, definition));
        return this;
    }

    /**
     * Defines {@code module}/{@code name} as a host function of type {@code (func (result i32))} implemented by
     * a {@link IntSupplier}: wasm calls it with primitives only (no boxing, no arrays), the fastest way
     * into Java. It gets no {@link Caller}; use {@link #defineFunction} when the host needs the
     * caller's memory. An exception it throws reaches the Java caller of wasm as the same object.
     *
     * @param module the first level of the import name
     * @param name the second level of the import name
     * @param function the implementation; called on the thread that called into wasm
     * @return this linker
     * @throws LinkException if the name is already defined and shadowing is off
     * @throws IllegalStateException if the linker is closed
     * @throws NullPointerException if an argument is null
     */
    public Linker defineIntSupplier(String module, String name, IntSupplier function) {
        return defineTyped(module, name, 0, function);
    }

    /**
     * Defines {@code module}/{@code name} as a host function of type {@code (func (result i64))} implemented by
     * a {@link LongSupplier}: wasm calls it with primitives only (no boxing, no arrays), the fastest way
     * into Java. It gets no {@link Caller}; use {@link #defineFunction} when the host needs the
     * caller's memory. An exception it throws reaches the Java caller of wasm as the same object.
     *
     * @param module the first level of the import name
     * @param name the second level of the import name
     * @param function the implementation; called on the thread that called into wasm
     * @return this linker
     * @throws LinkException if the name is already defined and shadowing is off
     * @throws IllegalStateException if the linker is closed
     * @throws NullPointerException if an argument is null
     */
    public Linker defineLongSupplier(String module, String name, LongSupplier function) {
        return defineTyped(module, name, 1, function);
    }

    /**
     * Defines {@code module}/{@code name} as a host function of type {@code (func (param i32) (result i32))} implemented by
     * a {@link IntUnaryOperator}: wasm calls it with primitives only (no boxing, no arrays), the fastest way
     * into Java. It gets no {@link Caller}; use {@link #defineFunction} when the host needs the
     * caller's memory. An exception it throws reaches the Java caller of wasm as the same object.
     *
     * @param module the first level of the import name
     * @param name the second level of the import name
     * @param function the implementation; called on the thread that called into wasm
     * @return this linker
     * @throws LinkException if the name is already defined and shadowing is off
     * @throws IllegalStateException if the linker is closed
     * @throws NullPointerException if an argument is null
     */
    public Linker defineIntUnary(String module, String name, IntUnaryOperator function) {
        return defineTyped(module, name, 2, function);
    }

    /**
     * Defines {@code module}/{@code name} as a host function of type {@code (func (param i32 i32) (result i32))} implemented by
     * a {@link IntBinaryOperator}: wasm calls it with primitives only (no boxing, no arrays), the fastest way
     * into Java. It gets no {@link Caller}; use {@link #defineFunction} when the host needs the
     * caller's memory. An exception it throws reaches the Java caller of wasm as the same object.
     *
     * @param module the first level of the import name
     * @param name the second level of the import name
     * @param function the implementation; called on the thread that called into wasm
     * @return this linker
     * @throws LinkException if the name is already defined and shadowing is off
     * @throws IllegalStateException if the linker is closed
     * @throws NullPointerException if an argument is null
     */
    public Linker defineIntBinary(String module, String name, IntBinaryOperator function) {
        return defineTyped(module, name, 3, function);
    }

    /**
     * Defines {@code module}/{@code name} as a host function of type {@code (func (param i64) (result i64))} implemented by
     * a {@link LongUnaryOperator}: wasm calls it with primitives only (no boxing, no arrays), the fastest way
     * into Java. It gets no {@link Caller}; use {@link #defineFunction} when the host needs the
     * caller's memory. An exception it throws reaches the Java caller of wasm as the same object.
     *
     * @param module the first level of the import name
     * @param name the second level of the import name
     * @param function the implementation; called on the thread that called into wasm
     * @return this linker
     * @throws LinkException if the name is already defined and shadowing is off
     * @throws IllegalStateException if the linker is closed
     * @throws NullPointerException if an argument is null
     */
    public Linker defineLongUnary(String module, String name, LongUnaryOperator function) {
        return defineTyped(module, name, 4, function);
    }

    /**
     * Defines {@code module}/{@code name} as a host function of type {@code (func (param i64 i64) (result i64))} implemented by
     * a {@link LongBinaryOperator}: wasm calls it with primitives only (no boxing, no arrays), the fastest way
     * into Java. It gets no {@link Caller}; use {@link #defineFunction} when the host needs the
     * caller's memory. An exception it throws reaches the Java caller of wasm as the same object.
     *
     * @param module the first level of the import name
     * @param name the second level of the import name
     * @param function the implementation; called on the thread that called into wasm
     * @return this linker
     * @throws LinkException if the name is already defined and shadowing is off
     * @throws IllegalStateException if the linker is closed
     * @throws NullPointerException if an argument is null
     */
    public Linker defineLongBinary(String module, String name, LongBinaryOperator function) {
        return defineTyped(module, name, 5, function);
    }

    /**
     * Defines {@code module}/{@code name} as a host function of type {@code (func (param f64) (result f64))} implemented by
     * a {@link DoubleUnaryOperator}: wasm calls it with primitives only (no boxing, no arrays), the fastest way
     * into Java. It gets no {@link Caller}; use {@link #defineFunction} when the host needs the
     * caller's memory. An exception it throws reaches the Java caller of wasm as the same object.
     *
     * @param module the first level of the import name
     * @param name the second level of the import name
     * @param function the implementation; called on the thread that called into wasm
     * @return this linker
     * @throws LinkException if the name is already defined and shadowing is off
     * @throws IllegalStateException if the linker is closed
     * @throws NullPointerException if an argument is null
     */
    public Linker defineDoubleUnary(String module, String name, DoubleUnaryOperator function) {
        return defineTyped(module, name, 6, function);
    }

    /**
     * Defines {@code module}/{@code name} as a host function of type {@code (func (param f64 f64) (result f64))} implemented by
     * a {@link DoubleBinaryOperator}: wasm calls it with primitives only (no boxing, no arrays), the fastest way
     * into Java. It gets no {@link Caller}; use {@link #defineFunction} when the host needs the
     * caller's memory. An exception it throws reaches the Java caller of wasm as the same object.
     *
     * @param module the first level of the import name
     * @param name the second level of the import name
     * @param function the implementation; called on the thread that called into wasm
     * @return this linker
     * @throws LinkException if the name is already defined and shadowing is off
     * @throws IllegalStateException if the linker is closed
     * @throws NullPointerException if an argument is null
     */
    public Linker defineDoubleBinary(String module, String name, DoubleBinaryOperator function) {
        return defineTyped(module, name, 7, function);
    }

    /**
     * Defines {@code module}/{@code name} as a host function of type {@code (func)} implemented by
     * a {@link Runnable}: wasm calls it with primitives only (no boxing, no arrays), the fastest way
     * into Java. It gets no {@link Caller}; use {@link #defineFunction} when the host needs the
     * caller's memory. An exception it throws reaches the Java caller of wasm as the same object.
     *
     * @param module the first level of the import name
     * @param name the second level of the import name
     * @param function the implementation; called on the thread that called into wasm
     * @return this linker
     * @throws LinkException if the name is already defined and shadowing is off
     * @throws IllegalStateException if the linker is closed
     * @throws NullPointerException if an argument is null
     */
    public Linker defineRunnable(String module, String name, Runnable function) {
        return defineTyped(module, name, 8, function);
    }

    /**
     * Defines {@code module}/{@code name} as a host function of type {@code (func (param i32))} implemented by
     * a {@link IntConsumer}: wasm calls it with primitives only (no boxing, no arrays), the fastest way
     * into Java. It gets no {@link Caller}; use {@link #defineFunction} when the host needs the
     * caller's memory. An exception it throws reaches the Java caller of wasm as the same object.
     *
     * @param module the first level of the import name
     * @param name the second level of the import name
     * @param function the implementation; called on the thread that called into wasm
     * @return this linker
     * @throws LinkException if the name is already defined and shadowing is off
     * @throws IllegalStateException if the linker is closed
     * @throws NullPointerException if an argument is null
     */
    public Linker defineIntConsumer(String module, String name, IntConsumer function) {
        return defineTyped(module, name, 9, function);
    }

    /**
     * Defines {@code module}/{@code name} as a host function of type {@code (func (param i64))} implemented by
     * a {@link LongConsumer}: wasm calls it with primitives only (no boxing, no arrays), the fastest way
     * into Java. It gets no {@link Caller}; use {@link #defineFunction} when the host needs the
     * caller's memory. An exception it throws reaches the Java caller of wasm as the same object.
     *
     * @param module the first level of the import name
     * @param name the second level of the import name
     * @param function the implementation; called on the thread that called into wasm
     * @return this linker
     * @throws LinkException if the name is already defined and shadowing is off
     * @throws IllegalStateException if the linker is closed
     * @throws NullPointerException if an argument is null
     */
    public Linker defineLongConsumer(String module, String name, LongConsumer function) {
        return defineTyped(module, name, 10, function);
    }

    private Linker defineTyped(String module, String name, int signature, Object function) {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(function, "function");
        write(l -> Native.linkerDefineTyped(l, module, name, signature, function));
        return this;
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

    private interface LinkerAction {
        void run(long linker);
    }

    private void write(LinkerAction action) {
        lock.writeLock().lock();
        try {
            long l = handle.acquire();
            try {
                action.run(l);
            } finally {
                handle.release();
            }
        } finally {
            lock.writeLock().unlock();
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
