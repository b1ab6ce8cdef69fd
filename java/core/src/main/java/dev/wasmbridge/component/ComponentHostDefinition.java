package dev.wasmbridge.component;

import dev.wasmbridge.Store;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A component host function as the native library sees it: {@code component/linker.rs} calls {@link
 * #invoke} with the import's type and the arguments' bytes and gets the result's bytes. What the
 * function is in Java (natural values, {@link WitValue}s, or a typed method) is its {@link Implementation}.
 */
final class ComponentHostDefinition {
    private final String name;
    private final Implementation implementation;
    /** The linker's resources implemented in Java, by qualified name. */
    private final Map<String, ComponentHostResource> hostTypes;
    /** Plans by the import type's bytes (one import type in practice; a few if reused). */
    private final Map<ByteBuffer, Typed> plans = new ConcurrentHashMap<>();

    private record Typed(ComponentFuncType type, Plan plan) {
    }

    /** How a host function takes its arguments and gives its result, for one import type. */
    interface Implementation {
        /**
         * The plan for {@code type}.
         *
         * @throws BindException if the implementation cannot take that type
         */
        Plan plan(ComponentFuncType type);
    }

    /** The codecs of one import type's parameters and result (null if none), and the call. */
    abstract static class Plan {
        final WitCodec[] params;
        final WitCodec result;

        Plan(WitCodec[] params, WitCodec result) {
            this.params = params;
            this.result = result;
        }

        /** Runs the function: the result as {@link #result} writes it, or null. */
        abstract Object call(ComponentCaller caller, Object[] args) throws Exception;
    }

    ComponentHostDefinition(String name, Implementation implementation, Map<String, ComponentHostResource> hostTypes) {
        this.name = name;
        this.implementation = implementation;
        this.hostTypes = hostTypes;
    }

    /** A function taking and returning natural values. */
    static Implementation natural(ComponentHostFunction function) {
        return type -> new Plan(codecs(type, false), type.result().map(WitCodec::natural).orElse(null)) {
            @Override
            Object call(ComponentCaller caller, Object[] args) throws Exception {
                return function.call(caller, args);
            }
        };
    }

    /** A function taking and returning {@link WitValue}s. */
    static Implementation values(ComponentHostValuesFunction function) {
        return type -> new Plan(codecs(type, true), type.result().map(WitCodec::exact).orElse(null)) {
            @Override
            Object call(ComponentCaller caller, Object[] args) throws Exception {
                WitValue[] values = new WitValue[args.length];
                for (int i = 0; i < args.length; i++) {
                    values[i] = (WitValue) args[i];
                }
                return function.call(caller, values);
            }
        };
    }

    private static WitCodec[] codecs(ComponentFuncType type, boolean exact) {
        return type.params().stream().map(p -> exact ? WitCodec.exact(p.type()) : WitCodec.natural(p.type()))
                .toArray(WitCodec[]::new);
    }

    /** Called by the native library on the thread that called into the component. */
    byte[] invoke(Store store, byte[] typeBytes, byte[] argBytes) throws Exception {
        Typed typed = plans.get(ByteBuffer.wrap(typeBytes));
        if (typed == null) {
            ComponentFuncType type = ComponentTypes.funcType(typeBytes);
            typed = new Typed(type, implementation.plan(type));
            plans.put(ByteBuffer.wrap(typeBytes), typed);
        }
        Plan plan = typed.plan();
        ByteBuffer in = ValueCodec.wrap(argBytes);
        Object[] args = new Object[plan.params.length];
        ResourceContext resources = new ResourceContext(store, hostTypes);
        for (int i = 0; i < args.length; i++) {
            args[i] = plan.params[i].read(in, resources);
        }
        ComponentCaller caller = new ComponentCaller(store);
        Object result;
        try {
            result = plan.call(caller, args);
        } finally {
            caller.end();
        }
        if (plan.result == null) {
            if (result != null) {
                throw new IllegalArgumentException("host function " + name + " " + typed.type() + " returned "
                        + result.getClass().getSimpleName() + " but has no result");
            }
            return null;
        }
        ValueCodec.Out out = new ValueCodec.Out(() -> resources);
        plan.result.write(result, out, "host function " + name + " result");
        // Owned handles in the result move to the guest (if the native side refuses the result, the
        // guest's call fails and the store cannot enter components again anyway).
        for (ResourceHandle h : resources.moved) {
            h.moved();
        }
        return out.toArray();
    }
}
