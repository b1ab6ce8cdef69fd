package dev.wasmbridge;

import dev.wasmbridge.internal.Handle;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A compiled WebAssembly module (Wasmtime's {@code Module}): validated and compiled to machine code
 * once, instantiated any number of times in any number of stores of the same engine.
 *
 * <p>Thread safety: thread-safe; share one module across threads. Closing it while another thread
 * instantiates it is safe (the native module is freed after the last use).
 */
public final class Module implements AutoCloseable {
    private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm'};
    private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};

    private final Engine engine;
    private final Handle handle;
    private volatile List<ImportType> imports;
    private volatile List<ExportType> exports;

    private Module(Engine engine, long ptr) {
        this.engine = engine;
        this.handle = new Handle(this, ptr, Native::moduleFree, "Module");
    }

    /**
     * Compiles a module from its binary form.
     *
     * @param engine the engine to compile for
     * @param wasm the binary module
     * @return the compiled module
     * @throws CompileException if the bytes are not a valid module (the message gives the offset);
     *     precompiled bytes are refused too (they load with {@link #deserializeTrusted(Engine, byte[])})
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the engine is closed
     */
    public static Module fromBytes(Engine engine, byte[] wasm) {
        Objects.requireNonNull(wasm, "wasm");
        long e = engine.acquire();
        try {
            return new Module(engine, Native.moduleNew(e, wasm));
        } finally {
            engine.release();
        }
    }

    /**
     * Compiles a module from WebAssembly text (WAT).
     *
     * @param engine the engine to compile for
     * @param wat the module in text form
     * @return the compiled module
     * @throws CompileException if the text does not parse (the message gives line and column) or the
     *     module is invalid
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the engine is closed
     */
    public static Module fromWat(Engine engine, String wat) {
        Objects.requireNonNull(wat, "wat");
        long e = engine.acquire();
        try {
            return new Module(engine, Native.moduleFromWat(e, wat));
        } finally {
            engine.release();
        }
    }

    /**
     * Compiles a module from a file holding either the binary form or WAT text (told apart by the
     * binary's {@code \0asm} magic).
     *
     * @param engine the engine to compile for
     * @param path the file
     * @return the compiled module
     * @throws UncheckedIOException if the file cannot be read
     * @throws CompileException if the contents are not a valid module (text must be UTF-8), or are
     *     precompiled (they load with {@link #deserializeTrustedFile(Engine, Path)})
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the engine is closed
     */
    public static Module fromPath(Engine engine, Path path) {
        Objects.requireNonNull(engine, "engine");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read module " + path + ": " + e.getMessage(), e);
        }
        // Not text: a binary, or precompiled code (fromBytes refuses that, saying where it loads).
        return isBinary(bytes) || isElf(bytes) ? fromBytes(engine, bytes) : fromWat(engine, utf8(bytes, path));
    }

    /** Decodes WAT text strictly: malformed UTF-8 is a malformed module, not replacement characters. */
    private static String utf8(byte[] bytes, Path path) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CompileException(path + " is neither a binary module nor UTF-8 WAT text: " + e.getMessage());
        }
    }

    /**
     * Compiles a module from a file; see {@link #fromPath(Engine, Path)}.
     *
     * @param engine the engine to compile for
     * @param file the file
     * @return the compiled module
     * @throws UncheckedIOException if the file cannot be read
     * @throws CompileException if the contents are not a valid module
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the engine is closed
     */
    public static Module fromFile(Engine engine, File file) {
        return fromPath(engine, file.toPath());
    }

    /**
     * Checks that bytes are a valid binary module for this engine, without compiling them.
     *
     * @param engine the engine whose features apply
     * @param wasm the binary module
     * @throws CompileException if the bytes are not valid (the message says why and where)
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the engine is closed
     */
    public static void validate(Engine engine, byte[] wasm) {
        Objects.requireNonNull(wasm, "wasm");
        long e = engine.acquire();
        try {
            Native.moduleValidate(e, wasm);
        } finally {
            engine.release();
        }
    }

    /**
     * Loads a module precompiled by {@link #serialize()}, skipping compilation. The name says what
     * the caller vouches for: every other entry ({@link #fromBytes}, {@link #fromPath}, ...) refuses
     * precompiled bytes.
     *
     * <p>Only give bytes from a trusted source (your own {@code serialize}, a cache you control):
     * Wasmtime checks the format, its own version and that the engine's settings match, but it cannot
     * check the machine code inside, which runs as is.
     *
     * @param engine an engine with the same settings and Wasmtime version as the one that serialized
     * @param precompiled the bytes {@link #serialize()} returned
     * @return the module
     * @throws CompileException if the bytes are not a precompiled module, or were made by another
     *     Wasmtime version or an engine with incompatible settings (the message says which)
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the engine is closed
     */
    public static Module deserializeTrusted(Engine engine, byte[] precompiled) {
        Objects.requireNonNull(precompiled, "precompiled");
        long e = engine.acquire();
        try {
            return new Module(engine, Native.moduleDeserialize(e, precompiled));
        } finally {
            engine.release();
        }
    }

    /**
     * Loads a precompiled module from a file, as {@link #deserializeTrusted(Engine, byte[])} does from
     * bytes. Wasmtime maps the file into memory rather than reading it into the Java heap, so a large
     * file loads at once and without a second copy (files over 2 GiB included); the file must come
     * from a trusted source, and must not be changed while the module lives (replace it with a new
     * file instead: a rename keeps the mapped one intact).
     *
     * @param engine an engine with the same settings and Wasmtime version as the one that serialized
     * @param path the file {@link #serialize()}'s bytes were written to
     * @return the module
     * @throws UncheckedIOException if the file cannot be read
     * @throws CompileException if the contents are not a compatible precompiled module
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the engine is closed
     */
    public static Module deserializeTrustedFile(Engine engine, Path path) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(path, "path");
        long e = engine.acquire();
        try {
            try (java.nio.channels.FileChannel readable = java.nio.channels.FileChannel.open(path)) {
                if (!Files.isRegularFile(path)) {
                    throw new IOException("not a regular file");
                }
            } catch (IOException x) {
                throw new UncheckedIOException("cannot read precompiled module " + path + ": " + describe(x), x);
            }
            return new Module(engine, Native.moduleDeserializeFile(e, path.toAbsolutePath().toString()));
        } finally {
            engine.release();
        }
    }

    /** An I/O failure in words: {@link java.nio.file.NoSuchFileException} and the like say only the path. */
    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage();
    }

    /**
     * This module compiled to Wasmtime's precompiled format, to be loaded later with {@link
     * #deserializeTrusted(Engine, byte[])} by an engine with the same settings, without compiling again.
     *
     * @return the precompiled bytes
     * @throws IllegalStateException if the module is closed
     */
    public byte[] serialize() {
        long m = acquire();
        try {
            return Native.moduleSerialize(m);
        } finally {
            release();
        }
    }

    /**
     * Converts WebAssembly text to the binary form, without compiling it.
     *
     * @param wat the module in text form
     * @return the binary module
     * @throws CompileException if the text does not parse
     * @throws NullPointerException if {@code wat} is null
     */
    public static byte[] watToBinary(String wat) {
        return Native.watToBinary(Objects.requireNonNull(wat, "wat"));
    }

    private static boolean isBinary(byte[] bytes) {
        return startsWith(bytes, WASM_MAGIC);
    }

    /** Whether {@code bytes} start as an ELF file does (Wasmtime's precompiled format). */
    private static boolean isElf(byte[] bytes) {
        return startsWith(bytes, ELF_MAGIC);
    }

    private static boolean startsWith(byte[] bytes, byte[] magic) {
        return bytes.length >= magic.length && Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length);
    }

    /**
     * The engine this module was compiled for.
     *
     * @return the engine
     */
    public Engine engine() {
        return engine;
    }

    /**
     * The module's imports, in order, with their types.
     *
     * @return an unmodifiable list
     * @throws IllegalStateException if the module is closed
     */
    public List<ImportType> imports() {
        long m = acquire(); // also when cached: a closed module refuses, as documented
        try {
            List<ImportType> result = imports;
            if (result == null) {
                result = TypeCodec.imports(Native.moduleImports(m));
                imports = result;
            }
            return result;
        } finally {
            release();
        }
    }

    /**
     * The module's exports, in order, with their types.
     *
     * @return an unmodifiable list
     * @throws IllegalStateException if the module is closed
     */
    public List<ExportType> exports() {
        long m = acquire(); // also when cached: a closed module refuses, as documented
        try {
            List<ExportType> result = exports;
            if (result == null) {
                result = TypeCodec.exports(Native.moduleExports(m));
                exports = result;
            }
            return result;
        } finally {
            release();
        }
    }

    /**
     * The module's name from its name section, if it has one.
     *
     * @return the name, or empty
     * @throws IllegalStateException if the module is closed
     */
    public Optional<String> name() {
        long m = acquire();
        try {
            return Optional.ofNullable(Native.moduleName(m));
        } finally {
            release();
        }
    }

    long acquire() {
        return handle.acquire();
    }

    void release() {
        handle.release();
    }

    /**
     * Releases the compiled module. Idempotent. Instances already created keep running.
     */
    @Override
    public void close() {
        handle.close();
    }
}
