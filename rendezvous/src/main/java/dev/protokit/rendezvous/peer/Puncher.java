package dev.protokit.rendezvous.peer;

import dev.protokit.rendezvous.wire.Candidate;
import dev.protokit.rendezvous.wire.CandidateKind;
import dev.protokit.rendezvous.wire.PeerCodec;
import dev.protokit.rendezvous.wire.PeerProbe;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Punches holes towards the other peer's candidates. From the scheduled moment it sends a
 * {@link PeerProbe} to every candidate, fast at first (every 50 ms for a second, then every
 * 200 ms), and to a small range of ports just above each server-reflexive port (a NAT that
 * allocates ports sequentially gives the flow towards us the next few ports). It echoes every
 * probe carrying the session's tag, and a probe echoed back proves a path both ways. The first
 * working path wins, except that a host (LAN) path answering within a short grace is preferred.
 * Given the other peer's relayed candidate, the same probes find the relayed path.
 *
 * <p>Thread-safe: the socket reader calls {@link #onProbe}; one thread calls {@link #punch}.
 */
final class Puncher {
    /** Ports above an observed mapping probed in case the other NAT allocates sequentially. */
    static final int PREDICTED_PORTS = 6;
    private static final Duration LAN_GRACE = Duration.ofMillis(150);

    /** A working path: the other peer's address, and our socket that reaches it. */
    record Path(InetSocketAddress address, PathType type, PeerSocket via) {}

    private final PeerSocket socket;
    private final long tag;
    private final long nonce;
    private final List<Candidate> candidates;
    private final CountDownLatch found = new CountDownLatch(1);
    private volatile Path best;
    private volatile boolean heard;
    private volatile Birthday birthday;

    Puncher(PeerSocket socket, long session, long localPeerId, long otherPeerId, List<Candidate> candidates,
            SecureRandom random) {
        this.socket = socket;
        this.tag = tag(session, localPeerId, otherPeerId);
        this.nonce = random.nextLong();
        this.candidates = List.copyOf(candidates);
    }

    /** The probe tag both peers derive: SHA-256 over the session and both peer ids, sorted. */
    static long tag(long session, long a, long b) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("protokit-rdv/1 probe".getBytes(StandardCharsets.US_ASCII));
            sha.update(ByteBuffer.allocate(24).putLong(session).putLong(Math.min(a, b)).putLong(Math.max(a, b)).array());
            return ByteBuffer.wrap(sha.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Every address probed: the candidates, then the predicted ports. */
    List<InetSocketAddress> targets() {
        Set<InetSocketAddress> out = new LinkedHashSet<>();
        for (Candidate c : candidates) {
            out.add(c.address());
        }
        for (Candidate c : candidates) {
            if (c.kind() == CandidateKind.SERVER_REFLEXIVE) {
                for (int i = 1; i <= PREDICTED_PORTS && c.address().getPort() + i <= 0xffff; i++) {
                    out.add(new InetSocketAddress(c.address().getAddress(), c.address().getPort() + i));
                }
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * Adds the birthday technique, aimed at {@code theirs}, to the next {@link #punch} (only
     * that one: its budget is spent once); its spray sockets route their probes here.
     */
    void birthday(Birthday next, InetSocketAddress theirs) {
        next.aim(theirs, this);
        this.birthday = next;
    }

    /** Handles a probe or echo from {@code from} on the main socket. */
    void onProbe(InetSocketAddress from, PeerProbe probe) {
        onProbe(from, probe, socket);
    }

    /**
     * Handles a probe or echo from {@code from} that arrived on {@code via}; probes are echoed
     * whatever their source. A probe heard on a spray socket is answered with our own probe
     * too, so the path the other side just found is proven for this side within a round trip.
     */
    void onProbe(InetSocketAddress from, PeerProbe probe, PeerSocket via) {
        if (probe.sessionTag() != tag) {
            return;
        }
        if (!probe.reply()) {
            heard = true;
            via.send(ByteBuffer.wrap(PeerCodec.toBytes(probe.echo())), from);
            if (via != socket && best == null) {
                via.send(ByteBuffer.wrap(PeerCodec.toBytes(new PeerProbe(false, tag, nonce))), from);
            }
            return;
        }
        if (probe.nonce() != nonce) {
            return;
        }
        PathType type = is(CandidateKind.RELAYED, from) ? PathType.RELAYED
                : is(CandidateKind.HOST, from) ? PathType.LAN : PathType.DIRECT;
        Path current = best;
        if (current == null || (type == PathType.LAN && current.type() != PathType.LAN)) {
            best = new Path(from, type, via);
        }
        found.countDown();
    }

    private boolean is(CandidateKind kind, InetSocketAddress from) {
        for (Candidate c : candidates) {
            if (c.kind() == kind && c.address().equals(from)) {
                return true;
            }
        }
        return false;
    }

    /** The best path found so far by any {@link #punch} (or the echoes that came after it). */
    Optional<Path> found() {
        return Optional.ofNullable(best);
    }

    /**
     * Keeps probing in a virtual thread until a path works, {@code deadline} passes or the
     * returned {@link Halt} is halted: direct punching goes on while the relay is being set up,
     * so a peer that was introduced late (its INTRODUCE lost) still finds the direct path. The
     * thread is stopped by the halt, never interrupted (it sends on the shared socket).
     */
    Halt punchInBackground(Duration deadline) {
        Halt halt = new Halt();
        Thread.ofVirtual().name("rdv-punch").start(() -> {
            try {
                punch(deadline, halt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return halt;
    }

    /** Whether the other peer's probes reach us (the hole on our side is open). */
    boolean heard() {
        return heard;
    }

    /**
     * Probes until a path works or {@code deadline} passes.
     *
     * @return the best working path, or empty when none opened in time
     */
    Optional<Path> punch(Duration deadline) throws InterruptedException {
        return punch(deadline, new Halt());
    }

    /** Probes until a path works, {@code deadline} passes or {@code halt} is halted. */
    Optional<Path> punch(Duration deadline, Halt halt) throws InterruptedException {
        ByteBuffer probe = ByteBuffer.wrap(PeerCodec.toBytes(new PeerProbe(false, tag, nonce)));
        List<InetSocketAddress> targets = targets();
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        Birthday spray = birthday;
        birthday = null;
        while (System.nanoTime() < end && !halt.halted()) {
            for (InetSocketAddress target : targets) {
                socket.send(probe, target);
            }
            long elapsed = System.nanoTime() - start;
            if (spray != null) {
                spray.step(elapsed, probe);
            }
            long pause = elapsed < TimeUnit.SECONDS.toNanos(1) ? 50 : 200;
            if (found.await(pause, TimeUnit.MILLISECONDS)) {
                break;
            }
        }
        if (best != null && best.type() != PathType.LAN) {
            // A LAN path may answer a moment later than the NAT's: give it a chance.
            for (InetSocketAddress target : targets) {
                socket.send(probe, target);
            }
            Thread.sleep(LAN_GRACE);
        }
        if (spray != null) {
            Path won = best;
            spray.closeUnused(won == null ? null : won.via());
        }
        return Optional.ofNullable(best);
    }
}
