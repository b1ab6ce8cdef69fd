package dev.wasmbridge.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One of Wasmtime's option groups as given on the command line: {@code -C cache=n}, {@code -W
 * fuel=1000,timeout=10s}, {@code -S inherit-env}. Each occurrence holds {@code KEY[=VALUE]} items
 * separated by commas; a key given twice takes its last value; a boolean key alone means yes.
 *
 * <p>Thread safety: not thread-safe; made and read by the command on one thread.
 */
final class OptionGroup {
    private final String flag;
    private final Map<String, String> values = new LinkedHashMap<>();

    /**
     * Parses the items of {@code flag} (picocli has split them at commas).
     *
     * @param flag the option, for messages: {@code -C}, {@code -W}, ...
     * @param items the {@code KEY[=VALUE]} items in order
     * @param keys the keys this group knows, each with a one-line description for the error that
     *     lists them
     * @throws CliException (usage) for a key the group does not have
     */
    OptionGroup(String flag, List<String> items, Map<String, String> keys) {
        this.flag = flag;
        for (String item : items) {
            int eq = item.indexOf('=');
            String key = eq < 0 ? item : item.substring(0, eq);
            if (!keys.containsKey(key)) {
                StringBuilder known = new StringBuilder();
                keys.forEach((k, help) -> known.append("\n  ").append(flag).append(' ').append(k).append(help));
                throw CliException.usage(flag + " has no option '" + key + "'; its options:" + known);
            }
            values.put(key, eq < 0 ? null : item.substring(eq + 1));
        }
    }

    /** Whether {@code key} was given. */
    boolean has(String key) {
        return values.containsKey(key);
    }

    /** The value of {@code key} as given: null when it came without one, or not at all. */
    String raw(String key) {
        return values.get(key);
    }

    /**
     * The boolean {@code key}: {@code y}, {@code yes}, {@code true} or alone for yes; {@code n},
     * {@code no}, {@code false} for no (Wasmtime's spellings).
     *
     * @throws CliException (usage) for another value
     */
    Optional<Boolean> bool(String key) {
        if (!values.containsKey(key)) {
            return Optional.empty();
        }
        String v = values.get(key);
        if (v == null) {
            return Optional.of(true);
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "y":
            case "yes":
            case "true":
                return Optional.of(true);
            case "n":
            case "no":
            case "false":
                return Optional.of(false);
            default:
                throw CliException.usage(flag + " " + key + "=" + v + ": expected y or n");
        }
    }

    /**
     * The value of {@code key}, which must have one.
     *
     * @throws CliException (usage) when the key is given without a value
     */
    Optional<String> value(String key) {
        if (!values.containsKey(key)) {
            return Optional.empty();
        }
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            throw CliException.usage(flag + " " + key + " needs a value: " + flag + " " + key + "=VALUE");
        }
        return Optional.of(v);
    }

    /**
     * The non-negative integer value of {@code key}, with an optional binary size suffix when
     * {@code size} ({@code K}, {@code M}, {@code G}, {@code T}: powers of 1024, as {@code 64M}).
     *
     * @throws CliException (usage) when the value is not such a number
     */
    Optional<Long> number(String key, boolean size) {
        Optional<String> text = value(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String v = text.get().trim();
        int shift = 0;
        if (size && !v.isEmpty()) {
            int i = "KMGT".indexOf(Character.toUpperCase(v.charAt(v.length() - 1)));
            if (i >= 0) {
                shift = 10 * (i + 1);
                v = v.substring(0, v.length() - 1);
            }
        }
        try {
            long n = v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
            if (n < 0 || shift > 0 && n > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return Optional.of(n << shift);
        } catch (NumberFormatException e) {
            throw CliException.usage(flag + " " + key + "=" + text.get() + ": expected a non-negative number"
                    + (size ? " (with an optional K, M, G or T suffix)" : ""));
        }
    }
}
