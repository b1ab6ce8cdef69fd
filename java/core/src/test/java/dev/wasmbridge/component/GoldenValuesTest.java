package dev.wasmbridge.component;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java codecs against the bytes Rust writes: {@code golden/component-values/<case>.bin} holds a WIT
 * type (the encoding {@link ValueCodec#readType} reads) then a value of it, both written by
 * {@code native/src/component/values.rs}'s test {@code golden_files_match_the_layout} (which fails when
 * the files differ from what Rust writes; {@code WASMBRIDGE_UPDATE_GOLDEN=1} rewrites them). Each case
 * decodes to the expected value in the exact model and in the natural mapping, and both encode back to
 * the same bytes (what Rust's test checks it reads back to the value it wrote).
 */
class GoldenValuesTest {
    /** (case, exact value, natural value), as {@code golden_cases()} in values.rs. */
    static Stream<Arguments> cases() {
        WitValue.Record point = record("x", new WitValue.S32(-1), "y", new WitValue.S32(2));
        Map<String, Object> pointNatural = map("x", -1, "y", 2);
        List<WitValue.FieldValue> wide = new ArrayList<>();
        Map<String, Object> wideNatural = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            WitValue v = switch (i % 3) {
                case 0 -> new WitValue.U64(-1L - i);
                case 1 -> new WitValue.F32(i + 0.5f);
                default -> new WitValue.Str("w" + i);
            };
            wide.add(new WitValue.FieldValue("w" + i, v));
            wideNatural.put("w" + i, i % 3 == 0 ? (Object) (-1L - i) : i % 3 == 1 ? (Object) (i + 0.5f) : "w" + i);
        }
        return Stream.of(
                Arguments.of("bool-true", new WitValue.Bool(true), true),
                Arguments.of("bool-false", new WitValue.Bool(false), false),
                Arguments.of("s8-min", new WitValue.S8(Byte.MIN_VALUE), Byte.MIN_VALUE),
                Arguments.of("u8-max", new WitValue.U8(255), (short) 255),
                Arguments.of("s16-min", new WitValue.S16(Short.MIN_VALUE), Short.MIN_VALUE),
                Arguments.of("u16-max", new WitValue.U16(65535), 65535),
                Arguments.of("s32-min", new WitValue.S32(Integer.MIN_VALUE), Integer.MIN_VALUE),
                Arguments.of("u32-max", new WitValue.U32(0xFFFF_FFFFL), 0xFFFF_FFFFL),
                Arguments.of("s64-min", new WitValue.S64(Long.MIN_VALUE), Long.MIN_VALUE),
                Arguments.of("u64-max", WitValue.U64.of(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)), -1L),
                Arguments.of("f32-nan-payload", new WitValue.F32(Float.intBitsToFloat(0x7fa0_0001)),
                        Float.intBitsToFloat(0x7fa0_0001)),
                Arguments.of("f64-negative", new WitValue.F64(-1.5e300), -1.5e300),
                Arguments.of("char-astral", new WitValue.Char(0x1F600), 0x1F600),
                Arguments.of("string-utf8", new WitValue.Str("h\u00e9llo, \uD83C\uDF0D!"), "h\u00e9llo, \uD83C\uDF0D!"),
                Arguments.of("string-empty", new WitValue.Str(""), ""),
                Arguments.of("bytes", new WitValue.Bytes(new byte[] {0, 1, (byte) 255}), new byte[] {0, 1, (byte) 255}),
                Arguments.of("strings", list(new WitValue.Str("a"), new WitValue.Str(""), new WitValue.Str("\u00e9t\u00e9")),
                        List.of("a", "", "\u00e9t\u00e9")),
                Arguments.of("nested-lists", list(list(new WitValue.U32(1), new WitValue.U32(0xFFFF_FFFFL)), list()),
                        List.of(List.of(1L, 0xFFFF_FFFFL), List.of())),
                Arguments.of("record-point", point, pointNatural),
                Arguments.of("record-person",
                        record("name", new WitValue.Str("Ada"), "age", new WitValue.U8(36),
                                "email", new WitValue.Option(Optional.of(new WitValue.Str("ada@example.org"))),
                                "tags", list(new WitValue.Str("math"), new WitValue.Str("engines")),
                                "score", new WitValue.F64(99.5)),
                        map("name", "Ada", "age", (short) 36, "email", Optional.of("ada@example.org"),
                                "tags", List.of("math", "engines"), "score", 99.5)),
                Arguments.of("record-wide", new WitValue.Record(wide), wideNatural),
                Arguments.of("tuple", new WitValue.Tuple(List.of(new WitValue.U8(7), new WitValue.Str("seven"),
                        new WitValue.F64(7.25))), List.of((short) 7, "seven", 7.25)),
                Arguments.of("variant-payload", new WitValue.Variant("square", Optional.of(new WitValue.U32(4))),
                        new WitVariant("square", 4L)),
                Arguments.of("variant-no-payload", new WitValue.Variant("none", Optional.empty()), WitVariant.of("none")),
                Arguments.of("enum-last", new WitValue.Enum("blue"), "blue"),
                Arguments.of("option-some", some(new WitValue.U32(3)), Optional.of(3L)),
                Arguments.of("option-none", new WitValue.Option(Optional.empty()), Optional.empty()),
                Arguments.of("option-some-none", some(new WitValue.Option(Optional.empty())), Optional.of(Optional.empty())),
                Arguments.of("option-some-some", some(some(new WitValue.Str("in"))), Optional.of(Optional.of("in"))),
                Arguments.of("result-ok", new WitValue.Result(true, Optional.of(new WitValue.Str("fine"))),
                        Result.ok("fine")),
                Arguments.of("result-err", new WitValue.Result(false, Optional.of(new WitValue.U32(4))), Result.err(4L)),
                Arguments.of("result-unit-ok", new WitValue.Result(true, Optional.empty()), Result.ok(null)),
                Arguments.of("result-plain-err", new WitValue.Result(false, Optional.empty()), Result.err(null)),
                Arguments.of("flags-some", new WitValue.Flags(Set.of("read", "exec")), Set.of("read", "exec")),
                Arguments.of("flags-none", new WitValue.Flags(Set.of()), Set.of()),
                Arguments.of("flags-32", new WitValue.Flags(Set.of("f0", "f15", "f31")), Set.of("f0", "f15", "f31")),
                Arguments.of("list-of-records", list(record("x", new WitValue.S32(1), "y", new WitValue.S32(2)),
                        record("x", new WitValue.S32(-3), "y", new WitValue.S32(4))),
                        List.of(map("x", 1, "y", 2), map("x", -3, "y", 4))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void javaReadsAndWritesWhatRustWrites(String name, WitValue exact, Object natural) throws IOException {
        ByteBuffer file = ValueCodec.wrap(golden(name));
        WitType type = ValueCodec.readType(file);
        byte[] value = Arrays.copyOfRange(file.array(), file.position(), file.limit());

        ByteBuffer in = ValueCodec.wrap(value);
        assertEquals(exact, WitCodec.exact(type).read(in, null), name + " as a WitValue");
        assertFalse(in.hasRemaining(), name + ": bytes left over");
        in = ValueCodec.wrap(value);
        Object read = WitCodec.natural(type).read(in, null);
        if (natural instanceof byte[] b) {
            assertArrayEquals(b, (byte[]) read, name);
        } else {
            assertEquals(natural, read, name + " as a natural value");
        }
        assertFalse(in.hasRemaining(), name + ": bytes left over");

        assertArrayEquals(value, write(WitCodec.exact(type), exact), name + " written from a WitValue");
        assertArrayEquals(value, write(WitCodec.natural(type), natural), name + " written from a natural value");
    }

    /** Every golden file is a case here (a case Rust adds fails until Java reads it too). */
    @Test
    void everyFileIsACase() throws IOException {
        List<String> files = new ArrayList<>();
        try (InputStream list = GoldenValuesTest.class.getResourceAsStream("/golden/component-values/")) {
            assertTrue(list != null, "golden/component-values on the test class path");
            for (String line : new String(list.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.endsWith(".bin")) {
                    files.add(line.substring(0, line.length() - 4));
                }
            }
        }
        List<String> cases = cases().map(a -> (String) a.get()[0]).sorted().toList();
        assertEquals(cases, files.stream().sorted().toList());
    }

    private static byte[] golden(String name) throws IOException {
        try (InputStream s = GoldenValuesTest.class.getResourceAsStream("/golden/component-values/" + name + ".bin")) {
            assertTrue(s != null, name + ".bin on the test class path");
            return s.readAllBytes();
        }
    }

    private static byte[] write(WitCodec codec, Object value) {
        ValueCodec.Out out = new ValueCodec.Out(() -> {
            throw new AssertionError("no resources here");
        });
        out.reset();
        codec.write(value, out, "value");
        return out.toArray();
    }

    private static WitValue.ListOf list(WitValue... values) {
        return new WitValue.ListOf(List.of(values));
    }

    private static WitValue.Option some(WitValue v) {
        return new WitValue.Option(Optional.of(v));
    }

    private static WitValue.Record record(Object... nameValue) {
        List<WitValue.FieldValue> fields = new ArrayList<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            fields.add(new WitValue.FieldValue((String) nameValue[i], (WitValue) nameValue[i + 1]));
        }
        return new WitValue.Record(fields);
    }

    private static Map<String, Object> map(Object... nameValue) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], nameValue[i + 1]);
        }
        return m;
    }
}
