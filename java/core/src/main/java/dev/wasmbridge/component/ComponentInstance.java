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
        // The store first: a closed store or another thread's is that, whatever the exports are.
        CoreAccess.get().enter(store);
        CoreAccess.get().exit(store);
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
        return r instanceof WitResult && ((WitResult) r).isOk() ? 0 : 1;
    }
}
