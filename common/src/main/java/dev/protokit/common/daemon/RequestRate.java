package dev.protokit.common.daemon;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A token bucket per source address (IPv6: per /64) for unauthenticated UDP requests, so a UDP
 * server cannot be turned into a reflector: whatever a spoofed request makes the server send to
 * its forged source, one victim address receives it at most {@code perSecond} times a second
 * (after a burst of {@code burst}). Over the rate a request is to be dropped without any answer.
 *
 * <p>Loopback sources are never limited: the kernel drops packets claiming a loopback source
 * that arrive from outside the host (martians), so they cannot be forged from the network.
 * Memory is bounded by {@code maxKeys}: idle buckets are dropped from the least recently used
 * end as requests come; if a flood of distinct sources still fills the table, new sources are
 * refused until it drains. Every call is O(1) (issue #9: the old full-table scan cost 65,536
 * steps per new source on the listener thread). Thread-safe: a short lock around a map
 * update, never held across I/O.
 */
public final class RequestRate {

    /** The rate policy. */
    public record Policy(double perSecond, int burst, int maxKeys) {
        public Policy {
            if (!(perSecond > 0) || burst < 1 || maxKeys < 1) {
                throw new IllegalArgumentException("perSecond > 0, burst >= 1 and maxKeys >= 1 required");
            }
        }

        /** 50 requests a second per address, bursts of 100, 65,536 addresses tracked. */
        public static Policy defaults() {
            return new Policy(50, 100, 65_536);
        }
    }

    /** One source's tokens as of {@code updatedNanos}; mutated only under {@link #lock}. */
    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long updatedNanos) {
            this.tokens = tokens;
            this.updatedNanos = updatedNanos;
        }
    }

    /** At most this many idle buckets are dropped per call, so a call costs O(1) whatever the table holds. */
    private static final int EVICTIONS_PER_CALL = 2;

    private final Policy policy;
    private final LongSupplier nanoClock;
    /** Least recently used first, so the eldest entry is the best candidate to be idle. */
    private final LinkedHashMap<InetAddress, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true);
    private final ReentrantLock lock = new ReentrantLock();

    /** A limiter with {@code policy} on {@link System#nanoTime()}. */
    public RequestRate(Policy policy) {
        this(policy, System::nanoTime);
    }

    /** A limiter with {@code policy} on {@code nanoClock} (tests move time by hand). */
    public RequestRate(Policy policy, LongSupplier nanoClock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Takes one token for a request from {@code source}; false means drop it unanswered. O(1):
     * a hash look-up, and at most {@value #EVICTIONS_PER_CALL} idle buckets dropped from the
     * least recently used end (a bucket refilled to the burst carries no information). When the
     * table is full and its least recently used bucket is still busy, a new source is refused.
     */
    public boolean tryAcquire(InetAddress source) {
        if (source.isLoopbackAddress()) {
            return true;
        }
        InetAddress key = Addresses.limitKey(source);
        long now = nanoClock.getAsLong();
        lock.lock();
        try {
            evictIdle(now);
            Bucket bucket = buckets.get(key);
            if (bucket == null) {
                if (buckets.size() >= policy.maxKeys()) {
                    return false;
                }
                bucket = new Bucket(policy.burst(), now);
                buckets.put(key, bucket);
            } else {
                bucket.tokens = refill(bucket, now);
                bucket.updatedNanos = now;
            }
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens -= 1;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void evictIdle(long now) {
        Iterator<Bucket> eldest = buckets.values().iterator();
        for (int i = 0; i < EVICTIONS_PER_CALL && eldest.hasNext(); i++) {
            if (refill(eldest.next(), now) < policy.burst()) {
                return; // the least recently used is busy: so, probably, is every other
            }
            eldest.remove();
        }
    }

    /** Addresses tracked now (for tests and metrics). */
    public int trackedSources() {
        lock.lock();
        try {
            return buckets.size();
        } finally {
            lock.unlock();
        }
    }

    private double refill(Bucket b, long now) {
        double earned = (now - b.updatedNanos) / 1e9 * policy.perSecond();
        return Math.min(policy.burst(), b.tokens + earned);
    }
}
