package dev.wasmbridge.graal;

import dev.wasmbridge.Extern;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.Function;
import dev.wasmbridge.Global;
import dev.wasmbridge.HostFunction;
import dev.wasmbridge.ImportType;
import dev.wasmbridge.Instance;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Memory;
import dev.wasmbridge.Module;
import dev.wasmbridge.Table;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.component.ComponentInstance;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * WebAssembly modules running on Wasmtime, used from GraalVM polyglot guests (JavaScript, Python, any
 * Truffle language), and guest functions used as wasm imports.
 *
 * <pre>{@code
 * try (Context ctx = Context.newBuilder("js").build()) {
 *     ctx.getBindings("js").putMember("wasm", PolyglotWasm.exports(instance));
 *     ctx.eval("js", "wasm.add(40, 2)");                 // runs in Wasmtime, not in GraalWasm
 * }
 * }</pre>
 *
 * <p><b>Exports</b> ({@link #exports(Instance)}, {@link #proxy(Extern)}) are polyglot proxies: a function
 * is executable ({@link WasmFunction}: arguments and results converted by its signature), a memory is
 * an array of bytes with bulk, string and typed accessors ({@link WasmMemory}), a global has a {@code
 * value} ({@link WasmGlobal}), a table is an array of its elements ({@link WasmTable}). They work in any
 * context, whatever its host access, since proxies need none; only {@link WasmMemory}'s zero-copy
 * {@code buffer()} needs a context built with {@link #hostAccess()}.
 *
 * <p><b>Components</b> ({@link #exports(ComponentInstance)}): a component instance's functions, at its
 * root and in its exported interfaces, are executable proxies ({@link WitFunction}) whose arguments and
 * results are converted by their WIT types the way jco's JavaScript bindings represent them: records as
 * objects, lists and tuples as arrays, options as null or the value, variants as {@code {tag, val}},
 * enums as strings, flags as objects of booleans; a returned {@code result} gives its ok value, or throws
 * its err value as a {@link ComponentErrorException}.
 *
 * <p><b>Imports</b> ({@link #defineFunction}, {@link #defineFunctionWithCaller}, {@link #defineImports})
 * are guest functions called by wasm through {@link Linker#defineFunction}: the wasm arguments arrive
 * as guest numbers, the guest's return value is converted to the import's result types. An exception
 * the guest raises unwinds wasm and reaches the Java code that called into wasm as the same {@link
 * PolyglotException}; if that code is itself a guest of the same context (JavaScript calls a wasm
 * export that calls a JavaScript import), the guest sees its own original error again.
 *
 * <p><b>Errors.</b> Misuse by a guest (a wrong number of arguments, a value that does not fit a wasm
 * type) is an {@link IllegalArgumentException} and a trap a {@link TrapException}; both are thrown from
 * the proxies, so the guest sees an error it can catch (GraalJS: an {@code Error} whose {@code message}
 * is the exception's message; GraalPy: a {@code polyglot.ForeignException}, which derives from {@code
 * BaseException}, not {@code Exception}), and the Java code that evaluated the guest gets a {@link
 * PolyglotException} whose {@link PolyglotException#asHostException()} is the original exception
 * ({@link #trap(Throwable)} finds the trap).
 *
 * <p><b>Threads.</b> Both sides allow one thread at a time, and the adapter adds no locking of its own:
 * <ul>
 *   <li>A {@link dev.wasmbridge.Store} (and so every proxy of its instances) is used by one thread at a
 *       time; a call from a second thread while one runs is refused with {@link IllegalStateException}.
 *       A polyglot {@link org.graalvm.polyglot.Context} is entered by one thread at a time too
 *       (GraalJS refuses a second thread outright; GraalPy serializes threads with its global lock).</li>
 *   <li>Proxies run on the thread of the guest that calls them, so a context holding proxies of a store
 *       and that store must be used from the same thread at a time: give each worker or request its own
 *       {@code Context} and its own {@code Store} (an {@link dev.wasmbridge.Engine}, a {@link Module} and a
 *       polyglot {@link org.graalvm.polyglot.Engine} can be shared by all of them).</li>
 *   <li>A guest function defined as an import belongs to its context: wasm calling it enters that context
 *       on the calling thread, which fails ({@link IllegalStateException}, reaching the wasm caller) if
 *       another thread is inside a single-threaded context, or if the context is closed. A {@link Linker}
 *       serves every store it instantiates into, so a linker holding guest functions should serve only
 *       stores used by the thread that uses that context: make one linker per context (linkers are cheap;
 *       the compiled {@link Module} is what is worth sharing).</li>
 *   <li>Re-entrance on one thread is allowed both ways: guest → wasm → guest import → wasm export → ...</li>
 * </ul>
 *
 * <p>This class only has static methods.
 */
public final class PolyglotWasm {
    private static final HostAccess HOST_ACCESS =
            HostAccess.newBuilder(HostAccess.EXPLICIT).allowBufferAccess(true).build();

    private PolyglotWasm() {
    }

    /**
     * The exports of {@code instance} as a polyglot object, one member per export.
     *
     * @param instance the instance
     * @return a proxy to put in a context's bindings or pass to a guest
     * @throws NullPointerException if {@code instance} is null
     */
    public static WasmExports exports(Instance instance) {
        return new WasmExports(instance);
    }

    /**
     * The exports of a component instance as a polyglot object: root functions as members, each exported
     * interface as a nested object of its functions ({@code exports["test:bindings/api@0.1.0"].greet("you")},
     * or {@code exports.api.greet("you")}), values converted by their WIT types as jco represents them in
     * JavaScript (see {@link WitFunction} for the table and {@link ComponentExports} for the names).
     *
     * @param instance the component instance
     * @return a proxy to put in a context's bindings or pass to a guest
     * @throws NullPointerException if {@code instance} is null
     * @throws IllegalStateException if the instance's component is closed
     */
    public static ComponentExports exports(ComponentInstance instance) {
        return new ComponentExports(instance, null, instance.component().type().exports());
    }

    /**
     * A single extern as a polyglot value.
     *
     * @param extern a function, memory, global or table
     * @return a {@link WasmFunction}, {@link WasmMemory}, {@link WasmGlobal} or {@link WasmTable}
     * @throws NullPointerException if {@code extern} is null
     */
    public static Object proxy(Extern extern) {
        return proxy(extern, null);
    }

    static Object proxy(Extern extern, String name) {
        Objects.requireNonNull(extern, "extern");
        if (extern instanceof Function) {
            return new WasmFunction((Function) extern, name);
        }
        if (extern instanceof Memory) {
            return new WasmMemory((Memory) extern);
        }
        if (extern instanceof Global) {
            return new WasmGlobal((Global) extern);
        }
        return new WasmTable((Table) extern);
    }

    /**
     * A wasm function as an executable polyglot value.
     *
     * @param function the function
     * @return the proxy
     * @throws NullPointerException if {@code function} is null
     */
    public static WasmFunction function(Function function) {
        return new WasmFunction(function, null);
    }

    /**
     * A wasm memory as a polyglot byte array with accessors.
     *
     * @param memory the memory
     * @return the proxy
     * @throws NullPointerException if {@code memory} is null
     */
    public static WasmMemory memory(Memory memory) {
        return new WasmMemory(memory);
    }

    /**
     * A wasm global as a polyglot object.
     *
     * @param global the global
     * @return the proxy
     * @throws NullPointerException if {@code global} is null
     */
    public static WasmGlobal global(Global global) {
        return new WasmGlobal(global);
    }

    /**
     * A wasm table as a polyglot array with accessors.
     *
     * @param table the table
     * @return the proxy
     * @throws NullPointerException if {@code table} is null
     */
    public static WasmTable table(Table table) {
        return new WasmTable(table);
    }

    /**
     * Defines {@code module}/{@code name} as a wasm import implemented by a guest function (a
     * JavaScript or Python function, or any executable polyglot value). Wasm arguments arrive as guest
     * values the way {@link WasmFunction} returns results (numbers; a {@link WasmFunction} for a
     * funcref; the original object for an externref); the guest's return value is converted to the
     * result types the way {@link WasmFunction} converts arguments (one value for one result, an array
     * for several, anything for none). A return value that does not fit is an {@link
     * IllegalArgumentException}, and an error raised by the guest a {@link PolyglotException}; either
     * unwinds wasm and reaches the Java code (or guest) that called into wasm.
     *
     * <p>The function belongs to its context: see the threading rules in the class comment.
     *
     * @param linker the linker to define the import in
     * @param module the first level of the import name
     * @param name the second level of the import name
     * @param type the import's signature
     * @param function an executable polyglot value
     * @return {@code linker}
     * @throws IllegalArgumentException if {@code function} is not executable
     * @throws dev.wasmbridge.LinkException if the name is already defined and shadowing is off
     * @throws NullPointerException if an argument is null
     */
    public static Linker defineFunction(Linker linker, String module, String name, FuncType type, Value function) {
        return linker.defineFunction(module, name, type, hostFunction(module + "." + name, type, function, false));
    }

    /**
     * Like {@link #defineFunction}, with a caller object as the guest function's first argument (then the
     * wasm arguments): it has {@code memory(name)} ({@code name} defaults to {@code "memory"}; a {@link
     * WasmMemory}), {@code function(name)}, {@code export(name)} (the calling instance's exports) and
     * {@code data} (the store's data), and is valid only during the call. This is how an import reads a
     * string that wasm passes as a pointer and a length:
     * <pre>{@code
     * (caller, ptr, len) => console.log(caller.memory().readString(ptr, len))
     * }</pre>
     *
     * @param linker the linker to define the import in
     * @param module the first level of the import name
     * @param name the second level of the import name
     * @param type the import's signature (without the caller)
     * @param function an executable polyglot value taking the caller and then one argument per parameter
     * @return {@code linker}
     * @throws IllegalArgumentException if {@code function} is not executable
     * @throws dev.wasmbridge.LinkException if the name is already defined and shadowing is off
     * @throws NullPointerException if an argument is null
     */
    public static Linker defineFunctionWithCaller(Linker linker, String module, String name, FuncType type,
            Value function) {
        return linker.defineFunction(module, name, type, hostFunction(module + "." + name, type, function, true));
    }

    /**
     * Defines every function import of {@code module} that an import object provides, as WebAssembly's
     * JavaScript API takes them: {@code imports[moduleName][name]} is the guest function (a JavaScript
     * object of objects, a Python dict of dicts, or any polyglot value with such members or hash
     * entries). Imports the object does not provide, and imports that are not functions, are left
     * alone (instantiation then reports those still missing).
     *
     * @param linker the linker to define the imports in
     * @param module the module whose function imports to define (their types come from it)
     * @param imports the import object
     * @return {@code linker}
     * @throws IllegalArgumentException if a provided import is not executable
     * @throws dev.wasmbridge.LinkException if a name is already defined and shadowing is off
     * @throws NullPointerException if an argument is null
     */
    public static Linker defineImports(Linker linker, Module module, Value imports) {
        Objects.requireNonNull(linker, "linker");
        Objects.requireNonNull(imports, "imports");
        Map<String, Value> namespaces = new HashMap<>();
        for (ImportType i : module.imports()) {
            if (!(i.type() instanceof FuncType)) {
                continue;
            }
            Value ns = namespaces.computeIfAbsent(i.module(), m -> lookup(imports, m));
            Value fn = ns == null ? null : lookup(ns, i.name());
            if (fn == null) {
                continue;
            }
            if (!fn.canExecute()) {
                throw new IllegalArgumentException("import " + i.module() + "." + i.name() + " is not executable: "
                        + Convert.describe(fn));
            }
            defineFunction(linker, i.module(), i.name(), (FuncType) i.type(), fn);
        }
        return linker;
    }

    private static Value lookup(Value object, String key) {
        Value v = null;
        if (object.hasMember(key)) {
            v = object.getMember(key);
        } else if (object.hasHashEntries() && object.hasHashEntry(key)) {
            v = object.getHashValue(key);
        }
        return v == null || v.isNull() ? null : v;
    }

    /**
     * A guest function as a {@link HostFunction}, for {@link Linker#defineFunction} or anything else
     * that takes one (see {@link #defineFunction} for the conversions).
     *
     * @param label how errors name the function, such as {@code "env.log"}
     * @param type the signature
     * @param function an executable polyglot value
     * @return the host function
     * @throws IllegalArgumentException if {@code function} is not executable
     * @throws NullPointerException if an argument is null
     */
    public static HostFunction hostFunction(String label, FuncType type, Value function) {
        return hostFunction(label, type, function, false);
    }

    private static HostFunction hostFunction(String label, FuncType type, Value function, boolean withCaller) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(function, "function");
        if (!function.canExecute()) {
            throw new IllegalArgumentException("import " + label + " must be an executable value, got "
                    + Convert.describe(function));
        }
        return new GuestFunction("guest function " + label, type, function, withCaller);
    }

    /**
     * A host access policy for contexts that read wasm memory through the polyglot buffer API: {@link
     * HostAccess#EXPLICIT} plus buffer access, so that {@code memory.buffer()} (a direct {@link
     * java.nio.ByteBuffer} over linear memory, no copy) has buffer elements for the guest: {@code new
     * Uint8Array(wasm.memory.buffer())} in GraalJS, {@link Value#readBufferByte(long)} and its siblings
     * everywhere. Note that buffer access then applies to every {@code ByteBuffer} the context sees.
     *
     * @return the policy, for {@link org.graalvm.polyglot.Context.Builder#allowHostAccess(HostAccess)}
     */
    public static HostAccess hostAccess() {
        return HOST_ACCESS;
    }

    /**
     * The wasm trap behind an exception that came out of a guest: a {@link TrapException} itself, the
     * host exception of a {@link PolyglotException}, or a cause of either.
     *
     * @param error the exception, typically a {@link PolyglotException} from {@code Context.eval}
     * @return the trap, or empty if the exception is not one
     */
    public static Optional<TrapException> trap(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < 32; depth++) {
            if (t instanceof TrapException) {
                return Optional.of((TrapException) t);
            }
            if (t instanceof PolyglotException && ((PolyglotException) t).isHostException()) {
                Throwable host = ((PolyglotException) t).asHostException();
                if (host instanceof TrapException) {
                    return Optional.of((TrapException) host);
                }
                t = host;
                continue;
            }
            t = t.getCause();
        }
        return Optional.empty();
    }
}
