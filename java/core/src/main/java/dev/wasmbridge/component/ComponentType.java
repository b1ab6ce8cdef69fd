package dev.wasmbridge.component;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a component imports and exports, by name, in the component's order (Wasmtime's view: the
 * types are structural; {@link Component#wit()} gives the WIT with its names).
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
