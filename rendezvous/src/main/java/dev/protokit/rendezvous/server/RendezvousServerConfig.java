package dev.protokit.rendezvous.server;

import dev.protokit.common.daemon.ConnectionLimits;
import dev.protokit.common.daemon.RequestRate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@link RendezvousServer} runs with; {@link RendezvousServerMain} builds it from
 * the flags.
 *
 * @param listen       the primary UDP (and TCP) address and port; port 0 picks one
 * @param alternate    a second local address for RFC 5780 (the server then also listens on port + 1)
 * @param stunCredentials short-term credentials for signed Binding requests
 * @param limits       sessions (TURN allocations, TCP connections) overall and per address
 * @param idleTimeout  a TCP connection or allocation silent this long is closed
 * @param handshakeTimeout a TCP connection must send a request within this
 * @param requestRate  unauthenticated requests per source address (IPv6 per /64)
 * @param rendezvous   the rendezvous service's limits
 * @param turn         the TURN relay; empty for none
 * @param tcp          whether to serve STUN over TCP on the same port
 */
public record RendezvousServerConfig(InetSocketAddress listen, Optional<InetAddress> alternate,
                                     Optional<StunResponder.ShortTerm> stunCredentials, ConnectionLimits limits,
                                     Duration idleTimeout, Duration handshakeTimeout, RequestRate.Policy requestRate,
                                     RendezvousPolicy rendezvous, Optional<TurnConfig> turn, boolean tcp) {
    /** Requires every part; an alternate address needs a specific primary one. */
    public RendezvousServerConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(alternate, "alternate");
        Objects.requireNonNull(stunCredentials, "stunCredentials");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(requestRate, "requestRate");
        Objects.requireNonNull(rendezvous, "rendezvous");
        Objects.requireNonNull(turn, "turn");
        if (alternate.isPresent() && listen.getAddress().isAnyLocalAddress()) {
            throw new IllegalArgumentException("--alternate-address needs --bind with the primary address");
        }
        if (alternate.isPresent() && alternate.get().getClass() != listen.getAddress().getClass()) {
            throw new IllegalArgumentException("--alternate-address must be of the same family as --bind");
        }
    }

    /** Loopback, port 0, no alternate, no TURN, default limits: for tests. */
    public static RendezvousServerConfig forTests() {
        return new RendezvousServerConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Optional.empty(),
                Optional.empty(), new ConnectionLimits(512, 32), Duration.ofMinutes(5), Duration.ofSeconds(10),
                RequestRate.Policy.defaults(), RendezvousPolicy.defaults(), Optional.empty(), true);
    }

    /** The same with an alternate address. */
    public RendezvousServerConfig withAlternate(InetAddress address) {
        return new RendezvousServerConfig(listen, Optional.of(address), stunCredentials, limits, idleTimeout,
                handshakeTimeout, requestRate, rendezvous, turn, tcp);
    }

    /** The same with a TURN relay. */
    public RendezvousServerConfig withTurn(TurnConfig relay) {
        return new RendezvousServerConfig(listen, alternate, stunCredentials, limits, idleTimeout,
                handshakeTimeout, requestRate, rendezvous, Optional.of(relay), tcp);
    }

    /** The same with short-term STUN credentials. */
    public RendezvousServerConfig withStunCredentials(StunResponder.ShortTerm credentials) {
        return new RendezvousServerConfig(listen, alternate, Optional.of(credentials), limits, idleTimeout,
                handshakeTimeout, requestRate, rendezvous, turn, tcp);
    }
}
