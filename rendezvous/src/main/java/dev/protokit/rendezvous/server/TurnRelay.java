package dev.protokit.rendezvous.server;

import dev.protokit.common.daemon.AddressLimiter.Admitted;
import dev.protokit.common.daemon.AddressLimiter.Permit;
import dev.protokit.common.daemon.UdpServer;
import dev.protokit.rendezvous.server.TurnAuth.Accepted;
import dev.protokit.rendezvous.server.TurnAuth.Refused;
import dev.protokit.rendezvous.stun.AttributeType;
import dev.protokit.rendezvous.stun.ChannelData;
import dev.protokit.rendezvous.stun.Seal;
import dev.protokit.rendezvous.stun.StunAttribute;
import dev.protokit.rendezvous.stun.StunAttribute.*;
import dev.protokit.rendezvous.stun.StunClass;
import dev.protokit.rendezvous.stun.StunCodec;
import dev.protokit.rendezvous.stun.StunError;
import dev.protokit.rendezvous.stun.StunException;
import dev.protokit.rendezvous.stun.StunMessage;
import dev.protokit.rendezvous.stun.StunMethod;
import dev.protokit.rendezvous.wire.RendezvousMessage.RelayOffer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TURN server (RFC 8656 over UDP): Allocate, Refresh, CreatePermission and ChannelBind with
 * long-term REST credentials, Send indications and ChannelData from clients, Data indications
 * and ChannelData to them. Each allocation is a runtime session of the {@link UdpServer} (its
 * relay loop on a virtual thread, cut by the watchdog when idle), counted in the runtime's
 * limits per client address; allocations per user and overall are bounded here.
 */
final class TurnRelay {
    private static final Logger LOG = LoggerFactory.getLogger(RendezvousServer.NAME);
    private static final long DEFAULT_LIFETIME = 600; // RFC 8656 7.2: 10 minutes

    private final TurnConfig config;
    private final UdpServer udp;
    private final Endpoints endpoints;
    private final TurnAuth auth;
    private final Map<InetSocketAddress, Allocation> allocations = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perUser = new ConcurrentHashMap<>();

    TurnRelay(TurnConfig config, UdpServer udp, Endpoints endpoints, Duration idleTimeout) {
        this.config = config;
        this.udp = udp;
        this.endpoints = endpoints;
        this.auth = new TurnAuth(config.credentials(), config.realm(), Clock.systemUTC());
    }

    int allocations() {
        return allocations.size();
    }

    /** Credentials for a rendezvous peer, valid for {@link TurnConfig#offerLifetime()}. */
    Optional<RelayOffer> offer(long session, long peerId) {
        var c = config.credentials().mint("rdv" + session + "x" + Long.toHexString(peerId),
                Clock.systemUTC().instant().plus(config.offerLifetime()));
        return Optional.of(new RelayOffer(Optional.empty(), c.username(), c.password()));
    }

