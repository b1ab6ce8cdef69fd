package dev.wasmbridge.cli;

import dev.wasmbridge.ExportType;
import dev.wasmbridge.ExternType;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.GlobalType;
import dev.wasmbridge.ImportType;
import dev.wasmbridge.MemoryType;
import dev.wasmbridge.Module;
import dev.wasmbridge.TableType;
import dev.wasmbridge.TagType;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of {@code wasmbridge inspect}: one line per import, then one per export, in the module's
 * order.
 *
 * <pre>
 * import MODULE.NAME: TYPE
 * export NAME: TYPE
 * </pre>
 *
 * <p>TYPE is {@code (func (param ...) (result ...))}, {@code memory MIN [MAX] [shared]} (with {@code
 * i64} first for a 64-bit memory), {@code table MIN [MAX] REFTYPE}, {@code global TYPE} or {@code
 * global (mut TYPE)}, or {@code tag (func (param ...))}. Sizes are in pages (memories) and elements
 * (tables). A name is written in double quotes, with {@code \"}, {@code \\} and {@code \\u{hex}}
 * escapes, when it is empty or holds a space, a quote, a backslash, a {@code :} or a control
 * character; an import's module name also when it holds a {@code .}.
 */
final class Inspector {
    private Inspector() {
    }

    /** The lines for a module. */
    static List<String> lines(Module module) {
        List<String> lines = new ArrayList<>();
        for (ImportType i : module.imports()) {
            lines.add("import " + quote(i.module(), true) + "." + name(i.name()) + ": " + type(i.type()));
        }
        for (ExportType e : module.exports()) {
            lines.add("export " + name(e.name()) + ": " + type(e.type()));
        }
        return lines;
    }

    /** An extern type as inspect writes it. */
    static String type(ExternType type) {
        if (type instanceof FuncType) {
            return type.toString();
        }
        if (type instanceof TagType) {
            return "tag " + ((TagType) type).type();
        }
        return kind(type) + " " + type;
    }

    /** The kind of an extern type: func, memory, table, global or tag. */
    static String kind(ExternType type) {
        if (type instanceof FuncType) {
            return "func";
        }
        if (type instanceof MemoryType) {
            return "memory";
        }
        if (type instanceof TableType) {
            return "table";
        }
        if (type instanceof GlobalType) {
            return "global";
        }
        return "tag";
    }

    /** A field or export name, quoted if it needs to be. */
    static String name(String name) {
        return quote(name, false);
    }

    private static String quote(String s, boolean moduleName) {
        boolean plain = !s.isEmpty();
        for (int i = 0; i < s.length() && plain; i++) {
            char c = s.charAt(i);
            plain = c > ' ' && c != '"' && c != '\\' && c != ':' && c != 0x7f && !(moduleName && c == '.');
        }
        if (plain) {
            return s;
        }
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                sb.append('\\').appendCodePoint(c);
            } else if (c < ' ' || c == 0x7f) {
                sb.append("\\u{").append(Integer.toHexString(c)).append('}');
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.append('"').toString();
    }
}
