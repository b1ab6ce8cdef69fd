package dev.wasmbridge.graal;

import dev.wasmbridge.component.ComponentInstance;
import dev.wasmbridge.component.ComponentItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The exports of a component instance as a read-only polyglot object, obtained from {@link
 * PolyglotWasm#exports(ComponentInstance)}: a {@link WitFunction} per root function, and per exported
 * interface a nested {@code ComponentExports} with a {@link WitFunction} per function of the
 * interface. Exported types and resource types are left out (resource methods are functions such as
 * {@code [method]counter.inc}, and appear under those names).
 *
 * <p>Members are named as the component names its exports ({@code
 * exports["test:bindings/api@0.1.0"].greet(...)}); two kinds of alias are accepted too, without being
 * listed among the keys, where they name nothing else: a function's camelCase name ({@code echoBool}
 * for {@code echo-bool}), and an interface's short name ({@code api} for {@code
 * test:bindings/api@0.1.0}; its camelCase too, {@code incomingHandler} for {@code
 * wasi:http/incoming-handler@0.2.0}) unless two exported interfaces share it or a root function has it.
 *
 * <p>Thread safety: like the instance's {@link dev.wasmbridge.Store}, one thread at a time; see {@link
 * PolyglotWasm}.
 */
public final class ComponentExports implements ProxyObject {
    private final ComponentInstance instance;
    private final String iface;
    private final Map<String, Object> members = new LinkedHashMap<>();
    private final Map<String, Object> aliases = new HashMap<>();

    /** The root exports ({@code iface} null and {@code items} the component's exports) or an interface's. */
    ComponentExports(ComponentInstance instance, String iface, Map<String, ComponentItem> items) {
        this.instance = Objects.requireNonNull(instance, "instance");
        this.iface = iface;
        Map<String, Integer> shortNames = new HashMap<>();
        for (Map.Entry<String, ComponentItem> e : items.entrySet()) {
            if (e.getValue() instanceof ComponentItem.Function) {
                members.put(e.getKey(), new WitFunction(instance, iface, e.getKey()));
            } else if (iface == null && e.getValue() instanceof ComponentItem.Instance) {
                members.put(e.getKey(), new ComponentExports(instance, e.getKey(),
                        ((ComponentItem.Instance) e.getValue()).items()));
                String s = Names.shortName(e.getKey());
                if (s != null) {
                    shortNames.merge(s, 1, Integer::sum);
                }
            }
        }
        Map<String, Integer> uses = new HashMap<>();
        Map<String, Object> candidates = new HashMap<>();
        for (Map.Entry<String, Object> m : members.entrySet()) {
            String name = m.getKey();
            String s = m.getValue() instanceof ComponentExports ? Names.shortName(name) : null;
            if (s != null && shortNames.get(s) == 1) {
                alias(s, m.getValue(), uses, candidates);
                alias(Names.camel(s), m.getValue(), uses, candidates);
            }
            alias(Names.camel(name), m.getValue(), uses, candidates);
        }
        candidates.forEach((alias, target) -> {
            if (uses.get(alias) == 1 && !members.containsKey(alias)) {
                aliases.put(alias, target);
            }
        });
    }

    private static void alias(String alias, Object target, Map<String, Integer> uses, Map<String, Object> candidates) {
        if (candidates.get(alias) != target) {
            uses.merge(alias, 1, Integer::sum);
            candidates.put(alias, target);
        }
    }

    /**
     * The wrapped instance.
     *
     * @return the instance
     */
    public ComponentInstance instance() {
        return instance;
    }

    /**
     * The exported interface these are the functions of.
     *
     * @return its name, such as {@code test:bindings/api@0.1.0}, or null for the root exports
     */
    public String interfaceName() {
        return iface;
    }

    /**
     * The export {@code key} (or an alias of it) as a polyglot value.
     *
     * @param key the export's name, or an alias
     * @return a {@link WitFunction} or, for an interface, a {@code ComponentExports}; null if there is
     *     no such export
     */
    @Override
    public Object getMember(String key) {
        Object m = members.get(key);
        return m != null ? m : aliases.get(key);
    }

    /**
     * The export names, in the component's order (aliases are not listed).
     *
     * @return the names
     */
    @Override
    public Object getMemberKeys() {
        return ProxyArray.fromList(new ArrayList<Object>(members.keySet()));
    }

    /**
     * Whether {@code key} names an export or is an alias of one.
     *
     * @param key the name
     * @return whether it does
     */
    @Override
    public boolean hasMember(String key) {
        return members.containsKey(key) || aliases.containsKey(key);
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
        throw new UnsupportedOperationException("component exports are read-only");
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
        throw new UnsupportedOperationException("component exports are read-only");
    }

    /**
     * The export names, for debugging.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return (iface == null ? "component exports " : "component interface " + iface + " ") + members.keySet();
    }
}
