package dev.protokit.rendezvous.peer;

import dev.protokit.common.daemon.Addresses;
import dev.protokit.rendezvous.wire.Candidate;
import dev.protokit.rendezvous.wire.PeerException;
import dev.protokit.rendezvous.wire.PeerPacket;
import dev.protokit.rendezvous.wire.PeerProbe;
import dev.protokit.rendezvous.wire.RendezvousCodec;
import dev.protokit.rendezvous.wire.RendezvousMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Connects to the other peer of a code: opens the socket, registers with the rendezvous
 * server, waits for the introduction, punches at the scheduled moment and runs the key
 * exchange on the path that opened. Every datagram arrives on one socket and is routed here:
 * rendezvous messages to the {@link RendezvousClient}, probes to the {@link Puncher}, the rest
 * of the peer datagrams to the {@link PeerSession} (whatever path they came by: the AEAD, not
 * the source address, says who sent them).
 */
public final class PeerConnector {
    /**
     * What to connect with.
     *
     * @param server        the rendezvous server
     * @param code          the code both peers typed
     * @param waitForPeer   how long to wait for the other peer to register
     * @param punchDeadline how long punching may take before giving up on a direct path
     * @param channel       the reliable channel's settings
     * @param status        progress lines for the user ("waiting for the other peer...")
     */
    public record Options(InetSocketAddress server, SessionCode code, Duration waitForPeer, Duration punchDeadline,
                          ChannelConfig channel, Consumer<String> status) {
        /** Requires every part. */
        public Options {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(waitForPeer, "waitForPeer");
            Objects.requireNonNull(punchDeadline, "punchDeadline");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(status, "status");
        }
    }

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(20);

    private PeerConnector() {}

    /**
     * Connects or fails with a one-line reason.
     *
     * @throws IOException   the server does not answer, nobody joined, no path opened
     * @throws PeerException WRONG_CODE (the code is burned), TIMEOUT, HANDSHAKE
     */
    public static Connection connect(Options options) throws IOException, InterruptedException {
        SecureRandom random = new SecureRandom();
        Router router = new Router();
        PeerSocket socket = openSocket(options.server().getAddress(), router);
        try {
            RendezvousClient rendezvous = new RendezvousClient(socket, options.server(), options.code().number(), random);
            router.rendezvous = rendezvous;
            List<Candidate> local = LocalCandidates.gather(socket.localAddress().getPort(), options.server().getAddress());
            options.status().accept("registered as session " + options.code().number()
                    + ", waiting for the other peer...");
            RendezvousMessage.Introduce intro = rendezvous.register(local, options.waitForPeer());
            long introduced = System.nanoTime();
            Puncher puncher = new Puncher(socket, options.code().number(), rendezvous.peerId(), intro.peerId(),
                    intro.candidates(), random);
            router.puncher = puncher;
            Thread.sleep(intro.startIn());
            Optional<Puncher.Path> path = puncher.punch(options.punchDeadline());
            if (path.isEmpty()) {
                rendezvous.leave();
                throw new IOException("no direct path to the other peer opened within "
                        + options.punchDeadline().toSeconds() + " s (both NATs symmetric or UDP filtered;"
                        + " relaying is not available yet)");
            }
            InetSocketAddress peer = path.get().address();
            PeerSession session = new PeerSession(options.code(), options.channel(),
                    d -> socket.send(d, peer), HANDSHAKE_TIMEOUT, random);
            router.session = session;
            session.start();
            try {
                session.awaitEstablished(HANDSHAKE_TIMEOUT);
            } finally {
                rendezvous.leave();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - introduced);
            return new Connection(socket, session, path.get().type(), peer, took);
        } catch (IOException | RuntimeException | InterruptedException e) {
            socket.close();
            throw e;
        }
    }

    private static PeerSocket openSocket(InetAddress server, PeerSocket.Handler handler) throws IOException {
        if (server instanceof java.net.Inet6Address) {
            return PeerSocket.open(new InetSocketAddress("::", 0), handler);
        }
        return PeerSocket.open(new InetSocketAddress("0.0.0.0", 0), handler);
    }

    /** Routes the socket's datagrams to whichever part is running. */
    private static final class Router implements PeerSocket.Handler {
        volatile RendezvousClient rendezvous;
        volatile Puncher puncher;
        volatile PeerSession session;

        @Override
        public void onPeer(InetSocketAddress from, PeerPacket packet) {
            if (packet instanceof PeerProbe probe) {
                Puncher p = puncher;
                if (p != null) {
                    p.onProbe(from, probe);
                }
                return;
            }
            PeerSession s = session;
            if (s != null) {
                s.onPacket(packet);
            }
        }

        @Override
        public void onOther(InetSocketAddress from, ByteBuffer datagram) {
            RendezvousClient r = rendezvous;
            if (r != null && RendezvousCodec.looksLikeRendezvous(datagram)) {
                r.onDatagram(from, datagram);
            }
        }
    }

    /** For log lines. */
    static String describe(Connection c) {
        return c.path().label() + " to " + Addresses.format(c.peer());
    }
}
