package dev.protokit.common.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    @Test
    void readsOperatorUnits() {
        assertEquals(Duration.ofMillis(250), DurationConverter.parse("250ms"));
        assertEquals(Duration.ofSeconds(30), DurationConverter.parse("30s"));
        assertEquals(Duration.ofMinutes(5), DurationConverter.parse("5m"));
        assertEquals(Duration.ofHours(2), DurationConverter.parse("2h"));
        assertEquals(Duration.ofDays(1), DurationConverter.parse("1d"));
        assertEquals(Duration.ofSeconds(7), DurationConverter.parse("7"));
        assertEquals(Duration.ofSeconds(30), DurationConverter.parse("PT30S"));
        assertEquals(Duration.ofSeconds(30), DurationConverter.parse("pt30s"));
        assertEquals(Duration.ofDays(30), DurationConverter.parse("30d"));   // a retention period may be long
    }

    @ParameterizedTest
    @ValueSource(strings = {"25d", "PT577H", "9999999999999999d"})
    void timeoutsLongerThanASocketCanHoldAreRefused(String text) {
        assertThrows(TypeConversionException.class, () -> new DurationConverter.Timeout().convert(text));
    }

    @Test
    void theLongestTimeoutIsTwentyFourDays() {
        assertEquals(Duration.ofDays(24), new DurationConverter.Timeout().convert("24d"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "0ms", "PT0.0005S", "PT0S"})
    void waitsThatWouldNeverEndAreRefusedAsTimeouts(String text) {
        assertThrows(TypeConversionException.class, () -> new DurationConverter.PositiveTimeout().convert(text));
        assertEquals(Duration.ZERO, new DurationConverter.Timeout().convert(text).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    @Test
    void theShortestTimeoutIsAMillisecond() {
        assertEquals(Duration.ofMillis(1), new DurationConverter.PositiveTimeout().convert("1ms"));
        assertThrows(TypeConversionException.class, () -> new DurationConverter.PositiveTimeout().convert("25d"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "5 minutes", "-5s", "PT-1S", "1.5s", "9999999999999999d"})
    void rejectsMalformedOrNegative(String text) {
        assertThrows(TypeConversionException.class, () -> DurationConverter.parse(text));
    }
}
