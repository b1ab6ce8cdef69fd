package dev.wasmbridge.component;

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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * The typed bindings' conversions ({@link ComponentInstance#bind(Class)}, {@link
 * ComponentLinker#implement(Class, Object)}): for a WIT type and a Java type, a {@link Codec} that writes
 * Java values straight into a call's bytes and reads them back (the layout of {@link ValueCodec}, without
 * {@link WitValue}s in between). Built once per function, checking every part of both types; what does not
 * match is collected by a {@link Builder} as one line per mismatch.
 */
final class TypedCodec {
    private TypedCodec() {
    }

    /** Writes and reads values of one WIT type as values of one Java type. */
    abstract static class Codec {
        final WitType type;

        Codec(WitType type) {
            this.type = type;
        }

        /** Writes {@code v} (never a primitive: boxed), naming {@code where} if it does not fit. */
        abstract void write(Object v, ValueCodec.Out out, Object where);

        /** Reads a value; {@code resources} is null when the type holds none. */
        abstract Object read(ByteBuffer in, ResourceContext resources);

        final IllegalArgumentException wrong(Object where, Object v) {
            return ValueCodec.wrong(where, type, v);
        }
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

        private Codec mismatch(String where, WitType wit, Type java, String why) {
            problems.add(where + ": WIT " + wit + ", Java " + javaName(java) + (why.isEmpty() ? "" : " (" + why + ")"));
            return null;
        }

        /** The codec of {@code wit} as {@code java}, or null (and a problem recorded). */
        Codec codec(WitType wit, Type java, String where) {
            return codec(wit, java, where, Map.of());
        }

