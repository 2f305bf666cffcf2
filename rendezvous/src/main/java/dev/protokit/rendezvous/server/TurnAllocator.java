package dev.protokit.rendezvous.server;

import dev.protokit.common.daemon.AddressLimiter.Admitted;
import dev.protokit.common.daemon.AddressLimiter.Permit;
import dev.protokit.common.daemon.UdpServer;
import dev.protokit.rendezvous.stun.StunAttribute.AdditionalAddressFamily;
import dev.protokit.rendezvous.stun.StunAttribute.EvenPort;
import dev.protokit.rendezvous.stun.StunAttribute.Lifetime;
import dev.protokit.rendezvous.stun.StunAttribute.RequestedAddressFamily;
import dev.protokit.rendezvous.stun.StunAttribute.RequestedTransport;
import dev.protokit.rendezvous.stun.StunAttribute.ReservationToken;
import dev.protokit.rendezvous.stun.StunAttribute.XorMappedAddress;
import dev.protokit.rendezvous.stun.StunAttribute.XorRelayedAddress;
import dev.protokit.rendezvous.stun.StunError;
import dev.protokit.rendezvous.stun.StunMessage;
import dev.protokit.rendezvous.stun.StunMethod;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates TURN allocations (RFC 8656 section 7.2) for {@link TurnRelay}: checks the transport,
 * address family and port-reservation attributes, holds the quotas (allocations overall, per
 * user name, and the runtime's per-address admission), binds the relayed socket on a free port
 * of the configured range and starts the allocation's relay session on the runtime. Counts per
 * user live here; the allocation map is the relay's, shared.
 */
final class TurnAllocator {
    private static final Logger LOG = LoggerFactory.getLogger(RendezvousServer.NAME);
    private static final long DEFAULT_LIFETIME = 600; // RFC 8656 7.2: 10 minutes

    private final TurnRelay relay;
    private final TurnConfig config;
    private final UdpServer udp;
    private final Endpoints endpoints;
    private final Map<InetSocketAddress, Allocation> allocations;
    private final Map<String, AtomicInteger> perUser = new ConcurrentHashMap<>();

    TurnAllocator(TurnRelay relay, TurnConfig config, UdpServer udp, Endpoints endpoints,
                  Map<InetSocketAddress, Allocation> allocations) {
        this.relay = relay;
        this.config = config;
        this.udp = udp;
        this.endpoints = endpoints;
        this.allocations = allocations;
    }

    /** Allocate (RFC 8656 section 7.2) for a client with no allocation yet. */
    StunMessage allocate(StunMessage m, InetSocketAddress from, InetSocketAddress local, String user, long now)
            throws IOException {
        var transport = m.attribute(RequestedTransport.class);
        if (transport.isEmpty()) {
            return TurnRelay.error(m, StunError.BAD_REQUEST);
        }
        if (transport.get().protocol() != RequestedTransport.UDP) {
            return TurnRelay.error(m, StunError.UNSUPPORTED_TRANSPORT_PROTOCOL);
        }
        boolean even = m.attribute(EvenPort.class).isPresent();
        if (m.attribute(EvenPort.class).map(EvenPort::reserveNext).orElse(false) || m.has(ReservationToken.class)) {
            return TurnRelay.error(m, StunError.INSUFFICIENT_CAPACITY); // RFC 8656 7.2: no port reservations offered
        }
        InetAddress relayIp = config.relayAddress().orElse(endpoints.primary().getAddress());
        var family = m.attribute(RequestedAddressFamily.class);
        if (m.has(AdditionalAddressFamily.class) || family.isPresent()
                && family.get().family() != dev.protokit.rendezvous.stun.AddressFamily.of(relayIp)) {
            return TurnRelay.error(m, StunError.ADDRESS_FAMILY_NOT_SUPPORTED);
        }
        if (allocations.size() >= config.maxAllocations()) {
            return TurnRelay.error(m, StunError.INSUFFICIENT_CAPACITY);
        }
        AtomicInteger count = perUser.computeIfAbsent(user, u -> new AtomicInteger());
        if (count.incrementAndGet() > config.maxPerUser()) {
            count.decrementAndGet();
            return TurnRelay.error(m, StunError.ALLOCATION_QUOTA_REACHED);
        }
        Permit permit;
        switch (udp.admit(from.getAddress())) {
            case Admitted(Permit p) -> permit = p;
            case dev.protokit.common.daemon.AddressLimiter.Refused r -> {
                count.decrementAndGet();
                return TurnRelay.error(m, StunError.ALLOCATION_QUOTA_REACHED);
            }
        }
        Optional<DatagramSocket> socket = bindRelay(relayIp, even);
        if (socket.isEmpty()) {
            permit.close();
            count.decrementAndGet();
            return TurnRelay.error(m, StunError.INSUFFICIENT_CAPACITY);
        }
        long lifetime = lifetime(m, config);
        var a = new Allocation(relay, from, local, user, socket.get(), new Budget(config.bytesPerSecond(),
                config.maxBytes(), now), now + Duration.ofSeconds(lifetime).toNanos(),
                now + config.maxDuration().toNanos());
        allocations.put(from, a);
        if (udp.startSession(permit, from, a::relayFromPeers).isEmpty()) {
            a.close();
            return TurnRelay.error(m, StunError.INSUFFICIENT_CAPACITY);
        }
        LOG.info("allocation peer={} user={} relayed={} lifetime={}s", from, user, a.relayedAddress(), lifetime);
        return m.success(new XorRelayedAddress(a.relayedAddress()), new Lifetime(lifetime), new XorMappedAddress(from));
    }

    /** RFC 8656 7.2: the requested lifetime, at least the default, at most the configured maximum; 0 stays 0. */
    static long lifetime(StunMessage m, TurnConfig config) {
        long asked = m.attribute(Lifetime.class).map(Lifetime::seconds).orElse(DEFAULT_LIFETIME);
        if (asked == 0 && m.method() == StunMethod.REFRESH) {
            return 0;
        }
        return Math.min(Math.max(asked, DEFAULT_LIFETIME), config.maxLifetime().toSeconds());
    }

    /** A relayed socket on a free port of the range (an even one for EVEN-PORT), or empty. */
    private Optional<DatagramSocket> bindRelay(InetAddress ip, boolean even) {
        for (int attempt = 0; attempt < 64; attempt++) {
            int port = config.portLow() == 0 ? 0
                    : config.portLow() + ThreadLocalRandom.current().nextInt(config.portHigh() - config.portLow() + 1);
            if (even && port % 2 != 0) {
                continue;
            }
            try {
                var socket = new DatagramSocket(new InetSocketAddress(ip, port));
                if (even && socket.getLocalPort() % 2 != 0) {
                    socket.close();
                    continue;
                }
                return Optional.of(socket);
            } catch (IOException e) {
                // port taken: try another
            }
        }
        return Optional.empty();
    }

    /** An allocation of {@code user} ended: its slot in the per-user quota is free again. */
    void released(String user) {
        perUser.computeIfPresent(user, (u, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
}
