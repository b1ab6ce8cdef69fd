package dev.wasmbridge.spec;

import dev.wasmbridge.TrapCode;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The spec scripts' trap messages ({@code assert_trap}, {@code assert_exhaustion}) and the {@link TrapCode}s
 * that satisfy each. The spec's reference interpreter words its messages its own way; a message not in
 * the table is satisfied by a code whose description contains it.
 */
final class TrapMessages {
    private static final Set<TrapCode> OUT_OF_BOUNDS =
            EnumSet.of(TrapCode.MEMORY_OUT_OF_BOUNDS, TrapCode.TABLE_OUT_OF_BOUNDS, TrapCode.ARRAY_OUT_OF_BOUNDS);

    private static final Map<String, Set<TrapCode>> TABLE = Map.ofEntries(
            Map.entry("out of bounds memory access", EnumSet.of(TrapCode.MEMORY_OUT_OF_BOUNDS)),
            Map.entry("out of bounds table access", EnumSet.of(TrapCode.TABLE_OUT_OF_BOUNDS)),
            Map.entry("out of bounds array access", EnumSet.of(TrapCode.ARRAY_OUT_OF_BOUNDS)),
            Map.entry("out of bounds", OUT_OF_BOUNDS),
            Map.entry("undefined element", EnumSet.of(TrapCode.TABLE_OUT_OF_BOUNDS)),
            Map.entry("undefined", EnumSet.of(TrapCode.TABLE_OUT_OF_BOUNDS)),
            Map.entry("uninitialized element", EnumSet.of(TrapCode.INDIRECT_CALL_TO_NULL)),
            Map.entry("uninitialized", EnumSet.of(TrapCode.INDIRECT_CALL_TO_NULL)),
            Map.entry("indirect call type mismatch", EnumSet.of(TrapCode.BAD_SIGNATURE)),
            Map.entry("indirect call", EnumSet.of(TrapCode.BAD_SIGNATURE)),
            Map.entry("unreachable", EnumSet.of(TrapCode.UNREACHABLE_CODE_REACHED)),
            Map.entry("integer overflow", EnumSet.of(TrapCode.INTEGER_OVERFLOW)),
            Map.entry("integer divide by zero", EnumSet.of(TrapCode.INTEGER_DIVISION_BY_ZERO)),
            Map.entry("invalid conversion to integer", EnumSet.of(TrapCode.BAD_CONVERSION_TO_INTEGER)),
            Map.entry("unaligned atomic", EnumSet.of(TrapCode.HEAP_MISALIGNED)),
            Map.entry("expected shared memory", EnumSet.of(TrapCode.ATOMIC_WAIT_NON_SHARED_MEMORY)),
            Map.entry("cast failure", EnumSet.of(TrapCode.CAST_FAILURE)),
            Map.entry("null reference", EnumSet.of(TrapCode.NULL_REFERENCE)),
            Map.entry("null function reference", EnumSet.of(TrapCode.NULL_REFERENCE)),
            Map.entry("null structure reference", EnumSet.of(TrapCode.NULL_REFERENCE)),
            Map.entry("null array reference", EnumSet.of(TrapCode.NULL_REFERENCE)),
            Map.entry("null i31 reference", EnumSet.of(TrapCode.NULL_REFERENCE)),
            Map.entry("call stack exhausted", EnumSet.of(TrapCode.STACK_OVERFLOW)));

    private TrapMessages() {
    }

    /** The codes that satisfy {@code message} ("uninitialized element 2" is "uninitialized element"). */
    static Set<TrapCode> codesFor(String message) {
        String m = message.strip().replaceFirst(" \\d+$", "");
        Set<TrapCode> codes = TABLE.get(m);
        if (codes != null) {
            return codes;
        }
        Set<TrapCode> found = EnumSet.noneOf(TrapCode.class);
        for (TrapCode c : TrapCode.values()) {
            if (c.description().toLowerCase(Locale.ROOT).contains(m.toLowerCase(Locale.ROOT))) {
                found.add(c);
            }
        }
        return found;
    }
}
