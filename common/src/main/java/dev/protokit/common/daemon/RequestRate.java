package dev.protokit.common.daemon;

import java.net.InetAddress;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per source address (IPv6: per /64) for unauthenticated UDP requests, so a UDP
 * server cannot be turned into a reflector: whatever a spoofed request makes the server send to
 * its forged source, one victim address receives it at most {@code perSecond} times a second
 * (after a burst of {@code burst}). Over the rate a request is to be dropped without any answer.
 *
 * <p>Loopback sources are never limited: the kernel drops packets claiming a loopback source
 * that arrive from outside the host (martians), so they cannot be forged from the network.
 * Memory is bounded by {@code maxKeys}: full (idle) buckets are dropped first; if a flood of
 * distinct sources still fills the table, new sources are refused until it drains.
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

    private record Bucket(double tokens, long updatedNanos) {}

    private final Policy policy;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

    /** A limiter with {@code policy} on {@link System#nanoTime()}. */
    public RequestRate(Policy policy) {
        this(policy, System::nanoTime);
    }

    /** A limiter with {@code policy} on {@code nanoClock} (tests move time by hand). */
    public RequestRate(Policy policy, LongSupplier nanoClock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Takes one token for a request from {@code source}; false means drop it unanswered. */
    public boolean tryAcquire(InetAddress source) {
        if (source.isLoopbackAddress()) {
            return true;
        }
        InetAddress key = Addresses.limitKey(source);
        long now = nanoClock.getAsLong();
        if (!buckets.containsKey(key) && buckets.size() >= policy.maxKeys()) {
            buckets.values().removeIf(b -> refill(b, now) >= policy.burst());
            if (buckets.size() >= policy.maxKeys()) {
                return false;
            }
        }
        boolean[] granted = new boolean[1];
        buckets.compute(key, (k, old) -> {
            double tokens = old == null ? policy.burst() : refill(old, now);
            granted[0] = tokens >= 1;
            return new Bucket(granted[0] ? tokens - 1 : tokens, now);
        });
        return granted[0];
    }

    /** Addresses tracked now (for tests and metrics). */
    public int trackedSources() {
        return buckets.size();
    }

    private double refill(Bucket b, long now) {
        double earned = (now - b.updatedNanos()) / 1e9 * policy.perSecond();
        return Math.min(policy.burst(), b.tokens() + earned);
    }
}
