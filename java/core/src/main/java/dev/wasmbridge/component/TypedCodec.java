package dev.wasmbridge.component;

import static dev.wasmbridge.component.WitCodec.Mode.JAVA;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The typed bindings' matching of Java types to WIT types ({@link ComponentInstance#bind(Class)}, {@link
 * ComponentLinker#implement(Class, Object)}): for a WIT type and a Java type, the {@link WitCodec} (in mode
 * {@link WitCodec.Mode#JAVA}) that writes Java values straight into a call's bytes and reads them back. Built
 * once per function, checking every part of both types; what does not match is collected by a {@link
 * Builder} as one line per mismatch.
 */
final class TypedCodec {
    private TypedCodec() {
    }

    /** The WIT name of a Java element: its {@link WitName}, or its Java name in kebab-case. */
    static String witName(AnnotatedElement element, String javaName) {
        WitName n = element.getAnnotation(WitName.class);
        return n != null ? n.value() : kebab(javaName);
    }

    /**
     * {@code makePerson} / {@code MakePerson} to {@code make-person}, {@code DARK_MAGENTA} to {@code
     * dark-magenta}, {@code HTTPServer} to {@code http-server}; a trailing {@code _} (a Java keyword's
     * escape) is dropped first.
     */
    static String kebab(String name) {
        String s = name.endsWith("_") ? name.substring(0, name.length() - 1) : name;
        if (s.equals(s.toUpperCase(Locale.ROOT))) {
            return s.toLowerCase(Locale.ROOT).replace('_', '-');
        }
        StringBuilder b = new StringBuilder(s.length() + 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_') {
                b.append('-');
                continue;
            }
            if (Character.isUpperCase(c) && i > 0) {
                char prev = s.charAt(i - 1);
                boolean nextLower = i + 1 < s.length() && Character.isLowerCase(s.charAt(i + 1));
                if (prev != '_' && (Character.isLowerCase(prev) || Character.isDigit(prev)
                        || Character.isUpperCase(prev) && nextLower)) {
                    b.append('-');
                }
            }
            b.append(Character.toLowerCase(c));
        }
        return b.toString();
    }

    /** Java's name of a type, short: {@code List<Integer>}, {@code Summary}. */
    static String javaName(Type t) {
        if (t instanceof Class<?> c) {
            return c.isArray() ? javaName(c.getComponentType()) + "[]" : c.getSimpleName();
        }
        if (t instanceof ParameterizedType p) {
            StringBuilder b = new StringBuilder(javaName(p.getRawType())).append('<');
            Type[] args = p.getActualTypeArguments();
            for (int i = 0; i < args.length; i++) {
                b.append(i == 0 ? "" : ", ").append(javaName(args[i]));
            }
            return b.append('>').toString();
        }
        return t.getTypeName();
    }

    /**
     * Builds codecs for one Java interface, collecting mismatches. {@code hostTypes} are the resources
     * the linker implements in Java (a resource among them crosses as its Java object).
     */
    static final class Builder {
        final List<String> problems = new ArrayList<>();
        private final Map<String, ComponentHostResource> hostTypes;

        Builder(Map<String, ComponentHostResource> hostTypes) {
            this.hostTypes = hostTypes;
        }

        Map<String, ComponentHostResource> hostTypes() {
            return hostTypes;
        }

        private WitCodec mismatch(String where, WitType wit, Type java, String why) {
            problems.add(where + ": WIT " + wit + ", Java " + javaName(java) + (why.isEmpty() ? "" : " (" + why + ")"));
            return null;
        }

        /** The codec of {@code wit} as {@code java}, or null (and a problem recorded). */
        WitCodec codec(WitType wit, Type java, String where) {
            return codec(wit, java, where, Map.of());
        }

        private WitCodec codec(WitType wit, Type java, String where, Map<TypeVariable<?>, Type> env) {
            Type t = resolve(java, env);
            Class<?> raw = raw(t);
            if (raw == Object.class || isNatural(wit, raw)) {
                return WitCodec.natural(wit);
            }
            if (WitValue.class.isAssignableFrom(raw)) {
                return WitCodec.exact(wit);
            }
            switch (wit.kind()) {
                case BOOL:
                    return raw == boolean.class || raw == Boolean.class ? new WitCodec.Bool(wit, JAVA) : mismatch(where, wit, t, "");
                case S8:
                case U8:
                case S16:
                case U16:
                case S32:
                case U32:
                case S64:
                case U64:
                    return integer(wit, raw, t, where);
                case F32:
                    return raw == float.class || raw == Float.class ? new WitCodec.F32(wit, JAVA) : mismatch(where, wit, t, "");
                case F64:
                    return raw == double.class || raw == Double.class ? new WitCodec.F64(wit, JAVA) : mismatch(where, wit, t, "");
                case CHAR:
                    if (raw == int.class || raw == Integer.class) {
                        return new WitCodec.Char(wit, JAVA, false);
                    }
                    return raw == char.class || raw == Character.class ? new WitCodec.Char(wit, JAVA, true)
                            : mismatch(where, wit, t, "a char is an int code point, or a char within the BMP");
                case STRING:
                    return raw == String.class ? new WitCodec.Str(wit, JAVA) : mismatch(where, wit, t, "");
                case LIST:
                    return list((WitType.ListOf) wit, t, raw, where, env);
                case RECORD:
                    return record((WitType.Record) wit, t, raw, where, env);
                case TUPLE:
                    return tuple((WitType.Tuple) wit, t, raw, where, env);
                case VARIANT:
                    return variant((WitType.Variant) wit, t, raw, where);
                case ENUM:
                    return enumeration((WitType.Enum) wit, t, raw, where);
                case OPTION: {
                    if (raw != Optional.class) {
                        return mismatch(where, wit, t, "an option is an Optional");
                    }
                    WitCodec value = codec(((WitType.Option) wit).type(), argument(t, 0), where + " option value", env);
                    return value == null ? null : new WitCodec.OptionCodec(wit, JAVA, value);
                }
                case RESULT:
                    return result((WitType.Result) wit, t, raw, where, env);
                case FLAGS:
                    return flags((WitType.Flags) wit, t, raw, where);
                case OWN:
                case BORROW:
                    return resource(wit, t, raw, where);
                default:
                    return mismatch(where, wit, t, "values of this type cannot cross yet");
            }
        }

        private WitCodec integer(WitType wit, Class<?> raw, Type t, String where) {
            WitType.Kind k = wit.kind();
            int bits = switch (k) {
                case S8, U8 -> 8;
                case S16, U16 -> 16;
                case S32, U32 -> 32;
                default -> 64;
            };
            int javaBits = raw == byte.class || raw == Byte.class ? 8
                    : raw == short.class || raw == Short.class ? 16
                    : raw == int.class || raw == Integer.class ? 32
                    : raw == long.class || raw == Long.class ? 64
                    : raw == BigInteger.class && k == WitType.Kind.U64 ? 65 : 0;
            if (javaBits == 0) {
                return mismatch(where, wit, t, "");
            }
            if (javaBits < bits) {
                return mismatch(where, wit, t, javaName(t) + " holds fewer bits");
            }
            return new WitCodec.Int(wit, JAVA, javaBits);
        }

        private WitCodec list(WitType.ListOf wit, Type t, Class<?> raw, String where, Map<TypeVariable<?>, Type> env) {
            WitType element = wit.element();
            if (raw == byte[].class) {
                return element.kind() == WitType.Kind.U8 || element.kind() == WitType.Kind.S8
                        ? new WitCodec.ListCodec(wit, JAVA, WitCodec.natural(element), true)
                        : mismatch(where, wit, t, "byte[] is list<u8> or list<s8>");
            }
            if (raw != List.class && raw != Collection.class) {
                return mismatch(where, wit, t, "a list is a List (byte[] for list<u8>)");
            }
            WitCodec e = codec(element, argument(t, 0), where + " list element", env);
            return e == null ? null : new WitCodec.ListCodec(wit, JAVA, e, false);
        }

        private WitCodec record(WitType.Record wit, Type t, Class<?> raw, String where, Map<TypeVariable<?>, Type> env) {
            if (!raw.isRecord()) {
                return mismatch(where, wit, t, "a record is a Java record");
            }
            RecordComponent[] components = raw.getRecordComponents();
            Map<String, Integer> byName = new HashMap<>();
            for (int i = 0; i < components.length; i++) {
                byName.put(witName(components[i], components[i].getName()), i);
            }
            Map<TypeVariable<?>, Type> inner = bindings(t, raw, env);
            List<WitType.Field> fields = wit.fields();
            WitCodec[] codecs = new WitCodec[fields.size()];
            int[] component = new int[fields.size()];
            int before = problems.size();
            for (int f = 0; f < fields.size(); f++) {
                WitType.Field field = fields.get(f);
                Integer i = byName.remove(field.name());
                if (i == null) {
                    problems.add(where + ": record " + raw.getSimpleName() + " has no component for WIT field '"
                            + field.name() + "' (" + field.type() + ")");
                    continue;
                }
                component[f] = i;
                codecs[f] = codec(field.type(), components[i].getGenericType(),
                        where + " record field '" + field.name() + "'", inner);
            }
            for (String extra : byName.keySet()) {
                problems.add(where + ": record " + raw.getSimpleName() + " has component '" + extra
                        + "', which WIT " + wit + " does not have");
            }
            if (problems.size() > before) {
                return null;
            }
            RecordShape shape = RecordShape.of(raw, this, where);
            return shape == null ? null : new WitCodec.RecordCodec(wit, JAVA, codecs, shape, component);
        }

        private WitCodec tuple(WitType.Tuple wit, Type t, Class<?> raw, String where, Map<TypeVariable<?>, Type> env) {
            if (!raw.isRecord()) {
                return mismatch(where, wit, t, "a tuple is a Java record with a component per element, or a List");
            }
            RecordComponent[] components = raw.getRecordComponents();
            List<WitType> types = wit.types();
            if (components.length != types.size()) {
                return mismatch(where, wit, t, "the record has " + components.length + " components, the tuple "
                        + types.size() + " elements");
            }
            Map<TypeVariable<?>, Type> inner = bindings(t, raw, env);
            WitCodec[] codecs = new WitCodec[types.size()];
            int[] component = new int[types.size()];
            int before = problems.size();
            for (int i = 0; i < codecs.length; i++) {
                component[i] = i;
                codecs[i] = codec(types.get(i), components[i].getGenericType(), where + " tuple element " + i, inner);
            }
            if (problems.size() > before) {
                return null;
            }
            RecordShape shape = RecordShape.of(raw, this, where);
            return shape == null ? null : new WitCodec.RecordCodec(wit, JAVA, codecs, shape, component);
        }

        private WitCodec variant(WitType.Variant wit, Type t, Class<?> raw, String where) {
            if (!raw.isInterface() || !raw.isSealed()) {
                return mismatch(where, wit, t, "a variant is a sealed interface with a record per case");
            }
            Map<String, Class<?>> byName = new HashMap<>();
            for (Class<?> c : raw.getPermittedSubclasses()) {
                if (!c.isRecord()) {
                    problems.add(where + ": " + c.getSimpleName() + ", a case of " + raw.getSimpleName()
                            + ", is not a record");
                    continue;
                }
                byName.put(witName(c, c.getSimpleName()), c);
            }
            List<WitType.Case> cases = wit.cases();
            WitCodec.Case[] out = new WitCodec.Case[cases.size()];
            WitCodec[] payloads = new WitCodec[cases.size()];
            Map<Class<?>, Integer> index = new IdentityHashMap<>();
            int before = problems.size();
            for (int i = 0; i < out.length; i++) {
                WitType.Case c = cases.get(i);
                Class<?> java = byName.remove(c.name());
                String at = where + " variant case '" + c.name() + "'";
                if (java == null) {
                    problems.add(where + ": " + raw.getSimpleName() + " has no record for WIT case '" + c.name() + "'"
                            + c.type().map(p -> " (" + p + ")").orElse(""));
                    continue;
                }
                RecordComponent[] components = java.getRecordComponents();
                if (components.length != (c.type().isPresent() ? 1 : 0)) {
                    problems.add(at + ": record " + java.getSimpleName() + " has " + components.length
                            + " components; the case " + (c.type().isPresent() ? "has a payload (" + c.type().get()
                            + "): one component" : "has no payload: none"));
                    continue;
                }
                WitCodec payload = c.type().isPresent() ? codec(c.type().get(), components[0].getGenericType(), at) : null;
                RecordShape shape = RecordShape.of(java, this, at);
                if (shape != null && (payload != null || c.type().isEmpty())) {
                    out[i] = new WitCodec.Case(shape);
                    payloads[i] = payload;
                    index.put(java, i);
                }
            }
            for (Map.Entry<String, Class<?>> extra : byName.entrySet()) {
                problems.add(where + ": " + raw.getSimpleName() + "'s case " + extra.getValue().getSimpleName()
                        + " ('" + extra.getKey() + "') is not a case of WIT " + wit);
            }
            return problems.size() > before ? null : new WitCodec.VariantCodec(wit, JAVA, payloads, out, index);
        }

        private WitCodec enumeration(WitType.Enum wit, Type t, Class<?> raw, String where) {
            if (!raw.isEnum()) {
                return mismatch(where, wit, t, "an enum is a Java enum");
            }
            int[] index = names(wit, wit.names(), raw, where);
            return index == null ? null : new WitCodec.EnumCodec(wit, JAVA, raw, index);
        }

        private WitCodec flags(WitType.Flags wit, Type t, Class<?> raw, String where) {
            Class<?> e = raw(argument(t, 0));
            if (raw != Set.class && raw != EnumSet.class || !e.isEnum()) {
                return mismatch(where, wit, t, "flags are a Set (EnumSet) of a Java enum");
            }
            int[] index = names(wit, wit.names(), e, where);
            return index == null ? null : new WitCodec.FlagsCodec(wit, JAVA, e, index);
        }

        /** Each constant's index among {@code names} (all of them matched both ways), or null. */
        private int[] names(WitType wit, List<String> names, Class<?> e, String where) {
            Object[] constants = e.getEnumConstants();
            int[] index = new int[constants.length];
            boolean[] seen = new boolean[names.size()];
            int before = problems.size();
            for (Object c : constants) {
                Enum<?> constant = (Enum<?>) c;
                String name;
                try {
                    name = witName(e.getField(constant.name()), constant.name());
                } catch (NoSuchFieldException x) {
                    name = kebab(constant.name());
                }
                int i = names.indexOf(name);
                if (i < 0) {
                    problems.add(where + ": " + e.getSimpleName() + "." + constant.name() + " ('" + name
                            + "') is not in WIT " + wit);
                } else {
                    index[constant.ordinal()] = i;
                    seen[i] = true;
                }
            }
            for (int i = 0; i < seen.length; i++) {
                if (!seen[i]) {
                    problems.add(where + ": " + e.getSimpleName() + " has no constant for WIT '" + names.get(i)
                            + "' of " + wit);
                }
            }
            return problems.size() > before ? null : index;
        }

        private WitCodec result(WitType.Result wit, Type t, Class<?> raw, String where, Map<TypeVariable<?>, Type> env) {
            if (raw != Result.class) {
                return mismatch(where, wit, t, "a result is a Result<T, E>, or a method's return with a checked"
                        + " exception for the error");
            }
            WitCodec ok = side(wit.ok(), argument(t, 0), where + " result ok value", env);
            WitCodec err = side(wit.err(), argument(t, 1), where + " result err value", env);
            return ok == MISSING || err == MISSING ? null : new WitCodec.ResultCodec(wit, JAVA, ok, err);
        }

        /** The codec of one side of a result: null for a side without a type (Java Void), else MISSING on a mismatch. */
        WitCodec side(Optional<WitType> wit, Type java, String where, Map<TypeVariable<?>, Type> env) {
            Class<?> raw = raw(resolve(java, env));
            if (wit.isEmpty()) {
                if (raw == Void.class || raw == void.class || raw == Object.class) {
                    return null;
                }
                problems.add(where + ": WIT has no value here, Java " + javaName(java) + " (use Void)");
                return MISSING;
            }
            WitCodec c = codec(wit.get(), java, where, env);
            return c == null ? MISSING : c;
        }

        private WitCodec resource(WitType wit, Type t, Class<?> raw, String where) {
            String name = wit instanceof WitType.Own o ? o.resource() : ((WitType.Borrow) wit).resource();
            ComponentHostResource def = hostTypes.get(name);
            if (raw == ResourceHandle.class) {
                return def == null ? new WitCodec.ResourceCodec(wit, JAVA, null) : mismatch(where, wit, t, "the linker implements " + name
                        + " with " + def.type().getName());
            }
            if (def == null) {
                return mismatch(where, wit, t, name + " is not a resource the linker implements in Java: use"
                        + " ResourceHandle");
            }
            if (raw.isPrimitive() || !raw.isAssignableFrom(def.type())) {
                return mismatch(where, wit, t, "the linker implements " + name + " with " + def.type().getName());
            }
            return new WitCodec.ResourceCodec(wit, JAVA, raw);
        }
    }

    /** A codec standing for "no codec: mismatch" where null means "a side without a type". */
    static final WitCodec MISSING = new WitCodec.Unsupported(new WitType.Unsupported("missing"));

    /** Whether {@code raw} is the natural mapping's class for {@code wit}'s kind (and not a typed one). */
    private static boolean isNatural(WitType wit, Class<?> raw) {
        switch (wit.kind()) {
            case RECORD:
                return Map.class.isAssignableFrom(raw);
            case TUPLE:
                return raw == List.class;
            case VARIANT:
                return raw == WitVariant.class;
            case ENUM:
                return raw == String.class;
            default:
                return false;
        }
    }

    static Type resolve(Type t, Map<TypeVariable<?>, Type> env) {
        if (t instanceof TypeVariable<?> v) {
            Type bound = env.get(v);
            return bound != null ? bound : v.getBounds()[0];
        }
        if (t instanceof WildcardType w) {
            return resolve(w.getUpperBounds()[0], env);
        }
        if (t instanceof ParameterizedType p && !env.isEmpty()) {
            Type[] args = p.getActualTypeArguments();
            Type[] resolved = new Type[args.length];
            boolean changed = false;
            for (int i = 0; i < args.length; i++) {
                resolved[i] = resolve(args[i], env);
                changed |= resolved[i] != args[i];
            }
            return changed ? new Parameterized((Class<?>) p.getRawType(), resolved) : p;
        }
        return t;
    }

    static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (t instanceof GenericArrayType a) {
            return java.lang.reflect.Array.newInstance(raw(a.getGenericComponentType()), 0).getClass();
        }
        if (t instanceof TypeVariable<?> v) {
            return raw(v.getBounds()[0]);
        }
        if (t instanceof WildcardType w) {
            return raw(w.getUpperBounds()[0]);
        }
        return Object.class;
    }

    /** The {@code i}th type argument of {@code t} (Object if it is raw). */
    private static Type argument(Type t, int i) {
        if (t instanceof ParameterizedType p && p.getActualTypeArguments().length > i) {
            return p.getActualTypeArguments()[i];
        }
        return Object.class;
    }

    /** A generic record's type variables bound to {@code t}'s arguments. */
    private static Map<TypeVariable<?>, Type> bindings(Type t, Class<?> raw, Map<TypeVariable<?>, Type> env) {
        TypeVariable<?>[] vars = raw.getTypeParameters();
        if (vars.length == 0) {
            return Map.of();
        }
        Map<TypeVariable<?>, Type> m = new HashMap<>();
        for (int i = 0; i < vars.length; i++) {
            m.put(vars[i], resolve(argument(t, i), env));
        }
        return m;
    }

    /** A parameterized type made while resolving type variables. */
    private record Parameterized(Class<?> raw, Type[] args) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return args.clone();
        }

        @Override
        public Type getRawType() {
            return raw;
        }

        @Override
        public Type getOwnerType() {
            return raw.getDeclaringClass();
        }
    }

    /** A record class's canonical constructor and accessors, as method handles. */
    static final class RecordShape {
        final Class<?> type;
        final MethodHandle[] accessors;
        /** {@code (Object[]) -> Object}. */
        final MethodHandle constructor;

        private RecordShape(Class<?> type, MethodHandle[] accessors, MethodHandle constructor) {
            this.type = type;
            this.accessors = accessors;
            this.constructor = constructor;
        }

        static RecordShape of(Class<?> raw, Builder problems, String where) {
            RecordComponent[] components = raw.getRecordComponents();
            try {
                read(raw);
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                MethodHandle[] accessors = new MethodHandle[components.length];
                Class<?>[] types = new Class<?>[components.length];
                for (int i = 0; i < components.length; i++) {
                    Method m = components[i].getAccessor();
                    accessible(m, raw);
                    accessors[i] = lookup.unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
                    types[i] = components[i].getType();
                }
                Constructor<?> c = raw.getDeclaredConstructor(types);
                accessible(c, raw);
                MethodHandle constructor = lookup.unreflectConstructor(c).asSpreader(Object[].class, types.length)
                        .asType(MethodType.methodType(Object.class, Object[].class));
                return new RecordShape(raw, accessors, constructor);
            } catch (ReflectiveOperationException | RuntimeException e) {
                problems.problems.add(where + ": record " + raw.getName() + " cannot be used from wasmbridge ("
                        + e + "); make it public and export its package, or open the package to dev.wasmbridge");
                return null;
            }
        }

        private static void accessible(java.lang.reflect.AccessibleObject m, Class<?> owner) {
            if (!Modifier.isPublic(owner.getModifiers()) || !Modifier.isPublic(((java.lang.reflect.Member) m).getModifiers())
                    || owner.getEnclosingClass() != null && !Modifier.isPublic(owner.getEnclosingClass().getModifiers())) {
                m.setAccessible(true);
            }
        }

        Object get(int i, Object record) {
            try {
                return accessors[i].invokeExact(record);
            } catch (Throwable t) {
                throw sneaky(t);
            }
        }

        Object make(Object[] values) {
            try {
                return constructor.invokeExact(values);
            } catch (Throwable t) {
                throw sneaky(t);
            }
        }
    }

    /**
     * Lets this module read {@code c}'s (an application's named module is not read by default, and a
     * method handle of its public members needs it to be).
     */
    static void read(Class<?> c) {
        Module self = TypedCodec.class.getModule();
        if (self.isNamed() && !self.canRead(c.getModule())) {
            self.addReads(c.getModule());
        }
    }

    /** Throws {@code t} unchecked (a record constructor's or a host method's own exception, as it is). */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
