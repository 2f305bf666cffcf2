package dev.protokit.rendezvous.server;

import dev.protokit.common.daemon.Binder;
import dev.protokit.common.daemon.StartupException;
import dev.protokit.common.daemon.TcpServer;
import dev.protokit.common.daemon.UdpServer;
import dev.protokit.rendezvous.server.RendezvousRegistry.Outgoing;
import dev.protokit.rendezvous.stun.ChannelData;
import dev.protokit.rendezvous.stun.Rfc3489;
import dev.protokit.rendezvous.stun.StunClass;
import dev.protokit.rendezvous.stun.StunCodec;
import dev.protokit.rendezvous.stun.StunException;
import dev.protokit.rendezvous.stun.StunMessage;
import dev.protokit.rendezvous.stun.StunMethod;
import dev.protokit.rendezvous.wire.PacketKind;
import dev.protokit.rendezvous.wire.RendezvousCodec;
import dev.protokit.rendezvous.wire.RendezvousException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rendezvous server on common's runtime: a {@link UdpServer} on the primary endpoint (and
 * the three RFC 5780 ones with an alternate address), a {@link TcpServer} for STUN over TCP on
 * the primary port. Each datagram is told apart by {@link PacketKind}: STUN Binding goes to
 * {@link StunResponder}, TURN methods and ChannelData to the {@link TurnRelay}, rendezvous
 * messages to the {@link RendezvousRegistry}; anything else, and anything malformed, is dropped
 * unanswered. Tests start it in-process on port 0; see CONCURRENCY.md beside the pom.
 */
public final class RendezvousServer implements AutoCloseable {
    static final String NAME = "rendezvous-server";
    private static final Logger LOG = LoggerFactory.getLogger(NAME);
    /** The largest datagram accepted: a STUN message's length field allows no more. */
    static final int MAX_DATAGRAM = 65_535;
    /** Free UDP ports tried when port 0 was asked for and the same TCP port (or port + 1) is taken. */
    private static final int PORT_ATTEMPTS = 8;

    private final Endpoints endpoints;
    private final StunResponder stun;
    private final RendezvousRegistry registry;
    private final Optional<TurnRelay> turn;
    private final UdpServer udp;
    private final Optional<TcpServer> tcp;

    private RendezvousServer(RendezvousServerConfig config, List<DatagramChannel> sockets, Endpoints endpoints)
            throws IOException {
        this.endpoints = endpoints;
        this.stun = new StunResponder(endpoints, config.stunCredentials());
        var udpConfig = new UdpServer.Config(NAME, config.limits(), Duration.ZERO, Duration.ZERO,
                config.requestRate(), MAX_DATAGRAM, UdpServer.SessionThreads.VIRTUAL);
        TurnRelay[] relay = new TurnRelay[1];
        this.udp = UdpServer.start(udpConfig, sockets, server -> {
            config.turn().ifPresent(t -> relay[0] = new TurnRelay(t, server, endpoints, config.idleTimeout()));
            return this::onDatagram;
        });
        this.turn = Optional.ofNullable(relay[0]);
        this.registry = new RendezvousRegistry(config.rendezvous(),
                (session, peer) -> turn.flatMap(t -> t.offer(session, peer)), System::nanoTime);
        try {
            this.tcp = config.tcp() ? Optional.of(TcpServer.start(new TcpServer.Config(NAME, endpoints.primary(),
                    config.limits(), config.idleTimeout(), config.handshakeTimeout()),
                    new StunOverTcp(new StunResponder(new Endpoints(endpoints.primary(), Optional.empty(), 0),
                            config.stunCredentials())))) : Optional.empty();
        } catch (RuntimeException e) {
            udp.shutdown(Duration.ZERO); // the TCP twin of the port is taken: nothing stays behind
            throw e;
        }
    }

