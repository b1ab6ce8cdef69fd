package dev.wasmbridge.cli;

import dev.wasmbridge.CompileException;
import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.Module;
import dev.wasmbridge.component.Component;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Loads the module file a command names. Three kinds of file, told apart by their first bytes:
 * the binary format (starts with {@code \0asm}), a module precompiled by {@code wasmbridge compile}
 * (Wasmtime's format, an ELF file: starts with {@code \x7fELF}), and anything else as WebAssembly
 * text. A binary or text file may hold a component instead of a core module ({@link
 * #isComponent(Path)}).
 */
final class ModuleFiles {
    private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm'};
    private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};
    /** Component text: its first form, after comments, is {@code (component}. */
    private static final Pattern COMPONENT_TEXT = Pattern.compile("\\(component(?![\\w.-])");
    /** Wasmtime's words for a precompiled module made with other settings or another version. */
    private static final Pattern SETTINGS_MISMATCH = Pattern.compile("\\bcompiled\\b", Pattern.CASE_INSENSITIVE);

    /** What a module file holds. */
    enum Kind {
        /** The WebAssembly binary format. */
        BINARY,
        /** WebAssembly text (WAT). */
        TEXT,
        /** Machine code precompiled by {@code wasmbridge compile} ({@code Module.serialize()}). */
        PRECOMPILED
    }

    private ModuleFiles() {
    }

    /**
     * Checks that {@code file} is a readable regular file and tells its kind.
     *
     * @throws CliException (usage) naming the file if it is missing, a directory or unreadable
     */
    static Kind kind(Path file) {
        if (Files.isDirectory(file)) {
            throw CliException.usage(file + " is a directory, not a module file");
        }
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (NoSuchFileException e) {
            throw CliException.usage("no such file: " + file);
        } catch (AccessDeniedException e) {
            throw CliException.usage("cannot read " + file + ": permission denied");
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
        if (n == head.length && Arrays.equals(head, WASM_MAGIC)) {
            return Kind.BINARY;
        }
        if (n == head.length && Arrays.equals(head, ELF_MAGIC)) {
            return Kind.PRECOMPILED;
        }
        return Kind.TEXT;
    }

    /**
     * Whether {@code file} holds a component rather than a core module: a binary whose header says
     * layer 1 ({@code \0asm} then version {@code 0d 00 01 00}), or text whose first form, after
     * whitespace and comments, is {@code (component}. A precompiled file is never taken for one.
     *
     * @throws CliException (usage) naming the file if it is missing, a directory or unreadable
     */
    static boolean isComponent(Path file) {
        Kind kind = kind(file);
        try {
            if (kind == Kind.BINARY) {
                byte[] head = new byte[8];
                int n;
                try (InputStream in = Files.newInputStream(file)) {
                    n = in.readNBytes(head, 0, head.length);
                }
                return n == head.length && head[6] == 1 && head[7] == 0;
            }
            if (kind == Kind.TEXT) {
                return COMPONENT_TEXT.matcher(skipComments(Files.readString(file))).lookingAt();
            }
        } catch (IOException e) { // not UTF-8, or unreadable after all: the loader reports it
            return false;
        }
        return false;
    }

    /** {@code text} from its first character that is not whitespace or in a WAT comment. */
    private static String skipComments(String text) {
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (text.startsWith(";;", i)) {
                int nl = text.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (text.startsWith("(;", i)) {
                int depth = 0;
                do {
                    if (text.startsWith("(;", i)) {
                        depth++;
                        i += 2;
                    } else if (text.startsWith(";)", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                } while (depth > 0 && i < n);
            } else {
                break;
            }
        }
        return text.substring(Math.min(i, n));
    }

    /**
     * Loads a component file (binary or component WAT) for {@code engine}.
     *
     * @throws CliException (usage) if the file is missing or unreadable, or not a valid component
     */
    static Component loadComponent(Engine engine, Path file) {
        if (kind(file) == Kind.PRECOMPILED) {
            throw CliException.usage(file + " is precompiled; wasmbridge runs components from .wasm or .wat only");
        }
        try {
            return Component.fromPath(engine, file);
        } catch (CompileException e) {
            throw new CliException(CliException.USAGE, "invalid component " + file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new CliException(CliException.USAGE, "cannot read " + file + ": " + e.getCause().getMessage(), e);
        }
    }

    /**
     * Loads a module file of any kind for {@code engine}; a precompiled one only if {@code
     * allowPrecompiled} (the user's {@code --allow-precompiled}: it is machine code).
     *
     * @throws CliException (usage) if the file is missing or unreadable, not a valid module, or a
     *     precompiled module that is not allowed or does not fit this engine
     */
    static Module load(Engine engine, Path file, boolean allowPrecompiled) {
        Kind kind = kind(file);
        if (kind == Kind.PRECOMPILED && !allowPrecompiled) {
            throw CliException.usage(file + " is a precompiled module (machine code, not WebAssembly); "
                    + "load precompiled code only from a source you trust, with --allow-precompiled");
        }
        try {
            if (kind == Kind.PRECOMPILED) {
                return Module.deserializeTrustedFile(engine, file);
            }
            return Module.fromPath(engine, file);
        } catch (CompileException e) {
            if (kind == Kind.PRECOMPILED) {
                boolean settings = SETTINGS_MISMATCH.matcher(e.getMessage()).find();
                throw new CliException(CliException.USAGE, "cannot load precompiled module " + file + ": "
                        + e.getMessage() + (settings ? "\n" + precompiledHint(engine.config()) : ""), e);
            }
            String name = String.valueOf(file.getFileName());
            String what = kind == Kind.TEXT && name.endsWith(".wasm")
                    ? file + " is neither a binary module (it does not start with \\0asm) nor valid WebAssembly text"
                    : "invalid module " + file;
            throw new CliException(CliException.USAGE, what + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new CliException(CliException.USAGE, "cannot read " + file + ": " + e.getCause().getMessage(), e);
        }
    }

    /**
     * Loads a module file whatever engine settings a precompiled file was made with: tries each
     * combination of fuel and epoch interruption (the settings {@code wasmbridge compile} can
     * change) until one fits. For commands that only look at the module.
     *
     * @throws CliException (usage) as {@link #load(Engine, Path, boolean)} does, for the default
     *     settings
     */
    static Module loadAnySettings(Path file, boolean allowPrecompiled) {
        if (kind(file) != Kind.PRECOMPILED || !allowPrecompiled) {
            return load(Engine.create(), file, allowPrecompiled);
        }
        CliException first = null;
        for (int i = 0; i < 4; i++) {
            Engine engine = Engine.create(EngineConfig.builder().fuel((i & 1) != 0).epochInterruption((i & 2) != 0).build());
            try {
                return load(engine, file, true);
            } catch (CliException e) {
                engine.close();
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first;
    }

    /** What to do when a precompiled module does not fit the engine {@code run} made. */
    private static String precompiledHint(EngineConfig config) {
        return "(a precompiled module runs only on this wasmbridge version, and with the settings it was compiled with:"
                + " `compile --fuel` for `run --fuel`, `compile --epoch-interruption` for `run --timeout`;"
                + " this engine has fuel " + (config.fuel() ? "on" : "off") + ", epoch interruption "
                + (config.epochInterruption() ? "on" : "off") + ")";
    }
}
