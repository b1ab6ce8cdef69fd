package dev.wasmbridge.component;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a component imports and exports, by name, in the component's order (Wasmtime's view: the
 * types are structural; {@link Component#wit()} gives the WIT with its names). An exported <em>type</em>
 * is described by what it names: a component that exports a function type under a name lists a
 * function there, and {@link ComponentInstance#function(String)} refuses it as not a function.
 *
 * <p>Thread safety: immutable.
 *
 * @param imports the imports
 * @param exports the exports
 */
public record ComponentType(Map<String, ComponentItem> imports, Map<String, ComponentItem> exports) {
    /**
     * Copies the maps, keeping their order.
     *
     * @param imports the imports
     * @param exports the exports
     * @throws NullPointerException if an argument is null
     */
    public ComponentType {
        imports = Collections.unmodifiableMap(new LinkedHashMap<>(imports));
        exports = Collections.unmodifiableMap(new LinkedHashMap<>(exports));
    }
}
