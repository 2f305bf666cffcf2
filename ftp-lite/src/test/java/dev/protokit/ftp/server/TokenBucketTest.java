package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The rate limit: a one-second burst, then callers wait for what they take (lower bounds only). */
class TokenBucketTest {

    @Test
    void burstIsFreeThenDebtIsWaitedFor() {
        var bucket = new TokenBucket(100_000);
        long start = System.nanoTime();
        bucket.take(100_000);                                   // the burst
        bucket.take(50_000);                                    // half a second of debt
        long waited = System.nanoTime() - start;
        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(450), "waited only " + waited + " ns");
    }

    @Test
    void sharedBucketDividesTheRate() throws Exception {
        var bucket = new TokenBucket(200_000);
        bucket.take(200_000);
        long start = System.nanoTime();
        Thread a = Thread.ofVirtual().start(() -> bucket.take(50_000));
        Thread b = Thread.ofVirtual().start(() -> bucket.take(50_000));
        a.join();
        b.join();
        // 100 000 bytes at 200 000 B/s: the later of the two cannot finish before 0.5 s.
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(450));
    }

    @Test
    void chunksAreBoundedAndRatesPositive() {
        assertEquals(1024, new TokenBucket(1).chunk());
        assertEquals(256 * 1024, new TokenBucket(1L << 40).chunk());
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0));
    }
}
