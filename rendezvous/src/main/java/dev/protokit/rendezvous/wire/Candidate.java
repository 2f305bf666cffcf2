package dev.protokit.rendezvous.wire;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One address a peer may be reached at.
 *
 * @param kind    host, server-reflexive or relayed
 * @param address the IPv4 or IPv6 address and port (port 1..65535)
 */
public record Candidate(CandidateKind kind, InetSocketAddress address) {
    /** Requires a resolved address and a non-zero port. */
    public Candidate {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved() || address.getPort() == 0) {
            throw RendezvousException.bad("candidate address " + address);
        }
    }

    /** A host candidate. */
    public static Candidate host(InetSocketAddress address) {
        return new Candidate(CandidateKind.HOST, address);
    }

    /** A server-reflexive candidate. */
    public static Candidate reflexive(InetSocketAddress address) {
        return new Candidate(CandidateKind.SERVER_REFLEXIVE, address);
    }
}
