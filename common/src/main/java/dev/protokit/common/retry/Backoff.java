package dev.protokit.common.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter for anything that retries: a client reconnecting, a mail
 * outbox retrying its SMTP server. Attempt {@code n} (0-based) waits a random time in
 * {@code [base * 2^n / 2, base * 2^n]}, capped at {@code max}, so a crowd of clients that lost
 * the same server does not come back in lock-step. Immutable; the attempt count is the caller's.
 *
 * @param base the delay before the first retry (at most; the jitter may halve it)
 * @param max  the longest delay, reached after a few doublings and kept from then on
 */
public record Backoff(Duration base, Duration max) {
    public Backoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        if (!base.isPositive() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= max, got " + base + " and " + max);
        }
    }

    /** The longest delay attempt {@code attempt} may wait: {@code min(max, base * 2^attempt)}. */
    public Duration ceiling(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0, got " + attempt);
        }
        // Doubling past 2^30 overflows long nanoseconds long after max is reached: stop there.
        int doublings = Math.min(attempt, 30);
        long nanos = base.toNanos();
        for (int i = 0; i < doublings && nanos < max.toNanos(); i++) {
            nanos *= 2;
        }
        return Duration.ofNanos(Math.min(nanos, max.toNanos()));
    }

    /** The delay before retry {@code attempt}: uniformly random in the upper half of its ceiling. */
    public Duration delay(int attempt, RandomGenerator random) {
        long ceiling = ceiling(attempt).toNanos();
        long half = ceiling / 2;
        return Duration.ofNanos(half + random.nextLong(ceiling - half + 1));
    }
}
