package dev.protokit.rendezvous.server;

import dev.protokit.common.daemon.UdpServer;
import dev.protokit.rendezvous.server.TurnAuth.Accepted;
import dev.protokit.rendezvous.server.TurnAuth.Refused;
import dev.protokit.rendezvous.stun.AttributeType;
import dev.protokit.rendezvous.stun.ChannelData;
import dev.protokit.rendezvous.stun.Seal;
import dev.protokit.rendezvous.stun.StunAttribute.*;
import dev.protokit.rendezvous.stun.StunClass;
import dev.protokit.rendezvous.stun.StunCodec;
import dev.protokit.rendezvous.stun.StunError;
import dev.protokit.rendezvous.stun.StunException;
import dev.protokit.rendezvous.stun.StunMessage;
import dev.protokit.rendezvous.stun.StunMethod;
import dev.protokit.rendezvous.wire.RendezvousMessage.RelayOffer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TURN server (RFC 8656 over UDP): Allocate, Refresh, CreatePermission and ChannelBind with
 * long-term REST credentials, Send indications and ChannelData from clients, Data indications
 * and ChannelData to them. Each allocation is a runtime session of the {@link UdpServer} (its
 * relay loop on a virtual thread, cut by the watchdog when idle), counted in the runtime's
 * limits per client address; {@link TurnAllocator} creates allocations and bounds them per user
 * and overall. This class authenticates requests, answers Refresh, CreatePermission and
 * ChannelBind on an existing allocation, and moves client datagrams to it.
 */
final class TurnRelay {

    private final TurnConfig config;
    private final UdpServer udp;
    private final TurnAuth auth;
    private final Map<InetSocketAddress, Allocation> allocations = new ConcurrentHashMap<>();
    private final TurnAllocator allocator;

    TurnRelay(TurnConfig config, UdpServer udp, Endpoints endpoints, Duration idleTimeout) {
        this.config = config;
        this.udp = udp;
        this.auth = new TurnAuth(config.credentials(), config.realm(), Clock.systemUTC());
        this.allocator = new TurnAllocator(this, config, udp, endpoints, allocations);
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
        // RFC 8489 6.3 and RFC 8656 7.2: authentication first; unknown attributes after it.
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
                // RFC 8489 9.2.4: no PASSWORD-ALGORITHMS is offered, so every request is processed
                // as MD5 and every answer, a 420 too, carries MESSAGE-INTEGRITY (not -SHA256).
                Seal seal = Seal.integrity(key, true, false, fingerprint);
                List<Integer> unknown = new ArrayList<>(m.unknownComprehensionRequired());
                if (m.has(DontFragment.class)) {
                    unknown.add(AttributeType.DONT_FRAGMENT.wireValue()); // RFC 8656 7.2: not supported
                }
                StunMessage response;
                try {
                    response = unknown.isEmpty() ? answer(m, from, local, user)
                            : m.error(ErrorCode.of(StunError.UNKNOWN_ATTRIBUTE), new UnknownAttributes(unknown));
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
            case ALLOCATE -> a == null ? allocator.allocate(m, from, local, user, now)
                    : m.transactionId().equals(a.allocateTx) ? null : error(m, StunError.ALLOCATION_MISMATCH);
            case REFRESH -> {
                if (a == null) {
                    yield error(m, StunError.ALLOCATION_MISMATCH);
                }
                if (!a.username.equals(user)) {
                    yield error(m, StunError.WRONG_CREDENTIALS);
                }
                long lifetime = TurnAllocator.lifetime(m, config);
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
            allocator.released(a.username);
        }
    }

    static StunMessage error(StunMessage m, StunError e) {
        return m.error(ErrorCode.of(e));
    }

    private void send(InetSocketAddress local, InetSocketAddress to, Optional<Reply> reply) throws IOException {
        if (reply.isPresent()) {
            udp.send(local, reply.get().answer(), to);
        }
    }
}