        private Codec codec(WitType wit, Type java, String where, Map<TypeVariable<?>, Type> env) {
            Type t = resolve(java, env);
            Class<?> raw = raw(t);
            if (raw == Object.class || isNatural(wit, raw)) {
                return new Natural(wit);
            }
            if (WitValue.class.isAssignableFrom(raw)) {
                return new Exact(wit);
            }
            switch (wit.kind()) {
                case BOOL:
                    return raw == boolean.class || raw == Boolean.class ? new Bool(wit) : mismatch(where, wit, t, "");
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
                    return raw == float.class || raw == Float.class ? new F32(wit) : mismatch(where, wit, t, "");
                case F64:
                    return raw == double.class || raw == Double.class ? new F64(wit) : mismatch(where, wit, t, "");
                case CHAR:
                    if (raw == int.class || raw == Integer.class) {
                        return new Char(wit, false);
                    }
                    return raw == char.class || raw == Character.class ? new Char(wit, true)
                            : mismatch(where, wit, t, "a char is an int code point, or a char within the BMP");
                case STRING:
                    return raw == String.class ? new Str(wit) : mismatch(where, wit, t, "");
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
                    Codec value = codec(((WitType.Option) wit).type(), argument(t, 0), where + " option value", env);
                    return value == null ? null : new Opt(wit, value);
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

        private Codec integer(WitType wit, Class<?> raw, Type t, String where) {
            WitType.Kind k = wit.kind();
            int bits = switch (k) {
                case S8, U8 -> 8;
                case S16, U16 -> 16;
                case S32, U32 -> 32;
                default -> 64;
            };
            boolean signed = k == WitType.Kind.S8 || k == WitType.Kind.S16 || k == WitType.Kind.S32
                    || k == WitType.Kind.S64;
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
            return new Int(wit, bits, signed, javaBits);
        }

        private Codec list(WitType.ListOf wit, Type t, Class<?> raw, String where, Map<TypeVariable<?>, Type> env) {
            WitType element = wit.element();
            if (raw == byte[].class) {
                return element.kind() == WitType.Kind.U8 || element.kind() == WitType.Kind.S8 ? new Bytes(wit)
                        : mismatch(where, wit, t, "byte[] is list<u8> or list<s8>");
            }
            if (raw != List.class && raw != Collection.class) {
                return mismatch(where, wit, t, "a list is a List (byte[] for list<u8>)");
            }
            Codec e = codec(element, argument(t, 0), where + " list element", env);
            return e == null ? null : new ListCodec(wit, e);
        }

        private Codec record(WitType.Record wit, Type t, Class<?> raw, String where, Map<TypeVariable<?>, Type> env) {
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
            Codec[] codecs = new Codec[fields.size()];
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
            return shape == null ? null : new RecordCodec(wit, shape, codecs, component);
        }

        private Codec tuple(WitType.Tuple wit, Type t, Class<?> raw, String where, Map<TypeVariable<?>, Type> env) {
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
            Codec[] codecs = new Codec[types.size()];
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
            return shape == null ? null : new RecordCodec(wit, shape, codecs, component);
        }

        private Codec variant(WitType.Variant wit, Type t, Class<?> raw, String where) {
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
            Case[] out = new Case[cases.size()];
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
                Codec payload = c.type().isPresent() ? codec(c.type().get(), components[0].getGenericType(), at) : null;
                RecordShape shape = RecordShape.of(java, this, at);
                if (shape != null && (payload != null || c.type().isEmpty())) {
                    out[i] = new Case(shape, payload);
                    index.put(java, i);
                }
            }
            for (Map.Entry<String, Class<?>> extra : byName.entrySet()) {
                problems.add(where + ": " + raw.getSimpleName() + "'s case " + extra.getValue().getSimpleName()
                        + " ('" + extra.getKey() + "') is not a case of WIT " + wit);
            }
            return problems.size() > before ? null : new VariantCodec(wit, out, index);
        }

        private Codec enumeration(WitType.Enum wit, Type t, Class<?> raw, String where) {
            if (!raw.isEnum()) {
                return mismatch(where, wit, t, "an enum is a Java enum");
            }
            int[] index = names(wit, wit.names(), raw, where);
            return index == null ? null : new EnumCodec(wit, raw, index);
        }

        private Codec flags(WitType.Flags wit, Type t, Class<?> raw, String where) {
            Class<?> e = raw(argument(t, 0));
            if (raw != Set.class && raw != EnumSet.class || !e.isEnum()) {
                return mismatch(where, wit, t, "flags are a Set (EnumSet) of a Java enum");
            }
            int[] index = names(wit, wit.names(), e, where);
            return index == null ? null : new FlagsCodec(wit, e, index);
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

        private Codec result(WitType.Result wit, Type t, Class<?> raw, String where, Map<TypeVariable<?>, Type> env) {
            if (raw != Result.class) {
                return mismatch(where, wit, t, "a result is a Result<T, E>, or a method's return with a checked"
                        + " exception for the error");
            }
            Codec ok = side(wit.ok(), argument(t, 0), where + " result ok value", env);
            Codec err = side(wit.err(), argument(t, 1), where + " result err value", env);
            return ok == MISSING || err == MISSING ? null : new ResultCodec(wit, ok, err);
        }

        /** The codec of one side of a result: null for a side without a type (Java Void), else MISSING on a mismatch. */
        Codec side(Optional<WitType> wit, Type java, String where, Map<TypeVariable<?>, Type> env) {
            Class<?> raw = raw(resolve(java, env));
            if (wit.isEmpty()) {
                if (raw == Void.class || raw == void.class || raw == Object.class) {
                    return null;
                }
                problems.add(where + ": WIT has no value here, Java " + javaName(java) + " (use Void)");
                return MISSING;
            }
            Codec c = codec(wit.get(), java, where, env);
            return c == null ? MISSING : c;
        }

        private Codec resource(WitType wit, Type t, Class<?> raw, String where) {
            String name = wit instanceof WitType.Own o ? o.resource() : ((WitType.Borrow) wit).resource();
            ComponentHostResource def = hostTypes.get(name);
            if (raw == ResourceHandle.class) {
                return def == null ? new Handle(wit) : mismatch(where, wit, t, "the linker implements " + name
                        + " with " + def.type().getName());
            }
            if (def == null) {
                return mismatch(where, wit, t, name + " is not a resource the linker implements in Java: use"
                        + " ResourceHandle");
            }
            if (raw.isPrimitive() || !raw.isAssignableFrom(def.type())) {
                return mismatch(where, wit, t, "the linker implements " + name + " with " + def.type().getName());
            }
            return new HostObject(wit, raw);
        }
    }

    /** The codec of {@link WitValue}s of {@code type}, as they are. */
    static Codec exact(WitType type) {
        return new Exact(type);
    }

    /** The codec of {@code type}'s natural values ({@link ComponentFunction#call(Object...)}'s mapping). */
    static Codec natural(WitType type) {
        return new Natural(type);
    }

    /** A codec standing for "no codec: mismatch" where null means "a side without a type". */
    static final Codec MISSING = new Natural(new WitType.Unsupported("missing"));

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
            case RESULT:
                return raw == WitResult.class;
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

    // ------------------------------------------------------------------ codecs

    /** The natural mapping ({@link ComponentFunction#call(Object...)}'s): for Object, Map, List... */
    private static final class Natural extends Codec {
        Natural(WitType type) {
            super(type);
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            ValueCodec.write(type, ValueCodec.fromNatural(type, v, where), out, where);
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            return ValueCodec.toNatural(ValueCodec.read(type, in, resources));
        }
    }

    /** {@link WitValue}s as they are. */
    private static final class Exact extends Codec {
        Exact(WitType type) {
            super(type);
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            if (!(v instanceof WitValue)) {
                throw wrong(where, v);
            }
            ValueCodec.write(type, (WitValue) v, out, where);
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            return ValueCodec.read(type, in, resources);
        }
    }

    private static final class Bool extends Codec {
        Bool(WitType type) {
            super(type);
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            if (!(v instanceof Boolean b)) {
                throw wrong(where, v);
            }
            out.u8(b ? 1 : 0);
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            return in.get() != 0;
        }
    }

    /**
     * An integer type as a Java integer type at least as wide: the same width holds the bits (an
     * unsigned value's two's complement), a wider one the exact value (range-checked).
     */
    private static final class Int extends Codec {
        private final int bits;
        private final boolean signed;
        /** The Java type's width: 8 to 64, 65 for BigInteger. */
        private final int javaBits;
        private final long min;
        private final long max;

        Int(WitType type, int bits, boolean signed, int javaBits) {
            super(type);
            this.bits = bits;
            this.signed = signed;
            this.javaBits = javaBits;
            this.min = signed ? -(1L << (bits - 1)) : 0;
            this.max = bits == 64 ? Long.MAX_VALUE : signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            long x;
            if (v instanceof BigInteger b) {
                if (b.signum() < 0 || b.bitLength() > 64) {
                    throw new IllegalArgumentException(where + ": " + b + " is out of range for " + type);
                }
                x = b.longValue();
            } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                x = ((Number) v).longValue();
                // The value's own width decides (a List<Integer> may hold a Long, erasure permitting): wider
                // than the WIT type is the exact value, range-checked; the same width is the bits.
                int width = v instanceof Long ? 64 : v instanceof Integer ? 32 : v instanceof Short ? 16 : 8;
                if (width > bits && (x < min || x > max) || width < bits && !signed && x < 0) {
                    throw new IllegalArgumentException(where + ": " + x + " is out of range for " + type);
                }
            } else {
                throw wrong(where, v);
            }
            switch (bits) {
                case 8 -> out.u8((int) x);
                case 16 -> out.u16((int) x);
                case 32 -> out.u32((int) x);
                default -> out.u64(x);
            }
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            long x = switch (bits) {
                case 8 -> signed ? in.get() : in.get() & 0xFF;
                case 16 -> signed ? in.getShort() : in.getShort() & 0xFFFF;
                case 32 -> signed ? in.getInt() : in.getInt() & 0xFFFF_FFFFL;
                default -> in.getLong();
            };
            return switch (javaBits) {
                case 8 -> (byte) x;
                case 16 -> (short) x;
                case 32 -> (int) x;
                case 64 -> x;
                default -> x >= 0 ? BigInteger.valueOf(x) : BigInteger.valueOf(x).add(BigInteger.ONE.shiftLeft(64));
            };
        }
    }

