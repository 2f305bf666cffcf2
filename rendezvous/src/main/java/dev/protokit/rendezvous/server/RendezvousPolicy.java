package dev.protokit.rendezvous.server;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of the rendezvous service.
 *
 * @param lifetime      how long a registration lives without a keepalive
 * @param keepalive     how often peers are told to send one (NAT mappings last ~30 s or more)
 * @param maxRegistrations registrations overall (two per session)
 * @param maxPerSource  registrations from one address (IPv6: one /64)
 * @param probeMaxAge   how old an echoed probe may be
 * @param startMargin   added to the later peer's one-way time, so both INTRODUCEs have arrived
 */
public record RendezvousPolicy(Duration lifetime, Duration keepalive, int maxRegistrations, int maxPerSource,
                               Duration probeMaxAge, Duration startMargin) {
    /** Checks the ranges the wire can carry. */
    public RendezvousPolicy {
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(keepalive, "keepalive");
        Objects.requireNonNull(probeMaxAge, "probeMaxAge");
        Objects.requireNonNull(startMargin, "startMargin");
        if (lifetime.toSeconds() < 1 || lifetime.toSeconds() > 0xffff || keepalive.toSeconds() < 1
                || keepalive.compareTo(lifetime) >= 0) {
            throw new IllegalArgumentException("need 1 s <= keepalive < lifetime <= 65535 s");
        }
        if (maxRegistrations < 2 || maxPerSource < 1) {
            throw new IllegalArgumentException("need maxRegistrations >= 2 and maxPerSource >= 1");
        }
    }

    /** Two minutes, keepalive every 25 s, 100,000 registrations, 16 per source. */
    public static RendezvousPolicy defaults() {
        return new RendezvousPolicy(Duration.ofMinutes(2), Duration.ofSeconds(25), 100_000, 16,
                Duration.ofSeconds(10), Duration.ofMillis(50));
    }
}
