package dev.wasmbridge.graal;

import dev.wasmbridge.Caller;
import dev.wasmbridge.Extern;
import java.util.List;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The first argument of a guest function defined with {@link PolyglotWasm#defineFunctionWithCaller}:
 * the calling instance's exports ({@code memory(name)}, {@code function(name)}, {@code export(name)})
 * and the store's data ({@code data}). Valid only during the call.
 */
final class WasmCaller implements ProxyObject {
    private static final List<String> MEMBERS = List.of("memory", "function", "export", "data");

    private final Caller caller;

    WasmCaller(Caller caller) {
        this.caller = caller;
    }

    private static String name(Value[] a, String function, String dflt) {
        Convert.arity(a, dflt == null ? 1 : 0, 1, function);
        if (a.length == 0) {
            return dflt;
        }
        if (!a[0].isString()) {
            throw new IllegalArgumentException(function + ": the export name must be a string, got " + Convert.describe(a[0]));
        }
        return a[0].asString();
    }

    @Override
    public Object getMember(String key) {
        switch (key) {
            case "memory":
                return (ProxyExecutable) a -> new WasmMemory(caller.memory(name(a, "memory", "memory")));
            case "function":
                return (ProxyExecutable) a -> {
                    String n = name(a, "function", null);
                    return new WasmFunction(caller.function(n), n);
                };
            case "export":
                return (ProxyExecutable) a -> {
                    String n = name(a, "export", null);
                    Extern e = caller.export(n).orElse(null);
                    return e == null ? null : PolyglotWasm.proxy(e, n);
                };
            case "data":
                return caller.data();
            default:
                return null;
        }
    }

    @Override
    public Object getMemberKeys() {
        return ProxyArray.fromList(List.<Object>copyOf(MEMBERS));
    }

    @Override
    public boolean hasMember(String key) {
        return MEMBERS.contains(key);
    }

    @Override
    public void putMember(String key, Value value) {
        throw new UnsupportedOperationException("a wasm caller's members are read-only");
    }
}
