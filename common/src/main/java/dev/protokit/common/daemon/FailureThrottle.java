package dev.protokit.common.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down and then locks out whoever keeps failing to authenticate, per key (a peer address,
 * a user name). The first {@code freeFailures} failures cost nothing; each one after that doubles
 * the delay up to {@code maxDelay}; {@code lockoutAfter} failures lock the key out for
 * {@code lockoutDuration}. A success clears the key. Memory is bounded by {@code maxKeys}: stale
 * entries are dropped first, then ones not locked out, and locked-out ones last, so a flood of
 * new keys can neither grow the map nor cheaply free a locked-out key.
 * Key IPv6 peers with {@link Addresses#limitKey} so a host cannot escape by changing address.
 */
public final class FailureThrottle<K> {

    /** The throttling policy. */
    public record Policy(int freeFailures, Duration baseDelay, Duration maxDelay, int lockoutAfter,
                         Duration lockoutDuration, Duration forgetAfter, int maxKeys) {
        public Policy {
            if (freeFailures < 0 || lockoutAfter < 1 || maxKeys < 1) {
                throw new IllegalArgumentException("freeFailures >= 0, lockoutAfter >= 1 and maxKeys >= 1 required");
            }
            Objects.requireNonNull(baseDelay, "baseDelay");
            Objects.requireNonNull(maxDelay, "maxDelay");
            Objects.requireNonNull(lockoutDuration, "lockoutDuration");
            Objects.requireNonNull(forgetAfter, "forgetAfter");
        }

        /** 3 free failures, then 250 ms doubling to 5 s; 10 failures lock out for 15 minutes. */
        public static Policy defaults() {
            return new Policy(3, Duration.ofMillis(250), Duration.ofSeconds(5), 10,
                    Duration.ofMinutes(15), Duration.ofHours(1), 100_000);
        }
    }

    private record Entry(int failures, Instant lastFailure, Instant lockedUntil) {}

    private final Policy policy;
    private final Clock clock;
    private final ConcurrentHashMap<K, Entry> entries = new ConcurrentHashMap<>();

    /** A throttle with {@code policy} on the system clock. */
    public FailureThrottle(Policy policy) {
        this(policy, Clock.systemUTC());
    }

    /** A throttle with {@code policy} on {@code clock} (tests move time by hand). */
    public FailureThrottle(Policy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** True while {@code key} is locked out; callers refuse without checking credentials. */
    public boolean isLockedOut(K key) {
        Entry e = entries.get(key);
        return e != null && e.lockedUntil() != null && clock.instant().isBefore(e.lockedUntil());
    }

    /** Records a failure and returns how long to wait before answering it. */
    public Duration recordFailure(K key) {
        Instant now = clock.instant();
        if (entries.size() >= policy.maxKeys()) {
            evict(now);
        }
        Entry e = entries.compute(key, (k, old) -> {
            int failures = old == null || expired(old, now) ? 1 : old.failures() + 1;
            Instant locked = failures >= policy.lockoutAfter() ? now.plus(policy.lockoutDuration())
                    : old == null ? null : old.lockedUntil();
            return new Entry(failures, now, locked);
        });
        int paid = e.failures() - policy.freeFailures();
        if (paid <= 0) {
            return Duration.ZERO;
        }
        Duration delay = policy.baseDelay().multipliedBy(1L << Math.min(paid - 1, 20));
        return delay.compareTo(policy.maxDelay()) > 0 ? policy.maxDelay() : delay;
    }

    /** Forgets {@code key}'s failures after a success. */
    public void recordSuccess(K key) {
        entries.remove(key);
    }

    /** Keys tracked now (for tests and metrics). */
    public int trackedKeys() {
        return entries.size();
    }

    private boolean expired(Entry e, Instant now) {
        boolean locked = e.lockedUntil() != null && now.isBefore(e.lockedUntil());
        return !locked && e.lastFailure().plus(policy.forgetAfter()).isBefore(now);
    }

    private void evict(Instant now) {
        entries.values().removeIf(e -> expired(e, now));
        dropUntilBelowBound(e -> e.lockedUntil() == null || !now.isBefore(e.lockedUntil()));
        dropUntilBelowBound(e -> true);
    }

    private void dropUntilBelowBound(java.util.function.Predicate<Entry> droppable) {
        Iterator<Entry> it = entries.values().iterator();
        while (entries.size() >= policy.maxKeys() && it.hasNext()) {
            if (droppable.test(it.next())) {
                it.remove();
            }
        }
    }
}
