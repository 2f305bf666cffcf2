package dev.protokit.rendezvous.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.rendezvous.wire.PeerCodec;
import dev.protokit.rendezvous.wire.PeerPacket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The key exchange over a scripted lossy link on a virtual clock: two {@link PakeHandshake}s
 * driven as {@link PeerSession} drives them (the flight retransmitted every 400 ms doubling to
 * 3 s until established; answers sent as they come), every datagram through the codec, then
 * dropped, duplicated or delayed (so reordered) by a seeded script. Both sides must agree on
 * the keys well inside the session's 20 s, and the link must go quiet once they have.
 */
class PakeHandshakeLossTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long MS = 1_000_000L;

    private record Arrival(long at, long order, boolean toB, ByteBuffer bytes) {}

    /** One side: its handshake and its retransmission timer, as {@link PeerSession} runs them. */
    private static final class Side {
        final PakeHandshake handshake = new PakeHandshake(SessionCode.parse("7-scenic-harbor"), RANDOM);
        long retry = 400 * MS;
        long nextSend = retry;
    }

    private final PriorityQueue<Arrival> inTransit = new PriorityQueue<>(
            (x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
    private Random script;
    private long now;
    private long order;
    private int sent;
    private double drop;
    private double duplicate;
    private double reorder;

    private void transmit(List<PeerPacket> packets, boolean toB) {
        for (PeerPacket p : packets) {
            sent++;
            if (script.nextDouble() < drop) {
                continue;
            }
            int copies = script.nextDouble() < duplicate ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                long extra = script.nextDouble() < reorder ? 20 * MS * (1 + script.nextInt(6)) : 0;
                inTransit.add(new Arrival(now + 20 * MS + extra, order++, toB, ByteBuffer.wrap(PeerCodec.toBytes(p))));
            }
        }
    }

    private static boolean established(Side s) {
        return s.handshake.state() == PakeHandshake.State.ESTABLISHED;
    }

    private void tick(Side s, boolean toB) {
        if (!established(s) && now >= s.nextSend) {
            transmit(s.handshake.flight(), toB);
            s.retry = Math.min(s.retry * 2, 3000 * MS);
            s.nextSend = now + s.retry;
        }
    }

    @ParameterizedTest(name = "seed {0}: drop {1}, duplicate {2}, reorder {3}")
    @CsvSource({"1, 0.1, 0.0, 0.0", "2, 0.2, 0.1, 0.3", "3, 0.3, 0.2, 0.3", "4, 0.3, 0.3, 0.5", "5, 0.4, 0.1, 0.2",
            "6, 0.0, 0.5, 0.8"})
    void agreesOnKeysOverALinkThatDropsDuplicatesAndReorders(long seed, double drop, double duplicate,
                                                           double reorder) {
        this.script = new Random(seed);
        this.drop = drop;
        this.duplicate = duplicate;
        this.reorder = reorder;
        Side a = new Side();
        Side b = new Side();
        transmit(a.handshake.flight(), true);
        transmit(b.handshake.flight(), false);
        long limit = Duration.ofSeconds(20).toNanos();
        while (!(established(a) && established(b)) && now < limit) {
            long next = Math.min(established(a) ? Long.MAX_VALUE : a.nextSend,
                    established(b) ? Long.MAX_VALUE : b.nextSend);
            Arrival arrival = inTransit.peek();
            if (arrival != null && arrival.at <= next) {
                inTransit.poll();
                now = Math.max(now, arrival.at);
                Side to = arrival.toB ? b : a;
                transmit(to.handshake.receive(PeerCodec.decode(arrival.bytes)), !arrival.toB);
            } else {
                now = Math.max(now, next);
                tick(a, true);
                tick(b, false);
            }
        }
        assertTrue(established(a) && established(b), "both established within 20 s of virtual time; a "
                + a.handshake.state() + ", b " + b.handshake.state() + " after " + now / MS + " ms");
        assertArrayEquals(a.handshake.keys().sending(), b.handshake.keys().receiving());
        assertArrayEquals(b.handshake.keys().sending(), a.handshake.keys().receiving());
        // Once both are established nothing keeps the exchange going: what is in flight drains.
        int before = sent;
        while (!inTransit.isEmpty()) {
            Arrival arrival = inTransit.poll();
            Side to = arrival.toB ? b : a;
            transmit(to.handshake.receive(PeerCodec.decode(arrival.bytes)), !arrival.toB);
            assertTrue(sent - before < 64, "no ping-pong between two established sides");
        }
        assertEquals(PakeHandshake.State.ESTABLISHED, a.handshake.state());
    }
}
