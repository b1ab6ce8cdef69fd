package dev.wasmbridge.graal;

import dev.wasmbridge.Global;
import dev.wasmbridge.GlobalType;
import java.util.List;
import java.util.Objects;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * A wasm {@link Global} as a polyglot value with the members {@code value} (readable, and writable
 * if the global is mutable: {@code g.value = 5}), {@code get()}, {@code set(value)}, {@code type}
 * (the content type, such as {@code "i32"}) and {@code mutable}. Values convert as {@link
 * WasmFunction}'s arguments and results do. Setting an immutable global, or a value that does not fit,
 * is an error the guest can catch.
 *
 * <p>Thread safety: like the global's {@link dev.wasmbridge.Store}, one thread at a time; see {@link
 * PolyglotWasm}.
 */
public final class WasmGlobal implements ProxyObject {
    private static final List<String> MEMBERS = List.of("value", "get", "set", "type", "mutable");

    private final Global global;
    private final ProxyExecutable get;
    private final ProxyExecutable set;

    WasmGlobal(Global global) {
        this.global = Objects.requireNonNull(global, "global");
        this.get = a -> {
            Convert.arity(a, 0, 0, "get");
            return value();
        };
        this.set = a -> {
            Convert.arity(a, 1, 1, "set");
            setValue(a[0]);
            return null;
        };
    }

    /**
     * The wrapped global.
     *
     * @return the global
     */
    public Global global() {
        return global;
    }

    private Object value() {
        return Convert.toGuest(global.type().content(), global.get());
    }

    private void setValue(Value v) {
        GlobalType t = global.type();
        if (!t.mutable()) {
            throw new IllegalStateException("the global is immutable (" + t + ")");
        }
        global.set(Convert.toWasm(t.content(), v, "global value"));
    }

    /**
     * A member: {@code value}, {@code get}, {@code set}, {@code type} or {@code mutable}.
     *
     * @param key the member's name
     * @return its value, or null if there is no such member
     */
    @Override
    public Object getMember(String key) {
        switch (key) {
            case "value":
                return value();
            case "get":
                return get;
            case "set":
                return set;
            case "type":
                return global.type().content().toString();
            case "mutable":
                return global.type().mutable();
            default:
                return null;
        }
    }

    /**
     * The members' names.
     *
     * @return {@code value}, {@code get}, {@code set}, {@code type}, {@code mutable}
     */
    @Override
    public Object getMemberKeys() {
        return ProxyArray.fromList(List.<Object>copyOf(MEMBERS));
    }

    /**
     * Whether {@code key} is a member.
     *
     * @param key the name
     * @return whether it is one
     */
    @Override
    public boolean hasMember(String key) {
        return MEMBERS.contains(key);
    }

    /**
     * Sets the global through its {@code value} member.
     *
     * @param key {@code "value"}
     * @param value the new value
     * @throws UnsupportedOperationException for any other member
     * @throws IllegalStateException if the global is immutable
     * @throws IllegalArgumentException if the value does not fit the global's type
     */
    @Override
    public void putMember(String key, Value value) {
        if (!key.equals("value")) {
            throw new UnsupportedOperationException("only a wasm global's 'value' member is writable");
        }
        setValue(value);
    }

    /**
     * The type, for debugging.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "wasm global " + global.type();
    }
}
