package dev.wasmbridge.graal;

import dev.wasmbridge.ExportType;
import dev.wasmbridge.Extern;
import dev.wasmbridge.Instance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The exports of a wasm {@link Instance} as a read-only polyglot object: one member per export, in
 * the module's order, each a {@link WasmFunction}, {@link WasmMemory}, {@link WasmGlobal} or {@link
 * WasmTable} (tags are left out). Obtained from {@link PolyglotWasm#exports(Instance)}.
 *
 * <p>Thread safety: like the instance's {@link dev.wasmbridge.Store}, one thread at a time; see {@link
 * PolyglotWasm}.
 */
public final class WasmExports implements ProxyObject {
    private final Instance instance;
    private final Map<String, Object> proxies = new HashMap<>();
    private List<String> names;

    WasmExports(Instance instance) {
        this.instance = Objects.requireNonNull(instance, "instance");
    }

    /**
     * The wrapped instance.
     *
     * @return the instance
     */
    public Instance instance() {
        return instance;
    }

    private List<String> names() {
        List<String> n = names;
        if (n == null) {
            n = new ArrayList<>();
            for (ExportType e : instance.exports()) {
                if (instance.export(e.name()).isPresent()) {
                    n.add(e.name());
                }
            }
            n = List.copyOf(n);
            names = n;
        }
        return n;
    }

    /**
     * The export {@code key} as a polyglot value.
     *
     * @param key the export's name
     * @return its proxy, or null if the instance has no such export
     */
    @Override
    public Object getMember(String key) {
        Object p = proxies.get(key);
        if (p == null) {
            Optional<Extern> e = instance.export(key);
            if (e.isEmpty()) {
                return null;
            }
            p = PolyglotWasm.proxy(e.get(), key);
            proxies.put(key, p);
        }
        return p;
    }

    /**
     * The export names, in the module's order.
     *
     * @return the names
     */
    @Override
    public Object getMemberKeys() {
        return ProxyArray.fromList(new ArrayList<Object>(names()));
    }

    /**
     * Whether the instance exports {@code key}.
     *
     * @param key the name
     * @return whether it does
     */
    @Override
    public boolean hasMember(String key) {
        return names().contains(key);
    }

    /**
     * Refused: exports are read-only.
     *
     * @param key the name
     * @param value the value
     * @throws UnsupportedOperationException always
     */
    @Override
    public void putMember(String key, Value value) {
        throw new UnsupportedOperationException("wasm exports are read-only");
    }

    /**
     * Refused: exports are read-only.
     *
     * @param key the name
     * @return never returns
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean removeMember(String key) {
        throw new UnsupportedOperationException("wasm exports are read-only");
    }

    /**
     * The export names, for debugging.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "wasm exports " + names();
    }
}
