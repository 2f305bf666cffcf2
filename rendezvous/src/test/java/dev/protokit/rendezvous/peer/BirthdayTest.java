package dev.protokit.rendezvous.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.rendezvous.wire.PeerCodec;
import dev.protokit.rendezvous.wire.PeerPacket;
import dev.protokit.rendezvous.wire.PeerProbe;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The birthday technique's budgets and pacing, and its spray on real loopback sockets: 256
 * distinct source ports, every datagram to the introduced address and nowhere else. (The sweep
 * is not run on loopback: its random ports would reach other programs' sockets. The interop
 * script runs both halves through real NATs.)
 */
class BirthdayTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void theSweepProbesDistinctUnprivilegedPortsWithinItsBudget() throws Exception {
        try (PeerSocket main = PeerSocket.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new Nowhere())) {
            int[] ports = new Birthday(Birthday.Role.SWEEP, main, new Nowhere(), RANDOM).sweepPorts();
            assertEquals(Birthday.SWEEP_PORTS, ports.length);
            Set<Integer> distinct = new HashSet<>();
            for (int p : ports) {
                assertTrue(p >= 1024 && p <= 65535, "port " + p);
                distinct.add(p);
            }
            assertEquals(ports.length, distinct.size(), "no port probed twice");
        }
    }

    @Test
    void theSweepWaitsThenSpreadsItsBudgetOverItsSpan() {
        assertEquals(0, Birthday.sweepDue(0));
        assertEquals(0, Birthday.sweepDue(Birthday.SWEEP_AFTER - 1));
        assertEquals(1, Birthday.sweepDue(Birthday.SWEEP_AFTER));
        long half = Birthday.sweepDue(Birthday.SWEEP_AFTER + Birthday.SWEEP_SPAN / 2);
        assertTrue(Math.abs(half - Birthday.SWEEP_PORTS / 2) <= 2, "half the budget at half the span: " + half);
        assertEquals(Birthday.SWEEP_PORTS, Birthday.sweepDue(Birthday.SWEEP_AFTER + Birthday.SWEEP_SPAN));
        assertEquals(Birthday.SWEEP_PORTS, Birthday.sweepDue(TimeUnit.HOURS.toNanos(1)), "never more than the budget");
        // at most ~1000 datagrams a second: never a flood
        long perSecond = Birthday.sweepDue(Birthday.SWEEP_AFTER + 1000 * MS) - Birthday.sweepDue(Birthday.SWEEP_AFTER);
        assertTrue(perSecond <= 1100, "sweep rate " + perSecond + "/s");
    }

    @Test
    void theSprayGoesInRoundsAndStopsAtItsBudget() {
        int n = Birthday.SOCKETS;
        long sent = 0;
        for (long t = 0; t < TimeUnit.SECONDS.toNanos(30); t += 50 * MS) {
            long due = Birthday.sprayDue(t, (int) sent, n);
            assertTrue(due - sent <= n / 4 + 1, "at most a quarter of the sockets per step");
            sent = Math.max(sent, due);
            if (t < TimeUnit.SECONDS.toNanos(1) - 50 * MS) {
                assertTrue(sent <= n, "one round in the first second");
            }
        }
        assertEquals((long) Birthday.SPRAY_ROUNDS * n, sent);
    }

    @Test
    void sprayLeavesFrom256PortsTowardsTheIntroducedAddressOnly() throws Exception {
        try (DatagramChannel theirs = DatagramChannel.open();
             PeerSocket main = PeerSocket.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new Nowhere())) {
            theirs.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            theirs.configureBlocking(false);
            InetSocketAddress target = (InetSocketAddress) theirs.getLocalAddress();
            Puncher puncher = new Puncher(main, 7, 1, 2, List.of(), RANDOM);
            try (Birthday spray = new Birthday(Birthday.Role.SPRAY, main, new Nowhere(), RANDOM)) {
                spray.aim(target, puncher);
                ByteBuffer probe = ByteBuffer.wrap(PeerCodec.toBytes(new PeerProbe(false, Puncher.tag(7, 1, 2), 9)));
                Set<Integer> ports = new HashSet<>();
                int got = 0;
                for (long t = 0; t <= TimeUnit.SECONDS.toNanos(5); t += 50 * MS) {
                    spray.step(t, probe);
                    got += drain(theirs, ports); // each step's few dozen datagrams fit the receive buffer
                }
                assertEquals(Birthday.SPRAY_ROUNDS * Birthday.SOCKETS, spray.sent());
                assertEquals(Birthday.SOCKETS, ports.size(), "one mapping per spray socket (" + got + " datagrams)");
                assertTrue(!ports.contains(main.localAddress().getPort()), "the spray is not the main socket");
            }
        }
    }

    /** Reads what arrives until nothing has for 100 ms; returns how many datagrams. */
    private static int drain(DatagramChannel channel, Set<Integer> ports) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(64);
        int got = 0;
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < 100 * MS) {
            in.clear();
            InetSocketAddress from = (InetSocketAddress) channel.receive(in);
            if (from == null) {
                Thread.sleep(2);
                continue;
            }
            quietSince = System.nanoTime();
            got++;
            ports.add(from.getPort());
            in.flip();
            assertTrue(PeerCodec.decode(in) instanceof PeerProbe, "only probes");
        }
        return got;
    }

    private static final class Nowhere implements PeerSocket.Handler {
        @Override
        public void onPeer(InetSocketAddress from, PeerPacket packet) {
        }

        @Override
        public void onOther(InetSocketAddress from, ByteBuffer datagram) {
        }
    }
}
