package dev.wasmbridge.graal;

import dev.wasmbridge.FuncType;
import dev.wasmbridge.Function;
import dev.wasmbridge.ValType;
import java.util.List;
import java.util.Objects;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * A wasm {@link Function} as a polyglot value: guests call it like one of their own functions
 * ({@code wasm.add(40, 2)} in JavaScript or Python), and it runs in Wasmtime.
 *
 * <p>Arguments are converted by the wasm signature: {@code i32} takes a number that fits in an
 * {@code int} ({@link Value#fitsInInt()}) or a boolean (1 or 0); {@code i64} an integer that fits in a
 * {@code long} (a JavaScript number or BigInt, a Python int) or a boolean; {@code f32} any number
 * (rounded to the nearest float, as WebAssembly's JavaScript API does); {@code f64} a number a double
 * holds exactly; {@code funcref} a function of this adapter or null; {@code externref} anything
 * (null stays null; host objects and proxies arrive in Java host functions as themselves, other guest
 * values as their {@link Value}); {@code v128} an array of 16 bytes. A wrong number of arguments, or
 * a value that does not fit, is an {@link IllegalArgumentException}, which the guest sees as an error
 * it can catch (in GraalJS an {@code Error} whose {@code message} is the exception's message; in
 * GraalPy a {@code polyglot.ForeignException}, a {@code BaseException}).
 *
 * <p>Results: none is {@code null}; one is a number ({@code Integer}, {@code Long}, {@code Float} or
 * {@code Double}; a JavaScript guest sees an {@code i64} as a number, exact in interop but rounded by
 * JavaScript arithmetic beyond 2<sup>53</sup>), a {@code WasmFunction} for a funcref, the object
 * passed in for an externref, an array of 16 unsigned bytes for a {@code v128}; several (multi-value)
 * are an array.
 *
 * <p>Members: {@code type} (the signature in WebAssembly text form), {@code length} (the number of
 * parameters) and {@code name} (the export name, or null).
 *
 * <p>Errors from wasm reach the guest as host exceptions it can catch, and the Java code that
 * evaluated the guest as a {@link org.graalvm.polyglot.PolyglotException} whose {@link
 * org.graalvm.polyglot.PolyglotException#asHostException()} is the original exception: a {@link
 * dev.wasmbridge.TrapException} with its {@link dev.wasmbridge.TrapCode} for a trap (see {@link
 * PolyglotWasm#trap(Throwable)}), or whatever a Java host function threw.
 *
 * <p>Thread safety: like the function's {@link dev.wasmbridge.Store}, one thread at a time; see
 * {@link PolyglotWasm} for the rules of both sides.
 */
public final class WasmFunction implements ProxyExecutable, ProxyObject {
    private static final List<String> MEMBERS = List.of("type", "length", "name");

    private final Function function;
    private final String name;
    private FuncType type;

    WasmFunction(Function function, String name) {
        this.function = Objects.requireNonNull(function, "function");
        this.name = name;
    }

    /**
     * The wrapped wasm function.
     *
     * @return the function
     */
    public Function function() {
        return function;
    }

    /**
     * The export name this function was found under, if any.
     *
     * @return the name, or null for a function taken from a table or a funcref
     */
    public String name() {
        return name;
    }

    private FuncType type() {
        FuncType t = type;
        if (t == null) {
            t = function.type();
            type = t;
        }
        return t;
    }

    /**
     * Calls the wasm function with guest arguments converted by its signature.
     *
     * @param arguments the guest's arguments, one per parameter
     * @return null, the single result, or an array of the results
     * @throws IllegalArgumentException if the number of arguments is wrong or one does not fit its type
     * @throws dev.wasmbridge.TrapException if the function traps
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    @Override
    public Object execute(Value... arguments) {
        FuncType t = type();
        List<ValType> params = t.params();
        if (arguments.length != params.size()) {
            throw new IllegalArgumentException("wasm function " + label() + " " + t + " takes " + params.size()
                    + " argument" + (params.size() == 1 ? "" : "s") + ", got " + arguments.length);
        }
        Object[] args = new Object[arguments.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = Convert.toWasm(params.get(i), arguments[i], "argument " + i + " of wasm function " + label());
        }
        return Convert.results(t.results(), function.call(args));
    }

    private String label() {
        return name == null ? "(unnamed)" : "'" + name + "'";
    }

    /**
     * A member: {@code type}, {@code length} or {@code name}.
     *
     * @param key the member's name
     * @return its value, or null if there is no such member
     */
    @Override
    public Object getMember(String key) {
        switch (key) {
            case "type":
                return type().toString();
            case "length":
                return type().params().size();
            case "name":
                return name;
            default:
                return null;
        }
    }

    /**
     * The members' names.
     *
     * @return {@code type}, {@code length}, {@code name}
     */
    @Override
    public Object getMemberKeys() {
        return ProxyArray.fromList(List.<Object>copyOf(MEMBERS));
    }

    /**
     * Whether {@code key} is a member.
     *
     * @param key the name
     * @return true for {@code type}, {@code length} and {@code name}
     */
    @Override
    public boolean hasMember(String key) {
        return MEMBERS.contains(key);
    }

    /**
     * Refused: a wasm function has no writable members.
     *
     * @param key the name
     * @param value the value
     * @throws UnsupportedOperationException always
     */
    @Override
    public void putMember(String key, Value value) {
        throw new UnsupportedOperationException("a wasm function's members are read-only");
    }

    /**
     * The signature and name, for debugging.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "wasm function " + label() + " " + type();
    }
}
