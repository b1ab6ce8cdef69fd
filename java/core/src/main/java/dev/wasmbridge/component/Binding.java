package dev.wasmbridge.component;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The typed bindings: a Java interface bound to a component instance's exports ({@link #bind}), or
 * implementing a linker's imports ({@link Host}). Each method is matched to its function once, by name
 * and by type ({@link TypedCodec}); calls then only convert values.
 */
final class Binding {
    private Binding() {
    }

    /** The methods of {@code api} that stand for functions: its abstract methods. */
    static List<Method> functions(Class<?> api) {
        if (!api.isInterface()) {
            throw new IllegalArgumentException(api.getName() + " is not an interface");
        }
        List<Method> out = new ArrayList<>();
        for (Method m : api.getMethods()) {
            if (Modifier.isAbstract(m.getModifiers()) && !isObjectMethod(m)) {
                out.add(m);
            }
        }
        out.sort((a, b) -> a.getName().equals(b.getName()) ? a.toString().compareTo(b.toString())
                : a.getName().compareTo(b.getName()));
        return out;
    }

    private static boolean isObjectMethod(Method m) {
        try {
            Object.class.getMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** {@code Api.stats}, for messages. */
    static String describe(Method m) {
        return m.getDeclaringClass().getSimpleName() + "." + m.getName();
    }

    /** What one method is: its parameters' codecs and its result's. */
    static final class Plan {
        final WitCodec[] params;
        /** Null when the function has no result. */
        final WitCodec result;

        Plan(WitCodec[] params, WitCodec result) {
            this.params = params;
            this.result = result;
        }
    }

    /** The plan of {@code m} for a function of type {@code type}, or null (the problems recorded). */
    static Plan plan(Method m, ComponentFuncType type, TypedCodec.Builder b, boolean host) {
        String at = describe(m);
        int before = b.problems.size();
        Type[] all = m.getGenericParameterTypes();
        // A host method may take the call's ComponentCaller first.
        int skip = host && all.length > 0 && all[0] == ComponentCaller.class ? 1 : 0;
        Type[] java = Arrays.copyOfRange(all, skip, all.length);
        List<ComponentFuncType.Param> params = type.params();
        if (java.length != params.size()) {
            b.problems.add(at + ": takes " + java.length + " parameter" + (java.length == 1 ? "" : "s")
                    + (skip == 1 ? " after its ComponentCaller" : "") + ", the function " + type + " " + params.size());
            return null;
        }
        WitCodec[] codecs = new WitCodec[java.length];
        for (int i = 0; i < java.length; i++) {
            codecs[i] = b.codec(params.get(i).type(), java[i], at + " parameter " + i + " '" + params.get(i).name() + "'");
        }
        WitCodec result = result(m, type.result(), b, host);
        return b.problems.size() > before ? null : new Plan(codecs, result);
    }

    private static WitCodec result(Method m, Optional<WitType> wit, TypedCodec.Builder b, boolean host) {
        String at = describe(m) + " result";
        Type ret = m.getGenericReturnType();
        Class<?> raw = TypedCodec.raw(ret);
        if (wit.isEmpty()) {
            if (raw != void.class && raw != Void.class) {
                b.problems.add(at + ": the function returns nothing, Java " + TypedCodec.javaName(ret) + " (use void)");
            }
            return null;
        }
        if (wit.get() instanceof WitType.Result r && raw != Result.class && raw != Object.class
                && !WitValue.class.isAssignableFrom(raw)) {
            return thrown(m, r, ret, b, host);
        }
        if (raw == void.class) {
            b.problems.add(at + ": the function returns " + wit.get() + ", Java void");
            return null;
        }
        return b.codec(wit.get(), ret, at);
    }

    /**
     * A {@code result<T, E>} as the method's return value (T) and a checked exception (E): the exception
     * class needs a public constructor taking E (none when E is absent) and, for a host implementation,
     * a public {@code error()} returning E.
     */
    private static WitCodec thrown(Method m, WitType.Result wit, Type ret, TypedCodec.Builder b, boolean host) {
        String at = describe(m) + " result";
        WitCodec ok = b.side(wit.ok(), ret, at + " ok value", Map.of());
        List<String> tried = new ArrayList<>();
        for (Class<?> x : m.getExceptionTypes()) {
            if (!Exception.class.isAssignableFrom(x) || RuntimeException.class.isAssignableFrom(x)
                    || x == Exception.class) {
                continue;
            }
            for (Constructor<?> c : x.getConstructors()) {
                if (c.getParameterCount() != (wit.err().isPresent() ? 1 : 0)) {
                    continue;
                }
                TypedCodec.Builder trial = new TypedCodec.Builder(b.hostTypes());
                WitCodec err = wit.err().isPresent()
                        ? trial.codec(wit.err().get(), c.getGenericParameterTypes()[0], at + " err value") : null;
                MethodHandle accessor = null;
                if (host && wit.err().isPresent()) {
                    try {
                        accessor = MethodHandles.publicLookup().findVirtual(x, "error",
                                MethodType.methodType(c.getParameterTypes()[0]))
                                .asType(MethodType.methodType(Object.class, Throwable.class));
                    } catch (ReflectiveOperationException e) {
                        trial.problems.add(at + ": " + x.getSimpleName() + " has no public error() returning "
                                + c.getParameterTypes()[0].getSimpleName() + " (a host implementation needs it)");
                    }
                }
                if (!trial.problems.isEmpty()) {
                    tried.addAll(trial.problems);
                    continue;
                }
                try {
                    MethodHandle make = MethodHandles.publicLookup().unreflectConstructor(c)
                            .asType(MethodType.methodType(Throwable.class, c.getParameterTypes().length == 0
                                    ? new Class<?>[0] : new Class<?>[] {Object.class}));
                    return ok == TypedCodec.MISSING ? null : new Thrown(wit, ok, err, x, make, accessor);
                } catch (IllegalAccessException e) {
                    tried.add(at + ": " + x.getName() + "'s constructor is not accessible (" + e.getMessage() + ")");
                }
            }
        }
        if (tried.isEmpty()) {
            b.problems.add(at + ": the function returns " + wit + ", Java " + TypedCodec.javaName(ret)
                    + " without a checked exception for the error (declare one with a public constructor taking "
                    + wit.err().map(e -> "the " + e + " value").orElse("nothing")
                    + ", or return Result<T, E>)");
        } else {
            b.problems.addAll(tried);
        }
        return null;
    }

    /** What a host method threw, to be written as a {@code result}'s error. */
    record Failure(Throwable exception) {
    }

    /** A {@code result} as a return value and a checked exception. */
    static final class Thrown extends WitCodec {
        private final WitCodec ok;
        private final WitCodec err;
        final Class<?> exception;
        /** {@code (E) -> Throwable} or {@code () -> Throwable}. */
        private final MethodHandle make;
        /** {@code (Throwable) -> E}, for host implementations; null otherwise. */
        private final MethodHandle error;

        Thrown(WitType type, WitCodec ok, WitCodec err, Class<?> exception, MethodHandle make,
                MethodHandle error) {
            super(type, Mode.JAVA);
            this.ok = ok;
            this.err = err;
            this.exception = exception;
            this.make = make;
            this.error = error;
        }

        @Override
        void writeValue(WitValue v, ValueCodec.Out out, Object where) {
            writeJava(v, out, where); // the return value's type is not a WitValue: a codec of ok says so
        }

        @Override
        void writeJava(Object v, ValueCodec.Out out, Object where) {
            if (v instanceof Failure f) {
                out.u8(1);
                if (err != null) {
                    Object e;
                    try {
                        e = error.invokeExact(f.exception());
                    } catch (Throwable t) {
                        throw TypedCodec.sneaky(t);
                    }
                    err.write(e, out, new ValueCodec.At(where, " result err value (" + exception.getSimpleName()
                            + ".error())", "", ""));
                }
                return;
            }
            out.u8(0);
            WitCodec.ResultCodec.side(ok, v, out, new ValueCodec.At(where, " result ok value", "", ""));
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            if (in.get() == 0) {
                return ok == null ? null : ok.read(in, resources);
            }
            Throwable t;
            try {
                t = err == null ? (Throwable) make.invokeExact() : (Throwable) make.invokeExact(err.read(in, resources));
            } catch (Throwable x) {
                throw TypedCodec.sneaky(x);
            }
            throw TypedCodec.sneaky(t);
        }
    }

    // ------------------------------------------------------------------ exports

    /** The export name {@code iface} stands for: itself, or the one versioned export of that name. */
    static String exportedInterface(ComponentType type, String iface) {
        if (type.exports().get(iface) instanceof ComponentItem.Instance || iface.contains("@")) {
            return iface;
        }
        String found = null;
        for (Map.Entry<String, ComponentItem> e : type.exports().entrySet()) {
            if (e.getKey().startsWith(iface + "@") && e.getValue() instanceof ComponentItem.Instance) {
                if (found != null) {
                    throw new IllegalArgumentException("the component exports '" + found + "' and '" + e.getKey()
                            + "': name the version");
                }
                found = e.getKey();
            }
        }
        return found != null ? found : iface;
    }

    /** A proxy of {@code api} calling {@code instance}'s exports. */
    static <T> T bind(ComponentInstance instance, String iface, Class<T> api,
            Map<String, ComponentHostResource> hostTypes) {
        instance.checkStore();
        List<Method> methods = functions(api);
        String name = iface == null ? null : exportedInterface(instance.component().type(), iface);
        if (name != null && !(instance.component().type().exports().get(name) instanceof ComponentItem.Instance)) {
            throw new BindException(api.getSimpleName() + " cannot be bound", List.of("the component exports no"
                    + " interface '" + name + "' (its exports: " + instance.component().type().exports().keySet() + ")"));
        }
        TypedCodec.Builder b = new TypedCodec.Builder(hostTypes);
        Map<Method, Call> calls = new HashMap<>();
        for (Method m : methods) {
            String wit = TypedCodec.witName(m, m.getName());
            ComponentFunction f;
            try {
                f = name == null ? instance.function(wit) : instance.function(name, wit);
            } catch (IllegalArgumentException e) {
                b.problems.add(describe(m) + ": " + e.getMessage());
                continue;
            }
            Plan p = plan(m, f.type(), b, false);
            if (p != null) {
                calls.put(m, new Call(f, p.params, p.result));
            }
        }
        if (!b.problems.isEmpty()) {
            throw new BindException(api.getName() + " does not match the component's "
                    + (name == null ? "root exports" : "'" + name + "'"), b.problems);
        }
        String label = "bound " + api.getSimpleName() + (name == null ? "" : " (" + name + ")");
        return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, new Exports(calls, label)));
    }

