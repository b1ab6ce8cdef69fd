package dev.wasmbridge.component;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/** Random {@link WitValue}s of a {@link WitType}, edge values favoured; resources are not generated. */
public final class RandomValues {
    private RandomValues() {
    }

    /**
     * A random value of {@code type}.
     *
     * @param type the type (no resources)
     * @param r the source of randomness
     * @param depth how deep lists may nest
     * @return the value
     */
    public static WitValue of(WitType type, Random r, int depth) {
        switch (type.kind()) {
            case BOOL:
                return new WitValue.Bool(r.nextBoolean());
            case S8:
                return new WitValue.S8((byte) edge(r));
            case U8:
                return new WitValue.U8((int) (edge(r) & 0xFF));
            case S16:
                return new WitValue.S16((short) edge(r));
            case U16:
                return new WitValue.U16((int) (edge(r) & 0xFFFF));
            case S32:
                return new WitValue.S32((int) edge(r));
            case U32:
                return new WitValue.U32(edge(r) & 0xFFFF_FFFFL);
            case S64:
                return new WitValue.S64(edge(r));
            case U64:
                return new WitValue.U64(edge(r));
            case F32:
                return new WitValue.F32(Float.intBitsToFloat((int) edge(r)));
            case F64:
                return new WitValue.F64(Double.longBitsToDouble(edge(r)));
            case CHAR:
                return new WitValue.Char(codePoint(r));
            case STRING:
                return new WitValue.Str(string(r));
            case LIST: {
                WitType element = ((WitType.ListOf) type).element();
                int n = depth <= 0 ? 0 : r.nextInt(5);
                if (element.kind() == WitType.Kind.U8) {
                    byte[] b = new byte[r.nextInt(3) == 0 ? 0 : r.nextInt(3000)];
                    r.nextBytes(b);
                    return new WitValue.Bytes(b);
                }
                List<WitValue> out = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    out.add(of(element, r, depth - 1));
                }
                return new WitValue.ListOf(out);
            }
            case RECORD: {
                List<WitValue.FieldValue> out = new ArrayList<>();
                for (WitType.Field f : ((WitType.Record) type).fields()) {
                    out.add(new WitValue.FieldValue(f.name(), of(f.type(), r, depth - 1)));
                }
                return new WitValue.Record(out);
            }
            case TUPLE: {
                List<WitValue> out = new ArrayList<>();
                for (WitType t : ((WitType.Tuple) type).types()) {
                    out.add(of(t, r, depth - 1));
                }
                return new WitValue.Tuple(out);
            }
            case VARIANT: {
                List<WitType.Case> cases = ((WitType.Variant) type).cases();
                WitType.Case c = cases.get(r.nextInt(cases.size()));
                return new WitValue.Variant(c.name(), c.type().map(t -> of(t, r, depth - 1)));
            }
            case ENUM: {
                List<String> names = ((WitType.Enum) type).names();
                return new WitValue.Enum(names.get(r.nextInt(names.size())));
            }
            case OPTION:
                return new WitValue.Option(r.nextInt(3) == 0 ? Optional.empty()
                        : Optional.of(of(((WitType.Option) type).type(), r, depth - 1)));
            case RESULT: {
                WitType.Result t = (WitType.Result) type;
                boolean ok = r.nextBoolean();
                return new WitValue.Result(ok, (ok ? t.ok() : t.err()).map(x -> of(x, r, depth - 1)));
            }
            case FLAGS: {
                Set<String> names = new LinkedHashSet<>();
                for (String n : ((WitType.Flags) type).names()) {
                    if (r.nextBoolean()) {
                        names.add(n);
                    }
                }
                return new WitValue.Flags(names);
            }
            default:
                throw new IllegalArgumentException("no random values of " + type);
        }
    }

    /** Mostly the edges of the integer ranges and special float bits, sometimes anything. */
    private static long edge(Random r) {
        long[] edges = {0, 1, -1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000L,
            0xFFFF_FFFFL, Long.MAX_VALUE, Long.MIN_VALUE, 0x7FC0_0001, 0x7FF0_0000_0000_0001L};
        return r.nextBoolean() ? edges[r.nextInt(edges.length)] : r.nextLong();
    }

    private static int codePoint(Random r) {
        int[] edges = {0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF};
        if (r.nextBoolean()) {
            return edges[r.nextInt(edges.length)];
        }
        int cp;
        do {
            cp = r.nextInt(0x110000);
        } while (cp >= 0xD800 && cp <= 0xDFFF);
        return cp;
    }

    private static String string(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(4) == 0 ? 0 : r.nextInt(40);
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(codePoint(r));
        }
        return sb.toString();
    }
}
