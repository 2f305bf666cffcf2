package dev.protokit.rendezvous.peer;

import dev.protokit.common.daemon.Addresses;
import dev.protokit.common.retry.Backoff;
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
 *
 * <p>Nothing the server sends is acknowledged, so every step is driven from here until its
 * deadline: while waiting for the introduction the peer polls with KEEPALIVE on a jittered
 * backoff (0.5-1 s, doubling to at most {@link #POLL_MAX}), whose REGISTERED carries a fresh
 * probe to echo. A lost probe echo (the server would not introduce an unproven peer) or a lost
 * INTRODUCE (the server sent it once) is so recovered within one poll, instead of at the next
 * 25 s keepalive, when the other peer has long given up punching alone.
 */
final class RendezvousClient {
    private static final Duration RETRY = Duration.ofMillis(500);
    private static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(10);
    /** The longest pause between polls while waiting for the introduction. */
    static final Duration POLL_MAX = Duration.ofSeconds(4);
    private static final Duration POLL_FIRST = Duration.ofSeconds(1);

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
        Duration pollMax = shorter(registered.keepalive(), POLL_MAX);
        Backoff poll = new Backoff(shorter(POLL_FIRST, pollMax), pollMax);
        int polls = 0;
        long end = System.nanoTime() + waitForPeer.toNanos();
        long nextPoll = System.nanoTime() + poll.delay(polls++, random).toNanos();
        while (System.nanoTime() < end) {
            long wait = Math.max(1, Math.min(nextPoll, end) - System.nanoTime());
            RendezvousMessage m = inbox.poll(wait, TimeUnit.NANOSECONDS);
            switch (m) {
                case null -> {
                    if (System.nanoTime() >= nextPoll) {
                        socket.send(RendezvousCodec.encode(new RendezvousMessage.Keepalive(random.nextLong(), session,
                                peerId)), server);
                        nextPoll = System.nanoTime() + poll.delay(polls++, random).toNanos();
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

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private IOException refused(RendezvousMessage.ErrorMessage e) {
        return new IOException("the rendezvous server refused: " + e.code() + " " + e.reason());
    }
}