    private static final class F32 extends Codec {
        F32(WitType type) {
            super(type);
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            if (!(v instanceof Float f)) {
                throw wrong(where, v);
            }
            out.u32(Float.floatToRawIntBits(f));
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            return Float.intBitsToFloat(in.getInt());
        }
    }

    private static final class F64 extends Codec {
        F64(WitType type) {
            super(type);
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            if (!(v instanceof Double d)) {
                throw wrong(where, v);
            }
            out.u64(Double.doubleToRawLongBits(d));
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            return Double.longBitsToDouble(in.getLong());
        }
    }

    /** {@code char} as an int code point, or as a Java char (BMP only). */
    private static final class Char extends Codec {
        private final boolean javaChar;

        Char(WitType type, boolean javaChar) {
            super(type);
            this.javaChar = javaChar;
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            int cp;
            if (v instanceof Integer i) {
                cp = i;
            } else if (v instanceof Character c) {
                cp = c;
            } else {
                throw wrong(where, v);
            }
            if (cp < 0 || cp > Character.MAX_CODE_POINT || cp >= 0xD800 && cp <= 0xDFFF) {
                throw new IllegalArgumentException(where + ": " + cp + " (0x" + Integer.toHexString(cp)
                        + ") is not a Unicode scalar value");
            }
            out.u32(cp);
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            int cp = in.getInt();
            if (!javaChar) {
                return cp;
            }
            if (cp > 0xFFFF) {
                throw new IllegalArgumentException("the component returned the char U+"
                        + Integer.toHexString(cp).toUpperCase(Locale.ROOT)
                        + ", which a Java char cannot hold: declare it as an int code point");
            }
            return (char) cp;
        }
    }

