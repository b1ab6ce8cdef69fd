package dev.wasmbridge.component;

import dev.wasmbridge.Store;
import dev.wasmbridge.internal.CoreAccess;
import java.util.Map;
import java.util.Objects;

/**
 * An instantiated component in a {@link Store}: its exported functions. A view owned by the store,
 * dead once the store is closed.
 *
 * <p>Thread safety: like its store, one thread at a time.
 */
public final class ComponentInstance {
    private final Store store;
    private final Component component;
    private final int index;
    private final Map<String, ComponentHostResource> hostTypes;

    ComponentInstance(Store store, Component component, int index, Map<String, ComponentHostResource> hostTypes) {
        this.store = store;
        this.component = component;
        this.index = index;
        this.hostTypes = hostTypes;
    }

    /**
     * The store the instance lives in.
     *
     * @return the store
     */
    public Store store() {
        return store;
    }

    /**
     * The component it is an instance of.
     *
     * @return the component
     */
    public Component component() {
        return component;
    }

    /**
     * The exported function {@code name} at the component's root.
     *
     * @param name the export's name
     * @return the function
     * @throws IllegalArgumentException if there is no such function (the export is another item, such as
     *     an exported function type), or it is async
     * @throws IllegalStateException if the store is closed or in use by another thread
     * @throws NullPointerException if {@code name} is null
     */
    public ComponentFunction function(String name) {
        return lookup(null, Objects.requireNonNull(name, "name"));
    }

    /**
     * The function {@code name} of the exported interface {@code iface}, such as {@code
     * function("wasi:cli/run@0.2.0", "run")}.
     *
     * @param iface the exported instance's name
     * @param name the function's name within it
     * @return the function
     * @throws IllegalArgumentException if there is no such function (the export is another item, such as
     *     an exported function type), or it is async
     * @throws IllegalStateException if the store is closed or in use by another thread
     * @throws NullPointerException if an argument is null
     */
    public ComponentFunction function(String iface, String name) {
        return lookup(Objects.requireNonNull(iface, "iface"), Objects.requireNonNull(name, "name"));
    }

    private ComponentFunction lookup(String iface, String name) {
        long s = CoreAccess.get().enter(store);
        int f;
        try {
            f = ComponentNative.instanceFunc(s, index, iface, name);
        } finally {
            CoreAccess.get().exit(store);
        }
        if (f == ComponentAbi.NOT_A_FUNCTION) {
            throw new IllegalArgumentException("the component's export '" + name + "'" + (iface == null ? "" : " in '" + iface + "'")
                    + " is not a function (an exported function type is described as a function by Component.type())");
        }
        if (f == ComponentAbi.NO_EXPORT) {
            throw new IllegalArgumentException("the component exports no function '" + name + "'"
                    + (iface == null ? "" : " in '" + iface + "'"));
        }
        return new ComponentFunction(store, f, iface == null ? name : iface + "#" + name, hostTypes);
    }

    /**
     * Binds a Java interface to the component's exports: those of the interface its {@link WitInterface}
     * names, or the root's if it has none. See {@link #bind(String, Class)}.
     *
     * @param <T> the interface
     * @param api the interface
     * @return an implementation of {@code api} calling the component
     * @throws BindException listing every way {@code api} does not match the exports
     * @throws IllegalArgumentException if {@code api} is not an interface
     * @throws IllegalStateException if the store is closed or in use by another thread
     * @throws NullPointerException if {@code api} is null
     */
    public <T> T bind(Class<T> api) {
        WitInterface iface = Objects.requireNonNull(api, "api").getAnnotation(WitInterface.class);
        return Binding.bind(this, iface == null ? null : iface.value(), api, hostTypes);
    }

