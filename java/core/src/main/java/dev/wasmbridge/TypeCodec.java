package dev.wasmbridge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Decodes the type encoding of {@code native/src/types.rs}. */
final class TypeCodec {

    private final ByteBuffer in;

    private TypeCodec(byte[] bytes) {
        this.in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static FuncType funcType(byte[] bytes) {
        return new TypeCodec(bytes).funcType();
    }

    static GlobalType globalType(byte[] bytes) {
        return new TypeCodec(bytes).globalType();
    }

    static TableType tableType(byte[] bytes) {
        return new TypeCodec(bytes).tableType();
    }

    static MemoryType memoryType(byte[] bytes) {
        return new TypeCodec(bytes).memoryType();
    }

    static List<ImportType> imports(byte[] bytes) {
        TypeCodec c = new TypeCodec(bytes);
        int n = c.count();
        List<ImportType> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ImportType(c.string(), c.string(), c.externType()));
        }
        return List.copyOf(out);
    }

    static List<ExportType> exports(byte[] bytes) {
        TypeCodec c = new TypeCodec(bytes);
        int n = c.count();
        List<ExportType> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ExportType(c.string(), c.externType()));
        }
        return List.copyOf(out);
    }

    private int count() {
        return in.getInt();
    }

    private String string() {
        byte[] b = new byte[count()];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private ValType valType() {
        return ValType.fromCode(in.get());
    }

    private boolean bool() {
        return in.get() != 0;
    }

    private OptionalLong optLong() {
        boolean present = bool();
        long v = in.getLong();
        return present ? OptionalLong.of(v) : OptionalLong.empty();
    }

    private List<ValType> valTypes() {
        int n = count();
        List<ValType> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(valType());
        }
        return out;
    }

    private FuncType funcType() {
        List<ValType> params = valTypes();
        return new FuncType(params, valTypes());
    }

    private GlobalType globalType() {
        return new GlobalType(valType(), bool());
    }

    private TableType tableType() {
        return new TableType(valType(), in.getLong(), optLong(), bool());
    }

    private MemoryType memoryType() {
        return new MemoryType(in.getLong(), optLong(), bool(), bool(), in.getLong());
    }

    private ExternType externType() {
        int kind = in.get();
        switch (kind) {
            case Abi.KIND_FUNC:
                return funcType();
            case Abi.KIND_GLOBAL:
                return globalType();
            case Abi.KIND_TABLE:
                return tableType();
            case Abi.KIND_MEMORY:
                return memoryType();
            case Abi.KIND_TAG:
                return new TagType(funcType());
            default:
                throw new IllegalStateException("unknown extern kind " + kind);
        }
    }
}
