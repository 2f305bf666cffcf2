package dev.protokit.rendezvous.peer;

import dev.protokit.common.daemon.Addresses;
import dev.protokit.rendezvous.stun.ChannelData;
import dev.protokit.rendezvous.stun.StunCodec;
import dev.protokit.rendezvous.wire.Candidate;
import dev.protokit.rendezvous.wire.CandidateKind;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Connects to the other peer of a code: opens the socket, registers with the rendezvous
 * server, waits for the introduction, punches at the scheduled moment and, when no direct
 * path opens within the deadline, allocates a TURN relay, tells the other peer its relayed
 * address by registering again with it as a candidate (the server re-introduces), and finds
 * the relayed path with the same probes; a relayed connection keeps probing the direct
 * candidates and moves there silently when one answers. Then the key exchange runs on the
 * chosen path. Every datagram arrives on one socket and is routed here (see {@link Router}).
 */
public final class PeerConnector {
    /**
     * What to connect with.
     *
     * @param server        the rendezvous server
     * @param code          the code both peers typed
     * @param waitForPeer   how long to wait for the other peer to register
     * @param punchDeadline how long direct punching may take before relaying
     * @param channel       the reliable channel's settings
     * @param relay         another TURN server to relay through, instead of the one offered
     * @param status        progress lines for the user ("waiting for the other peer...")
     */
    public record Options(InetSocketAddress server, SessionCode code, Duration waitForPeer, Duration punchDeadline,
                          ChannelConfig channel, Optional<RelayConfig> relay, Consumer<String> status) {
        /** Requires every part. */
        public Options {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(waitForPeer, "waitForPeer");
            Objects.requireNonNull(punchDeadline, "punchDeadline");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(relay, "relay");
            Objects.requireNonNull(status, "status");
        }
    }

