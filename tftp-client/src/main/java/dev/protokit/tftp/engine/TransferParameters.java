package dev.protokit.tftp.engine;

import dev.protokit.tftp.wire.NegotiatedOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How the engine runs one transfer: the agreed block and window sizes plus the local
 * retransmission policy. The wait before a retransmission is measured from the transfer's
 * round trips ({@link RetransmitTimer}), between {@code minTimeout} and {@code timeout}; the
 * transfer fails with a timeout error once it has retransmitted {@code retries} times in a row
 * without progress and {@code timeout x (retries + 1)} has passed since the last progress, so
 * a fast retransmission never shortens the time a peer is given.
 *
 * @param blockSize  data bytes per DATA block, 8..65464
 * @param windowSize DATA blocks sent before waiting for an ACK, 1..65535 (RFC 7440)
 * @param timeout    the first retransmission timeout
 * @param retries    retransmissions allowed in a row without progress, 0 or more
 * @param linger     how long a receiver stays after its final ACK to re-ACK a repeated last
 *                   DATA block (the lost-final-ACK case); zero to return at once
 * @param minTimeout the shortest retransmission timeout, however fast the round trips
 * @param maxBackoff the longest a backed-off retransmission waits: {@code timeout}, or more
 *                   when no timeout was negotiated (see {@link #of})
 */
public record TransferParameters(int blockSize, int windowSize, Duration timeout, int retries,
                                 Duration linger, Duration minTimeout, Duration maxBackoff) {
    /** The shortest retransmission timeout by default: scheduling jitter on a busy host is not loss. */
    public static final Duration DEFAULT_MIN_TIMEOUT = Duration.ofMillis(20);

    /** Parameters with the default {@link #DEFAULT_MIN_TIMEOUT} (or {@code timeout} if shorter). */
    public TransferParameters(int blockSize, int windowSize, Duration timeout, int retries, Duration linger) {
        this(blockSize, windowSize, timeout, retries, linger,
                timeout.compareTo(DEFAULT_MIN_TIMEOUT) < 0 ? timeout : DEFAULT_MIN_TIMEOUT);
    }

    /** Parameters whose back-off stops at {@code timeout}. */
    public TransferParameters(int blockSize, int windowSize, Duration timeout, int retries, Duration linger,
                              Duration minTimeout) {
        this(blockSize, windowSize, timeout, retries, linger, minTimeout, timeout);
    }

    /** Checks the ranges. */
    public TransferParameters {
        if (blockSize < 8 || blockSize > 65464) {
            throw new IllegalArgumentException("blockSize out of 8..65464: " + blockSize);
        }
        if (windowSize < 1 || windowSize > NegotiatedOptions.MAX_WINDOW) {
            throw new IllegalArgumentException("windowSize out of 1.." + NegotiatedOptions.MAX_WINDOW + ": " + windowSize);
        }
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(linger, "linger");
        Objects.requireNonNull(minTimeout, "minTimeout");
        if (minTimeout.isNegative() || minTimeout.isZero() || minTimeout.compareTo(timeout) > 0) {
            throw new IllegalArgumentException("minTimeout must be positive and at most the timeout");
        }
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxBackoff.compareTo(timeout) < 0) {
            throw new IllegalArgumentException("maxBackoff must be at least the timeout");
        }
        if (timeout.isNegative() || timeout.isZero() || linger.isNegative() || retries < 0) {
            throw new IllegalArgumentException("timeout must be positive, linger and retries not negative");
        }
    }

    /**
     * Parameters for a negotiated transfer: the agreed sizes, the agreed RFC 2349 timeout if
     * there is one (else {@code defaultTimeout}), and a linger of one timeout. Without an agreed
     * timeout the back-off may reach twice the local one: a peer that answers a repeat only
     * once and then only on its own timer (atftp re-ACKs a repeated block once, and every repeat
     * restarts its timer) hears nothing for longer than that timer, and ACKs again (issue #9:
     * atftp stalled at 20% loss). An agreed timeout is the most any wait may be.
     */
    public static TransferParameters of(NegotiatedOptions agreed, Duration defaultTimeout, int retries) {
        boolean agreedTimeout = agreed.timeoutSeconds().isPresent();
        Duration timeout = agreedTimeout ? Duration.ofSeconds(agreed.timeoutSeconds().getAsInt()) : defaultTimeout;
        var params = new TransferParameters(agreed.blockSize(), agreed.windowSize(), timeout, retries, timeout);
        return agreedTimeout ? params : params.withMaxBackoff(timeout.multipliedBy(2));
    }

    /** The same parameters with another longest back-off (at least the timeout). */
    public TransferParameters withMaxBackoff(Duration value) {
        return new TransferParameters(blockSize, windowSize, timeout, retries, linger, minTimeout, value);
    }

    /** The same parameters with another linger. */
    public TransferParameters withLinger(Duration newLinger) {
        return new TransferParameters(blockSize, windowSize, timeout, retries, newLinger, minTimeout, maxBackoff);
    }

    /** The same parameters with another shortest retransmission timeout ({@code timeout}: a fixed one). */
    public TransferParameters withMinTimeout(Duration value) {
        return new TransferParameters(blockSize, windowSize, timeout, retries, linger, value, maxBackoff);
    }

    /** Whether a transfer that has retransmitted {@code attempts} times, {@code sinceProgressNanos} after its last progress, gives up. */
    boolean exhausted(int attempts, long sinceProgressNanos) {
        return attempts >= retries && sinceProgressNanos >= timeout.toNanos() * (retries + 1L) - timeout.toNanos() / 8;
    }
}
