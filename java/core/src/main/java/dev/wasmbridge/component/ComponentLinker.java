package dev.wasmbridge.component;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Store;
import dev.wasmbridge.internal.CoreAccess;
import dev.wasmbridge.internal.Handle;
import dev.wasmbridge.LinkException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Resolves a component's imports by name and instantiates it (Wasmtime's {@code component::Linker}):
 * host functions written in Java ({@link #instance(String)}, {@link #root()}), and WASI 0.2 ({@link
 * #defineWasi()}). Interface names are matched by semantic version, as Wasmtime does: a definition
 * of {@code wasi:cli/run@0.2.3} serves an import of {@code wasi:cli/run@0.2.0}.
 *
 * <p>Thread safety: thread-safe. An instantiation uses the definitions as they were when it started.
 * Host functions are held strongly until the linker (and the stores using them) are closed, as for
 * {@link dev.wasmbridge.Linker}.
 */
public final class ComponentLinker implements AutoCloseable {
    private final Engine engine;
    private final Handle handle;
    /** The resources implemented in Java, by qualified name ({@code acme:kv/store.bucket}). */
    private final Map<String, ComponentHostResource> hostTypes = new ConcurrentHashMap<>();
    /** The imports Java interfaces implement ({@link Instance#implement}), checked at instantiation. */
    private final List<Implemented> implemented = new CopyOnWriteArrayList<>();
    /** The components whose imports the implemented interfaces were checked against (and fit). */
    private final Map<Component, Boolean> checked = Collections.synchronizedMap(new WeakHashMap<>());

    /** An import function defined by a method of a Java interface. */
    private record Implemented(String instance, String function, Binding.Host host) {
    }

    private ComponentLinker(Engine engine) {
        this.engine = engine;
        long e = CoreAccess.get().acquire(engine);
        try {
            this.handle = new Handle(this, ComponentNative.linkerNew(e), ComponentNative::linkerFree, "ComponentLinker");
        } finally {
            CoreAccess.get().release(engine);
        }
    }

    /**
     * Creates an empty linker.
     *
     * @param engine the engine of the components it will link
     * @return a new linker
     * @throws NullPointerException if {@code engine} is null
     * @throws IllegalStateException if the engine is closed
     */
    public static ComponentLinker create(Engine engine) {
        return new ComponentLinker(Objects.requireNonNull(engine, "engine"));
    }

    /**
     * The engine.
     *
     * @return the engine
     */
    public Engine engine() {
        return engine;
    }

    private interface Action {
        void run(long linker);
    }

    private void with(Action action) {
        long l = handle.acquire();
        try {
            action.run(l);
        } finally {
            handle.release();
        }
    }

    /**
     * Allows a later definition of a name to replace an earlier one (off by default).
     *
     * @param allow whether to allow shadowing
     * @return this linker
     * @throws IllegalStateException if the linker is closed
     */
    public ComponentLinker allowShadowing(boolean allow) {
        with(l -> ComponentNative.linkerAllowShadowing(l, allow));
        return this;
    }

    /**
     * Defines WASI 0.2 ({@code wasi:cli}, {@code wasi:io}, {@code wasi:filesystem}, {@code
     * wasi:clocks}, {@code wasi:random}, {@code wasi:sockets}). Each store serves it from the
     * configuration {@link Store#setWasi} gave it (the same {@code WasiConfig} as for preview 1; a store
     * that has none gets one that grants nothing). A program's exit ends the call with a {@link
     * dev.wasmbridge.wasi.WasiExitException}.
     *
     * @return this linker
     * @throws dev.wasmbridge.LinkException if a WASI name is defined already and shadowing is off
     * @throws IllegalStateException if the linker is closed
     */
    public ComponentLinker defineWasi() {
        with(ComponentNative::linkerDefineWasi);
        return this;
    }

    /**
     * Defines {@code wasi:http} 0.2's {@code types} and {@code outgoing-handler} (Wasmtime's
     * implementation, {@code wasmtime-wasi-http}): with {@link #defineWasi()}, every import of a
     * component of the {@code wasi:http/proxy} world. Each store serves them from its own context.
     * Outgoing requests are denied ({@code HTTP-request-denied}) except while the store serves a request
     * for a {@link dev.wasmbridge.http.WasiHttpHandler} that allows them.
     *
     * @return this linker
     * @throws dev.wasmbridge.LinkException if a {@code wasi:http} name is defined already and shadowing
     *     is off
     * @throws IllegalStateException if the linker is closed
     */
    public ComponentLinker defineWasiHttp() {
        with(ComponentNative::linkerDefineWasiHttp);
        return this;
    }

    /**
     * Defines each import of {@code component} that this linker does not define as a function that
     * traps when called (for components that import more than they use). Only what the linker lacks
     * is stubbed: an import it serves, under the same or a compatible version (a component's {@code
     * wasi:io/streams@0.2.3} by {@code defineWasi()}'s 0.2.12), stays served, types it re-exports
     * included. Call it after defining everything else.
     *
     * @param component the component
     * @return this linker
     * @throws IllegalStateException if the linker or the component is closed
     * @throws NullPointerException if {@code component} is null
     */
    public ComponentLinker defineUnknownImportsAsTraps(Component component) {
        Objects.requireNonNull(component, "component");
        with(l -> {
            long c = component.acquire();
            try {
                ComponentNative.linkerDefineUnknownAsTraps(l, c);
            } finally {
                component.release();
            }
        });
        return this;
    }

    /**
     * Defines the imports a Java interface stands for, implemented by {@code implementation}: those of
     * the interface its {@link WitInterface} names, or the root's if it has none. See {@link
     * Instance#implement}.
     *
     * @param <T> the interface
     * @param api the interface
     * @param implementation the object implementing it
     * @return this linker
     * @throws IllegalArgumentException if {@code api} is not an interface, {@code implementation} does
     *     not implement it, or two of its methods stand for the same function
     * @throws dev.wasmbridge.LinkException if a function is defined already and shadowing is off
     * @throws IllegalStateException if the linker is closed
     * @throws NullPointerException if an argument is null
     */
    public <T> ComponentLinker implement(Class<T> api, T implementation) {
        WitInterface iface = Objects.requireNonNull(api, "api").getAnnotation(WitInterface.class);
        (iface == null ? root() : instance(iface.value())).implement(api, implementation);
        return this;
    }

    /**
     * The definitions of the interface {@code name}, such as {@code acme:log/sink@1.0.0}.
     *
     * @param name the interface (instance) name
     * @return a view that defines functions in it
     * @throws NullPointerException if {@code name} is null
     */
    public Instance instance(String name) {
        return new Instance(Objects.requireNonNull(name, "name"));
    }

    /**
     * The definitions at the root: a world's functions imported by plain name.
     *
     * @return a view that defines functions at the root
     */
    public Instance root() {
        return new Instance(null);
    }

    /**
     * The definitions of one interface of a {@link ComponentLinker} (or its root).
     *
     * <p>Thread safety: as the linker's.
     */
    public final class Instance {
        private final String name;

        private Instance(String name) {
            this.name = name;
        }

        /**
         * Defines the function {@code function} of this interface, implemented in Java. Its values
         * are converted by the type the importing component gives it.
         *
         * @param function the function's name, as in WIT
         * @param implementation the implementation
         * @return this view, to define more
         * @throws dev.wasmbridge.LinkException if the name is defined already and shadowing is off
         * @throws IllegalStateException if the linker is closed
         * @throws NullPointerException if an argument is null
         */
        public Instance defineFunction(String function, ComponentHostFunction implementation) {
            Objects.requireNonNull(function, "function");
            Objects.requireNonNull(implementation, "implementation");
            return define(function, new ComponentHostDefinition(qualified(function),
                    ComponentHostDefinition.natural(implementation), hostTypes));
        }

        /**
         * Defines the function {@code function} of this interface, implemented in Java over the exact
         * value model: its arguments arrive as {@link WitValue}s typed by the importing component.
         *
         * @param function the function's name, as in WIT
         * @param implementation the implementation
         * @return this view, to define more
         * @throws dev.wasmbridge.LinkException if the name is defined already and shadowing is off
         * @throws IllegalStateException if the linker is closed
         * @throws NullPointerException if an argument is null
         */
        public Instance defineFunctionValues(String function, ComponentHostValuesFunction implementation) {
            Objects.requireNonNull(function, "function");
            Objects.requireNonNull(implementation, "implementation");
            return define(function, new ComponentHostDefinition(qualified(function),
                    ComponentHostDefinition.values(implementation), hostTypes));
        }

        /**
         * Defines the resource {@code resource} of this interface as one implemented by Java objects of
         * class {@code type}. Values of it cross as those objects: a host function returning an
         * {@code own<resource>} returns one (each return is a new resource), a component's {@code
         * borrow} or {@code own} of it arrives as the object, and {@code destructor} runs when the
         * guest drops its last handle. Define the resource's constructor, methods and functions with
         * {@link #defineFunction} under their WIT names ({@code [constructor]bucket}, {@code
         * [method]bucket.get}, {@code [static]bucket.open}). Objects a component still holds when its
         * store closes are released without their destructor.
         *
         * @param <T> the class behind the resource
         * @param resource the resource's name, as in WIT
         * @param type the class of its objects; an argument of another class is refused
         * @param destructor what runs when the guest drops one
         * @return this view, to define more
         * @throws dev.wasmbridge.LinkException if the name is defined already and shadowing is off
         * @throws IllegalStateException if the linker is closed
         * @throws NullPointerException if an argument is null
         */
        public <T> Instance defineResource(String resource, Class<T> type, ResourceDestructor<? super T> destructor) {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(destructor, "destructor");
            String qualified = name == null ? resource : name + "." + resource;
            ComponentHostResource definition = new ComponentHostResource(qualified, type, destructor);
            with(l -> ComponentNative.linkerDefineResource(l, name, resource, definition));
            hostTypes.put(qualified, definition);
            return this;
        }

        /**
         * Defines an import function for each abstract method of the Java interface {@code api}, calling
         * that method of {@code implementation}: the function named by the method's {@link WitName}, or
         * its name in kebab-case ({@code lookupWord} is {@code lookup-word}). Values convert by the
         * typed mapping of {@link ComponentInstance#bind(Class)}; resources the linker implements in Java
         * ({@link #defineResource}) arrive and leave as their objects, so the resource's functions are
         * methods like {@code @WitName("[constructor]bucket") Bucket newBucket(String name)} and {@code
         * @WitName("[method]bucket.get") Optional<String> get(Bucket self, String key)}. A method whose
         * result is a {@code result<T, E>} may return T and throw a checked exception with a public
         * constructor taking E and a public {@code error()} returning E: that exception becomes the
         * error. Any other exception reaches the Java code that called into the component as it is. A
         * method may take the call's {@link ComponentCaller} as its first parameter (before the function's).
         *
         * <p>The methods are checked against a component's imports when it is instantiated or prepared:
         * a mismatch is a {@link LinkException} listing all of them (a method for a function the
         * component does not import is not checked).
         *
         * @param <T> the interface
         * @param api the interface
         * @param implementation the object implementing it; called on the thread calling into the
         *     component, so it must be thread-safe if several threads use the linker's stores
         * @return this view, to define more
         * @throws IllegalArgumentException if {@code api} is not an interface, {@code implementation} does
         *     not implement it, or two of its methods stand for the same function
         * @throws dev.wasmbridge.LinkException if a function is defined already and shadowing is off
         * @throws IllegalStateException if the linker is closed
         * @throws NullPointerException if an argument is null
         */
        public <T> Instance implement(Class<T> api, T implementation) {
            Objects.requireNonNull(api, "api");
            Objects.requireNonNull(implementation, "implementation");
            with(l -> { }); // a closed linker first, whatever the interface is
            if (!api.isInstance(implementation)) {
                throw new IllegalArgumentException(implementation.getClass().getName() + " does not implement "
                        + api.getName());
            }
            Map<String, Method> byName = new HashMap<>();
            for (Method m : Binding.functions(api)) {
                Method other = byName.put(TypedCodec.witName(m, m.getName()), m);
                if (other != null) {
                    throw new IllegalArgumentException(Binding.describe(other) + " and " + Binding.describe(m)
                            + " both stand for '" + TypedCodec.witName(m, m.getName()) + "'");
                }
            }
            for (Map.Entry<String, Method> e : byName.entrySet()) {
                Binding.Host host = new Binding.Host(e.getValue(), implementation, hostTypes);
                define(e.getKey(), new ComponentHostDefinition(qualified(e.getKey()), host, hostTypes));
                implemented.add(new Implemented(name, e.getKey(), host));
            }
            return this;
        }

        private String qualified(String function) {
            return name == null ? function : name + "#" + function;
        }

        private Instance define(String function, ComponentHostDefinition definition) {
            with(l -> ComponentNative.linkerDefineFunction(l, name, function, definition));
            // A definition replaces an implemented method of the same name (with shadowing on).
            implemented.removeIf(i -> Objects.equals(i.instance(), name) && i.function().equals(function));
            checked.clear();
            return this;
        }
    }

    /**
     * Instantiates a component in a store, resolving its imports from this linker.
     *
     * @param store the store
     * @param component the component
     * @return the instance
     * @throws dev.wasmbridge.LinkException if an import is missing or has the wrong type
     * @throws dev.wasmbridge.TrapException if a start function traps
     * @throws IllegalArgumentException if the store or the component belongs to another engine
     * @throws IllegalStateException if the linker, store or component is closed, or the store is in
     *     use by another thread
     * @throws NullPointerException if an argument is null
     */
    public ComponentInstance instantiate(Store store, Component component) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(component, "component");
        if (store.engine() != engine || component.engine() != engine) {
            throw new IllegalArgumentException("the store and the component must belong to the linker's engine");
        }
        checkImplemented(component);
        long l = handle.acquire();
        try {
            long c = component.acquire();
            try {
                long s = CoreAccess.get().enter(store);
                try {
                    return new ComponentInstance(store, component, ComponentNative.linkerInstantiate(l, store, s, c),
                            hostTypes);
                } finally {
                    CoreAccess.get().exit(store);
                }
            } finally {
                component.release();
            }
        } finally {
            handle.release();
        }
    }

    /**
     * Resolves and type-checks a component's imports once, for cheap instantiation per request.
     * Later definitions do not affect the result.
     *
     * @param component the component
     * @return the prepared component, to close when done
     * @throws dev.wasmbridge.LinkException if an import is missing or has the wrong type
     * @throws IllegalArgumentException if the component belongs to another engine
     * @throws IllegalStateException if the linker or the component is closed
     * @throws NullPointerException if {@code component} is null
     */
    public ComponentInstancePre prepare(Component component) {
        Objects.requireNonNull(component, "component");
        if (component.engine() != engine) {
            throw new IllegalArgumentException("the component belongs to a different engine than the linker");
        }
        checkImplemented(component);
        long l = handle.acquire();
        try {
            long c = component.acquire();
            try {
                return new ComponentInstancePre(component, ComponentNative.preNew(l, c), Map.copyOf(hostTypes));
            } finally {
                component.release();
            }
        } finally {
            handle.release();
        }
    }

    /**
     * Checks the methods of {@link Instance#implement} against the functions {@code component} imports.
     *
     * @throws LinkException listing every mismatch
     */
    private void checkImplemented(Component component) {
        if (implemented.isEmpty() || checked.containsKey(component)) {
            return;
        }
        ComponentType type = component.type();
        List<String> problems = new ArrayList<>();
        for (Implemented i : implemented) {
            Map<String, ComponentItem> items = i.instance() == null ? type.imports() : imported(type, i.instance());
            if (items != null && items.get(i.function()) instanceof ComponentItem.Function f) {
                try {
                    i.host().plan(f.type());
                } catch (BindException e) {
                    problems.addAll(e.mismatches());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new LinkException(new BindException("the Java implementation does not match the component's"
                    + " imports", problems).getMessage());
        }
        checked.put(component, Boolean.TRUE);
    }

    /** The items of the imported interface {@code name} (or of one with its name and another version). */
    private static Map<String, ComponentItem> imported(ComponentType type, String name) {
        if (type.imports().get(name) instanceof ComponentItem.Instance i) {
            return i.items();
        }
        int at = name.indexOf('@');
        String bare = at < 0 ? name : name.substring(0, at);
        for (Map.Entry<String, ComponentItem> e : type.imports().entrySet()) {
            if (e.getKey().startsWith(bare + "@") && e.getValue() instanceof ComponentItem.Instance i) {
                return i.items();
            }
        }
        return null;
    }

    /**
     * Releases the linker. Idempotent. Instances already created are unaffected.
     */
    @Override
    public void close() {
        handle.close();
    }
}