    /**
     * Binds the endpoints (port 0 picks a free primary port, again when the same port is taken
     * for TCP or the alternate port, the primary plus one) and starts serving.
     *
     * @throws dev.protokit.common.daemon.StartupException when an endpoint cannot be bound
     */
    public static RendezvousServer start(RendezvousServerConfig config) throws IOException {
        Objects.requireNonNull(config, "config");
        for (int attempt = 1; ; attempt++) {
            try {
                return bindAndStart(config);
            } catch (StartupException e) {
                // Port 0: the free UDP port's TCP twin (or port + 1) may be another program's.
                if (config.listen().getPort() != 0 || attempt >= PORT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static RendezvousServer bindAndStart(RendezvousServerConfig config) throws IOException {
        var sockets = new ArrayList<DatagramChannel>();
        try {
            DatagramChannel primary = Binder.bindUdp(config.listen(), NAME);
            sockets.add(primary);
            var bound = (InetSocketAddress) primary.getLocalAddress();
            int altPort = bound.getPort() + 1;
            var endpoints = new Endpoints(bound, config.alternate(), altPort);
            for (InetSocketAddress more : endpoints.all().subList(1, endpoints.all().size())) {
                sockets.add(Binder.bindUdp(more, NAME));
            }
            return new RendezvousServer(config, sockets, endpoints);
        } catch (IOException | RuntimeException e) {
            for (DatagramChannel c : sockets) {
                c.close();
            }
            throw e;
        }
    }

    /** The primary UDP endpoint (the real port when 0 was asked for); TCP listens on the same. */
    public InetSocketAddress localAddress() {
        return endpoints.primary();
    }

    /** Every UDP endpoint, primary first. */
    public List<InetSocketAddress> endpoints() {
        return endpoints.all();
    }

    /** Rendezvous registrations held now. */
    public int registrations() {
        return registry.registrations();
    }

    /** TURN allocations now. */
    public int allocations() {
        return turn.map(TurnRelay::allocations).orElse(0);
    }

    private void onDatagram(UdpServer.Inbound in) throws IOException {
        ByteBuffer packet = in.packet();
        switch (PacketKind.of(packet)) {
            case STUN -> onStun(in, packet);
            case STUN_RFC3489 -> onRfc3489(in, packet);
            case CHANNEL_DATA -> {
                if (turn.isPresent()) {
                    turn.get().onChannelData(in.from(), in.local(), packet);
                }
            }
            case RENDEZVOUS -> onRendezvous(in, packet);
            case OTHER -> { }
        }
    }

    private void onStun(UdpServer.Inbound in, ByteBuffer packet) throws IOException {
        boolean indication = (packet.get(packet.position()) & 0x01) == 0 && (packet.get(packet.position() + 1) & 0x10) != 0;
        if (!indication && !in.withinRate()) {
            return; // over the per-source rate: silence (Send indications are limited per allocation)
        }
        StunMessage m;
        try {
            m = StunCodec.decode(packet.duplicate());
        } catch (StunException e) {
            LOG.debug("dropped from {}: {}", in.from(), e.getMessage());
            return;
        }
        if (m.method() == StunMethod.BINDING) {
            if (m.messageClass() == StunClass.REQUEST) {
                Optional<Reply> reply = stun.binding(m, packet, in.from(), in.local());
                if (reply.isPresent()) {
                    udp.send(endpoints.answering(in.local(), reply.get().via()), reply.get().answer(), in.from());
                }
            }
            return; // Binding indications and responses are not answered
        }
        if (turn.isPresent()) {
            turn.get().onStun(m, packet, in.from(), in.local());
        }
    }

    private void onRfc3489(UdpServer.Inbound in, ByteBuffer packet) throws IOException {
        if (!in.withinRate()) {
            return;
        }
        Rfc3489.Request request;
        try {
            request = Rfc3489.decode(packet.duplicate());
        } catch (StunException e) {
            LOG.debug("dropped RFC 3489 request from {}: {}", in.from(), e.getMessage());
            return;
        }
        Optional<Reply> reply = stun.rfc3489Binding(request, packet.remaining(), in.from(), in.local());
        if (reply.isPresent()) {
            udp.send(endpoints.answering(in.local(), reply.get().via()), reply.get().answer(), in.from());
        }
    }

    private void onRendezvous(UdpServer.Inbound in, ByteBuffer packet) throws IOException {
        if (!in.withinRate()) {
            return;
        }
        List<Outgoing> out;
        try {
            out = registry.handle(in.from(), in.local(), RendezvousCodec.decode(packet.duplicate()));
        } catch (RendezvousException e) {
            LOG.debug("dropped from {}: {}", in.from(), e.getMessage());
            return;
        }
        for (Outgoing o : out) {
            udp.send(o.local(), RendezvousCodec.encode(o.message()), o.to());
        }
    }

    /** Stops receiving, lets TURN allocations and TCP connections end for {@code grace}, then closes. */
    public void shutdown(Duration grace) {
        tcp.ifPresent(t -> t.shutdown(grace));
        udp.shutdown(grace);
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