    private static final class Str extends Codec {
        Str(WitType type) {
            super(type);
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            if (!(v instanceof String s)) {
                throw wrong(where, v);
            }
            ValueCodec.checkWellFormed(s, where);
            out.bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            return ValueCodec.string(in);
        }
    }

    private static final class Bytes extends Codec {
        Bytes(WitType type) {
            super(type);
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            if (!(v instanceof byte[] b)) {
                throw wrong(where, v);
            }
            out.bytes(b);
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            byte[] b = new byte[in.getInt()];
            in.get(b);
            return b;
        }
    }

    private static final class ListCodec extends Codec {
        private final Codec element;

        ListCodec(WitType type, Codec element) {
            super(type);
            this.element = element;
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            if (!(v instanceof Collection<?> c)) {
                throw wrong(where, v);
            }
            out.u32(c.size());
            int i = 0;
            for (Object e : c) {
                element.write(e, out, new ValueCodec.At(where, " list element ", i++, ""));
            }
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            int n = in.getInt();
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(element.read(in, resources));
            }
            return out;
        }
    }

    /** A record (fields by name) or a tuple (elements by position) as a Java record. */
    private static final class RecordCodec extends Codec {
        private final RecordShape shape;
        /** Per WIT field, in WIT order. */
        private final Codec[] codecs;
        /** Per WIT field, the record component's index. */
        private final int[] component;
        private final String[] wheres;

        RecordCodec(WitType type, RecordShape shape, Codec[] codecs, int[] component) {
            super(type);
            this.shape = shape;
            this.codecs = codecs;
            this.component = component;
            this.wheres = new String[codecs.length];
            for (int i = 0; i < codecs.length; i++) {
                wheres[i] = type instanceof WitType.Record r ? " record field '" + r.fields().get(i).name() + "'"
                        : " tuple element " + i;
            }
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            if (!shape.type.isInstance(v)) {
                throw wrong(where, v);
            }
            for (int i = 0; i < codecs.length; i++) {
                codecs[i].write(shape.get(component[i], v), out, new ValueCodec.At(where, wheres[i], "", ""));
            }
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            Object[] values = new Object[codecs.length];
            for (int i = 0; i < codecs.length; i++) {
                values[component[i]] = codecs[i].read(in, resources);
            }
            return shape.make(values);
        }
    }

    private record Case(RecordShape shape, Codec payload) {
    }

    private static final class VariantCodec extends Codec {
        private final Case[] cases;
        private final Map<Class<?>, Integer> index;
        private final String[] wheres;

        VariantCodec(WitType.Variant type, Case[] cases, Map<Class<?>, Integer> index) {
            super(type);
            this.cases = cases;
            this.index = index;
            this.wheres = new String[cases.length];
            for (int i = 0; i < cases.length; i++) {
                wheres[i] = " variant case '" + type.cases().get(i).name() + "'";
            }
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            Integer i = v == null ? null : index.get(v.getClass());
            if (i == null) {
                throw wrong(where, v);
            }
            out.u32(i);
            Case c = cases[i];
            if (c.payload != null) {
                c.payload.write(c.shape.get(0, v), out, new ValueCodec.At(where, wheres[i], "", ""));
            }
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            Case c = cases[in.getInt()];
            return c.shape.make(c.payload == null ? new Object[0] : new Object[] {c.payload.read(in, resources)});
        }
    }

    private static final class EnumCodec extends Codec {
        private final Class<?> enumType;
        /** Per constant (ordinal), its case's index. */
        private final int[] index;
        /** Per case, its constant. */
        private final Object[] byIndex;

        EnumCodec(WitType type, Class<?> enumType, int[] index) {
            super(type);
            this.enumType = enumType;
            Object[] constants = enumType.getEnumConstants();
            this.index = index;
            this.byIndex = new Object[constants.length];
            for (int i = 0; i < constants.length; i++) {
                byIndex[index[i]] = constants[i];
            }
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            if (!enumType.isInstance(v)) {
                throw wrong(where, v);
            }
            out.u32(index[((Enum<?>) v).ordinal()]);
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            return byIndex[in.getInt()];
        }
    }

    private static final class FlagsCodec extends Codec {
        private final Class<?> enumType;
        /** Per constant (ordinal), its flag's index. */
        private final int[] index;
        private final Object[] constants;
        private final int words;

