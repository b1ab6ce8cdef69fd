package dev.wasmbridge.graal;

/** The guest-facing spellings of WIT names: camelCase aliases and interfaces' short names. */
final class Names {
    private Names() {
    }

    /**
     * The camelCase spelling of a kebab-case WIT name ({@code favorite-color} → {@code favoriteColor}),
     * or the name itself if it is not plain kebab-case (such as {@code [method]counter.inc}).
     */
    static String camel(String name) {
        if (name.indexOf('-') < 0) {
            return name;
        }
        StringBuilder b = new StringBuilder(name.length());
        boolean upper = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '-') {
                upper = true;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            } else {
                return name;
            }
        }
        return b.toString();
    }

    /**
     * The short name of an exported interface: {@code api} for {@code test:bindings/api@0.1.0} (the
     * part between the package's {@code /} and the version's {@code @}), or null for a plain name.
     */
    static String shortName(String iface) {
        int slash = iface.lastIndexOf('/');
        if (slash < 0) {
            return null;
        }
        int at = iface.indexOf('@', slash);
        String s = iface.substring(slash + 1, at < 0 ? iface.length() : at);
        return s.isEmpty() ? null : s;
    }
}
