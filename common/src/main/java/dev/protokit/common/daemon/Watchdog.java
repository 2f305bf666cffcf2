package dev.protokit.common.daemon;

import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Runs a periodic check (stalled transfers, stuck writes) on its own daemon thread until closed.
 * A check that throws is logged and runs again at the next period: a scheduled executor would
 * cancel it for good after one exception, silently ending every later check.
 */
public final class Watchdog implements AutoCloseable {
    private final Thread thread;
    private volatile boolean closed;

    private Watchdog(String name, Duration period, Runnable check, Logger log) {
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(() -> loop(period, check, log));
    }

    /** Starts running {@code check} every {@code period} on a thread named {@code name}. */
    public static Watchdog start(String name, Duration period, Runnable check, Logger log) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, got " + period);
        }
        var watchdog = new Watchdog(Objects.requireNonNull(name, "name"), period,
                Objects.requireNonNull(check, "check"), Objects.requireNonNull(log, "log"));
        watchdog.thread.start();
        return watchdog;
    }

    private void loop(Duration period, Runnable check, Logger log) {
        LogThrottle failures = LogThrottle.perPeerEvents();
        while (!closed) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return; // closed
            }
            try {
                check.run();
            } catch (RuntimeException e) {
                var logged = failures.admit();
                if (logged.isPresent()) {
                    log.error("{} check failed; it runs again in {} ms{}", thread.getName(), period.toMillis(),
                            LogThrottle.suffix(logged.getAsLong()), e);
                }
            }
        }
    }

    /** Whether the watchdog thread is still running (for tests). */
    boolean isRunning() {
        return thread.isAlive();
    }

    /** Stops the checks; a check in progress completes. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