        FlagsCodec(WitType.Flags type, Class<?> enumType, int[] index) {
            super(type);
            this.enumType = enumType;
            this.index = index;
            this.constants = enumType.getEnumConstants();
            this.words = (type.names().size() + 31) / 32;
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            if (!(v instanceof Set<?> set)) {
                throw wrong(where, v);
            }
            int[] bits = new int[words];
            for (Object o : set) {
                if (!enumType.isInstance(o)) {
                    throw new IllegalArgumentException(where + ": expected " + type + " (a set of "
                            + enumType.getSimpleName() + "), got an element " + (o == null ? "null" : o.getClass().getSimpleName()));
                }
                int i = index[((Enum<?>) o).ordinal()];
                bits[i / 32] |= 1 << (i % 32);
            }
            for (int w : bits) {
                out.u32(w);
            }
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object read(ByteBuffer in, ResourceContext resources) {
            int[] bits = new int[words];
            for (int w = 0; w < words; w++) {
                bits[w] = in.getInt();
            }
            EnumSet set = EnumSet.noneOf((Class) enumType);
            for (Object c : constants) {
                int i = index[((Enum<?>) c).ordinal()];
                if ((bits[i / 32] >>> (i % 32) & 1) != 0) {
                    set.add(c);
                }
            }
            return set;
        }
    }

    private static final class Opt extends Codec {
        private final Codec value;

        Opt(WitType type, Codec value) {
            super(type);
            this.value = value;
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            if (!(v instanceof Optional<?> o)) {
                throw wrong(where, v);
            }
            out.u8(o.isPresent() ? 1 : 0);
            if (o.isPresent()) {
                value.write(o.get(), out, new ValueCodec.At(where, " option value", "", ""));
            }
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            return in.get() != 0 ? Optional.of(value.read(in, resources)) : Optional.empty();
        }
    }

    /** {@code result<T, E>} as a {@link Result}; a side without a type has a null codec. */
    static final class ResultCodec extends Codec {
        final Codec ok;
        final Codec err;

        ResultCodec(WitType type, Codec ok, Codec err) {
            super(type);
            this.ok = ok;
            this.err = err;
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            if (v instanceof Result.Ok<?, ?> o) {
                out.u8(0);
                side(ok, o.value(), out, new ValueCodec.At(where, " result ok value", "", ""));
            } else if (v instanceof Result.Err<?, ?> e) {
                out.u8(1);
                side(err, e.error(), out, new ValueCodec.At(where, " result err value", "", ""));
            } else {
                throw wrong(where, v);
            }
        }

        static void side(Codec c, Object v, ValueCodec.Out out, Object where) {
            if (c != null) {
                c.write(v, out, where);
            } else if (v != null) {
                throw new IllegalArgumentException(where + ": the type has no value here, got "
                        + v.getClass().getSimpleName());
            }
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            if (in.get() == 0) {
                return new Result.Ok<>(ok == null ? null : ok.read(in, resources));
            }
            return new Result.Err<>(err == null ? null : err.read(in, resources));
        }
    }

    /** A resource the component implements, as a {@link ResourceHandle}. */
    private static final class Handle extends Codec {
        Handle(WitType type) {
            super(type);
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            if (!(v instanceof ResourceHandle h)) {
                throw wrong(where, v);
            }
            out.u8(ComponentAbi.RESOURCE_HANDLE);
            out.u64(out.resources().key(h, type, where));
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            if (in.get() == ComponentAbi.RESOURCE_HOST) {
                in.getInt();
                throw new IllegalStateException("a " + type + " arrived as a Java object, not as a component's handle");
            }
            return ((WitValue.Resource) resources.handle(in.getLong(), type)).handle();
        }
    }

    /** A resource the linker implements in Java, as its Java object. */
    private static final class HostObject extends Codec {
        private final Class<?> javaType;

        HostObject(WitType type, Class<?> javaType) {
            super(type);
            this.javaType = javaType;
        }

        @Override
        void write(Object v, ValueCodec.Out out, Object where) {
            if (v == null) {
                throw wrong(where, v);
            }
            out.u8(ComponentAbi.RESOURCE_HOST);
            out.u32(out.resources().rep(v, type, where));
        }

        @Override
        Object read(ByteBuffer in, ResourceContext resources) {
            int tag = in.get();
            if (tag != ComponentAbi.RESOURCE_HOST) {
                in.getLong();
                throw new IllegalStateException("a " + type + " arrived as a component's handle, not as a Java object");
            }
            return javaType.cast(((WitValue.HostResource) resources.host(in.getInt(), type)).value());
        }
    }
}
