package dev.protokit.common.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
    private final AtomicLong now = new AtomicLong();
    private final LogThrottle throttle = new LogThrottle(3, Duration.ofSeconds(10), now::get);

    @Test
    void aFloodWritesBurstLinesPerIntervalAndCountsTheRest() {
        int logged = 0;
        for (int i = 0; i < 10_000; i++) {
            if (throttle.admit().isPresent()) {
                logged++;
            }
        }
        assertEquals(3, logged);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertEquals(OptionalLong.of(9_997), throttle.admit());   // the next line says how many were left out
        assertEquals(OptionalLong.of(0), throttle.admit());
    }

    @Test
    void quietTrafficIsLoggedLineForLine() {
        for (int i = 0; i < 20; i++) {
            assertEquals(OptionalLong.of(0), throttle.admit());
            now.addAndGet(Duration.ofSeconds(4).toNanos());
        }
    }

    @Test
    void suffixNamesTheCountOnlyWhenSomethingWasLeftOut() {
        assertEquals("", LogThrottle.suffix(0));
        assertTrue(LogThrottle.suffix(12).contains("12 more"));
    }
}