    /** One bound method: its function and codecs. */
    private record Call(ComponentFunction function, WitCodec[] params, WitCodec result) {
        Object invoke(Object[] args) {
            return function.invoke(args == null ? new Object[0] : args, params, result);
        }
    }

    private static final class Exports implements InvocationHandler {
        private final Map<Method, Call> calls;
        private final String label;

        Exports(Map<Method, Call> calls, String label) {
            this.calls = calls;
            this.label = label;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Call c = calls.get(method);
            if (c != null) {
                return c.invoke(args);
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            switch (method.getName()) {
                case "toString":
                    return label;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    throw new UnsupportedOperationException(method.toString());
            }
        }
    }

    // ------------------------------------------------------------------ imports

    /**
     * A Java object implementing one import function through a method of its interface: the plan is
     * made for each import type it meets (one in practice).
     */
    static final class Host implements ComponentHostDefinition.Implementation {
        private final Method method;
        /** {@code (Object[]) -> Object}, bound to the implementation. */
        private final MethodHandle target;
        private final Map<String, ComponentHostResource> hostTypes;

        Host(Method method, Object implementation, Map<String, ComponentHostResource> hostTypes) {
            this.method = method;
            this.hostTypes = hostTypes;
            try {
                Method m = method;
                if (!Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
                    m.setAccessible(true);
                }
                TypedCodec.read(m.getDeclaringClass());
                this.target = MethodHandles.lookup().unreflect(m).bindTo(implementation)
                        .asSpreader(Object[].class, m.getParameterCount())
                        .asType(MethodType.methodType(Object.class, Object[].class));
            } catch (IllegalAccessException | RuntimeException e) {
                throw new IllegalArgumentException(describe(method) + " cannot be called from wasmbridge (" + e
                        + "); make the interface public and export its package, or open the package to dev.wasmbridge", e);
            }
        }

        @Override
        public ComponentHostDefinition.Plan plan(ComponentFuncType type) {
            TypedCodec.Builder b = new TypedCodec.Builder(hostTypes);
            Plan p = Binding.plan(method, type, b, true);
            if (p == null) {
                throw new BindException(describe(method) + " does not implement the import " + type, b.problems);
            }
            Class<?> thrown = p.result instanceof Thrown t ? t.exception : null;
            boolean withCaller = method.getParameterCount() > p.params.length;
            return new ComponentHostDefinition.Plan(p.params, p.result) {
                @Override
                Object call(ComponentCaller caller, Object[] args) throws Exception {
                    Object[] a = args;
                    if (withCaller) {
                        a = new Object[args.length + 1];
                        a[0] = caller;
                        System.arraycopy(args, 0, a, 1, args.length);
                    }
                    try {
                        return target.invokeExact(a);
                    } catch (Throwable t) {
                        if (thrown != null && thrown.isInstance(t)) {
                            return new Failure(t);
                        }
                        throw TypedCodec.sneaky(t);
                    }
                }
            };
        }
    }
}