    /**
     * Binds a Java interface to the functions of the exported interface {@code iface} (null: the root's).
     * Each abstract method calls the function its {@link WitName} names, or its name in kebab-case
     * ({@code makePerson} calls {@code make-person}); default methods run as written. Every method is
     * checked against its function's type now, and every mismatch is reported at once.
     *
     * <p>Values convert by the WIT type: {@code bool} {@code boolean}; integers as a Java integer type at
     * least as wide ({@code s32} {@code int}, {@code u32} {@code int} holding its bits as {@link
     * Integer#toUnsignedLong} reads them, or {@code long} holding its value; a wider type is
     * range-checked on the way in; {@code u64} also {@code BigInteger}); {@code f32} {@code float},
     * {@code f64} {@code double}; {@code char} an {@code int} code point (or a {@code char}, within the
     * BMP); {@code string} {@code String}; {@code list<u8>} {@code byte[]}; {@code list<T>} {@code
     * List<T>}; a record a Java record whose components are its fields by name (all of them, in any
     * order); a tuple a Java record with a component per element, by position (generic records such as
     * {@code Pair<A, B>} are fine); a variant a sealed interface with a record per case (the case's
     * name from the record's class name; no component without a payload, one for it); an enum a Java
     * enum; {@code option<T>} {@code Optional<T>}; {@code result<T, E>} {@link Result}{@code <T, E>} ({@code
     * Void} for a side without a type), or, as a method's result, the value T with a checked exception
     * for the error (a class with a public constructor taking E, or none when there is no E: the error
     * is thrown as it); flags an {@code EnumSet} of a Java enum; a resource the component implements a
     * {@link ResourceHandle}, one the linker implements in Java its Java class. Names convert as for
     * methods ({@code DARK_MAGENTA} is {@code dark-magenta}), or come from {@link WitName}. Where a
     * Java type is {@code Object}, or the class {@link ComponentFunction#call(Object...)} uses ({@code
     * Map} for a record, {@link WitVariant}, a {@code String} for an enum...), that value crosses as there, and a
     * {@link WitValue} as itself.
     *
     * <p>Calls convert values straight to and from the call's bytes, with no reflection beyond the
     * method handles of records; a value that does not fit is an {@link IllegalArgumentException}
     * naming where it is wrong. The proxy is usable as long as the store is, by one thread at a time.
     *
     * @param <T> the interface
     * @param iface the exported interface's name ({@code "acme:kv/store@1.0.0"}; without a version, the
     *     one exported interface of that name), or null for the root's functions
     * @param api the interface
     * @return an implementation of {@code api} calling the component
     * @throws BindException listing every way {@code api} does not match the exports
     * @throws IllegalArgumentException if {@code api} is not an interface
     * @throws IllegalStateException if the store is closed or in use by another thread
     * @throws NullPointerException if {@code api} is null
     */
    public <T> T bind(String iface, Class<T> api) {
        return Binding.bind(this, iface, Objects.requireNonNull(api, "api"), hostTypes);
    }

    /**
     * Checks the store first: a closed store or another thread's is that, whatever else is asked.
     *
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    void checkStore() {
        CoreAccess.get().enter(store);
        CoreAccess.get().exit(store);
    }

    /**
     * Runs the component as a WASI command: calls its export {@code wasi:cli/run} (any 0.2 version).
     * The program's exit code comes as a {@link dev.wasmbridge.wasi.WasiExitException} when it calls
     * {@code exit}, as for preview 1 programs.
     *
     * @return 0 if {@code run} returned success, 1 if it returned an error
     * @throws IllegalArgumentException if the component exports no {@code wasi:cli/run}
     * @throws dev.wasmbridge.wasi.WasiExitException if the program exits explicitly (0 included)
     * @throws dev.wasmbridge.TrapException if it traps
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public int runCommand() {
        checkStore();
        String iface = null;
        for (String name : component.type().exports().keySet()) {
            if (name.startsWith("wasi:cli/run@0.2")) {
                iface = name;
            }
        }
        if (iface == null) {
            throw new IllegalArgumentException("the component exports no wasi:cli/run@0.2.x: not a WASI command");
        }
        Object r = function(iface, "run").call();
        return r instanceof Result<?, ?> result && result.isOk() ? 0 : 1;
    }
}