    void onStun(StunMessage m, ByteBuffer raw, InetSocketAddress from, InetSocketAddress local) throws IOException {
        if (m.messageClass() == StunClass.INDICATION) {
            if (m.method() == StunMethod.SEND) {
                Allocation a = allocations.get(from);
                var peer = m.attribute(XorPeerAddress.class);
                var data = m.attribute(Data.class);
                if (a != null && peer.isPresent() && data.isPresent()) {
                    a.toPeer(peer.get().address(), data.get().value().buffer(), System.nanoTime());
                }
            }
            return;
        }
        if (m.messageClass() != StunClass.REQUEST || m.method() == StunMethod.DATA || m.method() == StunMethod.SEND) {
            return;
        }
        boolean fingerprint = m.has(Fingerprint.class);
        List<Integer> unknown = new ArrayList<>(m.unknownComprehensionRequired());
        if (m.has(DontFragment.class)) {
            unknown.add(AttributeType.DONT_FRAGMENT.wireValue()); // RFC 8656 7.2: not supported
        }
        if (!unknown.isEmpty()) {
            send(local, from, StunResponder.error(m, StunError.UNKNOWN_ATTRIBUTE, raw.remaining(), fingerprint,
                    new UnknownAttributes(unknown)));
            return;
        }
        switch (auth.check(m, raw, from.getAddress())) {
            case Refused(StunError error, boolean challenge) -> {
                StunMessage r = challenge
                        ? m.error(new ErrorCode(error.code(), ""), new Realm(auth.realm()), new Nonce(auth.nonce(from.getAddress())))
                        : m.error(new ErrorCode(error.code(), ""));
                // The bound grows by the realm's length: a long realm costs that much amplification.
                send(local, from, Reply.bounded(r, Seal.FINGERPRINT, raw.remaining() + auth.realm().length(),
                        fingerprint, List.of(), Via.SAME));
            }
            case Accepted(String user, var key) -> {
                Seal seal = Seal.integrity(key, m.has(MessageIntegrity.class), m.has(MessageIntegritySha256.class),
                        fingerprint);
                StunMessage response;
                try {
                    response = answer(m, from, local, user);
                } catch (StunException e) {
                    response = m.error(new ErrorCode(e.error().code(), e.error().reason()));
                }
                if (response != null) {
                    ByteBuffer wire = StunCodec.encode(response, seal);
                    if (m.method() == StunMethod.ALLOCATE && response.messageClass() == StunClass.SUCCESS_RESPONSE) {
                        Allocation a = allocations.get(from);
                        if (a != null) {
                            a.allocateTx = m.transactionId();
                            a.allocateResponse = wire.duplicate();
                        }
                    }
                    udp.send(local, wire, from);
                }
                key.wipe();
            }
        }
    }

    private StunMessage answer(StunMessage m, InetSocketAddress from, InetSocketAddress local, String user)
            throws IOException {
        Allocation a = allocations.get(from);
        long now = System.nanoTime();
        return switch (m.method()) {
            case ALLOCATE -> a == null ? allocate(m, from, local, user, now)
                    : m.transactionId().equals(a.allocateTx) ? null : error(m, StunError.ALLOCATION_MISMATCH);
            case REFRESH -> {
                if (a == null) {
                    yield error(m, StunError.ALLOCATION_MISMATCH);
                }
                if (!a.username.equals(user)) {
                    yield error(m, StunError.WRONG_CREDENTIALS);
                }
                long lifetime = lifetime(m);
                if (lifetime == 0) {
                    a.close();
                } else {
                    a.refresh(now + Duration.ofSeconds(lifetime).toNanos());
                }
                yield m.success(new Lifetime(lifetime));
            }
            case CREATE_PERMISSION -> {
                if (a == null || !a.username.equals(user)) {
                    yield error(m, a == null ? StunError.ALLOCATION_MISMATCH : StunError.WRONG_CREDENTIALS);
                }
                var peers = m.attributes().stream().filter(XorPeerAddress.class::isInstance)
                        .map(p -> ((XorPeerAddress) p).address()).toList();
                if (peers.isEmpty()) {
                    yield error(m, StunError.BAD_REQUEST);
                }
                for (InetSocketAddress p : peers) {
                    if (p.getAddress().getClass() != a.relayedAddress().getAddress().getClass()) {
                        yield error(m, StunError.PEER_ADDRESS_FAMILY_MISMATCH);
                    }
                    if (!a.permit(p.getAddress(), now)) {
                        yield error(m, StunError.INSUFFICIENT_CAPACITY);
                    }
                }
                yield m.success();
            }
            case CHANNEL_BIND -> {
                if (a == null || !a.username.equals(user)) {
                    yield error(m, a == null ? StunError.ALLOCATION_MISMATCH : StunError.WRONG_CREDENTIALS);
                }
                var channel = m.attribute(ChannelNumber.class);
                var peer = m.attribute(XorPeerAddress.class);
                if (channel.isEmpty() || peer.isEmpty() || channel.get().channel() < ChannelData.MIN_CHANNEL
                        || channel.get().channel() > ChannelData.MAX_CHANNEL) {
                    yield error(m, StunError.BAD_REQUEST);
                }
                if (peer.get().address().getAddress().getClass() != a.relayedAddress().getAddress().getClass()) {
                    yield error(m, StunError.PEER_ADDRESS_FAMILY_MISMATCH);
                }
                yield a.bind(channel.get().channel(), peer.get().address(), now) ? m.success()
                        : error(m, StunError.BAD_REQUEST);
            }
            case BINDING, SEND, DATA -> null;
        };
    }

