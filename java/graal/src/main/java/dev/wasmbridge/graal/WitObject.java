package dev.wasmbridge.graal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * A read-only guest object with named members, for the WIT values that guests get as objects: a
 * record (its fields), flags (one boolean per flag), a variant or a nested result or option ({@code
 * tag} and {@code val}). The keys are the WIT names (kebab-case); the camelCase spelling of each is
 * accepted too ({@code r.favoriteColor} and {@code r["favorite-color"]}), without being listed.
 */
final class WitObject implements ProxyObject {
    private final Map<String, Object> members;
    private final String description;

    /**
     * @param members the members by WIT name, in order (not copied)
     * @param description what the object is, for {@code toString} and messages ("record", "flags")
     */
    WitObject(LinkedHashMap<String, Object> members, String description) {
        this.members = Collections.unmodifiableMap(members);
        this.description = description;
    }

    /** A {@code {tag, val}} object; without {@code val} when {@code hasVal} is false. */
    static WitObject tagged(String tag, boolean hasVal, Object val, String description) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("tag", tag);
        if (hasVal) {
            m.put("val", val);
        }
        return new WitObject(m, description);
    }

    private String key(String key) {
        if (members.containsKey(key)) {
            return key;
        }
        for (String k : members.keySet()) {
            if (Names.camel(k).equals(key)) {
                return k;
            }
        }
        return null;
    }

    @Override
    public Object getMember(String key) {
        String k = key(key);
        return k == null ? null : members.get(k);
    }

    @Override
    public Object getMemberKeys() {
        return ProxyArray.fromList(new ArrayList<Object>(members.keySet()));
    }

    @Override
    public boolean hasMember(String key) {
        return key(key) != null;
    }

    @Override
    public void putMember(String key, Value value) {
        throw new UnsupportedOperationException("a " + description + " returned by a component is read-only");
    }

    @Override
    public boolean removeMember(String key) {
        throw new UnsupportedOperationException("a " + description + " returned by a component is read-only");
    }

    @Override
    public String toString() {
        return description + " " + members;
    }
}
