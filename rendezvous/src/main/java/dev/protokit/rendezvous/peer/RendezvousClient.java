package dev.protokit.rendezvous.peer;

import dev.protokit.common.daemon.Addresses;
import dev.protokit.rendezvous.wire.Candidate;
import dev.protokit.rendezvous.wire.RendezvousCodec;
import dev.protokit.rendezvous.wire.RendezvousException;
import dev.protokit.rendezvous.wire.RendezvousMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The peer's side of the rendezvous protocol: registers into the session named by the code's
 * number with the local candidates (retransmitting until answered), echoes the server's
 * return-routability probe, keeps the registration alive and waits for the introduction.
 * Only the server's address is ever answered; messages from anywhere else are ignored.
 */
final class RendezvousClient {
    private static final Duration RETRY = Duration.ofMillis(500);
    private static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(10);

    private final PeerSocket socket;
    private final InetSocketAddress server;
    private final long session;
    private final long peerId;
    private final SecureRandom random;
    private final BlockingQueue<RendezvousMessage> inbox = new LinkedBlockingQueue<>(64);

    RendezvousClient(PeerSocket socket, InetSocketAddress server, long session, SecureRandom random) {
        this.socket = socket;
        this.server = server;
        this.session = session;
        this.random = random;
        this.peerId = random.nextLong();
    }

    long peerId() {
        return peerId;
    }

    /** Called by the socket's reader for a rendezvous datagram. */
    void onDatagram(InetSocketAddress from, ByteBuffer datagram) {
        if (!from.equals(server)) {
            return;
        }
        try {
            inbox.offer(RendezvousCodec.decode(datagram));
        } catch (RendezvousException e) {
            // malformed: dropped, as the server does with ours
        }
    }

    /**
     * Registers and waits for the other peer's introduction.
     *
     * @param waitForPeer how long to wait for the other peer to register too
     * @throws IOException naming the server when it does not answer or refuses
     */
    RendezvousMessage.Introduce register(List<Candidate> candidates, Duration waitForPeer)
            throws IOException, InterruptedException {
        long tx = random.nextLong();
        ByteBuffer register = RendezvousCodec.encode(new RendezvousMessage.Register(tx, session, peerId, candidates));
        long deadline = System.nanoTime() + REGISTER_TIMEOUT.toNanos();
        RendezvousMessage.Registered registered = null;
        while (registered == null) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the rendezvous server " + Addresses.format(server) + " does not answer");
            }
            socket.send(register, server);
            RendezvousMessage m = inbox.poll(RETRY.toMillis(), TimeUnit.MILLISECONDS);
            if (m instanceof RendezvousMessage.ErrorMessage e) {
                throw refused(e);
            }
            if (m instanceof RendezvousMessage.Registered r && r.transactionId() == tx) {
                registered = r;
            }
            if (m instanceof RendezvousMessage.Introduce i) {
                return i;
            }
        }
        echo(registered);
        Duration keepalive = registered.keepalive();
        long end = System.nanoTime() + waitForPeer.toNanos();
        long nextKeepalive = System.nanoTime() + keepalive.toNanos();
        while (System.nanoTime() < end) {
            long wait = Math.max(1, Math.min(nextKeepalive, end) - System.nanoTime());
            RendezvousMessage m = inbox.poll(wait, TimeUnit.NANOSECONDS);
            switch (m) {
                case null -> {
                    if (System.nanoTime() >= nextKeepalive) {
                        socket.send(RendezvousCodec.encode(new RendezvousMessage.Keepalive(random.nextLong(), session,
                                peerId)), server);
                        nextKeepalive = System.nanoTime() + keepalive.toNanos();
                    }
                }
                case RendezvousMessage.Introduce i -> {
                    if (i.session() == session) {
                        return i;
                    }
                }
                case RendezvousMessage.Registered r -> echo(r);
                case RendezvousMessage.ErrorMessage e -> throw refused(e);
                default -> { }
            }
        }
        throw new IOException("nobody joined session " + session + " within " + waitForPeer.toMinutes() + " min");
    }

    /** Leaves the session (no answer expected); frees the server's state at once. */
    void leave() {
        socket.send(RendezvousCodec.encode(new RendezvousMessage.Leave(random.nextLong(), session, peerId)), server);
    }

    private void echo(RendezvousMessage.Registered registered) {
        socket.send(RendezvousCodec.encode(new RendezvousMessage.ProbeEcho(registered.transactionId(), session, peerId,
                registered.probe())), server);
    }

    private IOException refused(RendezvousMessage.ErrorMessage e) {
        return new IOException("the rendezvous server refused: " + e.code() + " " + e.reason());
    }
}
