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
     * @throws CompileException if the bytes are not a valid module (the message gives the offset)
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
     * @throws CompileException if the contents are not a valid module (text must be UTF-8)
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
        return isBinary(bytes) ? fromBytes(engine, bytes) : fromWat(engine, utf8(bytes, path));
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
     * Loads a module precompiled by {@link #serialize()}, skipping compilation.
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
    public static Module deserialize(Engine engine, byte[] precompiled) {
        Objects.requireNonNull(precompiled, "precompiled");
        long e = engine.acquire();
        try {
            return new Module(engine, Native.moduleDeserialize(e, precompiled));
        } finally {
            engine.release();
        }
    }

    /**
     * Loads a precompiled module from a file; see {@link #deserialize(Engine, byte[])}.
     *
     * @param engine an engine with the same settings and Wasmtime version as the one that serialized
     * @param path the file {@link #serialize()}'s bytes were written to
     * @return the module
     * @throws UncheckedIOException if the file cannot be read
     * @throws CompileException if the contents are not a compatible precompiled module
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the engine is closed
     */
    public static Module deserializeFile(Engine engine, Path path) {
        try {
            return deserialize(engine, Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read precompiled module " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * This module compiled to Wasmtime's precompiled format, to be loaded later with {@link
     * #deserialize(Engine, byte[])} by an engine with the same settings, without compiling again.
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
        if (bytes.length < WASM_MAGIC.length) {
            return false;
        }
        for (int i = 0; i < WASM_MAGIC.length; i++) {
            if (bytes[i] != WASM_MAGIC[i]) {
                return false;
            }
        }
        return true;
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
