package dev.protokit.rendezvous.peer;

import java.time.Duration;
import java.util.Objects;

/**
 * The reliable channel's knobs.
 *
 * @param sendWindow     messages in flight at most (also capped by the peer's window)
 * @param receiveWindow  messages buffered at most (out of order plus not yet read)
 * @param initialRto     the retransmission timeout before the first RTT sample (RFC 6298: 1 s)
 * @param minRto         the lower bound of the timeout
 * @param maxRto         the upper bound, reached by exponential backoff
 * @param keepalive      a ping when nothing was sent for this long (NAT mappings stay alive)
 * @param deadAfter      the channel fails when nothing was received for this long
 * @param maxSends       a message sent this many times without acknowledgement fails the channel
 */
public record ChannelConfig(int sendWindow, int receiveWindow, Duration initialRto, Duration minRto,
                            Duration maxRto, Duration keepalive, Duration deadAfter, int maxSends) {
    /** Defaults for the open Internet: 25 s keepalive, as the issue asks. */
    public static final ChannelConfig DEFAULT = new ChannelConfig(128, 256, Duration.ofSeconds(1),
            Duration.ofMillis(200), Duration.ofSeconds(8), Duration.ofSeconds(25), Duration.ofSeconds(80), 20);

    /** Messages a sender may have in flight before the peer's first acknowledgement states its window. */
    public static final int INITIAL_WINDOW = 16;

    /** Checks every value. */
    public ChannelConfig {
        if (sendWindow < 1 || sendWindow > 4096 || receiveWindow < INITIAL_WINDOW || receiveWindow > 0xffff) {
            throw new IllegalArgumentException("windows must be 1..4096 and " + INITIAL_WINDOW + "..65535");
        }
        for (Duration d : new Duration[] {initialRto, minRto, maxRto, keepalive, deadAfter}) {
            if (Objects.requireNonNull(d, "duration").isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive");
            }
        }
        if (minRto.compareTo(maxRto) > 0 || maxSends < 2) {
            throw new IllegalArgumentException("minRto must not exceed maxRto; maxSends >= 2");
        }
    }
}
