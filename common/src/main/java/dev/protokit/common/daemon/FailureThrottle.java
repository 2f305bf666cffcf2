package dev.protokit.common.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Slows down and then locks out whoever keeps failing to authenticate, per key (a peer address,
 * a user name). The first {@code freeFailures} failures cost nothing; each one after that doubles
 * the delay up to {@code maxDelay}; {@code lockoutAfter} failures lock the key out for
 * {@code lockoutDuration}. A success clears the key. Memory is bounded by {@code maxKeys}: ended
 * lockouts are dropped first, then keys not locked out (oldest failure first, so stale ones
 * before fresh ones), and locked-out ones last, so a flood of new keys can neither grow the map
 * nor cheaply free a locked-out key; each failure costs O(1) amortised, never a scan.
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

    private record Entry(int failures, Instant lastFailure, Instant lockedUntil, long seq) {
        boolean lockedAt(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }
    }

    /** A key's place in an eviction queue; stale once the key has a newer entry (another seq). */
    private record Mark<K>(K key, long seq) {}

    private final Policy policy;
    private final Clock clock;
    private final ConcurrentHashMap<K, Entry> entries = new ConcurrentHashMap<>();
    /** Guards the queues, the sequence and every change to {@code entries}; never held over I/O. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Keys not locked out, oldest failure first (so the stale ones come first). */
    private final ArrayDeque<Mark<K>> unlockedOrder = new ArrayDeque<>();
    /** Locked-out keys, the lockout that ends first at the head. */
    private final ArrayDeque<Mark<K>> lockedOrder = new ArrayDeque<>();
    private long seq;
    private long examined;

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
        return e != null && e.lockedAt(clock.instant());
    }

    /**
     * Records a failure and returns how long to wait before answering it. O(1) amortised: a
     * full table gives up its oldest entry from the head of a queue, never by a scan, so a flood
     * of new keys costs no more than the failures themselves.
     */
    public Duration recordFailure(K key) {
        Instant now = clock.instant();
        Entry e;
        lock.lock();
        try {
            Entry old = entries.get(key);
            if (old == null && entries.size() >= policy.maxKeys()) {
                makeRoom(now);
            }
            int failures = old == null || expired(old, now) ? 1 : old.failures() + 1;
            Instant locked = failures >= policy.lockoutAfter() ? now.plus(policy.lockoutDuration())
                    : old == null ? null : old.lockedUntil();
            e = new Entry(failures, now, locked, ++seq);
            entries.put(key, e);
            (e.lockedAt(now) ? lockedOrder : unlockedOrder).addLast(new Mark<>(key, e.seq()));
            compactIfBloated();
        } finally {
            lock.unlock();
        }
        int paid = e.failures() - policy.freeFailures();
        if (paid <= 0) {
            return Duration.ZERO;
        }
        Duration delay = policy.baseDelay().multipliedBy(1L << Math.min(paid - 1, 20));
        return delay.compareTo(policy.maxDelay()) > 0 ? policy.maxDelay() : delay;
    }

    /** Forgets {@code key}'s failures after a success. */
    public void recordSuccess(K key) {
        lock.lock();
        try {
            entries.remove(key); // its queue mark goes stale and is dropped when reached
        } finally {
            lock.unlock();
        }
    }

    /** Keys tracked now (for tests and metrics). */
    public int trackedKeys() {
        return entries.size();
    }

    /** Queue marks looked at so far, by eviction and compaction (tests check the work per failure). */
    long marksExamined() {
        lock.lock();
        try {
            return examined;
        } finally {
            lock.unlock();
        }
    }

    private boolean expired(Entry e, Instant now) {
        return !e.lockedAt(now) && e.lastFailure().plus(policy.forgetAfter()).isBefore(now);
    }

    /**
     * Drops entries until one more fits: first lockouts that have ended, then the keys not
     * locked out, oldest failure first, and only when every key is locked out, the lockout that
     * ends first. Each step takes one mark off a queue head.
     */
    private void makeRoom(Instant now) {
        while (entries.size() >= policy.maxKeys()) {
            Mark<K> head = lockedOrder.peekFirst();
            if (head != null) {
                examined++;
                Entry current = current(head);
                if (current == null || !current.lockedAt(now)) {
                    lockedOrder.pollFirst();
                    if (current != null) {
                        entries.remove(head.key());
                    }
                    continue;
                }
            }
            Mark<K> oldest = unlockedOrder.pollFirst();
            if (oldest == null) {
                oldest = lockedOrder.pollFirst();
            }
            if (oldest == null) {
                return; // cannot happen: every entry has a current mark in one queue
            }
            examined++;
            if (current(oldest) != null) {
                entries.remove(oldest.key());
            }
        }
    }

    private Entry current(Mark<K> mark) {
        Entry e = entries.get(mark.key());
        return e != null && e.seq() == mark.seq() ? e : null;
    }

    /**
     * Drops stale marks once they outnumber the entries (one key failing over and over leaves
     * one mark per failure): a pass over the queues after at least as many new marks as there
     * are entries, so O(1) amortised.
     */
    private void compactIfBloated() {
        int marks = unlockedOrder.size() + lockedOrder.size();
        if (marks > 2 * entries.size() + 64) {
            examined += marks;
            unlockedOrder.removeIf(m -> current(m) == null);
            lockedOrder.removeIf(m -> current(m) == null);
        }
    }
}
