package dev.protokit.rendezvous.server;

import dev.protokit.rendezvous.stun.RestCredentials;
import java.time.Duration;
import java.util.Objects;

/**
 * The TURN relay's settings (RFC 8656).
 *
 * @param credentials      checks and mints REST API credentials with the shared secret
 * @param realm            the REALM of the long-term credentials
 * @param portLow          lowest relayed port (0 with portHigh 0: any free port)
 * @param portHigh         highest relayed port
 * @param maxAllocations   allocations at once, overall
 * @param maxPerUser       allocations at once per user name
 * @param maxLifetime      the longest LIFETIME granted (RFC 8656: at least 10 minutes by default)
 * @param maxDuration      an allocation is ended after this long, refreshed or not
 * @param bytesPerSecond   relayed bytes a second per allocation (both directions), a token bucket
 * @param maxBytes         relayed bytes in all per allocation, then it is ended
 * @param offerLifetime    how long credentials handed out in an INTRODUCE stay valid
 * @param relayAddress     the address relayed sockets bind and advertise; empty for the primary one
 */
public record TurnConfig(RestCredentials credentials, String realm, int portLow, int portHigh, int maxAllocations,
                         int maxPerUser, Duration maxLifetime, Duration maxDuration, long bytesPerSecond,
                         long maxBytes, Duration offerLifetime,
                         java.util.Optional<java.net.InetAddress> relayAddress) {
    /** Checks the ranges. */
    public TurnConfig {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(relayAddress, "relayAddress");
        if (realm.isEmpty() || realm.length() > 64) {
            throw new IllegalArgumentException("--realm must be 1..64 characters");
        }
        if (portLow < 0 || portHigh > 65535 || portLow > portHigh || (portLow == 0) != (portHigh == 0)) {
            throw new IllegalArgumentException("--relay-ports must be LOW-HIGH within 1..65535");
        }
        if (maxAllocations < 1 || maxPerUser < 1 || bytesPerSecond < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("TURN quotas must be positive");
        }
    }

    /** Any port, 1000 allocations, 10 per user, 1 MB/s and 1 GB per allocation, 24 h at most. */
    public static TurnConfig defaults(RestCredentials credentials) {
        return new TurnConfig(credentials, "protokit", 0, 0, 1000, 10, Duration.ofHours(1), Duration.ofHours(24),
                1_000_000, 1_000_000_000L, Duration.ofHours(2), java.util.Optional.empty());
    }
}
