package dev.wasmbridge.graal;

import dev.wasmbridge.component.ComponentFuncType;
import dev.wasmbridge.component.ComponentFunction;
import dev.wasmbridge.component.ComponentInstance;
import java.util.List;
import java.util.Objects;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * A component function ({@link ComponentFunction}) as a polyglot value: guests call it like one of
 * their own functions ({@code api.greet("you")}), with values converted by the WIT types the way
 * jco's JavaScript bindings represent them.
 *
 * <table>
 *   <caption>WIT types and guest values</caption>
 *   <tr><th>WIT</th><th>argument (guest → component)</th><th>result (component → guest)</th></tr>
 *   <tr><td>{@code bool}</td><td>a boolean</td><td>a boolean</td></tr>
 *   <tr><td>{@code s8} … {@code s64}</td><td>an integer in the type's range (a JavaScript number or
 *       BigInt, a Python int)</td><td>a number ({@code s64}: a {@code Long}, exact through interop
 *       but rounded by JavaScript arithmetic past 2<sup>53</sup>)</td></tr>
 *   <tr><td>{@code u64}</td><td>an integer from 0 to 2<sup>64</sup>-1</td><td>a {@code Long} up to
 *       2<sup>63</sup>-1, a {@link java.math.BigInteger} (a JavaScript BigInt) from 2<sup>63</sup> on
 *       (jco gives BigInts for all 64-bit values, but the polyglot API cannot make a BigInt of a value
 *       that fits a {@code long})</td></tr>
 *   <tr><td>{@code f32}, {@code f64}</td><td>a number ({@code f32} rounds to the nearest float)</td>
 *       <td>a number</td></tr>
 *   <tr><td>{@code char}</td><td>a string of one code point, or the code point</td><td>a string of
 *       one code point</td></tr>
 *   <tr><td>{@code string}</td><td>a string</td><td>a string</td></tr>
 *   <tr><td>{@code list<u8>}</td><td>an array of numbers from 0 to 255, a buffer ({@code
 *       ArrayBuffer}, {@code Uint8Array}, Python {@code bytes}) or a Java {@code byte[]}</td><td>an array
 *       of unsigned bytes (the adapter's byte view, as {@code memory.read} returns)</td></tr>
 *   <tr><td>{@code list<T>}, {@code tuple<...>}</td><td>an array (a Python list or tuple)</td>
 *       <td>an array</td></tr>
 *   <tr><td>{@code record}</td><td>an object (a Python dict) with a member per field, named as in WIT
 *       or in camelCase; an {@code option} field may be left out</td><td>a read-only object with a
 *       member per field, named as in WIT (camelCase names work too)</td></tr>
 *   <tr><td>{@code variant}</td><td>{@code {tag: "case", val: payload}} ({@code val} left out for
 *       a case without payload)</td><td>the same</td></tr>
 *   <tr><td>{@code enum}</td><td>the case's name</td><td>the case's name</td></tr>
 *   <tr><td>{@code option<T>}</td><td>null (or undefined) for none, else the value; an option of an
 *       option as jco: {@code {tag: "none"}} or {@code {tag: "some", val}}, where {@code val} is the
 *       inner option (null or the value)</td><td>the same</td></tr>
 *   <tr><td>{@code result<T, E>}</td><td>{@code {tag: "ok", val}} or {@code {tag: "err", val}}</td>
 *       <td>as the function's result: the ok value is returned (null if it has no type), the err
 *       value thrown as a {@link ComponentErrorException} whose {@code payload} it is; inside another
 *       value: {@code {tag, val}}</td></tr>
 *   <tr><td>{@code flags}</td><td>an object with a boolean per flag (missing ones are false), or an
 *       array of the names that are set</td><td>an object with a boolean per flag</td></tr>
 *   <tr><td>{@code own<R>}, {@code borrow<R>}</td><td>a {@link WitResource} the component returned
 *       (or its {@link dev.wasmbridge.component.ResourceHandle}), or the Java object of a resource the
 *       linker implements</td><td>a {@link WitResource}; a resource implemented in Java as its
 *       object</td></tr>
 * </table>
 *
 * <p>A wrong number of arguments or a value that does not fit is an {@link IllegalArgumentException}
 * whose message says where ({@code argument 0 'x' of component function 'echo-point', record field
 * 'y': expected s32 (an integer from -2147483648 to 2147483647), got "a" (string)}); a trap is a
 * {@link dev.wasmbridge.TrapException}. Guests catch both as errors, as for {@link WasmFunction}.
 *
 * <p>Members: {@code type} (the signature in WIT, such as {@code func(a: u32, b: u32) -> u32}),
 * {@code length} (the number of parameters) and {@code name}.
 *
 * <p>Thread safety: like the instance's {@link dev.wasmbridge.Store}, one thread at a time.
 */
public final class WitFunction implements ProxyExecutable, ProxyObject {
    private static final List<String> MEMBERS = List.of("type", "length", "name");

    private final ComponentInstance instance;
    private final String iface;
    private final String name;
    private ComponentFunction function;
    private String[] wheres;

    WitFunction(ComponentInstance instance, String iface, String name) {
        this.instance = Objects.requireNonNull(instance, "instance");
        this.iface = iface;
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * The wrapped component function, looked up on first use.
     *
     * @return the function
     * @throws IllegalArgumentException if the export is not a function the instance can call
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public ComponentFunction function() {
        ComponentFunction f = function;
        if (f == null) {
            f = iface == null ? instance.function(name) : instance.function(iface, name);
            function = f;
        }
        return f;
    }

    /**
     * The function's name, with its interface: {@code greet}, or {@code test:bindings/api@0.1.0#greet}.
     *
     * @return the name
     */
    public String name() {
        return iface == null ? name : iface + "#" + name;
    }

    /**
     * Calls the component function with guest arguments converted by its WIT types (see the class
     * comment).
     *
     * @param arguments the guest's arguments, one per parameter
     * @return the result as a guest value, or null if the function has none (or returns an ok without
     *     a value)
     * @throws IllegalArgumentException if the number of arguments is wrong or one does not fit its type
     * @throws ComponentErrorException if the function's result is a {@code result} and it returned err
     * @throws dev.wasmbridge.TrapException if the component traps
     * @throws dev.wasmbridge.WasmException for any other failure inside the component
     * @throws IllegalStateException if the store is closed or in use by another thread, or a resource
     *     handle passed is gone
     */
    @Override
    public Object execute(Value... arguments) {
        ComponentFunction f = function();
        ComponentFuncType t = f.type();
        List<ComponentFuncType.Param> params = t.params();
        if (arguments.length != params.size()) {
            throw new IllegalArgumentException("component function " + label() + " " + t + " takes " + params.size()
                    + " argument" + (params.size() == 1 ? "" : "s") + ", got " + arguments.length);
        }
        Object[] args = new Object[arguments.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = WitConvert.toNatural(params.get(i).type(), arguments[i], where(params, i));
        }
        return WitConvert.resultToGuest(t.result(), f.call(args), label());
    }

    private String where(List<ComponentFuncType.Param> params, int i) {
        String[] w = wheres;
        if (w == null) {
            w = new String[params.size()];
            for (int j = 0; j < w.length; j++) {
                w[j] = "argument " + j + " '" + params.get(j).name() + "' of component function " + label();
            }
            wheres = w;
        }
        return w[i];
    }

    private String label() {
        return "'" + name() + "'";
    }

    /**
     * A member: {@code type}, {@code length} or {@code name}.
     *
     * @param key the member's name
     * @return its value, or null if there is no such member
     * @throws IllegalStateException for {@code type} and {@code length}, if the store is closed or in
     *     use by another thread
     */
    @Override
    public Object getMember(String key) {
        switch (key) {
            case "type":
                return function().type().toString();
            case "length":
                return function().type().params().size();
            case "name":
                return name();
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
     * Refused: a component function has no writable members.
     *
     * @param key the name
     * @param value the value
     * @throws UnsupportedOperationException always
     */
    @Override
    public void putMember(String key, Value value) {
        throw new UnsupportedOperationException("a component function's members are read-only");
    }

    /**
     * The name, for debugging.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "component function " + label();
    }
}
