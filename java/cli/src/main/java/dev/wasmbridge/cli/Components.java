package dev.wasmbridge.cli;

import dev.wasmbridge.component.Component;
import dev.wasmbridge.component.ComponentItem;
import dev.wasmbridge.component.ComponentType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code run} and {@code inspect} do with components: {@code --invoke} calls in WAVE, the
 * exported functions' names, and the types printed when a component's WIT cannot be.
 */
final class Components {
    private Components() {
    }

    /**
     * A parsed {@code --invoke 'NAME(ARGS)'}.
     *
     * @param iface the interface ({@code test:cli/math} of {@code test:cli/math#add}), or null for
     *     a function the component exports by itself
     * @param name the function's name
     * @param arguments the WAVE arguments between the parentheses
     */
    record Call(String iface, String name, String arguments) {
        /** The name as written: {@code iface#name} or {@code name}. */
        String qualified() {
            return iface == null ? name : iface + "#" + name;
        }
    }

    /**
     * Parses {@code --invoke} for a component: {@code NAME(ARGS)} with ARGS in WAVE, NAME either an
     * export of the component itself or {@code INTERFACE#NAME}. A NAME alone calls a function
     * without arguments.
     *
     * @param invoke the option's value
     * @param args what followed FILE on the command line, which must be nothing
     * @throws CliException (usage) if it is not of that form, or there are arguments after FILE
     */
    static Call parseCall(String invoke, List<String> args) {
        String text = invoke.strip();
        int open = text.indexOf('(');
        String name;
        String arguments;
        if (open < 0) {
            name = text;
            arguments = "";
        } else {
            if (!text.endsWith(")")) {
                throw CliException.usage("--invoke '" + invoke + "' is not a call: write NAME(ARGS), the arguments "
                        + "in WAVE between the parentheses, as in --invoke 'add(1, 2)'");
            }
            name = text.substring(0, open).strip();
            arguments = text.substring(open + 1, text.length() - 1);
        }
        if (!args.isEmpty()) {
            throw CliException.usage("a component function's arguments go inside --invoke, in WAVE: --invoke '"
                    + (name.isEmpty() ? "NAME" : name) + "(" + String.join(", ", args) + ")' (strings in double "
                    + "quotes), not after FILE");
        }
        if (name.isEmpty()) {
            throw CliException.usage("--invoke '" + invoke + "' names no function: write NAME(ARGS), as in "
                    + "--invoke 'add(1, 2)'");
        }
        int hash = name.lastIndexOf('#');
        if (hash < 0) {
            return new Call(null, name, arguments);
        }
        String iface = name.substring(0, hash);
        String function = name.substring(hash + 1);
        if (iface.isEmpty() || function.isEmpty()) {
            throw CliException.usage("--invoke '" + invoke + "': write INTERFACE#NAME(ARGS), as in "
                    + "--invoke 'wasi:cli/run@0.2.0#run()', or NAME(ARGS)");
        }
        return new Call(iface, function, arguments);
    }

    /**
     * Checks that the component exports the function of {@code call}.
     *
     * @throws CliException (usage) if it does not, listing the functions it does export
     */
    static void checkExport(Component component, Path file, Call call) {
        Map<String, ComponentItem> exports = component.type().exports();
        ComponentItem item = exports.get(call.iface() == null ? call.name() : call.iface());
        if (call.iface() != null && item instanceof ComponentItem.Instance) {
            item = ((ComponentItem.Instance) item).items().get(call.name());
        } else if (call.iface() != null) {
            item = null;
        }
        if (!(item instanceof ComponentItem.Function)) {
            throw CliException.usage(file + " exports no function '" + call.qualified() + "' ("
                    + functionList(component) + ")");
        }
    }

    /** Whether the component exports {@code wasi:cli/run} (0.2), so that it runs as a WASI command. */
    static boolean isCommand(Component component) {
        return component.type().exports().keySet().stream().anyMatch(n -> n.startsWith("wasi:cli/run@0.2"));
    }

    /** "its exported functions: a, b, iface#c", or "it exports no functions". */
    static String functionList(Component component) {
        List<String> names = new ArrayList<>();
        component.type().exports().forEach((name, item) -> {
            if (item instanceof ComponentItem.Function) {
                names.add(name);
            } else if (item instanceof ComponentItem.Instance) {
                ((ComponentItem.Instance) item).items().forEach((inner, i) -> {
                    if (i instanceof ComponentItem.Function) {
                        names.add(name + "#" + inner);
                    }
                });
            }
        });
        return names.isEmpty() ? "it exports no functions" : "its exported functions: " + String.join(", ", names);
    }

    /**
     * What {@code inspect} prints for a component: its WIT world, or, when its WIT cannot be printed
     * (a component wit-component does not understand), its imports and exports with their types, one
     * item a line, an interface's items indented under it.
     */
    static List<String> inspect(Component component) {
        String wit;
        try {
            wit = component.wit();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return typeLines(component.type());
        }
        return wit.strip().lines().toList();
    }

    /** The types of {@link #inspect(Component)}'s fallback. */
    static List<String> typeLines(ComponentType type) {
        List<String> lines = new ArrayList<>();
        type.imports().forEach((name, item) -> item(lines, "import ", name, item, ""));
        type.exports().forEach((name, item) -> item(lines, "export ", name, item, ""));
        return lines;
    }

    private static void item(List<String> lines, String prefix, String name, ComponentItem item, String indent) {
        String head = indent + prefix + name + ": ";
        if (item instanceof ComponentItem.Function) {
            lines.add(head + ((ComponentItem.Function) item).type());
        } else if (item instanceof ComponentItem.Instance) {
            lines.add(head + "instance");
            ((ComponentItem.Instance) item).items().forEach((n, i) -> item(lines, "", n, i, indent + "  "));
        } else if (item instanceof ComponentItem.Type) {
            lines.add(head + "type " + ((ComponentItem.Type) item).type());
        } else {
            lines.add(head + item.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
    }
}
