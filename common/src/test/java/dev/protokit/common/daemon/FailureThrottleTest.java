package dev.protokit.common.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {
    private final MutableClock clock = new MutableClock();
    private final FailureThrottle.Policy policy = new FailureThrottle.Policy(
            2, Duration.ofMillis(100), Duration.ofMillis(350), 6, Duration.ofMinutes(10), Duration.ofHours(1), 3);
    private final FailureThrottle<String> throttle = new FailureThrottle<>(policy, clock);

    @Test
    void freeFailuresThenDoublingDelayCappedAtMax() {
        assertEquals(Duration.ZERO, throttle.recordFailure("a"));
        assertEquals(Duration.ZERO, throttle.recordFailure("a"));
        assertEquals(Duration.ofMillis(100), throttle.recordFailure("a"));
        assertEquals(Duration.ofMillis(200), throttle.recordFailure("a"));
        assertEquals(Duration.ofMillis(350), throttle.recordFailure("a"));
    }

    @Test
    void locksOutAfterTheLimitUntilTheLockoutEnds() {
        for (int i = 0; i < 5; i++) {
            throttle.recordFailure("a");
        }
        assertFalse(throttle.isLockedOut("a"));
        throttle.recordFailure("a");
        assertTrue(throttle.isLockedOut("a"));
        assertFalse(throttle.isLockedOut("b"));
        clock.advance(Duration.ofMinutes(11));
        assertFalse(throttle.isLockedOut("a"));
    }

    @Test
    void successForgetsTheKey() {
        throttle.recordFailure("a");
        throttle.recordFailure("a");
        throttle.recordSuccess("a");
        assertEquals(Duration.ZERO, throttle.recordFailure("a"));
    }

    @Test
    void failuresAreForgottenAfterAQuietPeriod() {
        for (int i = 0; i < 4; i++) {
            throttle.recordFailure("a");
        }
        clock.advance(Duration.ofHours(2));
        assertEquals(Duration.ZERO, throttle.recordFailure("a"));
    }

    @Test
    void aFloodOfNewKeysCannotGrowTheTableBeyondItsBound() {
        for (int i = 0; i < 1_000; i++) {
            throttle.recordFailure("k" + i);
        }
        assertTrue(throttle.trackedKeys() <= 3, "tracked " + throttle.trackedKeys());
    }

    @Test
    void aFloodOfNewKeysDoesNotFreeALockedOutKey() {
        for (int i = 0; i < 6; i++) {
            throttle.recordFailure("attacker");
        }
        assertTrue(throttle.isLockedOut("attacker"));
        for (int i = 0; i < 1_000; i++) {
            throttle.recordFailure("k" + i);
        }
        assertTrue(throttle.isLockedOut("attacker"));
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
