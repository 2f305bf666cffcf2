package dev.protokit.common.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class RequestRateTest {
    private long now = 1_000_000_000L;
    private final RequestRate rate = new RequestRate(new RequestRate.Policy(10, 3, 4), () -> now);

    @Test
    void allowsABurstThenTheSteadyRate() throws UnknownHostException {
        InetAddress victim = InetAddress.getByName("192.0.2.1");
        assertTrue(rate.tryAcquire(victim));
        assertTrue(rate.tryAcquire(victim));
        assertTrue(rate.tryAcquire(victim));
        assertFalse(rate.tryAcquire(victim));
        now += 100_000_000L; // 0.1 s earns one token at 10/s
        assertTrue(rate.tryAcquire(victim));
        assertFalse(rate.tryAcquire(victim));
    }

    @Test
    void limitsAWholeIpv6Slash64AsOneSource() throws UnknownHostException {
        for (int i = 1; i <= 3; i++) {
            assertTrue(rate.tryAcquire(InetAddress.getByName("2001:db8:1:2::" + i)));
        }
        assertFalse(rate.tryAcquire(InetAddress.getByName("2001:db8:1:2:ffff::1")));
        assertTrue(rate.tryAcquire(InetAddress.getByName("2001:db8:1:3::1")));
    }

    @Test
    void neverLimitsLoopbackSources() throws UnknownHostException {
        for (int i = 0; i < 1_000; i++) {
            assertTrue(rate.tryAcquire(InetAddress.getLoopbackAddress()));
        }
        assertEquals(0, rate.trackedSources());
    }

    @Test
    void aFloodOfSourcesIsBoundedAndIdleBucketsMakeRoom() throws UnknownHostException {
        for (int i = 1; i <= 4; i++) {
            assertTrue(rate.tryAcquire(InetAddress.getByName("198.51.100." + i)));
        }
        assertFalse(rate.tryAcquire(InetAddress.getByName("198.51.100.99")), "table full of busy sources");
        assertEquals(4, rate.trackedSources());
        now += 1_000_000_000L; // every bucket refills and becomes idle
        assertTrue(rate.tryAcquire(InetAddress.getByName("198.51.100.99")));
        assertTrue(rate.trackedSources() <= 4);
    }

    @Test
    void aFullTableCostsNoScanPerNewSource() {
        // Before the fix every refused new source scanned all 65,536 buckets: 200,000 spoofed
        // sources took billions of steps (minutes); now each is a look-up and at most two evictions.
        var frozen = new RequestRate(RequestRate.Policy.defaults(), () -> 0L);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            int granted = 0;
            for (int i = 0; i < 265_536; i++) {
                byte[] v4 = {(byte) 10, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
                if (frozen.tryAcquire(InetAddress.getByAddress(v4))) {
                    granted++;
                }
            }
            assertEquals(RequestRate.Policy.defaults().maxKeys(), granted);
        });
        assertEquals(RequestRate.Policy.defaults().maxKeys(), frozen.trackedSources());
    }
}