    private StunMessage allocate(StunMessage m, InetSocketAddress from, InetSocketAddress local, String user, long now)
            throws IOException {
        var transport = m.attribute(RequestedTransport.class);
        if (transport.isEmpty()) {
            return error(m, StunError.BAD_REQUEST);
        }
        if (transport.get().protocol() != RequestedTransport.UDP) {
            return error(m, StunError.UNSUPPORTED_TRANSPORT_PROTOCOL);
        }
        boolean even = m.attribute(EvenPort.class).isPresent();
        if (m.attribute(EvenPort.class).map(EvenPort::reserveNext).orElse(false) || m.has(ReservationToken.class)) {
            return error(m, StunError.INSUFFICIENT_CAPACITY); // RFC 8656 7.2: no port reservations offered
        }
        InetAddress relayIp = config.relayAddress().orElse(endpoints.primary().getAddress());
        var family = m.attribute(RequestedAddressFamily.class);
        if (m.has(AdditionalAddressFamily.class) || family.isPresent()
                && family.get().family() != dev.protokit.rendezvous.stun.AddressFamily.of(relayIp)) {
            return error(m, StunError.ADDRESS_FAMILY_NOT_SUPPORTED);
        }
        if (allocations.size() >= config.maxAllocations()) {
            return error(m, StunError.INSUFFICIENT_CAPACITY);
        }
        AtomicInteger count = perUser.computeIfAbsent(user, u -> new AtomicInteger());
        if (count.incrementAndGet() > config.maxPerUser()) {
            count.decrementAndGet();
            return error(m, StunError.ALLOCATION_QUOTA_REACHED);
        }
        Permit permit;
        switch (udp.admit(from.getAddress())) {
            case Admitted(Permit p) -> permit = p;
            case dev.protokit.common.daemon.AddressLimiter.Refused r -> {
                count.decrementAndGet();
                return error(m, StunError.ALLOCATION_QUOTA_REACHED);
            }
        }
        Optional<DatagramSocket> socket = bindRelay(relayIp, even);
        if (socket.isEmpty()) {
            permit.close();
            count.decrementAndGet();
            return error(m, StunError.INSUFFICIENT_CAPACITY);
        }
        long lifetime = lifetime(m);
        var a = new Allocation(this, from, local, user, socket.get(), new Budget(config.bytesPerSecond(),
                config.maxBytes(), now), now + Duration.ofSeconds(lifetime).toNanos(),
                now + config.maxDuration().toNanos());
        allocations.put(from, a);
        if (udp.startSession(permit, from, a::relayFromPeers).isEmpty()) {
            a.close();
            return error(m, StunError.INSUFFICIENT_CAPACITY);
        }
        LOG.info("allocation peer={} user={} relayed={} lifetime={}s", from, user, a.relayedAddress(), lifetime);
        return m.success(new XorRelayedAddress(a.relayedAddress()), new Lifetime(lifetime), new XorMappedAddress(from));
    }

    /** RFC 8656 7.2: the requested lifetime, at least the default, at most the configured maximum; 0 stays 0. */
    private long lifetime(StunMessage m) {
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

    void onChannelData(InetSocketAddress from, InetSocketAddress local, ByteBuffer packet) throws IOException {
        Allocation a = allocations.get(from);
        if (a == null) {
            return;
        }
        try {
            ChannelData cd = ChannelData.decode(packet.duplicate());
            a.toPeer(cd.channel(), cd.data(), System.nanoTime());
        } catch (StunException e) {
            // malformed ChannelData is dropped (RFC 8656 12.6)
        }
    }

    /** From the relay thread: a Data indication or ChannelData to the allocation's client. */
    void toClient(Allocation a, ByteBuffer datagram) throws IOException {
        udp.send(a.local, datagram, a.client);
    }

    void removed(Allocation a) {
        if (allocations.remove(a.client, a)) {
            perUser.computeIfPresent(a.username, (u, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    private static StunMessage error(StunMessage m, StunError e) {
        return m.error(ErrorCode.of(e));
    }

    private void send(InetSocketAddress local, InetSocketAddress to, Optional<Reply> reply) throws IOException {
        if (reply.isPresent()) {
            udp.send(local, reply.get().answer(), to);
        }
    }
}
