package dev.wasmbridge.component;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Decodes the item and function encodings of {@code native/src/component/types.rs}. */
final class ComponentTypes {
    private ComponentTypes() {
    }

    static ComponentType componentType(byte[] bytes) {
        ByteBuffer in = ValueCodec.wrap(bytes);
        Map<String, ComponentItem> imports = items(in);
        return new ComponentType(imports, items(in));
    }

    static ComponentFuncType funcType(byte[] bytes) {
        return funcType(ValueCodec.wrap(bytes));
    }

    private static ComponentFuncType funcType(ByteBuffer in) {
        int n = in.getInt();
        List<ComponentFuncType.Param> params = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            params.add(new ComponentFuncType.Param(ValueCodec.string(in), ValueCodec.readType(in)));
        }
        Optional<WitType> result = in.get() != 0 ? Optional.of(ValueCodec.readType(in)) : Optional.empty();
        return new ComponentFuncType(params, result, in.get() != 0);
    }

    private static Map<String, ComponentItem> items(ByteBuffer in) {
        int n = in.getInt();
        Map<String, ComponentItem> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = ValueCodec.string(in);
            out.put(name, item(in));
        }
        return out;
    }

    private static ComponentItem item(ByteBuffer in) {
        int tag = in.get();
        ComponentItem.Kind[] kinds = ComponentItem.Kind.values();
        if (tag < 0 || tag >= kinds.length) {
            throw new IllegalStateException("unknown component item tag " + tag);
        }
        switch (kinds[tag]) {
            case FUNCTION:
                return new ComponentItem.Function(funcType(in));
            case INSTANCE:
                return new ComponentItem.Instance(items(in));
            case RESOURCE:
                return new ComponentItem.Resource();
            case TYPE:
                return new ComponentItem.Type(ValueCodec.readType(in));
            default:
                return new ComponentItem.Other(kinds[tag]);
        }
    }
}
