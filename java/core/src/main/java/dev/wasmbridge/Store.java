package dev.wasmbridge;

import dev.wasmbridge.internal.Handle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * All the state of running WebAssembly (Wasmtime's {@code Store}): instances, memories, globals,
 * tables, and the host objects passed to wasm as {@code externref}. The views obtained from it
 * ({@link Instance}, {@link Function}, {@link Memory}, {@link Global}, {@link Table}) die with it.
 *
 * <p>Create one store per request or per worker, and close it when done; everything it holds is
 * freed together.
 *
 * <p>Thread safety: one thread at a time. A store may move between threads, but a call on it (or on
 * any of its views) while another thread is inside a call on it is refused with {@link
 * IllegalStateException}. Calls made from the same thread while a call is running (re-entrant host
 * callbacks) are allowed.
 */
public final class Store implements AutoCloseable {
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(Store.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        dev.wasmbridge.internal.CoreAccess.register(new dev.wasmbridge.internal.CoreAccess.Core() {
            @Override
            public long acquire(Engine engine) {
                return engine.acquire();
            }

            @Override
            public void release(Engine engine) {
                engine.release();
            }

            @Override
            public long enter(Store store) {
                return store.enter();
            }

            @Override
            public void exit(Store store) {
                store.exit();
            }

            @Override
            public Object componentState(Store store, java.util.function.Supplier<Object> create) {
                synchronized (store) {
                    if (store.componentState == null) {
                        store.componentState = create.get();
                    }
                    return store.componentState;
                }
            }

            @Override
            public boolean isClosed(Store store) {
                return store.handle.isClosed();
            }
        });
    }

    private final Engine engine;
    private final Object data;
    private final Handle handle;
    private final long pointer;
    @SuppressWarnings("unused") // accessed through OWNER
    private volatile Thread owner;
    private int depth;
    private List<Object> externs;
    private Map<Object, Integer> externKeys;
    /** {@code dev.wasmbridge.component}'s state for this store (host objects, dropped handles). */
    private Object componentState;
    /** The call slots' view (Native.storeSlots), made on first use; touched only between enter and exit. */
    private java.nio.ByteBuffer callSlots;

    private Store(Engine engine, Object data) {
        this.engine = engine;
        this.data = data;
        long e = engine.acquire();
        int id;
        try {
            id = StoreIds.register(this);
            try {
                this.pointer = Native.storeNew(e, id);
            } catch (RuntimeException | Error t) {
                StoreIds.release(id);
                throw t;
            }
        } finally {
            engine.release();
        }
        // The id is freed with the native box (by close or by the Cleaner): no call can carry it after.
        this.handle = new Handle(this, pointer, p -> {
            Native.storeFree(p);
            StoreIds.release(id);
        }, "Store");
    }

    /**
     * Creates an empty store.
     *
     * @param engine the engine whose modules this store can instantiate
     * @return a new store
     * @throws NullPointerException if {@code engine} is null
     * @throws IllegalStateException if the engine is closed
     */
    public static Store create(Engine engine) {
        return new Store(Objects.requireNonNull(engine, "engine"), null);
    }

    /**
     * Creates an empty store carrying user data, which host functions reach through {@link
     * Caller#data()}.
     *
     * @param engine the engine whose modules this store can instantiate
     * @param data anything; may be null
     * @return a new store
     * @throws NullPointerException if {@code engine} is null
     * @throws IllegalStateException if the engine is closed
     */
    public static Store create(Engine engine, Object data) {
        return new Store(Objects.requireNonNull(engine, "engine"), data);
    }

    /**
     * The user data given to {@link #create(Engine, Object)}.
     *
     * @return the data, or null
     */
    public Object data() {
        return data;
    }

    /**
     * The engine this store belongs to.
     *
     * @return the engine
     */
    public Engine engine() {
        return engine;
    }

    /**
     * Gives this store a WASI preview 1 context built from {@code config}, replacing the one it had
     * (a store that never had one gets {@link dev.wasmbridge.wasi.WasiConfig#defaults()}, which
     * grants nothing). Instances already in the store use the new context from their next WASI call
     * on; files they had open through the old one are closed. Modules reach WASI through a {@link
     * Linker} with {@link Linker#defineWasi()}.
     *
     * @param config what the guest may see and use
     * @throws IllegalArgumentException if a preopened directory cannot be opened, or an entry of the
     *     network allow-list is not an IP address or CIDR network
     * @throws IllegalStateException if the store is closed, is in use by another thread, or this is
     *     called from one of its own WASI streams
     * @throws NullPointerException if {@code config} is null
     */
    public void setWasi(dev.wasmbridge.wasi.WasiConfig config) {
        Objects.requireNonNull(config, "config");
        List<String> args = config.args();
        List<String> env = new ArrayList<>();
        config.env().forEach((name, value) -> {
            env.add(name);
            env.add(value);
        });
        List<dev.wasmbridge.wasi.WasiConfig.Preopen> preopens = config.preopens();
        String[] hosts = new String[preopens.size()];
        String[] guests = new String[preopens.size()];
        boolean[] readOnly = new boolean[preopens.size()];
        for (int i = 0; i < hosts.length; i++) {
            hosts[i] = preopens.get(i).hostPath().toString();
            guests[i] = preopens.get(i).guestPath();
            readOnly[i] = preopens.get(i).readOnly();
        }
        List<dev.wasmbridge.wasi.WasiConfig.NetworkRule> rules = config.network();
        String[] networks = new String[rules.size()];
        int[] ports = new int[rules.size()];
        for (int i = 0; i < networks.length; i++) {
            networks[i] = rules.get(i).network();
            ports[i] = rules.get(i).port();
        }
        long s = enter();
        try {
            Native.storeSetWasi(s, args.toArray(new String[0]), env.toArray(new String[0]), config.inheritEnv(),
                    stdio(0, config.stdinMode()), config.stdinBytes(), config.stdinStream(),
                    stdio(1, config.stdoutMode()), config.stdoutStream(), config.stdoutCaptureLimit(),
                    stdio(2, config.stderrMode()), config.stderrStream(), config.stderrCaptureLimit(),
                    hosts, guests, readOnly, networks, ports,
                    (config.nameLookup() ? Abi.SOCKETS_NAME_LOOKUP : 0) | (config.tcp() ? Abi.SOCKETS_TCP : 0)
                            | (config.udp() ? Abi.SOCKETS_UDP : 0));
        } finally {
            exit();
        }
    }

    /**
     * The native code of standard stream {@code fd}'s mode: an inherited descriptor that is not the
     * process's own standard stream (closed at start-up and reused by the JVM) is given as none.
     */
    private static int stdio(int fd, dev.wasmbridge.wasi.WasiConfig.StreamMode mode) {
        boolean closed = mode == dev.wasmbridge.wasi.WasiConfig.StreamMode.INHERIT && !StandardStreams.inherited(fd);
        return (closed ? dev.wasmbridge.wasi.WasiConfig.StreamMode.NONE : mode).ordinal();
    }

    /**
     * Everything the guest wrote to stdout so far, when the store's WASI configuration captures it
     * ({@link dev.wasmbridge.wasi.WasiConfig.Builder#captureStdout()}).
     *
     * @return a copy of the captured bytes
     * @throws IllegalStateException if stdout is not captured, or the store is closed or in use by
     *     another thread
     */
    public byte[] capturedStdout() {
        long s = enter();
        try {
            return Native.storeWasiStdout(s);
        } finally {
            exit();
        }
    }

    /**
     * Everything the guest wrote to stderr so far, when the store's WASI configuration captures it
     * ({@link dev.wasmbridge.wasi.WasiConfig.Builder#captureStderr()}).
     *
     * @return a copy of the captured bytes
     * @throws IllegalStateException if stderr is not captured, or the store is closed or in use by
     *     another thread
     */
    public byte[] capturedStderr() {
        long s = enter();
        try {
            return Native.storeWasiStderr(s);
        } finally {
            exit();
        }
    }

    /**
     * The view of this store's call slots, in native order ({@code Function}'s raw calls pass their slots
     * there). Only between {@link #enter()} and {@link #exit()}, on the owning thread.
     */
    java.nio.ByteBuffer callSlots(long store) {
        java.nio.ByteBuffer b = callSlots;
        if (b == null) {
            b = Native.storeSlots(store).order(java.nio.ByteOrder.nativeOrder());
            callSlots = b;
        }
        return b;
    }

    /**
     * Starts a call on this store from the current thread and returns the native handle. Every
     * {@code enter} is paired with {@link #exit()} in a {@code finally}.
     */
    long enter() {
        Thread me = Thread.currentThread();
        if (owner == me) {
            depth++;
            return pointer;
        }
        if (!OWNER.compareAndSet(this, null, me) && !takeFromDeadOwner(me)) {
            throw new IllegalStateException("Store is in use by another thread (" + owner
                    + "); a store is used by one thread at a time");
        }
        if (handle.isClosed()) {
            OWNER.setVolatile(this, null);
            throw new IllegalStateException("Store is closed");
        }
        depth = 1;
        return pointer;
    }

    /**
     * Takes the store from an owner thread that has ended without releasing it (a thread that died
     * of a StackOverflowError in the middle of a call, for example): nothing can be running there.
     */
    private boolean takeFromDeadOwner(Thread me) {
        for (;;) {
            Thread current = owner;
            if (current == null) {
                if (OWNER.compareAndSet(this, null, me)) {
                    return true;
                }
            } else if (current.isAlive()) {
                return false;
            } else if (OWNER.compareAndSet(this, current, me)) {
                return true;
            }
        }
    }

    void exit() {
        if (--depth == 0) {
            // Release suffices: the next owner's CAS sees this call's effects; no full fence needed.
            OWNER.setRelease(this, null);
        }
    }

    Handle handle() {
        return handle;
    }

    void checkSameEngine(Engine other, String what) {
        if (other != engine) {
            throw new IllegalArgumentException(what + " belongs to a different engine than the store");
        }
    }

    /**
     * Limits the resources wasm may take in this store from now on (see {@link StoreLimits}).
     *
     * @param limits the limits
     * @throws NullPointerException if {@code limits} is null
     * @throws IllegalStateException if called from a host function of this store, or the store is
     *     closed or in use by another thread
     */
    public void setLimits(StoreLimits limits) {
        long[] values = limits.limits();
        long s = enter();
        try {
            Native.storeSetLimits(s, values);
        } finally {
            exit();
        }
    }

    /**
     * Sets the fuel wasm may still consume in this store; running out traps with {@link
     * TrapCode#OUT_OF_FUEL}. Each wasm instruction costs about one unit.
     *
     * @param fuel the fuel, not negative
     * @throws IllegalArgumentException if {@code fuel} is negative
     * @throws IllegalStateException if the engine was built without {@link
     *     EngineConfig.Builder#fuel(boolean) fuel}, or the store is closed or in use by another thread
     */
    public void setFuel(long fuel) {
        if (!engine.config().fuel()) {
            throw new IllegalStateException("fuel is not enabled: build the engine with EngineConfig.builder().fuel(true)");
        }
        if (fuel < 0) {
            throw new IllegalArgumentException("fuel must not be negative, got " + fuel);
        }
        long s = enter();
        try {
            Native.storeSetFuel(s, fuel);
        } finally {
            exit();
        }
    }

    /**
     * The fuel left.
     *
     * @return the remaining fuel
     * @throws IllegalStateException if the engine was built without fuel, or the store is closed or
     *     in use by another thread
     */
    public long getFuel() {
        if (!engine.config().fuel()) {
            throw new IllegalStateException("fuel is not enabled: build the engine with EngineConfig.builder().fuel(true)");
        }
        long s = enter();
        try {
            return Native.storeGetFuel(s);
        } finally {
            exit();
        }
    }

    /**
     * Sets a deadline {@code timeout} from now: wasm still running then stops with a {@link
     * TrapException} of code {@link TrapCode#INTERRUPT}, within about a millisecond, and the calling
     * thread is free again. The deadline applies to every call until it is changed or cleared.
     *
     * @param timeout the time from now, not negative
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if the engine was built without {@link
     *     EngineConfig.Builder#epochInterruption(boolean) epoch interruption}, or the store is closed or
     *     in use by another thread
     */
    public void setDeadline(java.time.Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("the timeout must not be negative, got " + timeout);
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE;
        }
        deadline(nanos);
    }

    /**
     * Removes the deadline set by {@link #setDeadline(java.time.Duration)}.
     *
     * @throws IllegalStateException if the engine was built without epoch interruption, or the store
     *     is closed or in use by another thread
     */
    public void clearDeadline() {
        deadline(-1);
    }

    private void deadline(long nanos) {
        checkEpochs();
        long s = enter();
        try {
            Native.storeSetDeadline(s, nanos);
        } finally {
            exit();
        }
    }

    private void checkEpochs() {
        if (!engine.config().epochInterruption()) {
            throw new IllegalStateException(
                    "deadlines and interrupts need EngineConfig.builder().epochInterruption(true)");
        }
    }

    /**
     * Stops the call running in this store now with a {@link TrapException} of code {@link
     * TrapCode#INTERRUPT}: within about a millisecond for wasm code, within 5 ms for a guest sleeping
     * in WASI's {@code poll_oneoff} or waiting for a Java stdin stream. An interrupt aims at the call
     * running when it is made: if no call is running it has no effect (the next call starts with no
     * interrupt pending), and one that arrives as a call ends is dropped with that call. Unlike every
     * other method, this one may be called from any thread, typically a watchdog's.
     *
     * @throws IllegalStateException if the engine was built without epoch interruption, or the store
     *     is closed
     */
    public void interrupt() {
        checkEpochs();
        long s = handle.acquire();
        try {
            Native.storeInterrupt(s);
        } finally {
            handle.release();
        }
    }

    /**
     * The sizes of the native registries of views handed to Java: instances, functions, memories,
     * globals, tables, typed views (for tests that check a long-lived store stays bounded).
     */
    long[] registrySizes() {
        long s = enter();
        try {
            return Native.storeRegistrySizes(s);
        } finally {
            exit();
        }
    }

    /** Test hook: the next host call panics in Rust inside its upcall, with the store lent. */
    void panicInNextHostCall() {
        long s = enter();
        try {
            Native.storePanicInNextHostCall(s);
        } finally {
            exit();
        }
    }

    /** The key by which wasm refers to a host object passed as externref (this store's table). */
    long externKey(Object value) {
        if (externs == null) {
            externs = new ArrayList<>();
            externKeys = new IdentityHashMap<>();
        }
        Integer key = externKeys.get(value);
        if (key == null) {
            key = externs.size();
            externs.add(value);
            externKeys.put(value, key);
        }
        return key;
    }

    Object externValue(long key) {
        if (externs == null || key < 0 || key >= externs.size()) {
            throw new IllegalStateException("externref " + key + " does not belong to this store");
        }
        return externs.get((int) key);
    }

    /**
     * Frees the store and everything in it; its views become unusable ({@link
     * IllegalStateException}). Idempotent.
     *
     * @throws IllegalStateException if another thread is using the store, or if called from inside a
     *     call on this store
     */
    @Override
    public void close() {
        if (handle.isClosed()) {
            return;
        }
        Thread me = Thread.currentThread();
        if (owner == me) {
            throw new IllegalStateException("cannot close a Store from inside a call on it");
        }
        if (!OWNER.compareAndSet(this, null, me) && !takeFromDeadOwner(me)) {
            throw new IllegalStateException("cannot close a Store while another thread is using it");
        }
        try {
            handle.close();
            externs = null;
            externKeys = null;
            synchronized (this) {
                componentState = null;
            }
        } finally {
            OWNER.setVolatile(this, null);
        }
    }
}
