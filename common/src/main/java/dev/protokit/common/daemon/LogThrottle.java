package dev.protokit.common.daemon;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Bounds how many lines an event that a peer can cause at will (a refused connection, a
 * dropped datagram) writes to the journal: at most {@code burst} lines per {@code interval};
 * past that, events are only counted, and the next line that is written says how many were
 * left out. A flood costs a few lines a second, not one per packet.
 */
public final class LogThrottle {
    private final int burst;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private long windowStart;
    private int loggedInWindow;
    private long suppressed;

    /** At most {@code burst} lines per {@code interval}, on {@link System#nanoTime()}. */
    public LogThrottle(int burst, Duration interval) {
        this(burst, interval, System::nanoTime);
    }

    /** As above on {@code nanoClock} (tests move time by hand). */
    public LogThrottle(int burst, Duration interval, LongSupplier nanoClock) {
        if (burst < 1 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("burst >= 1 and a positive interval required");
        }
        this.burst = burst;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.windowStart = nanoClock.getAsLong();
    }

    /** The default for per-peer events: 10 lines per 10 seconds. */
    public static LogThrottle perPeerEvents() {
        return new LogThrottle(10, Duration.ofSeconds(10));
    }

    /**
     * Records one event. Empty: do not log it. Present: log it, mentioning the count of events
     * left out since the last line when that count is not zero.
     */
    public OptionalLong admit() {
        long now = nanoClock.getAsLong();
        lock.lock();
        try {
            if (now - windowStart >= intervalNanos) {
                windowStart = now;
                loggedInWindow = 0;
            }
            if (loggedInWindow >= burst) {
                suppressed++;
                return OptionalLong.empty();
            }
            loggedInWindow++;
            long left = suppressed;
            suppressed = 0;
            return OptionalLong.of(left);
        } finally {
            lock.unlock();
        }
    }

    /** {@code " (N more not logged)"} for a count above zero, else the empty string. */
    public static String suffix(long leftOut) {
        return leftOut > 0 ? " (" + leftOut + " more not logged)" : "";
    }
}
