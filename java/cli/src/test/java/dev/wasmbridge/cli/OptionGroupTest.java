package dev.wasmbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Wasmtime's {@code KEY[=VALUE]} option groups ({@link OptionGroup}) and how run splits them. */
class OptionGroupTest {
    private static final Map<String, String> KEYS = Map.of("flag", "[=y|n]", "size", "=BYTES", "n", "=N");

    private static OptionGroup group(String... items) {
        return new OptionGroup("-X", List.of(items), KEYS);
    }

    @Test
    void booleansInWasmtimesSpellings() {
        assertEquals(Optional.of(true), group("flag").bool("flag"));
        for (String yes : List.of("y", "yes", "true", "Y")) {
            assertEquals(Optional.of(true), group("flag=" + yes).bool("flag"));
        }
        for (String no : List.of("n", "no", "false")) {
            assertEquals(Optional.of(false), group("flag=" + no).bool("flag"));
        }
        assertEquals(Optional.empty(), group().bool("flag"));
        assertEquals(Optional.of(false), group("flag", "flag=n").bool("flag")); // the last one wins
        CliException e = assertThrows(CliException.class, () -> group("flag=maybe").bool("flag"));
        assertEquals(CliException.USAGE, e.exitCode());
        assertEquals("-X flag=maybe: expected y or n", e.getMessage());
    }

    @Test
    void numbersAndSizes() {
        assertEquals(Optional.of(64L << 20), group("size=64M").number("size", true));
        assertEquals(Optional.of(2048L), group("size=2k").number("size", true));
        assertEquals(Optional.of(255L), group("n=0xff").number("n", false));
        assertEquals(Optional.of(7L), group("n=7").number("n", false));
        for (String bad : List.of("n=-1", "n=1K", "n=", "n=x")) {
            assertThrows(CliException.class, () -> group(bad).number("n", false), bad);
        }
        assertThrows(CliException.class, () -> group("size=9999999999T").number("size", true));
        assertTrue(assertThrows(CliException.class, () -> group("n").number("n", false)).getMessage()
                .contains("-X n needs a value"));
    }

    @Test
    void anUnknownKeyListsTheGroup() {
        CliException e = assertThrows(CliException.class, () -> group("flag", "nope=1"));
        assertTrue(e.getMessage().startsWith("-X has no option 'nope'; its options:"), e.getMessage());
        assertTrue(e.getMessage().contains("\n  -X size=BYTES"), e.getMessage());
    }

    @Test
    void runSplitsGroupsAtCommas() {
        RunCommand run = (RunCommand) Main.commandLine().parseArgs("run", "-W", "fuel=5,timeout=1s", "-W", "max-wasm-stack=1M",
                "-C", "cache=n", "-S", "inherit-env", "-O", "opt-level=s", "m.wasm").subcommand().commandSpec().userObject();
        assertEquals(List.of("fuel=5", "timeout=1s", "max-wasm-stack=1M"), run.options.wasm);
        assertEquals(List.of("cache=n"), run.options.codegen);
        assertEquals(List.of("inherit-env"), run.options.wasi);
        assertEquals(List.of("opt-level=s"), run.options.optimize);
        assertFalse(run.allowPrecompiled);
    }
}
