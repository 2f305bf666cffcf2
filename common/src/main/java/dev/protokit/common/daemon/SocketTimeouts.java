package dev.protokit.common.daemon;

import java.time.Duration;

/**
 * Converts configured durations to the {@code int} milliseconds of {@code Socket.setSoTimeout}.
 * Durations longer than {@link #MAX} cannot be expressed there, so flags are refused above it
 * when parsed ({@link DurationConverter}) and configurations when built.
 */
public final class SocketTimeouts {
    /** The longest socket timeout: {@code Integer.MAX_VALUE} ms is 24 days 20 hours; 24 days is what flags may say. */
    public static final Duration MAX = Duration.ofDays(24);

    private SocketTimeouts() {
    }

    /** {@code 0} (no timeout) for {@code ZERO}, else the milliseconds, at least 1. */
    public static int millis(Duration timeout) {
        if (timeout.isZero()) {
            return 0;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /** Refuses {@code value} (named {@code what}) when negative or longer than {@link #MAX}. */
    static void requireSocketTimeout(String what, Duration value) {
        if (value.isNegative() || value.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(what + " must be between 0 and " + MAX.toDays() + " days, got " + value);
        }
    }
}
