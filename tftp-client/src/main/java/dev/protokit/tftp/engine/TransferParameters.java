package dev.protokit.tftp.engine;

import dev.protokit.tftp.wire.NegotiatedOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How the engine runs one transfer: the agreed block and window sizes plus the local
 * retransmission policy. The wait before the n-th retransmission is {@code timeout * 2^n},
 * capped at {@link #MAX_BACKOFF} times the timeout; after {@code retries} retransmissions
 * without progress the transfer fails with a timeout error.
 *
 * @param blockSize  data bytes per DATA block, 8..65464
 * @param windowSize DATA blocks sent before waiting for an ACK, 1..65535 (RFC 7440)
 * @param timeout    the first retransmission timeout
 * @param retries    retransmissions allowed in a row without progress, 0 or more
 * @param linger     how long a receiver stays after its final ACK to re-ACK a repeated last
 *                   DATA block (the lost-final-ACK case); zero to return at once
 */
public record TransferParameters(int blockSize, int windowSize, Duration timeout, int retries,
                                 Duration linger) {
    /** Waits never grow beyond this multiple of the timeout. */
    public static final int MAX_BACKOFF = 8;

    /** Checks the ranges. */
    public TransferParameters {
        if (blockSize < 8 || blockSize > 65464) {
            throw new IllegalArgumentException("blockSize out of 8..65464: " + blockSize);
        }
        if (windowSize < 1 || windowSize > 65535) {
            throw new IllegalArgumentException("windowSize out of 1..65535: " + windowSize);
        }
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(linger, "linger");
        if (timeout.isNegative() || timeout.isZero() || linger.isNegative() || retries < 0) {
            throw new IllegalArgumentException("timeout must be positive, linger and retries not negative");
        }
    }

    /**
     * Parameters for a negotiated transfer: the agreed sizes, the agreed RFC 2349 timeout if
     * there is one (else {@code defaultTimeout}), and a linger of one timeout.
     */
    public static TransferParameters of(NegotiatedOptions agreed, Duration defaultTimeout, int retries) {
        Duration timeout = agreed.timeoutSeconds().isPresent()
                ? Duration.ofSeconds(agreed.timeoutSeconds().getAsInt()) : defaultTimeout;
        return new TransferParameters(agreed.blockSize(), agreed.windowSize(), timeout, retries, timeout);
    }

    /** The same parameters with another linger. */
    public TransferParameters withLinger(Duration newLinger) {
        return new TransferParameters(blockSize, windowSize, timeout, retries, newLinger);
    }

    /** The wait before retransmission number {@code attempt} (0 for the first wait). */
    Duration backoff(int attempt) {
        return timeout.multipliedBy(1L << Math.min(attempt, Integer.numberOfTrailingZeros(MAX_BACKOFF)));
    }
}
