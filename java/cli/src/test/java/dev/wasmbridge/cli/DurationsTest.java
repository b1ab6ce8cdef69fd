package dev.wasmbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "10s, PT10S",
        "2m, PT2M",
        "1h, PT1H",
        "1.5s, PT1.5S",
        "1m30s, PT1M30S",
        "250us, PT0.00025S",
        "7ns, PT0.000000007S",
        "0s, PT0S",
        "PT10S, PT10S",
        "pt0.5s, PT0.5S",
        "P1DT1H, PT25H",
        "' 200ms ', PT0.2S",
    })
    void parses(String text, String iso) {
        assertEquals(Duration.parse(iso), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "ms", "10x", "-1s", "1.s", "1 s", "10s5", "PT-1S", "PTxS", "s10"})
    void refusesWithAMessageThatSaysWhatIsAccepted(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"PT0.2S, 200ms", "PT10S, 10s", "PT1.5S, 1.5s", "PT1M30S, 1m30s", "PT2H, 2h", "PT0S, 0s",
        "PT0.000001S, 1us", "PT0.000000007S, 7ns"})
    void formatsTheWayItParses(String iso, String text) {
        assertEquals(text, Durations.format(Duration.parse(iso)));
        assertEquals(Duration.parse(iso), Durations.parse(text));
    }

    @org.junit.jupiter.api.Test
    void tooLongIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Durations.parse("1000000000h"));
        assertTrue(e.getMessage().contains("too long"), e.getMessage());
    }
}
