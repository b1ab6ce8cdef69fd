package dev.wasmbridge.component;

import dev.wasmbridge.Store;
import dev.wasmbridge.internal.CoreAccess;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An exported component function. Two ways to pass values, with one semantics:
 *
 * <ul>
 *   <li>{@link #call(Object...)} takes and returns natural Java values: {@code bool} {@code Boolean};
 *       {@code s8} {@code Byte}, {@code s16} {@code Short}, {@code s32} {@code Integer}, {@code s64}
 *       {@code Long}; the unsigned types widened, so no value is lost: {@code u8} {@code Short},
 *       {@code u16} {@code Integer}, {@code u32} {@code Long}, {@code u64} a {@code Long} holding
 *       its 64 bits (read it with {@code Long.toUnsignedString}; a {@code BigInteger} is accepted as
 *       an argument); {@code f32} {@code Float}, {@code f64} {@code Double} (NaN payloads kept);
 *       {@code char} an {@code Integer} code point (a {@code Character} is accepted); {@code string}
 *       {@code String} (a lone surrogate is refused); {@code list<u8>} {@code byte[]}; other lists
 *       {@code List}; a record a {@code Map} from field name to value (in field order); a tuple a
 *       {@code List}; a variant a {@link WitVariant}; an enum the case's name; an option an {@code
 *       Optional} (nested options stay apart); a result a {@link Result} ({@link Result.Ok} or {@link
 *       Result.Err}, the value null for a side without a type; the snapshots before 0.1.0 returned a
 *       {@link WitResult}, deprecated, which is still taken as an argument); flags a {@code Set} of names;
 *       a resource a {@link ResourceHandle}. Every integer type takes any of {@code Byte},
 *       {@code Short}, {@code Integer} and {@code Long} whose value is in its range (an {@code s32}
 *       takes {@code Long} 5 as a {@code u32} takes {@code Integer} 5; out of range is an {@link
 *       IllegalArgumentException}), an {@code f64} also takes a {@code Float} or an {@code Integer} and
 *       an {@code f32} a {@code Short} (conversions that are exact), and a {@link WitValue} is accepted
 *       anywhere.
 *   <li>Trailing {@code option} parameters may be left out, in both ways of calling: they are {@code
 *       none} (as in WAVE: {@code f(1)} calls {@code f: func(a: u8, b: option<u8>)}).
 *   <li>{@link #callValues(WitValue...)} takes and returns {@link WitValue}s, which represent every
 *       value exactly.
 * </ul>
 *
 * A value that does not fit its type is an {@link IllegalArgumentException} naming where it is wrong
 * ({@code argument 0 'who' record field 'name': expected string, got Integer 5}).
 *
 * <p>Calls run under the store's fuel, deadline, interrupt and limits, like core calls. Calling back
 * into the same instance from a host function it called traps ({@code CANNOT_ENTER_COMPONENT}): the
 * component model forbids re-entering an instance.
 *
 * <p>Thread safety: like its store, one thread at a time.
 */
public final class ComponentFunction {
    private final Store store;
    private final int index;
    private final String name;
    /** The linker's resources implemented in Java, by qualified name. */
    private final Map<String, ComponentHostResource> hostTypes;
    private ComponentFuncType type;
    private String[] wheres;
    private Boolean resultHasResources;
    /** {@link #callValues}'s codecs: WitValues as they are (made on its first call). */
    private Codecs exact;
    /** {@link #call}'s codecs: natural values, written straight into the call's buffer (made on its first call). */
    private Codecs natural;
    private final ValueCodec.Out args;
    private final ComponentStoreState state;

    ComponentFunction(Store store, int index, String name, Map<String, ComponentHostResource> hostTypes) {
        this.store = store;
        this.index = index;
        this.name = name;
        this.hostTypes = hostTypes;
        this.state = ComponentStoreState.of(store);
        this.args = new ValueCodec.Out(state, () -> new ResourceContext(store, state, hostTypes));
    }

    /**
     * The function's type.
     *
     * @return the type
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public ComponentFuncType type() {
        long s = CoreAccess.get().enter(store);
        try {
            ComponentFuncType t = type;
            if (t == null) {
                t = ComponentTypes.funcType(ComponentNative.funcType(s, index));
                type = t;
            }
            return t;
        } finally {
            CoreAccess.get().exit(store);
        }
    }

    /**
     * Calls the function with natural Java values (see the class's mapping).
     *
     * @param args the arguments, one per parameter (trailing {@code option} ones may be left out)
     * @return the result as a natural value, or null if the function has no result
     * @throws IllegalArgumentException if the number of arguments or a value does not fit the type
     * @throws dev.wasmbridge.TrapException if the component traps (or returns a value that is not
     *     valid, such as a string that is not UTF-8)
     * @throws dev.wasmbridge.WasmException for any other failure inside the component
     * @throws IllegalStateException if the store is closed or in use by another thread, or a resource
     *     handle passed is gone
     */
    public Object call(Object... args) {
        Codecs c = natural;
        if (c == null) {
            c = codecs(WitCodec::natural);
            natural = c;
        }
        Object[] a = args == null ? new Object[] {null} : args;
        if (a.length < c.params.length) {
            a = withTrailingNones(a, type.params(), Optional.empty());
        }
        return invoke(a, c.params, c.result);
    }

    /**
     * Calls the function with {@link WitValue}s.
     *
     * @param args the arguments, one per parameter (trailing {@code option} ones may be left out)
     * @return the result, or null if the function has no result
     * @throws IllegalArgumentException if the number of arguments or a value does not fit the type
     * @throws dev.wasmbridge.TrapException if the component traps
     * @throws dev.wasmbridge.WasmException for any other failure inside the component
     * @throws IllegalStateException if the store is closed or in use by another thread, or a resource
     *     handle passed is gone
     */
    public WitValue callValues(WitValue... args) {
        Codecs c = exact;
        if (c == null) {
            c = codecs(WitCodec::exact);
            exact = c;
        }
        WitValue[] a = args == null ? new WitValue[] {null} : args;
        if (a.length < c.params.length) {
            a = withTrailingNones(a, type.params(), new WitValue.Option(Optional.empty()));
        }
        return (WitValue) invoke(a, c.params, c.result);
    }

    /** A function's codecs: one per parameter, and the result's (null if it has none). */
    private record Codecs(WitCodec[] params, WitCodec result) {
    }

    /** The codecs {@code make} makes for the function's types (asking for the type checks the store). */
    private Codecs codecs(java.util.function.Function<WitType, WitCodec> make) {
        ComponentFuncType t = type();
        return new Codecs(t.params().stream().map(p -> make.apply(p.type())).toArray(WitCodec[]::new),
                t.result().map(make).orElse(null));
    }

    /**
     * {@code args} with the trailing {@code option} parameters it leaves out given as {@code none} (as
     * WAVE allows); as it is when it is complete, or leaves out a parameter of another type (then the count
     * check says so).
     */
    private static <T> T[] withTrailingNones(T[] args, List<ComponentFuncType.Param> params, T none) {
        if (args.length >= params.size()) {
            return args;
        }
        for (int i = args.length; i < params.size(); i++) {
            if (params.get(i).type().kind() != WitType.Kind.OPTION) {
                return args;
            }
        }
        T[] all = java.util.Arrays.copyOf(args, params.size());
        java.util.Arrays.fill(all, args.length, all.length, none);
        return all;
    }

    /**
     * Calls the function with each argument written by its codec, and the result read by {@code result}
     * (null if the function has none). The function's type is known (a caller asked for it).
     */
    Object invoke(Object[] a, WitCodec[] codecs, WitCodec result) {
        long s = CoreAccess.get().enter(store);
        ByteBuffer io = null;
        try {
            checkCount(a.length, codecs.length);
            state.dropUnreachable(store, s);
            ValueCodec.Out out = this.args;
            out.reset();
            int length;
            boolean returned = false;
            ResourceContext resources = null;
            try {
                for (int i = 0; i < a.length; i++) {
                    codecs[i].write(a[i], out, where(i));
                }
                // Taken before the call: a host function may call this function again, reusing out
                // (and replacing the store's call buffer: io keeps this call's reachable).
                resources = out.resourcesIfAny();
                io = out.buf;
                length = ComponentNative.funcCall(store, s, index, out.address, io.position(), io.capacity());
                returned = true;
            } finally {
                if (resources == null) {
                    resources = out.resourcesIfAny(); // an argument was wrong: nothing was called
                }
                if (resources != null) {
                    resources.endCall(returned, s);
                }
            }
            if (result == null) {
                return null;
            }
            if (length > io.capacity()) {
                io = state.growIo(length);
                ComponentNative.funcResult(s, state.ioAddress(), io.capacity());
            }
            io.clear().limit(length);
            // A result without resources needs no context (and reading makes none).
            return result.read(io, resources != null ? resources
                    : resultHasResources() ? new ResourceContext(store, state, hostTypes) : null);
        } finally {
            Reference.reachabilityFence(io);
            state.trimIo();
            CoreAccess.get().exit(store);
        }
    }

    /**
     * Calls the function with its arguments written in WAVE, the WebAssembly Value Encoding (the
     * syntax of {@code wasmtime run --invoke}), and returns the result in WAVE. {@code arguments} is
     * what goes between the parentheses of a call, the values separated by commas: {@code "1, 2"}
     * for {@code add(a: u32, b: u32)}, {@code ""} for a function without parameters. Values are
     * parsed by the parameter types: integers in decimal ({@code 18446744073709551615}), floats
     * ({@code 1.5}, {@code nan}, {@code inf}, {@code -inf}), {@code 'x'} chars and {@code "..."}
     * strings with escapes ({@code \n}, {@code \"}, <code>&#92;u{1F44B}</code>), {@code [1, 2]} lists,
     * {@code (1, "a")} tuples, {@code {x: 1, y: 2}} records, {@code circle(1.5)} or {@code none}
     * variant cases, {@code red} enum cases, {@code some(1)} / {@code none} options, {@code ok(1)} /
     * {@code err("e")} results and {@code {read, write}} flags. Trailing {@code option} arguments may
     * be left out (they are {@code none}).
     *
     * <p>WAVE has no syntax for resources: a function with a resource (or stream or future) in its
     * parameters or result is refused.
     *
     * @param arguments the arguments in WAVE, without the surrounding parentheses
     * @return the result in WAVE, such as {@code 3}, {@code "hi"} or {@code {x: 1, y: 2}}; null if
     *     the function has no result
     * @throws IllegalArgumentException if {@code arguments} is not valid WAVE for the parameter types
     *     (the message says what is wrong, where, and in which argument), or a parameter or the result
     *     has no WAVE syntax
     * @throws NullPointerException if {@code arguments} is null
     * @throws dev.wasmbridge.TrapException if the component traps (or returns a value that is not
     *     valid)
     * @throws dev.wasmbridge.WasmException for any other failure inside the component
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public String callWave(String arguments) {
        Objects.requireNonNull(arguments, "arguments");
        long s = CoreAccess.get().enter(store);
        try {
            state.dropUnreachable(store, s);
            try {
                return ComponentNative.funcCallWave(store, s, index, arguments);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + name + "': " + e.getMessage(), e);
            }
        } finally {
            CoreAccess.get().exit(store);
        }
    }

    private void checkCount(int got, int wanted) {
        if (got != wanted) {
            throw new IllegalArgumentException("'" + name + "' " + type + " takes " + wanted + " argument"
                    + (wanted == 1 ? "" : "s") + ", got " + got);
        }
    }

    /** Whether the result's type holds resources (the type is known: a call has begun). */
    private boolean resultHasResources() {
        Boolean b = resultHasResources;
        if (b == null) {
            b = type.result().map(ValueCodec::hasResources).orElse(false);
            resultHasResources = b;
        }
        return b;
    }

    /** Where argument {@code i} is, for messages: {@code argument 0 'who'} (made once per function). */
    private String where(int i) {
        String[] w = wheres;
        if (w == null) {
            List<ComponentFuncType.Param> params = type.params();
            w = new String[params.size()];
            for (int j = 0; j < w.length; j++) {
                w[j] = "argument " + j + " '" + params.get(j).name() + "'";
            }
            wheres = w;
        }
        return w[i];
    }

    @Override
    public String toString() {
        return name + ": " + (type == null ? "func(...)" : type.toString());
    }
}
