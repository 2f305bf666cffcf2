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

    @Test
    void aFloodOfNewKeysOnAFullTableCostsConstantWorkPerFailure() {
        var big = new FailureThrottle<String>(new FailureThrottle.Policy(
                2, Duration.ofMillis(100), Duration.ofMillis(350), 6, Duration.ofMinutes(10), Duration.ofHours(1), 10_000), clock);
        for (int i = 0; i < 2_000; i++) {          // some locked out, to be kept through the flood
            for (int k = 0; k < 6; k++) {
                big.recordFailure("locked" + i);
            }
        }
        for (int i = 0; i < 8_000; i++) {
            big.recordFailure("old" + i);
        }
        long before = big.marksExamined();
        int flood = 50_000;
        for (int i = 0; i < flood; i++) {
            big.recordFailure("new" + i);
        }
        long perFailure = (big.marksExamined() - before) / flood;
        assertTrue(perFailure <= 4, "marks examined per failure: " + perFailure);   // a scan would be ~10,000
        assertEquals(10_000, big.trackedKeys());
        assertTrue(big.isLockedOut("locked0") && big.isLockedOut("locked1999"));
    }

    @Test
    void oneKeyFailingOverAndOverKeepsTheQueuesSmall() {
        for (int i = 0; i < 10_000; i++) {
            throttle.recordFailure("a");
            throttle.recordSuccess("b");
        }
        assertTrue(throttle.marksExamined() < 3 * 10_000, "compaction work " + throttle.marksExamined());
        assertTrue(throttle.isLockedOut("a"));
        assertEquals(1, throttle.trackedKeys());
    }

    @Test
    void whenEveryKeyIsLockedOutTheLockoutEndingFirstMakesRoom() {
        for (String key : new String[] {"x", "y", "z"}) {
            for (int i = 0; i < 6; i++) {
                throttle.recordFailure(key);
            }
            clock.advance(Duration.ofSeconds(1));
        }
        throttle.recordFailure("w");
        assertFalse(throttle.isLockedOut("x"));
        assertTrue(throttle.isLockedOut("y") && throttle.isLockedOut("z"));
        assertEquals(3, throttle.trackedKeys());
    }

    @Test
    void anEndedLockoutMakesRoomBeforeAFreshFailure() {
        for (int i = 0; i < 6; i++) {
            throttle.recordFailure("was-locked");
        }
        clock.advance(Duration.ofMinutes(11));     // its lockout has ended
        throttle.recordFailure("fresh1");
        throttle.recordFailure("fresh2");
        throttle.recordFailure("fresh3");          // the table is full: the ended lockout goes
        assertEquals(Duration.ZERO, throttle.recordFailure("fresh1"));
        assertEquals(3, throttle.trackedKeys());
        assertEquals(Duration.ZERO, throttle.recordFailure("was-locked"));   // forgotten: a first failure again
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
