package dev.wasmbridge.component;

import dev.wasmbridge.Store;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A component host function as the native library sees it: {@code component/linker.rs} calls {@link
 * #invoke} with the import's type and the arguments' bytes and gets the result's bytes.
 */
final class ComponentHostDefinition {
    private final String name;
    private final ComponentHostFunction function;
    private final ComponentHostValuesFunction values;
    /** The linker's resources implemented in Java, by qualified name. */
    private final Map<String, ComponentHostResource> hostTypes;
    /** Parsed import types by their bytes (one import type in practice; a few if reused). */
    private final Map<ByteBuffer, ComponentFuncType> types = new ConcurrentHashMap<>();

    ComponentHostDefinition(String name, ComponentHostFunction function, ComponentHostValuesFunction values,
            Map<String, ComponentHostResource> hostTypes) {
        this.name = name;
        this.function = function;
        this.values = values;
        this.hostTypes = hostTypes;
    }

    /** Called by the native library on the thread that called into the component. */
    byte[] invoke(Store store, byte[] typeBytes, byte[] argBytes) throws Exception {
        ComponentFuncType type = types.computeIfAbsent(ByteBuffer.wrap(typeBytes), b -> ComponentTypes.funcType(typeBytes));
        List<ComponentFuncType.Param> params = type.params();
        ByteBuffer in = ValueCodec.wrap(argBytes);
        WitValue[] args = new WitValue[params.size()];
        ResourceContext resources = new ResourceContext(store, hostTypes);
        for (int i = 0; i < args.length; i++) {
            args[i] = ValueCodec.read(params.get(i).type(), in, resources);
        }
        ComponentCaller caller = new ComponentCaller(store);
        Object result;
        try {
            if (values != null) {
                result = values.call(caller, args);
            } else {
                Object[] natural = new Object[args.length];
                for (int i = 0; i < args.length; i++) {
                    natural[i] = ValueCodec.toNatural(args[i]);
                }
                result = function.call(caller, natural);
            }
        } finally {
            caller.end();
        }
        if (type.result().isEmpty()) {
            if (result != null) {
                throw new IllegalArgumentException("host function " + name + " " + type + " returned "
                        + result.getClass().getSimpleName() + " but has no result");
            }
            return null;
        }
        WitType t = type.result().get();
        ValueCodec.Out out = new ValueCodec.Out(() -> resources);
        String where = "host function " + name + " result";
        ValueCodec.write(t, ValueCodec.fromNatural(t, result, where), out, where);
        // Owned handles in the result move to the guest (if the native side refuses the result, the
        // guest's call fails and the store cannot enter components again anyway).
        for (ResourceHandle h : resources.moved) {
            h.moved();
        }
        return out.toArray();
    }
}
