package dev.wasmbridge.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wasmbridge.Caller;
import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.Extern;
import dev.wasmbridge.ExternType;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.Function;
import dev.wasmbridge.Global;
import dev.wasmbridge.HostFunction;
import dev.wasmbridge.Instance;
import dev.wasmbridge.InstancePre;
import dev.wasmbridge.LinkException;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Memory;
import dev.wasmbridge.Module;
import dev.wasmbridge.PoolingConfig;
import dev.wasmbridge.Store;
import dev.wasmbridge.StoreLimits;
import dev.wasmbridge.Table;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.ValType;
import dev.wasmbridge.WasmException;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.component.ComponentCaller;
import dev.wasmbridge.component.ComponentFuncType;
import dev.wasmbridge.component.ComponentFunction;
import dev.wasmbridge.component.ComponentInstance;
import dev.wasmbridge.component.ComponentInstancePre;
import dev.wasmbridge.component.ComponentLinker;
import dev.wasmbridge.component.ResourceHandle;
import dev.wasmbridge.component.WitType;
import dev.wasmbridge.component.WitValue;
import dev.wasmbridge.http.HttpErrorCode;
import dev.wasmbridge.http.HttpField;
import dev.wasmbridge.http.HttpRequest;
import dev.wasmbridge.http.HttpResponseSink;
import dev.wasmbridge.http.HttpResult;
import dev.wasmbridge.http.OutgoingHttp;
import dev.wasmbridge.http.WasiHttpHandler;
import dev.wasmbridge.wasi.WasiConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntBinaryOperator;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API used wrongly: after close, from the wrong thread, with nulls, with bad arguments. Every public
 * method of every public type is found by reflection (so methods added later are covered too), called
 * with otherwise valid arguments, and must answer with its documented exception, never a crash, a hang
 * or an undocumented exception.
 *
 * <p>When a new public method or type makes a test here fail with "no argument for ..." or "no receiver
 * for ...", teach {@link #arg} or {@link #receiver} about it; when a method legitimately works after close
 * (an accessor), add it to the allow lists below.
 */
@Tag("reliability")
@Timeout(120)
class MisuseTest {
    /** Exports one function per typed-view signature, a memory, globals and tables, and calls back to the host. */
    static final String WAT = "(module"
            + " (import \"env\" \"cb\" (func $cb))"
            + " (memory (export \"memory\") 1 4)"
            + " (global (export \"g\") (mut i32) (i32.const 1))"
            + " (global (export \"c\") i32 (i32.const 2))"
            + " (table (export \"t\") 2 10 funcref)"
            + " (table (export \"e\") 1 externref)"
            + " (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)"
            + " (func (export \"v_i\") (result i32) i32.const 7)"
            + " (func (export \"v_j\") (result i64) i64.const 7)"
            + " (func (export \"i_i\") (param i32) (result i32) local.get 0)"
            + " (func (export \"j_j\") (param i64) (result i64) local.get 0)"
            + " (func (export \"jj_j\") (param i64 i64) (result i64) local.get 0)"
            + " (func (export \"d_d\") (param f64) (result f64) local.get 0)"
            + " (func (export \"dd_d\") (param f64 f64) (result f64) local.get 0)"
            + " (func (export \"v_v\"))"
            + " (func (export \"i_v\") (param i32))"
            + " (func (export \"j_v\") (param i64))"
            + " (func (export \"call_cb\") call $cb))";

    /**
     * A component with an import (the host function {@code test:m/host#cb}), root exports ({@code add}, {@code call-cb},
     * which calls the import), an exported interface ({@code test:m/api} with {@code add}) and a guest resource
     * ({@code counter}, whose rep is its value).
     */
    static final String CWAT = "(component"
            + " (import \"test:m/host\" (instance $host (export \"cb\" (func))))"
            + " (alias export $host \"cb\" (func $cb))"
            + " (core func $cb-low (canon lower (func $cb)))"
            + " (type $counter' (resource (rep i32)))"
            + " (export $counter \"counter\" (type $counter'))"
            + " (core func $counter-new (canon resource.new $counter))"
            + " (core module $m"
            + "  (import \"host\" \"cb\" (func $cb))"
            + "  (import \"res\" \"new\" (func $new (param i32) (result i32)))"
            + "  (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)"
            + "  (func (export \"call-cb\") call $cb)"
            + "  (func (export \"make\") (param i32) (result i32) local.get 0 call $new)"
            + "  (func (export \"get\") (param i32) (result i32) local.get 0))"
            + " (core instance $i (instantiate $m (with \"host\" (instance (export \"cb\" (func $cb-low))))"
            + "   (with \"res\" (instance (export \"new\" (func $counter-new))))))"
            + " (func $add (param \"a\" u32) (param \"b\" u32) (result u32) (canon lift (core func $i \"add\")))"
            + " (export \"add\" (func $add))"
            + " (func (export \"call-cb\") (canon lift (core func $i \"call-cb\")))"
            + " (func (export \"[constructor]counter\") (param \"start\" u32) (result (own $counter))"
            + "   (canon lift (core func $i \"make\")))"
            + " (func (export \"[method]counter.get\") (param \"self\" (borrow $counter)) (result u32)"
            + "   (canon lift (core func $i \"get\")))"
            + " (instance $api (export \"add\" (func $add)))"
            + " (export \"test:m/api\" (instance $api)))";

    @TempDir
    static Path tmp;
    static Path watFile;
    static Path serializedFile;
    static Path componentFile;
    static final AtomicInteger SEQ = new AtomicInteger();

    /** A complete set of live objects: engine, module, linker, prepared module, store, instance and its exports. */
    static final class World implements AutoCloseable {
        final Engine engine = Engine.create(EngineConfig.builder().fuel(true).epochInterruption(true).parallelCompilation(false).build());
        final Module module = Module.fromWat(engine, WAT);
        final Linker linker = Linker.create(engine);
        final InstancePre pre;
        final Store store = Store.create(engine, "data");
        final Instance instance;
        final Map<String, Function> functions = new LinkedHashMap<>();
        final Memory memory;
        final Global global;
        final Table table;
        final ByteBuffer buffer;
        final byte[] wasm = Module.watToBinary(WAT);
        final byte[] serialized;
        volatile Caller lastCaller;
        volatile Runnable hook;
        // The component side: compiled, linked (host function test:m/host#cb), prepared, instantiated into the same store.
        final Component component = Component.fromWat(engine, CWAT);
        final ComponentLinker componentLinker = ComponentLinker.create(engine);
        final ComponentLinker.Instance componentHost;
        final ComponentInstancePre componentPre;
        final ComponentInstance componentInstance;
        final ComponentFunction componentAdd;
        final ComponentFunction componentCallCb;
        /** An owned handle of the guest resource counter (value 5), open. */
        final ResourceHandle handle;
        final byte[] componentWasm = Module.watToBinary(CWAT);
        final byte[] componentSerialized;
        volatile ComponentCaller lastComponentCaller;
        // The HTTP side: the C guest of tests/http (java/core's build makes it), behind a handler.
        final Component httpComponent = Component.fromPath(engine, Path.of(System.getProperty("wasmbridge.httpGuests",
                "target/test-wasm/http")).resolve("http-guest.wasm"));
        final WasiHttpHandler http = WasiHttpHandler.builder(httpComponent).build();

