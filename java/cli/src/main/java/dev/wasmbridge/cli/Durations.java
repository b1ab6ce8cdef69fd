package dev.wasmbridge.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code --timeout} values: a number with a unit ({@code 500ms}, {@code 10s}, {@code 1.5s},
 * {@code 2m}, {@code 1h}, also combined: {@code 1m30s}; units {@code ns us ms s m h}), or ISO-8601
 * ({@code PT10S}, {@code PT0.5S}).
 */
final class Durations implements ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
    static final String HELP = "a number with a unit (500ms, 10s, 1.5s, 2m, 1h, 1m30s) or ISO-8601 (PT10S)";

    @Override
    public Duration convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException with a message that says what is accepted
     */
    static Duration parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw invalid(text);
        }
        if (s.charAt(0) == 'P' || s.charAt(0) == 'p') {
            Duration d;
            try {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
            if (d.isNegative()) {
                throw new IllegalArgumentException("'" + text + "' is negative; a timeout must not be");
            }
            return d;
        }
        Matcher m = PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw invalid(text);
            }
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            at = m.end();
        }
        try {
            return Duration.ofNanos(nanos.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
        } catch (ArithmeticException tooLong) {
            throw new IllegalArgumentException("'" + text + "' is too long (at most about 292 years)");
        }
    }

    private static long unitNanos(String unit) {
        switch (unit) {
            case "ns":
                return 1L;
            case "us":
            case "µs":
                return 1_000L;
            case "ms":
                return 1_000_000L;
            case "s":
                return 1_000_000_000L;
            case "m":
                return 60_000_000_000L;
            default: // "h"
                return 3_600_000_000_000L;
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration: use " + HELP);
    }

    /** Formats a duration for messages, the way a person would write it: {@code 200ms}, {@code 10s}, {@code 1m30s}. */
    static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException tooLong) {
            return d.toString();
        }
        if (nanos % 1_000_000L != 0) {
            return nanos % 1_000L == 0 ? nanos / 1_000L + "us" : nanos + "ns";
        }
        long millis = nanos / 1_000_000L;
        if (millis % 1_000L != 0) {
            return millis >= 1_000L ? BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s" : millis + "ms";
        }
        long seconds = millis / 1_000L;
        StringBuilder sb = new StringBuilder();
        if (seconds >= 3600) {
            sb.append(seconds / 3600).append('h');
            seconds %= 3600;
        }
        if (seconds >= 60) {
            sb.append(seconds / 60).append('m');
            seconds %= 60;
        }
        if (seconds > 0) {
            sb.append(seconds).append('s');
        }
        return sb.toString();
    }
}
