package dev.protokit.rendezvous.peer;

import dev.protokit.rendezvous.wire.PeerPacket;
import dev.protokit.rendezvous.wire.PeerProbe;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The birthday technique for a NAT that maps every destination to a new random port
 * (symmetric, like Linux {@code masquerade random}) facing one that filters by address and
 * port: the symmetric side <em>sprays</em>, opening {@link #SOCKETS} sockets that each probe
 * the other side's mapped address (so its NAT holds that many random ports open towards it);
 * the other side <em>sweeps</em>, probing {@link #SWEEP_PORTS} random distinct ports of the
 * symmetric NAT's address (the one the server introduced, never another). A sweep probe that
 * lands on a sprayed port passes both NATs; its echo proves the path for the sweeper, and the
 * spraying socket, hearing it, probes back at once so the sprayer's path is proven too. With
 * k = 256 ports open among N = 64512 (1024-65535) and m = 1536 probed, the chance of no hit is
 * about (1 - k/N)^m = e^-6.1, 0.2%.
 *
 * <p>Paced and bounded: the spray sends each socket's probe once per {@link #SPRAY_ROUND}, at
 * most {@link #SPRAY_ROUNDS} rounds (768 datagrams); the sweep starts {@link #SWEEP_AFTER}
 * into the punching (the sprayed mappings exist by then, and an easy path usually has
 * answered) and spreads its 1536 datagrams over {@link #SWEEP_SPAN}, about 1000 a second.
 * {@link Puncher} drives it from its punching loop, once.
 *
 * <p>Threads: the spray sockets' readers call the puncher; the connecting thread alone steps
 * and closes.
 */
final class Birthday implements AutoCloseable {
    /**
     * Which half this peer plays, from its own NAT's mapping (RFC 5780 test): spray behind an
     * endpoint-dependent mapping; sweep behind an endpoint-independent one, and when the test
     * gave no answer (no alternate address): the sweep costs one socket, the spray 256.
     */
    enum Role { SPRAY, SWEEP }

    static final int SOCKETS = 256;
    static final int SPRAY_ROUNDS = 3;
    static final long SPRAY_ROUND = TimeUnit.SECONDS.toNanos(1);
    static final int SWEEP_PORTS = 1536;
    static final long SWEEP_AFTER = TimeUnit.MILLISECONDS.toNanos(500);
    static final long SWEEP_SPAN = TimeUnit.MILLISECONDS.toNanos(1500);
    private static final int FIRST_PORT = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Birthday.class);

    private final Role role;
    private final PeerSocket main;
    private final List<PeerSocket> sockets = new ArrayList<>(SOCKETS);
    /** Spray sockets the other peer reached: its sweep may have chosen any of them, so they stay open. */
    private final java.util.Set<PeerSocket> heard = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final int[] ports;
    private volatile InetSocketAddress theirs;
    private volatile Puncher puncher;
    private int sprayed;
    private int swept;

    /**
     * Prepares this peer's half; a sprayer opens its sockets at once (while the peer waits for
     * the introduction), each routing probes to the puncher {@link #aim} names and everything
     * else to {@code others} (the session, once a spray socket carries it).
     *
     * @param main this peer's one socket, from which the sweep goes
     */
    Birthday(Role role, PeerSocket main, PeerSocket.Handler others, SecureRandom random) {
        this.role = role;
        this.main = main;
        this.ports = role == Role.SWEEP ? sweepOrder(random) : new int[0];
        if (role == Role.SPRAY) {
            open(others);
        }
    }

    /** Aims at the other peer's server-reflexive address, as the introduction gave it. */
    void aim(InetSocketAddress address, Puncher to) {
        this.puncher = to;
        this.theirs = address;
    }

    /** SWEEP_PORTS distinct ports in 1024..65535, a random sample (partial Fisher-Yates). */
    private static int[] sweepOrder(SecureRandom random) {
        int[] all = new int[0x10000 - FIRST_PORT];
        for (int i = 0; i < all.length; i++) {
            all[i] = FIRST_PORT + i;
        }
        for (int i = 0; i < SWEEP_PORTS; i++) {
            int j = i + random.nextInt(all.length - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, SWEEP_PORTS);
    }

    private void open(PeerSocket.Handler others) {
        InetSocketAddress bind = new InetSocketAddress(main.localAddress().getAddress(), 0);
        for (int i = 0; i < SOCKETS; i++) {
            PeerSocket[] self = new PeerSocket[1];
            try {
                self[0] = PeerSocket.open(bind, new PeerSocket.Handler() {
                    @Override
                    public void onPeer(InetSocketAddress from, PeerPacket packet) {
                        heard.add(self[0]);
                        Puncher p = puncher;
                        if (packet instanceof PeerProbe probe) {
                            if (p != null) {
                                p.onProbe(from, probe, self[0]);
                            }
                        } else {
                            others.onPeer(from, packet);
                        }
                    }

                    @Override
                    public void onOther(InetSocketAddress from, ByteBuffer datagram) {
                        // only the main socket talks to the servers
                    }
                });
            } catch (IOException e) {
                LOG.debug("birthday: opened {} sockets of {}: {}", i, SOCKETS, e.toString());
                return; // out of descriptors: spray with what we have
            }
            sockets.add(self[0]);
        }
    }

    /** Sends what is due {@code elapsed} nanoseconds into the punching. */
    void step(long elapsed, ByteBuffer probe) {
        InetSocketAddress theirs = this.theirs;
        if (theirs == null) {
            return;
        }
        if (role == Role.SPRAY && !sockets.isEmpty()) {
            for (long due = sprayDue(elapsed, sprayed, sockets.size()); sprayed < due; sprayed++) {
                sockets.get(sprayed % sockets.size()).send(probe, theirs);
            }
        }
        if (role == Role.SWEEP) {
            InetAddress ip = theirs.getAddress();
            for (long due = sweepDue(elapsed); swept < due; swept++) {
                main.send(probe, new InetSocketAddress(ip, ports[swept]));
            }
        }
    }

    /**
     * How many spray datagrams should have left {@code elapsed} into the punching: one per
     * socket per round, at most {@link #SPRAY_ROUNDS} rounds, and at most a quarter of the
     * sockets more than {@code sent} per step (the punching loop steps every 50-200 ms).
     */
    static long sprayDue(long elapsed, int sent, int sockets) {
        long rounds = Math.min(SPRAY_ROUNDS, 1 + Math.max(0, elapsed) / SPRAY_ROUND);
        return Math.min(rounds * sockets, sent + sockets / 4 + 1L);
    }

    /** How many sweep datagrams should have left: none before {@link #SWEEP_AFTER}, then evenly over the span. */
    static long sweepDue(long elapsed) {
        if (elapsed < SWEEP_AFTER) {
            return 0;
        }
        return Math.min(SWEEP_PORTS, (elapsed - SWEEP_AFTER) * SWEEP_PORTS / SWEEP_SPAN + 1);
    }

    /** The ports the sweep probes, in order. */
    int[] sweepPorts() {
        return ports.clone();
    }

    /** Datagrams sent so far: spray and sweep. */
    int sent() {
        return sprayed + swept;
    }

    /**
     * Closes the spray sockets nobody answered. The winner stays, and so does every socket the
     * other peer reached: its sweep may have hit several of our ports and chosen another one
     * than the one whose echo reached us first, and it will send there. Those close with the
     * connection ({@link #close}).
     */
    void closeUnused(PeerSocket keep) {
        for (PeerSocket s : sockets) {
            if (s != keep && !heard.contains(s)) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing a datagram socket does not fail in practice
                }
            }
        }
        sockets.removeIf(s -> s != keep && !heard.contains(s));
    }

    @Override
    public void close() {
        for (PeerSocket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // as above
            }
        }
        sockets.clear();
    }
}