        World() {
            linker.defineFunction("env", "cb", FuncType.of(List.of(), List.of()), (caller, args) -> {
                lastCaller = caller;
                Runnable h = hook;
                if (h != null) {
                    h.run();
                }
                return null;
            });
            pre = linker.prepare(module);
            store.setFuel(1_000_000_000L);
            instance = linker.instantiate(store, module);
            for (String name : List.of("add", "v_i", "v_j", "i_i", "j_j", "jj_j", "d_d", "dd_d", "v_v", "i_v", "j_v", "call_cb")) {
                functions.put(name, instance.function(name));
            }
            memory = instance.memory("memory");
            global = instance.global("g");
            table = instance.table("t");
            buffer = memory.buffer();
            serialized = module.serialize();
            componentHost = componentLinker.instance("test:m/host").defineFunction("cb", (caller, args) -> {
                lastComponentCaller = caller;
                Runnable h = hook;
                if (h != null) {
                    h.run();
                }
                return null;
            });
            componentPre = componentLinker.prepare(component);
            componentInstance = componentLinker.instantiate(store, component);
            componentAdd = componentInstance.function("add");
            componentCallCb = componentInstance.function("call-cb");
            handle = (ResourceHandle) componentInstance.function("[constructor]counter").call(5);
            componentSerialized = component.serialize();
        }

        /** Calls every no-argument accessor once, so that whatever a view caches is cached. */
        World used() {
            module.imports();
            module.exports();
            functions.values().forEach(Function::type);
            global.type();
            table.type();
            memory.type();
            functions.get("call_cb").call();
            component.type();
            componentAdd.type();
            componentCallCb.type();
            componentCallCb.call();
            return this;
        }

        /** Makes a core and a component host call; returns the core one's caller (the component one's is kept too). */
        Caller caller() {
            functions.get("call_cb").call();
            componentCallCb.call();
            return lastCaller;
        }

        @Override
        public void close() {
            http.close();
            httpComponent.close();
            pre.close();
            componentPre.close();
            store.close();
            linker.close();
            componentLinker.close();
            module.close();
            component.close();
            engine.close();
        }
    }

    @BeforeAll
    static void files() throws IOException {
        watFile = tmp.resolve("m.wat");
        Files.writeString(watFile, WAT);
        try (World w = new World()) {
            serializedFile = tmp.resolve("m.cwasm");
            Files.write(serializedFile, w.serialized);
            componentFile = tmp.resolve("c.wat");
            Files.writeString(componentFile, CWAT);
        }
    }

    @AfterAll
    static void report() {
        Rel.report("misuse: %d public types, %d public methods and constructors checked", publicTypes().size(),
                publicTypes().stream().mapToLong(c -> executables(c).count()).sum());
    }

    // ---------------------------------------------------------------- enumeration

