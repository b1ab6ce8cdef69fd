package dev.wasmbridge.component;

import dev.wasmbridge.CompileException;
import dev.wasmbridge.Engine;
import dev.wasmbridge.internal.CoreAccess;
import dev.wasmbridge.internal.Handle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A compiled WebAssembly component (Wasmtime's {@code component::Component}): what Rust's
 * {@code wasm32-wasip2} target, componentize-py and the other component toolchains produce. A
 * {@link ComponentLinker} instantiates it into a {@link dev.wasmbridge.Store}.
 *
 * <p>Compile once, instantiate many times: a component is shared by threads. Closing it releases this
 * handle; instances already made keep working.
 *
 * <p>Thread safety: thread-safe.
 */
public final class Component implements AutoCloseable {
    private final Engine engine;
    private final Handle handle;
    private volatile ComponentType type;

    private Component(Engine engine, long pointer) {
        this.engine = engine;
        this.handle = new Handle(this, pointer, ComponentNative::componentFree, "Component");
    }

    /**
     * Compiles a component from its binary or its text (component WAT, UTF-8).
     *
     * @param engine the engine to compile for
     * @param bytes the binary, or WAT text as UTF-8 bytes
     * @return the compiled component
     * @throws CompileException if the bytes are not a valid component (a core module is refused
     *     here: load it with {@code Module.fromBytes}; precompiled code too: {@link
     *     #deserializeTrusted(Engine, byte[])})
     * @throws IllegalStateException if the engine is closed
     * @throws NullPointerException if an argument is null
     */
    public static Component fromBytes(Engine engine, byte[] bytes) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(bytes, "bytes");
        long e = CoreAccess.get().acquire(engine);
        try {
            return new Component(engine, ComponentNative.componentNew(e, bytes));
        } finally {
            CoreAccess.get().release(engine);
        }
    }

    /**
     * Compiles a component from component WAT text.
     *
     * @param engine the engine to compile for
     * @param wat the text
     * @return the compiled component
     * @throws CompileException if the text is not a valid component (with the line and column)
     * @throws IllegalStateException if the engine is closed
     * @throws NullPointerException if an argument is null
     */
    public static Component fromWat(Engine engine, String wat) {
        return fromBytes(engine, Objects.requireNonNull(wat, "wat").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Compiles a component from a file holding its binary or its text.
     *
     * @param engine the engine to compile for
     * @param path the file
     * @return the compiled component
     * @throws UncheckedIOException if the file cannot be read
     * @throws CompileException if it is not a valid component
     * @throws IllegalStateException if the engine is closed
     * @throws NullPointerException if an argument is null
     */
    public static Component fromPath(Engine engine, Path path) {
        Objects.requireNonNull(engine, "engine");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read component " + path + ": " + e.getMessage(), e);
        }
        return fromBytes(engine, bytes);
    }

    /**
     * Checks that bytes are a valid component for this engine, without keeping it.
     *
     * @param engine the engine whose settings apply
     * @param bytes the binary or WAT text
     * @throws CompileException if they are not
     * @throws IllegalStateException if the engine is closed
     * @throws NullPointerException if an argument is null
     */
    public static void validate(Engine engine, byte[] bytes) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(bytes, "bytes");
        long e = CoreAccess.get().acquire(engine);
        try {
            ComponentNative.componentValidate(e, bytes);
        } finally {
            CoreAccess.get().release(engine);
        }
    }

    /**
     * The compiled machine code, for {@link #deserializeTrusted(Engine, byte[])} in a later run.
     *
     * @return the precompiled bytes
     * @throws IllegalStateException if the component is closed
     */
    public byte[] serialize() {
        long c = handle.acquire();
        try {
            return ComponentNative.componentSerialize(c);
        } finally {
            handle.release();
        }
    }

    /**
     * Loads a component precompiled by {@link #serialize()}. The bytes are machine code that runs as
     * it is: load only bytes you produced or otherwise trust (the name says so; {@link #fromBytes}
     * and the other entries refuse precompiled bytes). Wasmtime checks they match its version and
     * the engine's settings.
     *
     * @param engine the engine, configured as the one that serialized it
     * @param precompiled the bytes
     * @return the component
     * @throws CompileException if the bytes are not a precompiled component for this engine
     * @throws IllegalStateException if the engine is closed
     * @throws NullPointerException if an argument is null
     */
    public static Component deserializeTrusted(Engine engine, byte[] precompiled) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(precompiled, "precompiled");
        long e = CoreAccess.get().acquire(engine);
        try {
            return new Component(engine, ComponentNative.componentDeserialize(e, precompiled));
        } finally {
            CoreAccess.get().release(engine);
        }
    }

    /**
     * The component's imports and exports with their types.
     *
     * @return the type
     * @throws IllegalStateException if the component is closed
     */
    public ComponentType type() {
        long c = handle.acquire();
        try {
            ComponentType t = type;
            if (t == null) {
                t = ComponentTypes.componentType(ComponentNative.componentType(c));
                type = t;
            }
            return t;
        } finally {
            handle.release();
        }
    }

    /**
     * The component's world as WIT text (its interfaces, types and functions with their names and
     * docs), decoded from the binary.
     *
     * @return the WIT text
     * @throws IllegalStateException if the component is closed or was loaded precompiled (the binary,
     *     and so its WIT, is not kept then)
     * @throws IllegalArgumentException if the binary's WIT cannot be decoded
     */
    public String wit() {
        long c = handle.acquire();
        try {
            return ComponentNative.componentWit(c);
        } finally {
            handle.release();
        }
    }

    /**
     * The engine the component was compiled for.
     *
     * @return the engine
     */
    public Engine engine() {
        return engine;
    }

    long acquire() {
        return handle.acquire();
    }

    void release() {
        handle.release();
    }

    /**
     * Releases the component. Idempotent. Instances already created are unaffected.
     */
    @Override
    public void close() {
        handle.close();
    }
}
