package dev.protokit.common.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    @Test
    void ceilingDoublesUpToTheMaximumAndStaysThere() {
        assertEquals(Duration.ofMillis(500), backoff.ceiling(0));
        assertEquals(Duration.ofSeconds(1), backoff.ceiling(1));
        assertEquals(Duration.ofSeconds(16), backoff.ceiling(5));
        assertEquals(Duration.ofSeconds(30), backoff.ceiling(6));
        assertEquals(Duration.ofSeconds(30), backoff.ceiling(Integer.MAX_VALUE));
    }

    @Test
    void delayIsInTheUpperHalfOfTheCeiling() {
        var random = new SplittableRandom(7);
        for (int attempt = 0; attempt < 12; attempt++) {
            Duration ceiling = backoff.ceiling(attempt);
            for (int i = 0; i < 200; i++) {
                Duration d = backoff.delay(attempt, random);
                assertTrue(d.compareTo(ceiling) <= 0 && d.compareTo(ceiling.dividedBy(2)) >= 0, d + " vs " + ceiling);
            }
        }
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> backoff.ceiling(-1));
    }
}