    /** Every public type of the API packages (not {@code internal}), found on the class path. */
    static List<Class<?>> publicTypes() {
        try {
            URI location = Engine.class.getProtectionDomain().getCodeSource().getLocation().toURI();
            Path root = Path.of(location);
            List<String> names = new ArrayList<>();
            if (Files.isDirectory(root)) {
                names.addAll(classNames(root));
            } else {
                try (FileSystem jar = FileSystems.newFileSystem(root)) {
                    names.addAll(classNames(jar.getPath("/")));
                }
            }
            List<Class<?>> types = new ArrayList<>();
            for (String name : names) {
                Class<?> c = Class.forName(name, false, Engine.class.getClassLoader());
                if (isPublic(c) && !c.isSynthetic() && !c.isAnonymousClass()) {
                    types.add(c);
                }
            }
            types.sort(Comparator.comparing(Class::getName));
            return types;
        } catch (ReflectiveOperationException | IOException | java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> classNames(Path root) throws IOException {
        Path base = root.resolve("dev").resolve("wasmbridge");
        try (Stream<Path> files = Files.walk(base)) {
            return files.map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> n.endsWith(".class") && !n.startsWith("dev/wasmbridge/internal/") && !n.endsWith("module-info.class")
                            && !n.endsWith("package-info.class"))
                    .map(n -> n.substring(0, n.length() - 6).replace('/', '.'))
                    .collect(Collectors.toList());
        }
    }

    private static boolean isPublic(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    /** Public methods (not Object's, not bridges) and public constructors of {@code c}. */
    static Stream<Executable> executables(Class<?> c) {
        Stream<Executable> methods = Arrays.stream(c.getMethods())
                .filter(m -> m.getDeclaringClass() != Object.class && !m.isBridge() && !m.isSynthetic())
                .filter(m -> !Set.of("equals", "hashCode", "toString").contains(m.getName()))
                .filter(m -> !m.getDeclaringClass().isEnum() || !Set.of("compareTo", "getDeclaringClass", "describeConstable").contains(m.getName()))
                .filter(m -> !Throwable.class.isAssignableFrom(m.getDeclaringClass()) || isApiClass(m.getDeclaringClass()))
                .filter(m -> isApiClass(m.getDeclaringClass()) || m.getDeclaringClass().isEnum())
                .filter(m -> !m.getDeclaringClass().isInterface() || Modifier.isStatic(m.getModifiers()))
                .map(m -> (Executable) m);
        Stream<Executable> constructors = c.isInterface() || c.isEnum() ? Stream.empty() : Arrays.stream(c.getConstructors());
        return Stream.concat(methods, constructors).sorted(Comparator.comparing(MisuseTest::key));
    }

    private static boolean isApiClass(Class<?> c) {
        return c.getName().startsWith("dev.wasmbridge.");
    }

    /** {@code Type.method/arity}, e.g. {@code Store.create/2}; constructors are {@code Type.new/arity}. */
    static String key(Executable e) {
        String owner = e.getDeclaringClass().getName().substring(e.getDeclaringClass().getPackageName().length() + 1).replace('$', '.');
        return owner + "." + (e instanceof Constructor ? "new" : e.getName()) + "/" + e.getParameterCount();
    }

    // ---------------------------------------------------------------- arguments and receivers

    /** A valid argument for parameter {@code i} of {@code e}, for the objects of {@code w}. */
    /** A response sink that drops what it gets. */
    static final HttpResponseSink SINK = new HttpResponseSink() {
        @Override
        public void head(int status, List<HttpField> headers) {
        }

        @Override
        public void body(byte[] bytes, int offset, int length) {
        }
    };

    static Object arg(Executable e, int i, World w) {
        Class<?> t = e.getParameterTypes()[i];
        String k = key(e);
        String owner = e.getDeclaringClass().getSimpleName();
        if (t == String.class) {
            switch (k) {
                case "Module.fromWat/2":
                case "Module.watToBinary/1":
                    return "(module)";
                case "Component.fromWat/2":
                    return CWAT;
                case "ComponentInstance.function/1":
                    return "add";
                case "ComponentInstance.function/2":
                    return i == 0 ? "test:m/api" : "add";
                case "Instance.memory/1":
                case "Caller.memory/1":
                    return "memory";
                case "Instance.global/1":
                    return "g";
                case "Instance.table/1":
                    return "t";
                case "Instance.export/1":
                case "Instance.function/1":
                case "Caller.export/1":
                case "Caller.function/1":
                    return "add";
                case "WasiConfig.Builder.preopenDir/3":
                case "WasiConfig.Preopen.new/3":
                    return "/data";
                case "WasiConfig.Builder.env/2":
                    return i == 0 ? "NAME" : "value";
                default:
                    // Linker definitions and everything else: a fresh name each time, so nothing is defined twice.
                    return "n" + SEQ.incrementAndGet();
            }
        }
        if (t == int.class || t == long.class) {
            long v;
            if (owner.equals("Memory") || owner.equals("Table")) {
                // addresses and indexes 0; a length of 4 (the last int of a read/write)
                v = t == int.class && i == e.getParameterCount() - 1 && e.getName().matches("read|write") ? 4 : 0;
            } else if (k.equals("EngineConfig.Builder.maxWasmStack/1")) {
                v = 256 * 1024;
            } else {
                v = 1;
            }
            return t == int.class ? (Object) (int) v : (Object) v;
        }
        if (t == boolean.class) {
            return false;
        }
        if (t == byte.class) {
            return (byte) 1;
        }
        if (t == short.class) {
            return (short) 1;
        }
        if (t == float.class) {
            return 1f;
        }
        if (t == double.class) {
            return 1d;
        }
        if (t == byte[].class) {
            switch (k) {
                case "Module.fromBytes/2":
                case "Module.validate/2":
                    return w.wasm;
                case "Module.deserialize/2":
                    return w.serialized;
                case "Component.fromBytes/2":
                case "Component.validate/2":
                    return w.componentWasm;
                case "Component.deserialize/2":
                    return w.componentSerialized;
                case "V128.fromBytes/1":
                    return new byte[16];
                default:
                    return new byte[4];
            }
        }
        if (t == Object[].class) {
            // Function.call and ComponentFunction.call on add
            return new Object[] {1, 2};
        }
        if (t == WitValue[].class) {
            // ComponentFunction.callValues on add
            return new WitValue[] {new WitValue.U32(1), new WitValue.U32(2)};
        }
        if (t == long[].class) {
            // callRawInto(results, args) on add: one result slot
            return k.equals("Function.callRawInto/2") && i == 0 ? new long[1] : new long[] {1, 2};
        }
        if (t == String[].class) {
            return new String[] {"prog"};
        }
        if (t == Object.class) {
            if (k.equals("Linker.define/4") || k.endsWith(".implement/2")) {
                return (IntBinaryOperator) (a, b) -> a + b;
            }
            return k.startsWith("Table.") ? null : k.startsWith("Store.") ? "data" : 5;
        }
        if (t == Class.class) {
            // Function.as(type) on add, Linker.define(module, name, type, function)
            return IntBinaryOperator.class;
        }
        if (t == Engine.class) {
            return w.engine;
        }
        if (t == Module.class) {
            return w.module;
        }
        if (t == Store.class) {
            return w.store;
        }
        if (t == Linker.class) {
            return w.linker;
        }
        if (t == Instance.class) {
            return w.instance;
        }
        if (t == Extern.class) {
            return w.memory;
        }
        if (t == ByteBuffer.class) {
            return w.buffer;
        }
        if (t == EngineConfig.class) {
            return EngineConfig.builder().fuel(true).epochInterruption(true).build();
        }
        if (t == PoolingConfig.class) {
            return PoolingConfig.builder().build();
        }
        if (t == StoreLimits.class) {
            return StoreLimits.builder().build();
        }
        if (t == WasiConfig.class) {
            return WasiConfig.defaults();
        }
        if (t == FuncType.class || t == ExternType.class) {
            return FuncType.of(List.of(), List.of());
        }
        if (t == HostFunction.class) {
            return (HostFunction) (c, a) -> null;
        }
        if (t == Duration.class) {
            return Duration.ofSeconds(30);
        }
        if (t == Path.class) {
            switch (k) {
                case "Module.fromPath/2":
                    return watFile;
                case "Module.deserializeFile/2":
                    return serializedFile;
                case "Component.fromPath/2":
                    return componentFile;
                default:
                    return tmp;
            }
        }
        if (t == File.class) {
            return watFile.toFile();
        }
        if (t == InputStream.class) {
            return new ByteArrayInputStream(new byte[0]);
        }
        if (t == OutputStream.class) {
            return new ByteArrayOutputStream();
        }
        if (t == List.class) {
            return k.startsWith("WasiConfig") ? List.of("prog") : List.of();
        }
        if (t == OptionalLong.class) {
            return OptionalLong.empty();
        }
        if (t == Optional.class) {
            // ComponentFuncType's result, WitType.Case/Result, WitValue.Variant/Option/Result: all may be empty
            return Optional.empty();
        }
        if (t == Set.class) {
            return Set.of();
        }
        if (t == Map.class) {
            return Map.of();
        }
        if (t == BigInteger.class) {
            return BigInteger.ONE;
        }
        if (t == Component.class) {
            return w.component;
        }
        if (t == ComponentLinker.class) {
            return w.componentLinker;
        }
        if (t == ResourceHandle.class) {
            return w.handle;
        }
        if (t == WitType.class) {
            return new WitType.Primitive(WitType.Kind.U32);
        }
        if (t == WitValue.class) {
            return new WitValue.U32(1);
        }
        if (t == ComponentFuncType.class) {
            return new ComponentFuncType(List.of(), Optional.empty(), false);
        }
        if (t == Throwable.class) {
            return new RuntimeException("cause");
        }
        if (t == HttpRequest.class) {
            return HttpRequest.builder("GET", "/hello").build();
        }
        if (t == HttpResponseSink.class) {
            return SINK;
        }
        if (t == HttpResult.class) {
            return new HttpResult(HttpResult.Outcome.COMPLETE, 200, null, null);
        }
        if (t == HttpField.class) {
            return new HttpField("x", "y");
        }
        if (t == OutgoingHttp.class) {
            return OutgoingHttp.deny();
        }
        if (t == java.util.concurrent.Executor.class) {
            return (java.util.concurrent.Executor) Runnable::run;
        }
        if (t.isEnum()) {
            return t.getEnumConstants()[0];
        }
        if (t.isInterface() && t.isAnnotationPresent(FunctionalInterface.class)) {
            // Runnable, IntBinaryOperator, ...: an implementation that returns zero.
            return java.lang.reflect.Proxy.newProxyInstance(t.getClassLoader() == null ? MisuseTest.class.getClassLoader()
                    : t.getClassLoader(), new Class<?>[] {t}, (proxy, method, margs) -> zero(method.getReturnType()));
        }
        throw new AssertionError("no argument for parameter " + i + " (" + t.getName() + ") of " + k
                + ": teach MisuseTest.arg about it");
    }

    private static Object zero(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0d;
        }
        if (type == float.class) {
            return 0f;
        }
        return null;
    }

    static Object[] args(Executable e, World w) {
        Object[] a = new Object[e.getParameterCount()];
        for (int i = 0; i < a.length; i++) {
            a[i] = arg(e, i, w);
        }
        return a;
    }

    /** A receiver of {@code e} among {@code w}'s objects (or a fresh builder), or null for a static method. */
    static Object receiver(Executable e, World w) {
        if (e instanceof Constructor || Modifier.isStatic(e.getModifiers())) {
            return null;
        }
        Class<?> c = e.getDeclaringClass();
        String name = e.getName();
        if (c == Engine.class) {
            return w.engine;
        }
        if (c == Module.class) {
            return w.module;
        }
        if (c == Linker.class) {
            return w.linker;
        }
        if (c == InstancePre.class) {
            return w.pre;
        }
        if (c == Store.class) {
            return w.store;
        }
        if (c == Instance.class) {
            return w.instance;
        }
        if (c == Function.class) {
            // Function.as(IntBinaryOperator.class) (see arg) fits add, as does every other method.
            return w.functions.get("add");
        }
        if (c == Memory.class || c == Extern.class) {
            return w.memory;
        }
        if (c == Global.class) {
            return w.global;
        }
        if (c == Table.class) {
            return w.table;
        }
        if (c == Caller.class) {
            return w.lastCaller;
        }
        if (c == EngineConfig.class) {
            return EngineConfig.defaults();
        }
        if (c == EngineConfig.Builder.class) {
            return EngineConfig.builder();
        }
        if (c == PoolingConfig.Builder.class) {
            return PoolingConfig.builder();
        }
        if (c == StoreLimits.Builder.class) {
            return StoreLimits.builder();
        }
        if (c == WasiConfig.class) {
            return WasiConfig.defaults();
        }
        if (c == WasiConfig.Builder.class) {
            return WasiConfig.builder();
        }
        if (c == Component.class) {
            return w.component;
        }
        if (c == ComponentLinker.class) {
            return w.componentLinker;
        }
        if (c == ComponentLinker.Instance.class) {
            return w.componentHost;
        }
        if (c == ComponentInstancePre.class) {
            return w.componentPre;
        }
        if (c == ComponentInstance.class) {
            return w.componentInstance;
        }
        if (c == ComponentFunction.class) {
            // call(1, 2), callValues(u32 1, u32 2) (see arg) fit add
            return w.componentAdd;
        }
        if (c == ComponentCaller.class) {
            return w.lastComponentCaller;
        }
        if (c == ResourceHandle.class) {
            return w.handle;
        }
        if (c == WasiHttpHandler.class) {
            return w.http;
        }
        if (c == WasiHttpHandler.Builder.class) {
            return WasiHttpHandler.builder(w.httpComponent);
        }
        if (c == HttpRequest.class) {
            return HttpRequest.builder("GET", "/hello").build();
        }
        if (c == HttpRequest.Builder.class) {
            return HttpRequest.builder("GET", "/hello");
        }
        if (c == OutgoingHttp.class) {
            return OutgoingHttp.deny();
        }
        if (c == OutgoingHttp.Builder.class) {
            return OutgoingHttp.builder();
        }
        if (c == OutgoingHttp.Refused.class) {
            return new OutgoingHttp.Refused(HttpErrorCode.HTTP_REQUEST_DENIED);
        }
        if (c == HttpErrorCode.class) {
            return HttpErrorCode.HTTP_REQUEST_DENIED;
        }
        if (c == HttpResponseSink.class) {
            return SINK;
        }
        if (c == OutgoingHttp.OutgoingResponse.class) {
            return OutgoingHttp.OutgoingResponse.of(200, "x");
        }
        if (c.isRecord() && (c.getPackageName().equals(Component.class.getPackageName())
                || c.getPackageName().equals(WasiHttpHandler.class.getPackageName()))) {
            // WitType, WitValue, ComponentFuncType, ComponentItem, ...: values, made by their canonical constructor
            try {
                Constructor<?> k = c.getDeclaredConstructor(Arrays.stream(c.getRecordComponents())
                        .map(RecordComponent::getType).toArray(Class<?>[]::new));
                return k.newInstance(args(k, w));
            } catch (ReflectiveOperationException ex) {
                throw new AssertionError("cannot make a " + c.getName() + ": " + ex, ex);
            }
        }
        return null;
    }

    /** Calls {@code e} and returns what it threw, or null. */
    static Throwable invoke(Executable e, Object receiver, Object[] args) {
        try {
            if (e instanceof Constructor) {
                ((Constructor<?>) e).newInstance(args);
            } else {
                ((Method) e).invoke(receiver, args);
            }
            return null;
        } catch (InvocationTargetException ex) {
            return ex.getCause();
        } catch (ReflectiveOperationException ex) {
            throw new AssertionError(key(e) + ": " + ex, ex);
        }
    }

    static String describe(Throwable t) {
        return t == null ? "returned normally" : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    // ---------------------------------------------------------------- after close

    /** Types whose objects die: closeable resources and the views and callers that belong to a store. */
    static boolean mortal(Class<?> c) {
        return AutoCloseable.class.isAssignableFrom(c) || Extern.class.isAssignableFrom(c) || c == Instance.class || c == Caller.class
                || c == ComponentInstance.class || c == ComponentFunction.class || c == ComponentCaller.class
                || c == ComponentLinker.Instance.class;
    }

    /** Methods that work after close: accessors of plain fields, and close itself. */
    static final Set<String> ALIVE_AFTER_CLOSE = Set.of("Engine.config/0", "Engine.close/0", "Module.engine/0",
            "Module.close/0", "Linker.engine/0", "Linker.close/0", "InstancePre.module/0", "InstancePre.close/0",
            "Store.data/0", "Store.engine/0", "Store.close/0", "Instance.store/0", "Extern.store/0",
            "Component.engine/0", "Component.close/0", "ComponentLinker.engine/0", "ComponentLinker.close/0",
            "WasiHttpHandler.engine/0", "WasiHttpHandler.close/0",
            // Views of the linker, documented without an IllegalStateException: every definition through them is refused.
            "ComponentLinker.instance/1", "ComponentLinker.root/0",
            "ComponentInstancePre.component/0", "ComponentInstancePre.close/0", "ComponentInstance.store/0",
            "ComponentInstance.component/0",
            // A handle's fields; close() of a handle whose store is closed does nothing (the resource went with the store).
            "ResourceHandle.isOwned/0", "ResourceHandle.type/0", "ResourceHandle.store/0", "ResourceHandle.isGone/0",
            "ResourceHandle.close/0");

    @Test
    void everyMortalTypeHasAReceiver() {
        try (World w = new World()) {
            w.caller();
            for (Class<?> c : publicTypes()) {
                if (mortal(c)) {
                    executables(c).filter(e -> e instanceof Method && !Modifier.isStatic(e.getModifiers())).forEach(e ->
                            assertTrue(receiver(e, w) != null, "no receiver for " + key(e) + ": teach MisuseTest.receiver about it"));
                }
            }
        }
    }

    /** Calls every instance method of every mortal type on a closed object: IllegalStateException, or an allowed accessor. */
    private static List<String> afterClose(boolean used) {
        World w = new World();
        if (used) {
            w.used();
        }
        Caller caller = w.caller();
        w.close();
        // An object of this world, live, for arguments that must not be the closed thing itself.
        List<String> wrong = new ArrayList<>();
        try (World live = new World()) {
            for (Class<?> c : publicTypes()) {
                if (!mortal(c)) {
                    continue;
                }
                for (Executable e : executables(c).filter(x -> x instanceof Method && !Modifier.isStatic(x.getModifiers()))
                        .collect(Collectors.toList())) {
                    Object receiver = c == Caller.class ? caller : receiver(e, w);
                    Object[] args = args(e, w);
                    Throwable t = invoke(e, receiver, args);
                    boolean ok = ALIVE_AFTER_CLOSE.contains(key(e)) ? t == null : t instanceof IllegalStateException;
                    if (!ok) {
                        wrong.add(key(e) + " on a closed " + c.getSimpleName() + ": " + describe(t));
                    }
                }
            }
        }
        return wrong;
    }

    @Test
    void everyMethodOfAClosedObjectIsRefusedWithIllegalStateException() {
        assertEquals(List.of(), afterClose(false));
    }

    @Test
    void everyMethodOfAClosedObjectIsRefusedEvenAfterItWasUsed() {
        assertEquals(List.of(), afterClose(true));
    }

    @Test
    void closedObjectsAsArgumentsAreRefused() {
        // Every public method taking an Engine, Module, Store, Linker, Instance or Extern, given a closed one of the
        // same engine (the receiver and the other arguments live): IllegalStateException.
        List<String> wrong = new ArrayList<>();
        try (World w = new World()) {
            Engine deadEngine = Engine.create();
            deadEngine.close();
            Module deadModule = Module.fromWat(w.engine, WAT);
            deadModule.close();
            Linker deadLinker = Linker.create(w.engine);
            deadLinker.close();
            Store deadStore = Store.create(w.engine);
            deadStore.setFuel(1_000_000);
            Instance deadInstance = w.linker.instantiate(deadStore, w.module);
            Memory deadMemory = deadInstance.memory("memory");
            deadStore.close();
            Component deadComponent = Component.fromWat(w.engine, CWAT);
            deadComponent.close();
            Map<Class<?>, Object> dead = Map.of(Engine.class, deadEngine, Module.class, deadModule, Linker.class, deadLinker,
                    Store.class, deadStore, Instance.class, deadInstance, Extern.class, deadMemory, Component.class, deadComponent);
            for (Class<?> c : publicTypes()) {
                for (Executable e : executables(c).collect(Collectors.toList())) {
                    Class<?>[] types = e.getParameterTypes();
                    for (int i = 0; i < types.length; i++) {
                        if (!dead.containsKey(types[i])) {
                            continue;
                        }
                        Object[] args = args(e, w);
                        args[i] = dead.get(types[i]);
                        // define(store, ..., item of that store): the store and its item are closed together.
                        for (int j = 0; j < types.length; j++) {
                            if ((types[j] == Store.class || types[j] == Instance.class || types[j] == Extern.class)
                                    && (types[i] == Store.class || types[i] == Instance.class || types[i] == Extern.class)) {
                                args[j] = dead.get(types[j]);
                            }
                        }
                        Throwable t = invoke(e, receiver(e, w), args);
                        if (!(t instanceof IllegalStateException)) {
                            wrong.add(key(e) + " with a closed " + types[i].getSimpleName() + " as argument " + i + ": " + describe(t));
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void closingAnEngineLeavesItsObjectsWorking() {
        World w = new World();
        w.engine.close();
        w.engine.close();
        assertThrows(IllegalStateException.class, () -> Store.create(w.engine));
        assertThrows(IllegalStateException.class, () -> Linker.create(w.engine));
        assertThrows(IllegalStateException.class, () -> Module.fromWat(w.engine, "(module)"));
        assertEquals(3, w.functions.get("add").call(1, 2)[0]);
        assertEquals(5, w.pre.instantiate(w.store).function("add").call(2, 3)[0]);
        assertEquals(9, w.linker.instantiate(w.store, w.module).function("add").call(4, 5)[0]);
        // components too
        assertThrows(IllegalStateException.class, () -> Component.fromWat(w.engine, CWAT));
        assertThrows(IllegalStateException.class, () -> Component.fromBytes(w.engine, w.componentWasm));
        assertThrows(IllegalStateException.class, () -> Component.deserializeTrusted(w.engine, w.componentSerialized));
        assertThrows(IllegalStateException.class, () -> ComponentLinker.create(w.engine));
        assertEquals(3L, w.componentAdd.call(1, 2));
        assertEquals(5L, w.componentPre.instantiate(w.store).function("add").call(2, 3));
        assertEquals(9L, w.componentLinker.instantiate(w.store, w.component).function("test:m/api", "add").call(4, 5));
        w.close();
        w.close();
    }

    @Test
    void viewsAndTypedViewsOfAClosedStoreAreRefused() {
        World w = new World();
        IntBinaryOperator add = w.functions.get("add").as(IntBinaryOperator.class);
        IntSupplier seven = w.functions.get("v_i").as(IntSupplier.class);
        Runnable noop = w.functions.get("v_v").as(Runnable.class);
        ByteBuffer buffer = w.memory.buffer();
        buffer.putInt(0, 42);
        assertEquals(7, add.applyAsInt(3, 4));
        w.close();
        assertThrows(IllegalStateException.class, () -> add.applyAsInt(1, 2));
        assertThrows(IllegalStateException.class, seven::getAsInt);
        assertThrows(IllegalStateException.class, noop::run);
        // A buffer keeps the memory mapped: reading it after close is safe and shows the last contents.
        assertEquals(42, buffer.getInt(0));
        buffer.putInt(8, 1);
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.get(65536));
    }

    // ---------------------------------------------------------------- wrong thread

    /** Methods another thread may call while a call is running on the store. */
    static final Set<String> ANY_THREAD = Set.of("Store.data/0", "Store.engine/0", "Instance.store/0", "Extern.store/0",
            "Caller.store/0", "Caller.data/0", "ComponentInstance.store/0", "ComponentInstance.component/0",
            "ComponentCaller.store/0", "ComponentCaller.data/0", "ResourceHandle.isOwned/0", "ResourceHandle.type/0",
            "ResourceHandle.store/0", "ResourceHandle.isGone/0");
    /**
     * Answers cached by an earlier call, given after close and from another thread, although the Javadoc promises
     * IllegalStateException: see {@link #everyMethodOfAClosedObjectIsRefusedEvenAfterItWasUsed()}.
     */
    static final Set<String> CACHED = Set.of("Function.type/0", "Global.type/0");
    /** Not called from the other thread here: interrupt() is allowed from any thread and is tested on its own. */
    static final Set<String> NOT_CALLED = Set.of("Store.interrupt/0");

    /** Types whose instance methods are bound to a store (or are the store's). */
    static boolean storeBound(Class<?> c) {
        return c == Store.class || c == Instance.class || Extern.class.isAssignableFrom(c) || c == Caller.class
                || c == ComponentInstance.class || c == ComponentFunction.class || c == ComponentCaller.class
                || c == ResourceHandle.class;
    }

    @Test
    void everyStoreBoundMethodFromAnotherThreadIsRefusedWhileACallRuns() throws Exception {
        wrongThread(false);
    }

    @Test
    void everyStoreBoundMethodFromAnotherThreadIsRefusedWhileAComponentCallRuns() throws Exception {
        wrongThread(true);
    }

    /**
     * While the owner thread is inside a host function (of a core call, or of a component call on the same store), every
     * store-bound method is called from this thread. The callers: the running call's one is checked, the other kind
     * (one of an earlier call) is left out.
     */
    private static void wrongThread(boolean componentCall) throws Exception {
        try (World w = new World()) {
            w.used();
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            w.hook = () -> {
                inside.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            AtomicReference<Throwable> ownerFailure = new AtomicReference<>();
            Thread owner = new Thread(() -> {
                try {
                    if (componentCall) {
                        w.componentCallCb.call();
                    } else {
                        w.functions.get("call_cb").call();
                    }
                } catch (Throwable t) {
                    ownerFailure.set(t);
                }
            }, "owner");
            owner.start();
            assertTrue(inside.await(30, TimeUnit.SECONDS));
            Caller running = w.lastCaller;
            ComponentCaller runningComponent = w.lastComponentCaller;
            List<String> wrong = new ArrayList<>();
            int checked = 0;
            try {
                for (Class<?> c : publicTypes()) {
                    for (Executable e : executables(c).collect(Collectors.toList())) {
                        boolean onStore = !Modifier.isStatic(e.getModifiers()) && e instanceof Method && storeBound(c);
                        boolean takesStore = Arrays.stream(e.getParameterTypes()).anyMatch(p -> p == Store.class || p == Instance.class
                                || p == Extern.class);
                        if (!onStore && !takesStore || NOT_CALLED.contains(key(e)) || key(e).equals("Store.create/2")
                                || c == (componentCall ? Caller.class : ComponentCaller.class)) {
                            continue;
                        }
                        Object receiver = c == Caller.class ? running : c == ComponentCaller.class ? runningComponent : receiver(e, w);
                        Throwable t = invoke(e, receiver, args(e, w));
                        checked++;
                        boolean ok = ANY_THREAD.contains(key(e)) ? t == null
                                : t instanceof IllegalStateException || CACHED.contains(key(e)) && t == null;
                        if (!ok) {
                            wrong.add(key(e) + " from another thread: " + describe(t));
                        }
                    }
                }
            } finally {
                release.countDown();
                owner.join(30_000);
            }
            assertEquals(null, ownerFailure.get());
            Rel.report("wrong thread: %d store-bound methods called while another thread was inside the store (%s call)", checked,
                    componentCall ? "a component" : "a core");
            // The store works afterwards, from this thread.
            assertEquals(3, w.functions.get("add").call(1, 2)[0]);
            assertEquals(1, w.global.get());
            assertEquals(3L, w.componentAdd.call(1, 2));
            assertEquals(5L, w.componentInstance.function("[method]counter.get").call(w.handle));
            assertEquals(List.of(), wrong);
        }
    }

    @Test
    void closingAStoreFromInsideACallOnItIsRefused() {
        try (World w = new World()) {
            AtomicReference<Throwable> seen = new AtomicReference<>();
            w.hook = () -> seen.set(assertThrows(IllegalStateException.class, w.store::close));
            w.functions.get("call_cb").call();
            assertTrue(seen.get() instanceof IllegalStateException);
            w.hook = null;
            assertEquals(3, w.functions.get("add").call(1, 2)[0]);
        }
    }

    @Test
    void closingAStoreFromInsideAComponentCallOnItIsRefused() {
        try (World w = new World()) {
            AtomicReference<Throwable> seen = new AtomicReference<>();
            w.hook = () -> seen.set(assertThrows(IllegalStateException.class, w.store::close));
            w.componentCallCb.call();
            assertTrue(seen.get() instanceof IllegalStateException);
            w.hook = null;
            assertEquals(3L, w.componentAdd.call(1, 2));
            assertEquals(3, w.functions.get("add").call(1, 2)[0]);
        }
    }

    // ---------------------------------------------------------------- nulls

    /** Parameters documented to accept null; with null they return normally or throw IllegalArgumentException. */
    static final Set<String> NULLABLE = Set.of("Store.create/2#1", "EngineConfig.Builder.pooling/1#0",
            "EngineConfig.Builder.cacheDirectory/1#0", "EngineConfig.Builder.cacheConfigFile/1#0", "Function.call/1#0", "Global.set/1#0",
            "Table.set/2#1", "Table.grow/2#1", "WasmException.new/1#0", "WasmException.new/2#0", "WasmException.new/2#1",
            "TrapException.new/2#1", "CompileException.new/1#0", "LinkException.new/1#0",
            // a null array is one null argument, as for Function.call; add takes two: IllegalArgumentException
            "ComponentFunction.call/1#0", "ComponentFunction.callValues/1#0",
            // the exported interface of bind: null for the root's functions
            "ComponentInstance.bind/2#0",
            // natural values of result and variant payloads: null where the side or case has no type
            "WitResult.new/2#1", "WitResult.ok/1#0", "WitResult.err/1#0", "WitVariant.new/2#1",
            // the typed bindings' results: null for a side without a type (Void)
            "Result.ok/1#0", "Result.err/1#0", "Result.Ok.new/1#0", "Result.Err.new/1#0",
            // HTTP: a request without scheme or authority, fields kept as given; a handler's optional settings
            "HttpRequest.Builder.scheme/1#0", "HttpRequest.Builder.authority/1#0", "HttpResult.new/4#2",
            "HttpResult.new/4#3", "WasiHttpHandler.Builder.imports/1#0",
            "WasiHttpHandler.Builder.wasi/1#0", "WasiHttpHandler.Builder.deadline/1#0", "WasiHttpHandler.Builder.limits/1#0",
            "WasiHttpHandler.Builder.configure/1#0", "WasiHttpHandler.Builder.executor/1#0");

    @Test
    void nullArgumentsAreRefusedWithNullPointerException() {
        List<String> wrong = new ArrayList<>();
        int[] checked = {0};
        try (World w = new World()) {
            w.used();
            for (Class<?> c : publicTypes()) {
                for (Executable e : executables(c).collect(Collectors.toList())) {
                    if (c == Caller.class) {
                        continue; // below, inside a host call
                    }
                    checkNulls(e, w, receiver(e, w), wrong, checked);
                }
            }
            // Caller: only valid inside its host call.
            w.hook = () -> executables(Caller.class).forEach(e -> checkNulls(e, w, w.lastCaller, wrong, checked));
            w.functions.get("call_cb").call();
            w.hook = null;
            assertEquals(3, w.functions.get("add").call(1, 2)[0]);
        }
        Rel.report("nulls: %d null arguments checked", checked[0]);
        assertEquals(List.of(), wrong);
    }

    @Test
    void defineInstanceWithANullStoreIsANullPointerException() {
        try (World w = new World()) {
            assertThrows(NullPointerException.class, () -> w.linker.defineInstance(null, "m", w.instance));
        }
    }

    private static void checkNulls(Executable e, World w, Object receiver, List<String> wrong, int[] checked) {
        Class<?>[] types = e.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i].isPrimitive()) {
                continue;
            }
            Object[] args = args(e, w);
            args[i] = null;
            Throwable t = invoke(e, receiver, args);
            checked[0]++;
            String where = key(e) + "#" + i;
            boolean ok = NULLABLE.contains(where) ? t == null || t instanceof IllegalArgumentException : t instanceof NullPointerException;
            if (!ok) {
                wrong.add(where + " with null: " + describe(t));
            }
        }
    }

    // ---------------------------------------------------------------- bad arguments

    /** Exceptions a method may throw for a bad number: the documented misuse exceptions, or a WasmException. */
    static boolean documentedForBadNumbers(Throwable t) {
        return t == null || t instanceof IllegalArgumentException || t instanceof IndexOutOfBoundsException
                || t instanceof IllegalStateException || t instanceof WasmException;
    }

    @Test
    void extremeNumbersGiveDocumentedExceptionsOnly() {
        long[] extremes = {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, 65536, 65535, 1L << 32};
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        try (World w = new World()) {
            for (Class<?> c : publicTypes()) {
                for (Executable e : executables(c).collect(Collectors.toList())) {
                    Class<?>[] types = e.getParameterTypes();
                    for (int i = 0; i < types.length; i++) {
                        if (types[i] != int.class && types[i] != long.class) {
                            continue;
                        }
                        for (long x : extremes) {
                            if (types[i] == int.class && (int) x != x) {
                                continue;
                            }
                            Object[] args = args(e, w);
                            args[i] = types[i] == int.class ? (Object) (int) x : (Object) x;
                            Throwable t = invoke(e, receiver(e, w), args);
                            checked++;
                            if (!documentedForBadNumbers(t)) {
                                wrong.add(key(e) + "#" + i + " = " + x + ": " + describe(t));
                            }
                        }
                    }
                }
            }
            // Still healthy afterwards.
            assertEquals(3, w.functions.get("add").call(1, 2)[0]);
        }
        Rel.report("bad numbers: %d calls with extreme int/long arguments checked", checked);
        assertEquals(List.of(), wrong);
    }

    @Test
    void readingFarMoreThanTheMemoryIsAnIndexOutOfBoundsException() {
        try (World w = new World()) {
            // Caught by hand: JUnit's assertThrows rethrows an OutOfMemoryError, which would abort the whole run.
            for (int length : new int[] {Integer.MAX_VALUE, 1 << 30}) {
                Throwable t = null;
                try {
                    w.memory.read(0, length);
                } catch (Throwable e) {
                    t = e;
                }
                assertTrue(t instanceof IndexOutOfBoundsException, "read(0, " + length + "): " + describe(t));
            }
        }
    }

    @Test
    void badArgumentsGiveTheDocumentedException() throws Exception {
        try (World w = new World(); World other = new World()) {
            Function add = w.functions.get("add");
            // calls
            assertThrows(IllegalArgumentException.class, () -> add.call(1));
            assertThrows(IllegalArgumentException.class, () -> add.call(1, 2, 3));
            assertThrows(IllegalArgumentException.class, () -> add.call(1, "two"));
            assertThrows(IllegalArgumentException.class, () -> add.call(1L, 2));
            assertThrows(IllegalArgumentException.class, () -> add.call(1, null));
            assertThrows(IllegalArgumentException.class, () -> add.callRaw(1));
            assertThrows(IllegalArgumentException.class, () -> add.as(java.util.function.LongSupplier.class));
            assertThrows(IllegalArgumentException.class, () -> add.as(String.class));
            assertThrows(IllegalArgumentException.class, () -> w.functions.get("v_v").as(IntBinaryOperator.class));
            assertThrows(IllegalArgumentException.class, () -> w.table.set(0, other.functions.get("add")));
            assertThrows(IllegalArgumentException.class, () -> w.table.set(0, "not a function"));
            assertThrows(IndexOutOfBoundsException.class, () -> w.table.set(2, null));
            assertThrows(IndexOutOfBoundsException.class, () -> w.table.get(-1));
            assertThrows(IllegalArgumentException.class, () -> w.table.grow(-1, null));
            assertEquals(-1L, growOrMinusOne(w.table, 100));
            // exports
            assertThrows(IllegalArgumentException.class, () -> w.instance.function("nope"));
            assertThrows(IllegalArgumentException.class, () -> w.instance.function("memory"));
            assertThrows(IllegalArgumentException.class, () -> w.instance.memory("add"));
            assertThrows(IllegalArgumentException.class, () -> w.instance.global("t"));
            assertThrows(IllegalArgumentException.class, () -> w.instance.table("g"));
            // globals
            assertThrows(IllegalArgumentException.class, () -> w.global.set(1L));
            assertThrows(IllegalArgumentException.class, () -> w.global.set("1"));
            assertThrows(IllegalStateException.class, () -> w.instance.global("c").set(3));
            // memory
            long size = w.memory.byteSize();
            assertThrows(IndexOutOfBoundsException.class, () -> w.memory.readInt(size - 3));
            assertThrows(IndexOutOfBoundsException.class, () -> w.memory.readInt(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> w.memory.readLong(Long.MAX_VALUE));
            assertThrows(IndexOutOfBoundsException.class, () -> w.memory.writeLong(Long.MAX_VALUE - 3, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> w.memory.writeLong(Long.MIN_VALUE, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> w.memory.write(size - 1, new byte[2]));
            assertThrows(IndexOutOfBoundsException.class, () -> w.memory.read(0, new byte[4], 2, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> w.memory.read(0, new byte[4], -1, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> w.memory.read(size, 1));
            assertThrows(IllegalArgumentException.class, () -> w.memory.read(0, -1));
            assertThrows(IllegalArgumentException.class, () -> w.memory.grow(-1));
            assertThrows(WasmException.class, () -> w.memory.grow(4));
            assertThrows(WasmException.class, () -> w.memory.grow(Long.MAX_VALUE));
            w.memory.writeInt(size - 4, 9);
            assertEquals(9, w.memory.readInt(size - 4));
            assertEquals(0, w.memory.read(size, 0).length);
            // store settings
            assertThrows(IllegalArgumentException.class, () -> w.store.setFuel(-1));
            assertThrows(IllegalArgumentException.class, () -> w.store.setDeadline(Duration.ofMillis(-1)));
            w.store.setDeadline(Duration.ofSeconds(Long.MAX_VALUE));
            w.store.clearDeadline();
            // objects of another engine or store
            assertThrows(IllegalArgumentException.class, () -> w.linker.instantiate(other.store, w.module));
            assertThrows(IllegalArgumentException.class, () -> w.linker.instantiate(w.store, other.module));
            assertThrows(IllegalArgumentException.class, () -> w.linker.prepare(other.module));
            assertThrows(IllegalArgumentException.class, () -> w.pre.instantiate(other.store));
            assertThrows(IllegalArgumentException.class, () -> w.linker.define(w.store, "x", "y", other.memory));
            assertThrows(IllegalArgumentException.class, () -> w.linker.defineInstance(w.store, "x", other.instance));
            // link and compile errors
            assertThrows(LinkException.class, () -> w.linker.defineFunction("env", "cb", FuncType.of(List.of(), List.of()), (c, a) -> null));
            assertThrows(dev.wasmbridge.CompileException.class, () -> Module.fromBytes(w.engine, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 1}));
            assertThrows(dev.wasmbridge.CompileException.class, () -> Module.fromWat(w.engine, "(module (func (result i32)))"));
            assertThrows(dev.wasmbridge.CompileException.class, () -> Module.deserializeTrusted(w.engine, w.wasm));
            assertThrows(dev.wasmbridge.CompileException.class, () -> Module.validate(w.engine, new byte[0]));
            try (Engine plain = Engine.create()) {
                // precompiled for another configuration (no fuel, no epochs)
                assertThrows(dev.wasmbridge.CompileException.class, () -> Module.deserializeTrusted(plain, w.serialized));
            }
            assertThrows(UncheckedIOException.class, () -> Module.fromPath(w.engine, tmp.resolve("missing.wasm")));
            // configuration builders
            assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().maxWasmStack(0));
            assertThrows(IllegalArgumentException.class, () -> StoreLimits.builder().instances(-1));
            assertThrows(IllegalArgumentException.class, () -> PoolingConfig.builder().totalMemories(0));
            assertThrows(IllegalArgumentException.class, () -> WasiConfig.builder().env("A=B", "c"));
            assertThrows(IllegalArgumentException.class, () -> WasiConfig.builder().args("a\0b"));
            assertThrows(IllegalArgumentException.class, () -> w.store.setWasi(WasiConfig.builder()
                    .preopenDir(tmp.resolve("does-not-exist"), "/x", true).build()));
            // a host function returning the wrong results
            try (Linker bad = Linker.create(w.engine); Store s = Store.create(w.engine)) {
                bad.defineFunction("env", "cb", FuncType.of(List.of(), List.of()), (c, a) -> new Object[] {1});
                s.setFuel(1_000_000);
                Instance i = bad.instantiate(s, w.module);
                assertThrows(WasmException.class, () -> i.function("call_cb").call());
                assertEquals(3, i.function("add").call(1, 2)[0]);
            }
            // components: values that do not fit, names that do not exist, objects of another engine or store
            ComponentFunction cadd = w.componentAdd;
            assertThrows(IllegalArgumentException.class, () -> cadd.call(1));
            assertThrows(IllegalArgumentException.class, () -> cadd.call(1, 2, 3));
            assertThrows(IllegalArgumentException.class, () -> cadd.call(-1, 2));
            assertThrows(IllegalArgumentException.class, () -> cadd.call(1L << 32, 2));
            assertThrows(IllegalArgumentException.class, () -> cadd.call(1, "two"));
            assertThrows(IllegalArgumentException.class, () -> cadd.call(1, null));
            assertThrows(IllegalArgumentException.class, () -> cadd.callValues(new WitValue.U32(1), new WitValue.S32(2)));
            assertThrows(IllegalArgumentException.class, () -> cadd.callValues(new WitValue.U32(1), null));
            assertThrows(IllegalArgumentException.class, () -> cadd.callValues(new WitValue.U32(1)));
            assertThrows(IllegalArgumentException.class, () -> w.componentInstance.function("nope"));
            assertThrows(IllegalArgumentException.class, () -> w.componentInstance.function("test:m/api", "nope"));
            assertThrows(IllegalArgumentException.class, () -> w.componentInstance.function("nope", "add"));
            assertThrows(IllegalArgumentException.class, w.componentInstance::runCommand);
            ComponentFunction get = w.componentInstance.function("[method]counter.get");
            assertThrows(IllegalArgumentException.class, () -> get.call("not a handle"));
            assertThrows(IllegalArgumentException.class, () -> other.componentInstance.function("[method]counter.get").call(w.handle));
            assertThrows(IllegalArgumentException.class, () -> w.componentLinker.instantiate(other.store, w.component));
            assertThrows(IllegalArgumentException.class, () -> w.componentLinker.instantiate(w.store, other.component));
            assertThrows(IllegalArgumentException.class, () -> w.componentLinker.prepare(other.component));
            assertThrows(IllegalArgumentException.class, () -> w.componentPre.instantiate(other.store));
            assertThrows(LinkException.class, () -> w.componentHost.defineFunction("cb", (c, a) -> null));
            assertThrows(dev.wasmbridge.CompileException.class, () -> Component.fromBytes(w.engine, w.wasm));
            assertThrows(dev.wasmbridge.CompileException.class, () -> Component.fromBytes(w.engine, new byte[] {0, 'a', 's', 'm', 0x0d, 0, 1, 0, 7}));
            assertThrows(dev.wasmbridge.CompileException.class, () -> Component.validate(w.engine, new byte[0]));
            assertThrows(dev.wasmbridge.CompileException.class, () -> Component.fromWat(w.engine, "(component (func))"));
            assertThrows(dev.wasmbridge.CompileException.class, () -> Component.deserializeTrusted(w.engine, w.componentWasm));
            assertThrows(dev.wasmbridge.CompileException.class, () -> Component.deserializeTrusted(w.engine, w.serialized));
            assertThrows(UncheckedIOException.class, () -> Component.fromPath(w.engine, tmp.resolve("missing.wasm")));
            try (Engine plain = Engine.create()) {
                assertThrows(dev.wasmbridge.CompileException.class, () -> Component.deserializeTrusted(plain, w.componentSerialized));
            }
            assertThrows(IllegalArgumentException.class, () -> new WitValue.U8(256));
            assertThrows(IllegalArgumentException.class, () -> new WitValue.Char(0xD800));
            assertThrows(IllegalArgumentException.class, () -> new WitValue.Str("\uD800"));
            assertThrows(NullPointerException.class, () -> new WitValue.Str(null));
            assertThrows(IllegalArgumentException.class, () -> WitValue.U64.of(BigInteger.ONE.shiftLeft(64)));
            assertThrows(IllegalArgumentException.class, () -> new WitType.Primitive(WitType.Kind.LIST));
            // and the world still works
            assertEquals(3, add.call(1, 2)[0]);
            assertEquals(3L, cadd.call(1, 2));
            assertEquals(5L, get.call(w.handle));
        }
    }

    private static long growOrMinusOne(Table t, long delta) {
        try {
            return t.grow(delta, null);
        } catch (WasmException e) {
            return -1;
        }
    }

    @Test
    void trapExceptionsBuiltByHostsNeedACode() {
        assertThrows(NullPointerException.class, () -> new TrapException(null, "x"));
        assertEquals(TrapCode.INTERRUPT, new TrapException(TrapCode.INTERRUPT, null).code());
        assertEquals(ValType.I32, ValType.valueOf("I32"));
    }

    @Test
    void everyPublicTypeIsKnown() {
        // A new public type needs a decision here: is it mortal (closeable or store-bound), and has it receivers?
        Set<String> names = publicTypes().stream().map(Class::getSimpleName).collect(Collectors.toCollection(TreeSet::new));
        Rel.report("public types: %s", names);
        assertTrue(names.containsAll(List.of("Engine", "Module", "Store", "Linker", "InstancePre", "Instance", "Function",
                "Memory", "Global", "Table", "Caller", "WasiConfig", "Component", "ComponentLinker", "ComponentInstancePre",
                "ComponentInstance", "ComponentFunction", "ComponentCaller", "ResourceHandle", "WitType", "WitValue")), names.toString());
    }
}