    /** Generous: 3072-bit J-PAKE in a cold JVM on a loaded host has taken 20 s. */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(40);
    private static final Duration RELAY_EXCHANGE = Duration.ofSeconds(15);
    private static final Duration RELAY_PUNCH = Duration.ofSeconds(6);
    private static final Duration UPGRADE_EVERY = Duration.ofSeconds(5);
    private static final Duration MAPPING_WAIT = Duration.ofSeconds(2);

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
        PeerSocket socket = PeerSocket.open(new InetSocketAddress(
                options.server().getAddress() instanceof java.net.Inet6Address ? "::" : "0.0.0.0", 0), router);
        TurnClient turn = null;
        Birthday birthday = null;
        try {
            long session = options.code().number();
            CompletableFuture<Optional<NatProbe.Behaviour>> mapping = mapping(options.server());
            RendezvousClient rendezvous = new RendezvousClient(socket, options.server(), session, random);
            router.rendezvous = rendezvous;
            List<Candidate> local = LocalCandidates.gather(socket.localAddress().getPort(), options.server().getAddress());
            PeerLink link = new PeerLink();
            // Round 1 of J-PAKE (modular exponentiations in a cold JVM) is computed while we wait.
            PeerSession peerSession = new PeerSession(options.code(), options.channel(), link, HANDSHAKE_TIMEOUT, random);
            router.session = peerSession;
            birthday = new Birthday(role(mapping), socket, router, random);
            options.status().accept("registered as session " + session + ", waiting for the other peer...");
            RendezvousMessage.Introduce intro = rendezvous.register(local, options.waitForPeer());
            long introduced = System.nanoTime();
            Puncher direct = new Puncher(socket, session, rendezvous.peerId(), intro.peerId(), intro.candidates(), random);
            router.direct = direct;
            Optional<Candidate> reflexive = intro.candidates().stream()
                    .filter(c -> c.kind() == CandidateKind.SERVER_REFLEXIVE).findFirst();
            if (reflexive.isPresent()) {
                direct.birthday(birthday, reflexive.get().address());
            } else {
                birthday.close();
            }
            Thread.sleep(intro.startIn());
            Optional<Puncher.Path> path = direct.punch(options.punchDeadline());
            Halt upgrading = null;
            if (path.isEmpty()) {
                // The other peer may have been introduced late (a lost INTRODUCE is recovered by
                // its next poll): keep punching while the relay is set up, and take a direct
                // path if one opens first.
                Halt punching = direct.punchInBackground(RELAY_EXCHANGE.plus(RELAY_PUNCH));
                try {
                    turn = relayClient(socket, options, intro);
                    router.turn = turn;
                    options.status().accept("no direct path within " + options.punchDeadline().toSeconds()
                            + " s; relaying through " + Addresses.format(turn.server()));
                    path = relay(turn, rendezvous, local, intro, router, socket, direct, random);
                } finally {
                    punching.halt(); // never an interrupt: it would close the socket it sends on
                }
                if (path.get().type() != PathType.RELAYED) {
                    router.turn = null;
                    Thread.ofVirtual().name("rdv-turn-release").start(turn::close); // no wait for the answer
                    turn = null;
                }
            }
            options.status().accept(String.format("introduced, start in %d ms; %s path to %s after %.2f s; agreeing keys...",
                    intro.startIn().toMillis(), path.get().type().label(), Addresses.format(path.get().address()),
                    (System.nanoTime() - introduced) / 1e9));
            link.moveTo(path.get());
            peerSession.start();
            try {
                peerSession.awaitEstablished(HANDSHAKE_TIMEOUT);
            } finally {
                rendezvous.leave();
            }
            if (link.path().type() == PathType.RELAYED) {
                Halt halt = new Halt();
                upgrading = halt;
                Thread.ofVirtual().name("rdv-upgrade").start(() -> upgrade(direct, link, options.status(), halt));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - introduced);
            return new Connection(socket, peerSession, link, took, Optional.ofNullable(turn), Optional.ofNullable(upgrading),
                    Optional.ofNullable(birthday));
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (turn != null) {
                turn.close();
            }
            if (birthday != null) {
                birthday.close();
            }
            socket.close();
            throw e;
        }
    }

    /** Our NAT's mapping behaviour (RFC 5780), found on a socket of its own while we wait. */
    private static CompletableFuture<Optional<NatProbe.Behaviour>> mapping(InetSocketAddress server) {
        CompletableFuture<Optional<NatProbe.Behaviour>> result = new CompletableFuture<>();
        Thread.ofVirtual().name("rdv-nat-probe").start(() -> {
            try (NatProbe probe = new NatProbe(server)) {
                result.complete(probe.mapping(server));
            } catch (IOException | RuntimeException e) {
                result.complete(Optional.empty());
            }
        });
        return result;
    }

    /**
     * The birthday half this peer plays: spray when our NAT maps per destination, sweep when it
     * maps independently of it or the test gave no answer within {@link #MAPPING_WAIT} (it ran
     * beside J-PAKE's round 1; the server may have no alternate address).
     */
    private static Birthday.Role role(CompletableFuture<Optional<NatProbe.Behaviour>> mapping)
            throws InterruptedException {
        Optional<NatProbe.Behaviour> ours;
        try {
            ours = mapping.get(MAPPING_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            ours = Optional.empty();
        }
        return ours.isPresent() && ours.get() != NatProbe.Behaviour.ENDPOINT_INDEPENDENT
                ? Birthday.Role.SPRAY : Birthday.Role.SWEEP;
    }

    private static TurnClient relayClient(PeerSocket socket, Options options, RendezvousMessage.Introduce intro)
            throws IOException {
        if (options.relay().isPresent()) {
            RelayConfig relay = options.relay().get();
            var credential = relay.credential();
            return new TurnClient(socket, relay.server(), credential.username(), credential.password());
        }
        RendezvousMessage.RelayOffer offer = intro.relay().orElseThrow(() -> new IOException(
                "no direct path to the other peer opened within " + options.punchDeadline().toSeconds()
                        + " s, and the rendezvous server offers no relay (try --relay-server)"));
        return new TurnClient(socket, offer.server().orElse(options.server()), offer.username(), offer.password());
    }

    /** Allocates, exchanges relayed addresses through the rendezvous server, and probes the other's. */
    private static Optional<Puncher.Path> relay(TurnClient turn, RendezvousClient rendezvous, List<Candidate> local,
                                                RendezvousMessage.Introduce intro, Router router, PeerSocket socket,
                                                Puncher direct, SecureRandom random)
            throws IOException, InterruptedException {
        InetSocketAddress mine = turn.allocate();
        turn.permit(ips(intro.candidates()));
        List<Candidate> withRelay = new ArrayList<>(local.subList(0, Math.min(local.size(), RendezvousMessage.MAX_CANDIDATES - 2)));
        withRelay.add(new Candidate(CandidateKind.RELAYED, mine));
        long end = System.nanoTime() + RELAY_EXCHANGE.toNanos();
        Optional<Candidate> theirs = Optional.empty();
        while (theirs.isEmpty() && System.nanoTime() < end) {
            if (direct.found().isPresent()) {
                return direct.found();
            }
            RendezvousMessage.Introduce again;
            try {
                again = rendezvous.register(withRelay, Duration.ofSeconds(1));
            } catch (IOException e) {
                continue; // a lost REGISTERED or INTRODUCE: ask again until the deadline
            }
            theirs = again.candidates().stream().filter(c -> c.kind() == CandidateKind.RELAYED).findFirst();
            if (theirs.isEmpty()) {
                Thread.sleep(300);
            } else {
                turn.permit(ips(again.candidates()));
            }
        }
        if (theirs.isEmpty() && direct.found().isPresent()) {
            return direct.found();
        }
        if (theirs.isEmpty()) {
            throw new IOException("the other peer did not announce a relayed address within "
                    + RELAY_EXCHANGE.toSeconds() + " s");
        }
        InetSocketAddress other = theirs.get().address();
        turn.presentAs(other);
        Puncher relayed = new Puncher(socket, intro.session(), rendezvous.peerId(), intro.peerId(),
                List.of(theirs.get()), random);
        router.relayed = relayed;
        router.relayedFrom = other;
        Optional<Puncher.Path> path = relayed.punch(RELAY_PUNCH);
        if (direct.found().isPresent()) {
            return direct.found();
        }
        if (path.isEmpty()) {
            throw new IOException("no path to the other peer, not even through the relay at "
                    + Addresses.format(turn.server()));
        }
        return path;
    }

    private static void upgrade(Puncher direct, PeerLink link, Consumer<String> status, Halt halt) {
        try {
            while (!halt.await(UPGRADE_EVERY)) {
                Optional<Puncher.Path> found = direct.punch(Duration.ofSeconds(2), halt);
                if (found.isPresent() && found.get().type() != PathType.RELAYED) {
                    link.moveTo(found.get());
                    status.accept("moved to a " + found.get().type().label() + " path to "
                            + Addresses.format(found.get().address()));
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<InetAddress> ips(List<Candidate> candidates) {
        return candidates.stream().map(c -> c.address().getAddress()).distinct().toList();
    }

    /** Routes the socket's datagrams to whichever part is running. */
    private static final class Router implements PeerSocket.Handler {
        volatile RendezvousClient rendezvous;
        volatile Puncher direct;
        volatile Puncher relayed;
        volatile InetSocketAddress relayedFrom;
        volatile TurnClient turn;
        volatile PeerSession session;

        @Override
        public void onPeer(InetSocketAddress from, PeerPacket packet) {
            if (packet instanceof PeerProbe probe) {
                Puncher p = from.equals(relayedFrom) ? relayed : direct;
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
            TurnClient t = turn;
            if (r != null && RendezvousCodec.looksLikeRendezvous(datagram)) {
                r.onDatagram(from, datagram);
            } else if (t != null && from.equals(t.server()) && StunCodec.looksLikeStun(datagram)) {
                t.onStun(datagram);
            } else if (t != null && from.equals(t.server()) && ChannelData.looksLikeChannelData(datagram)) {
                t.onChannelData(datagram);
            }
        }
    }

    /** For status lines: {@code direct LAN to 10.0.0.2:4100}. */
    static String describe(Connection c) {
        return c.path().label() + " to " + Addresses.format(c.peer());
    }
}
