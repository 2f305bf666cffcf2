package dev.protokit.common.daemon;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses durations the way operators write them: {@code 250ms}, {@code 30s}, {@code 5m},
 * {@code 2h}, {@code 1d}, a bare number of seconds, or ISO-8601 ({@code PT30S}). Refuses, as a
 * usage error when the flag is parsed, negative and overflowing durations; {@link Timeout}
 * also refuses durations above {@link SocketTimeouts#MAX} (24 days), for flags that end up in a
 * socket timeout, which longer ones would overflow; {@link PositiveTimeout} refuses 0 as well.
 */
public class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String text) {
        return parse(text);
    }

    /** For timeouts (idle, handshake, login, data): at most {@link SocketTimeouts#MAX}. */
    public static final class Timeout extends DurationConverter {
        @Override
        public Duration convert(String text) {
            Duration d = parse(text);
            if (d.compareTo(SocketTimeouts.MAX) > 0) {
                throw new TypeConversionException("'" + text + "' is longer than the longest timeout allowed, "
                        + SocketTimeouts.MAX.toDays() + "d");
            }
            return d;
        }
    }

    /**
     * For timeouts that bound a wait (idle, handshake, login, data): also at least 1 ms, since a
     * socket timeout of 0 means "wait for ever" and would switch the limit off unnoticed.
     */
    public static final class PositiveTimeout extends DurationConverter {
        private final Timeout bounded = new Timeout();

        @Override
        public Duration convert(String text) {
            Duration d = bounded.convert(text);
            if (d.compareTo(Duration.ofMillis(1)) < 0) {
                throw new TypeConversionException("'" + text + "' is not a usable timeout: it must be at least 1ms");
            }
            return d;
        }
    }

    /** Parses {@code text}; throws picocli's conversion error (a usage error) when malformed. */
    public static Duration parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.startsWith("pt") || t.startsWith("p")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("d")) {
                d = Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(t));
            }
            if (d.isNegative()) {
                throw new TypeConversionException("negative duration '" + text + "'");
            }
            return d;
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new TypeConversionException(
                    "'" + text + "' is not a duration (examples: 250ms, 30s, 5m, 2h, PT30S)");
        }
    }
}
