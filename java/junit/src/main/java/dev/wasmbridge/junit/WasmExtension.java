package dev.wasmbridge.junit;

import dev.wasmbridge.CompileException;
import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.ImportType;
import dev.wasmbridge.Instance;
import dev.wasmbridge.LinkException;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.component.ComponentItem;
import dev.wasmbridge.component.ComponentInstance;
import dev.wasmbridge.component.ComponentLinker;
import dev.wasmbridge.component.WitInterface;
import dev.wasmbridge.http.WasiHttpHandler;
import dev.wasmbridge.wasi.WasiConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The JUnit 5 extension behind {@link WasmTest}: resolves parameters and injects fields of the types
 * {@link Engine}, {@link Module}, {@link Store}, {@link Linker}, {@link Instance} and {@link WasiOutput},
 * and for components {@link Component}, {@link ComponentLinker}, {@link ComponentInstance} and Java
 * interfaces bound to a component's exports ({@link ComponentInstance#bind(Class)}): a parameter of an
 * interface type annotated {@link WitInterface}, or of any interface type when the parameter itself has
 * {@link WasmModule}, and a field of any interface type with {@link WasmInject} or {@link WasmModule}; and
 * {@link WasiHttpHandler}s serving a {@code wasi:http} component without a socket.
 *
 * <p>Lifetimes: one engine per test class (a {@code @Nested} class shares its enclosing class's), configured by
 * {@link WasmEngineConfig}; modules compiled once per engine and resource; one store and one linker per
 * test, with one instance per module, all closed after the test (after its {@code @AfterEach} methods); the
 * modules and the engine are closed after the class's tests.
 *
 * <p>Components: compiled once per engine and resource, like modules; per test one {@link ComponentLinker}
 * with WASI 0.2 defined, and one instance per component in the test's store. A component that imports
 * more than WASI needs its imports defined before it is instantiated: ask for the {@code ComponentLinker}
 * in a {@code @BeforeEach} method, define them there, and take the instance (or bound interface) as a
 * test method parameter (fields are injected before {@code @BeforeEach} methods run).
 *
 * <p>HTTP handlers: a {@link WasiHttpHandler} for the component its {@link WasmModule} names is built per test
 * (and component) on first use, with the class's engine and the handler's defaults: each request in a store of
 * its own, WASI 0.2 and {@code wasi:http} defined, the guest's stdout and stderr as log lines, outgoing
 * requests denied, and {@link WasmEngineConfig#fuel()} (when set) as each request's fuel. It is closed after
 * the test, with the test's store. The test's {@code ComponentLinker}, store and WASI annotations do not
 * apply to it. A test that needs more (a stubbed backend through {@code OutgoingHttp}, other imports, a
 * deadline, a WASI environment) builds its own handler from an injected {@link Component} with {@link
 * WasiHttpHandler#builder(Component)}, and closes it.
 *
 * <p>WASI: a test gets {@code wasi_snapshot_preview1} in its linker and a WASI context in its store when
 * one of its modules imports WASI, when it asks for a {@link WasiOutput}, or when it (or its class) is
 * annotated with {@link WasiArgs}, {@link WasiEnv} or {@link WasiStdin}. The context has the annotated
 * arguments, environment and stdin, and captures stdout and stderr in memory (see {@link WasiOutput}).
 */
public final class WasmExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WasmExtension.class);
    private static final String WASI = "wasi_snapshot_preview1";
    private static final Set<Class<?>> TYPES = Set.of(Engine.class, Module.class, Store.class, Linker.class,
            Instance.class, WasiOutput.class, Component.class, ComponentLinker.class, ComponentInstance.class,
            WasiHttpHandler.class);
    private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm'};
    /** The version and layer of a component binary (a module's are 1, 0, 0, 0). */
    private static final byte[] COMPONENT_LAYER = {0x0d, 0, 1, 0};

    /** Creates the extension; JUnit does, for {@link WasmTest} or {@code @ExtendWith(WasmExtension.class)}. */
    public WasmExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        for (Field field : fields(testClass)) {
            if (!Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            Class<?> type = field.getType();
            if (type != Engine.class && type != Module.class && type != Component.class) {
                throw new ExtensionConfigurationException("static field " + describe(field) + ": a static field can be an "
                        + "Engine, a Module or a Component; a " + type.getSimpleName() + " belongs to one test (make the"
                        + " field non-static)");
            }
            set(field, null, resolve(type, field.getAnnotation(WasmModule.class), null, context, describe(field)));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Field field : fields(instance.getClass())) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                set(field, instance, resolve(field.getType(), field.getAnnotation(WasmModule.class), null, context,
                        describe(field)));
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return TYPES.contains(type) || type.isInterface() && (type.isAnnotationPresent(WitInterface.class)
                || parameterContext.isAnnotated(WasmModule.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Executable declaring = parameterContext.getDeclaringExecutable();
        String what = "parameter " + parameterContext.getParameter().getName() + " of " + declaring.getName();
        try {
            return resolve(parameterContext.getParameter().getType(),
                    parameterContext.findAnnotation(WasmModule.class).orElse(null), declaring, extensionContext, what);
        } catch (ExtensionConfigurationException | UncheckedIOException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }

    /** The value of {@code type} for a parameter or field. */
    private static Object resolve(Class<?> type, WasmModule explicit, Executable declaring, ExtensionContext context,
            String what) {
        if (type == Engine.class) {
            return classResources(context).engine;
        }
        if (type == Module.class) {
            return classResources(context).module(moduleName(explicit, declaring, context, what), context);
        }
        if (type == Component.class) {
            return classResources(context).component(moduleName(explicit, declaring, context, what), context);
        }
        TestResources test = testResources(context, type, what);
        if (type == ComponentLinker.class) {
            return test.componentLinker();
        }
        if (type == ComponentInstance.class) {
            return test.componentInstance(moduleName(explicit, declaring, context, what), context);
        }
        if (type == WasiHttpHandler.class) {
            return test.httpHandler(moduleName(explicit, declaring, context, what), context, what);
        }
        if (type.isInterface() && !TYPES.contains(type)) {
            ComponentInstance instance = test.componentInstance(moduleName(explicit, declaring, context, what), context);
            try {
                return instance.bind(type);
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException(what + ": " + e.getMessage(), e);
            }
        }
        if (type == Store.class) {
            return test.store;
        }
        if (type == Linker.class) {
            return test.linker;
        }
        if (type == Instance.class) {
            return test.instance(moduleName(explicit, declaring, context, what), context);
        }
        if (type == WasiOutput.class) {
            test.enableWasi(context);
            return test.output;
        }
        throw new ExtensionConfigurationException(what + ": cannot inject a " + type.getName()
                + " (wasmbridge injects Engine, Module, Store, Linker, Instance, WasiOutput, Component,"
                + " ComponentLinker, ComponentInstance, interfaces bound to a component and WasiHttpHandler)");
    }

    // ------------------------------------------------------------------------------------------------------
    // Fields

    private static List<Field> fields(Class<?> testClass) {
        return ReflectionSupport.findFields(testClass,
                f -> f.isAnnotationPresent(WasmInject.class) || f.isAnnotationPresent(WasmModule.class),
                HierarchyTraversalMode.TOP_DOWN);
    }

    private static void set(Field field, Object instance, Object value) {
        if (Modifier.isFinal(field.getModifiers())) {
            throw new ExtensionConfigurationException("field " + describe(field) + " is final: it cannot be injected");
        }
        try {
            field.setAccessible(true);
            field.set(instance, value);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new ExtensionConfigurationException("cannot inject field " + describe(field) + " (in a named module, "
                    + "open its package to dev.wasmbridge.junit): " + e, e);
        }
    }

    private static String describe(Field field) {
        return field.getDeclaringClass().getSimpleName() + "." + field.getName();
    }

    // ------------------------------------------------------------------------------------------------------
    // Annotations: the method's, then the test class's and its enclosing classes'

    private static <A extends Annotation> Optional<A> find(Class<A> annotation, Executable declaring,
            ExtensionContext context) {
        if (declaring instanceof Method) {
            Optional<A> found = AnnotationSupport.findAnnotation((AnnotatedElement) declaring, annotation);
            if (found.isPresent()) {
                return found;
            }
        }
        Optional<Method> method = context.getTestMethod();
        if (method.isPresent()) {
            Optional<A> found = AnnotationSupport.findAnnotation(method.get(), annotation);
            if (found.isPresent()) {
                return found;
            }
        }
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
            Optional<A> found = AnnotationSupport.findAnnotation(c, annotation);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static String moduleName(WasmModule explicit, Executable declaring, ExtensionContext context, String what) {
        WasmModule m = explicit != null ? explicit : find(WasmModule.class, declaring, context).orElse(null);
        if (m == null) {
            throw new ExtensionConfigurationException(what + ": which module? Name one with @WasmModule(\"name.wat\") on "
                    + "the parameter or field, the test method or the test class");
        }
        return m.value();
    }

    // ------------------------------------------------------------------------------------------------------
    // Per test class: the engine and the compiled modules

    private static ClassResources classResources(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        // The store is hierarchical: a @Nested class finds its enclosing class's resources.
        ExtensionContext scope = classContext;
        return scope.getStore(NAMESPACE).getOrComputeIfAbsent(ClassResources.class, k -> new ClassResources(scope),
                ClassResources.class);
    }

    // Both: JUnit 5.13+ closes AutoCloseable values (and warns about CloseableResource-only ones), older
    // versions close CloseableResource values; either way close() runs once.
    @SuppressWarnings("deprecation")
    static final class ClassResources implements AutoCloseable, ExtensionContext.Store.CloseableResource {
        final Engine engine;
        final long fuel;
        private final Map<String, Module> modules = new HashMap<>();
        private final Map<String, Component> components = new HashMap<>();

        ClassResources(ExtensionContext classContext) {
            WasmEngineConfig config = find(WasmEngineConfig.class, null, classContext).orElse(null);
            EngineConfig.Builder b = EngineConfig.builder();
            if (config != null) {
                b.optLevel(config.optLevel()).fuel(config.fuel() >= 0).epochInterruption(config.epochInterruption())
                        .signalsBasedTraps(config.signalsBasedTraps());
                if (config.maxWasmStack() > 0) {
                    b.maxWasmStack(config.maxWasmStack());
                }
            }
            this.fuel = config == null ? -1 : config.fuel();
            this.engine = Engine.create(b.build());
        }

        synchronized Module module(String name, ExtensionContext context) {
            Module m = modules.get(name);
            if (m == null) {
                m = compile(name, context.getRequiredTestClass());
                modules.put(name, m);
            }
            return m;
        }

        synchronized Component component(String name, ExtensionContext context) {
            Component c = components.get(name);
            if (c == null) {
                Resource r = read(name, context.getRequiredTestClass());
                try {
                    c = isBinary(r.bytes) ? Component.fromBytes(engine, r.bytes)
                            : Component.fromWat(engine, new String(r.bytes, StandardCharsets.UTF_8));
                } catch (CompileException e) {
                    throw new ExtensionConfigurationException("@WasmModule(\"" + name + "\"): " + r.url
                            + " is not a component that compiles: " + e.getMessage(), e);
                }
                components.put(name, c);
            }
            return c;
        }

        private Module compile(String name, Class<?> testClass) {
            Resource r = read(name, testClass);
            if (isComponent(r.bytes)) {
                throw new ExtensionConfigurationException("@WasmModule(\"" + name + "\"): " + r.url + " is a component,"
                        + " not a module: inject a Component, ComponentInstance or bound interface");
            }
            try {
                return isBinary(r.bytes) ? Module.fromBytes(engine, r.bytes)
                        : Module.fromWat(engine, new String(r.bytes, StandardCharsets.UTF_8));
            } catch (CompileException e) {
                throw new ExtensionConfigurationException("@WasmModule(\"" + name + "\"): " + r.url + " does not compile: "
                        + e.getMessage(), e);
            }
        }

        private record Resource(URL url, byte[] bytes) {
        }

        private static Resource read(String name, Class<?> testClass) {
            String relative = name.startsWith("/") ? name.substring(1)
                    : testClass.getPackageName().replace('.', '/') + (testClass.getPackageName().isEmpty() ? "" : "/") + name;
            String root = name.startsWith("/") ? name.substring(1) : name;
            URL url = testClass.getResource(name);
            if (url == null) {
                ClassLoader loader = testClass.getClassLoader() != null ? testClass.getClassLoader()
                        : ClassLoader.getSystemClassLoader();
                url = loader.getResource(root);
            }
            if (url == null) {
                throw new ExtensionConfigurationException("@WasmModule(\"" + name + "\"): no such class-path resource"
                        + " (looked for " + relative + (relative.equals(root) ? "" : " and " + root) + ")");
            }
            byte[] bytes;
            try (InputStream in = url.openStream()) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("@WasmModule(\"" + name + "\"): cannot read " + url + ": " + e.getMessage(), e);
            }
            return new Resource(url, bytes);
        }

        @Override
        public synchronized void close() {
            for (Module m : modules.values()) {
                m.close();
            }
            modules.clear();
            for (Component c : components.values()) {
                c.close();
            }
            components.clear();
            engine.close();
        }
    }

    /** A component binary (by its layer), or text whose first form, after line comments, is {@code (component}. */
    private static boolean isComponent(byte[] bytes) {
        if (isBinary(bytes)) {
            return bytes.length >= 8 && bytes[4] == COMPONENT_LAYER[0] && bytes[5] == COMPONENT_LAYER[1]
                    && bytes[6] == COMPONENT_LAYER[2] && bytes[7] == COMPONENT_LAYER[3];
        }
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith(";;")) {
                return t.startsWith("(component");
            }
        }
        return false;
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

    // ------------------------------------------------------------------------------------------------------
    // Per test: store, linker, instances, WASI

    private static TestResources testResources(ExtensionContext context, Class<?> type, String what) {
        if (context.getTestMethod().isEmpty()) {
            throw new ExtensionConfigurationException(what + ": a " + type.getSimpleName() + " belongs to one test: ask "
                    + "for it in a test method, a @BeforeEach or @AfterEach method or a non-static field, not in "
                    + "@BeforeAll, a constructor or a static field");
        }
        ClassResources classResources = classResources(context);
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(TestResources.class,
                k -> new TestResources(classResources, context), TestResources.class);
    }

    @SuppressWarnings("deprecation") // see ClassResources
    static final class TestResources implements AutoCloseable, ExtensionContext.Store.CloseableResource {
        private final ClassResources classResources;
        final Store store;
        final Linker linker;
        final WasiOutput output;
        private final Map<String, Instance> instances = new HashMap<>();
        private final Map<String, ComponentInstance> componentInstances = new HashMap<>();
        private final Map<String, WasiHttpHandler> httpHandlers = new HashMap<>();
        private ComponentLinker componentLinker;
        private boolean wasi;

        TestResources(ClassResources classResources, ExtensionContext context) {
            this.classResources = classResources;
            this.store = Store.create(classResources.engine);
            this.linker = Linker.create(classResources.engine);
            this.output = new WasiOutput(store);
            try {
                if (classResources.fuel >= 0) {
                    store.setFuel(classResources.fuel);
                }
                if (find(WasiArgs.class, null, context).isPresent() || find(WasiEnv.class, null, context).isPresent()
                        || find(WasiStdin.class, null, context).isPresent()) {
                    enableWasi(context);
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        synchronized void enableWasi(ExtensionContext context) {
            if (wasi) {
                return;
            }
            WasiConfig.Builder b = WasiConfig.builder().captureStdout().captureStderr();
            find(WasiArgs.class, null, context).ifPresent(a -> b.args(a.value()));
            find(WasiEnv.class, null, context).ifPresent(env -> {
                for (String entry : env.value()) {
                    int eq = entry.indexOf('=');
                    if (eq <= 0) {
                        throw new ExtensionConfigurationException("@WasiEnv: expected NAME=value, got \"" + entry + "\"");
                    }
                    b.env(entry.substring(0, eq), entry.substring(eq + 1));
                }
            });
            find(WasiStdin.class, null, context).ifPresent(in -> b.stdin(in.value().getBytes(StandardCharsets.UTF_8)));
            store.setWasi(b.build());
            linker.defineWasi();
            wasi = true;
        }

        synchronized Instance instance(String name, ExtensionContext context) {
            Instance instance = instances.get(name);
            if (instance == null) {
                Module module = classResources.module(name, context);
                for (ImportType i : module.imports()) {
                    if (i.module().equals(WASI)) {
                        enableWasi(context);
                        break;
                    }
                }
                instance = linker.instantiate(store, module);
                instances.put(name, instance);
            }
            return instance;
        }

        /** The test's component linker, with WASI 0.2 (made on first use). */
        synchronized ComponentLinker componentLinker() {
            if (componentLinker == null) {
                componentLinker = ComponentLinker.create(classResources.engine).defineWasi();
            }
            return componentLinker;
        }

        synchronized ComponentInstance componentInstance(String name, ExtensionContext context) {
            ComponentInstance instance = componentInstances.get(name);
            if (instance == null) {
                Component component = classResources.component(name, context);
                for (Map.Entry<String, ComponentItem> i : component.type().imports().entrySet()) {
                    if (i.getKey().startsWith("wasi:")) {
                        enableWasi(context);
                        break;
                    }
                }
                instance = componentLinker().instantiate(store, component);
                componentInstances.put(name, instance);
            }
            return instance;
        }

        /** The test's handler for the component {@code name} (built on first use). */
        synchronized WasiHttpHandler httpHandler(String name, ExtensionContext context, String what) {
            WasiHttpHandler handler = httpHandlers.get(name);
            if (handler == null) {
                WasiHttpHandler.Builder b = WasiHttpHandler.builder(classResources.component(name, context));
                if (classResources.fuel >= 0) {
                    b.fuel(classResources.fuel);
                }
                try {
                    handler = b.build();
                } catch (IllegalArgumentException e) {
                    throw new ExtensionConfigurationException(what + ": @WasmModule(\"" + name + "\"): " + e.getMessage(),
                            e);
                } catch (LinkException e) {
                    throw new ExtensionConfigurationException(what + ": @WasmModule(\"" + name + "\"): " + e.getMessage()
                            + " (the injected handler defines WASI 0.2 and wasi:http only: for other imports, build one"
                            + " with WasiHttpHandler.builder(component).imports(..))", e);
                }
                httpHandlers.put(name, handler);
            }
            return handler;
        }

        @Override
        public synchronized void close() {
            instances.clear();
            componentInstances.clear();
            try {
                for (WasiHttpHandler h : httpHandlers.values()) {
                    h.close();
                }
            } finally {
                httpHandlers.clear();
                try {
                    store.close();
                } finally {
                    try {
                        linker.close();
                    } finally {
                        if (componentLinker != null) {
                            componentLinker.close();
                        }
                    }
                }
            }
        }
    }
}
