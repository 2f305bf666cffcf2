package dev.protokit.rendezvous.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.rendezvous.wire.PeerError;
import dev.protokit.rendezvous.wire.PeerException;
import dev.protokit.rendezvous.wire.PeerPacket;
import dev.protokit.rendezvous.wire.PeerSealed;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two sessions over real UDP sockets on loopback, talking directly. */
class PeerSessionTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private PeerSocket socketA;
    private PeerSocket socketB;
    private PeerSession a;
    private PeerSession b;

    /** Wires two sessions to each other; {@code tap} sees (and may replace) every datagram A sends. */
    private void connect(String codeA, String codeB, java.util.function.UnaryOperator<ByteBuffer> tap) throws Exception {
        AtomicReference<PeerSession> toA = new AtomicReference<>();
        AtomicReference<PeerSession> toB = new AtomicReference<>();
        socketA = PeerSocket.open(LOOPBACK, handler(toA));
        socketB = PeerSocket.open(LOOPBACK, handler(toB));
        a = new PeerSession(SessionCode.parse(codeA), ChannelConfig.DEFAULT,
                d -> socketA.send(tap.apply(d), socketB.localAddress()), Duration.ofSeconds(20), RANDOM);
        b = new PeerSession(SessionCode.parse(codeB), ChannelConfig.DEFAULT,
                d -> socketB.send(d, socketA.localAddress()), Duration.ofSeconds(20), RANDOM);
        toA.set(a);
        toB.set(b);
        a.start();
        b.start();
    }

    private static PeerSocket.Handler handler(AtomicReference<PeerSession> session) {
        return new PeerSocket.Handler() {
            @Override
            public void onPeer(InetSocketAddress from, PeerPacket packet) {
                PeerSession s = session.get();
                if (s != null) {
                    s.onPacket(packet);
                }
            }

            @Override
            public void onOther(InetSocketAddress from, ByteBuffer datagram) {
            }
        };
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, socketA, socketB}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(PeerSession s) throws InterruptedException {
        return StandardCharsets.UTF_8.decode(s.receive(Duration.ofSeconds(20)).orElseThrow()).toString();
    }

    @Test
    void matchingCodesChatBothWaysAndSayGoodbye() throws Exception {
        connect("7-scenic-harbor", "7-scenic-harbor", d -> d);
        assertTrue(a.awaitEstablished(Duration.ofSeconds(20)));
        assertTrue(b.awaitEstablished(Duration.ofSeconds(20)));
        a.send(text("hello bob"));
        b.send(text("hello alice"));
        assertEquals("hello bob", read(b));
        assertEquals("hello alice", read(a));
        for (int i = 0; i < 300; i++) {
            a.send(text("line " + i));
        }
        for (int i = 0; i < 300; i++) {
            assertEquals("line " + i, read(b));
        }
        a.goodbye(Duration.ofSeconds(10));
        assertTrue(b.receive(Duration.ofSeconds(10)).isEmpty());
        assertTrue(b.peerClosed(), "B saw the goodbye");
        assertTrue(a.rtt().isPresent());
    }

    @Test
    void aWrongCodeFailsBothSidesWithTheSameReason() throws Exception {
        connect("7-scenic-harbor", "7-scenic-harness", d -> d);
        PeerException atA = assertThrows(PeerException.class, () -> a.awaitEstablished(Duration.ofSeconds(20)));
        PeerException atB = assertThrows(PeerException.class, () -> b.awaitEstablished(Duration.ofSeconds(20)));
        assertEquals(PeerError.WRONG_CODE, atA.error());
        assertEquals(PeerError.WRONG_CODE, atB.error());
        assertTrue(atA.getMessage().contains("burned"), atA.getMessage());
    }

    /** Every handshake datagram's first send is lost and a quarter of the sealed ones too. */
    @Test
    void agreesAndDeliversWhenFirstHandshakeSendsAndSomeSealedDatagramsAreLost() throws Exception {
        java.util.Set<Integer> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger sealed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger lost = new java.util.concurrent.atomic.AtomicInteger();
        connect("7-scenic-harbor", "7-scenic-harbor", d -> {
            int type = Byte.toUnsignedInt(d.get(0));
            boolean drop = type == dev.protokit.rendezvous.wire.PeerPacketType.SEALED.wireValue()
                    ? sealed.incrementAndGet() % 4 == 0
                    : seen.add(type << 8 | Byte.toUnsignedInt(d.get(1)));
            if (drop) {
                lost.incrementAndGet();
                return ByteBuffer.allocate(0); // an empty datagram: the reader skips it
            }
            return d;
        });
        assertTrue(a.awaitEstablished(Duration.ofSeconds(20)));
        assertTrue(b.awaitEstablished(Duration.ofSeconds(20)));
        for (int i = 0; i < 60; i++) {
            a.send(text("m" + i));
        }
        for (int i = 0; i < 60; i++) {
            assertEquals("m" + i, read(b));
        }
        a.goodbye(Duration.ofSeconds(15));
        assertTrue(b.receive(Duration.ofSeconds(15)).isEmpty());
        assertTrue(b.peerClosed(), "the goodbye got through the losses");
        assertTrue(lost.get() >= 4 + 15, "the script dropped: " + lost.get());
    }

    @Test
    void tamperedSealedDatagramsAreDroppedAndTheChannelRecovers() throws Exception {
        java.util.concurrent.atomic.AtomicInteger sealed = new java.util.concurrent.atomic.AtomicInteger();
        connect("7-scenic-harbor", "7-scenic-harbor", d -> {
            if (Byte.toUnsignedInt(d.get(0)) == dev.protokit.rendezvous.wire.PeerPacketType.SEALED.wireValue()
                    && sealed.incrementAndGet() % 3 == 0) {
                ByteBuffer copy = ByteBuffer.allocate(d.remaining()).put(d.duplicate()).flip();
                copy.put(PeerSealed.HEADER, (byte) (copy.get(PeerSealed.HEADER) ^ 0x40));
                return copy;
            }
            return d;
        });
        assertTrue(a.awaitEstablished(Duration.ofSeconds(20)));
        for (int i = 0; i < 30; i++) {
            a.send(text("m" + i));
        }
        for (int i = 0; i < 30; i++) {
            assertEquals("m" + i, read(b));
        }
        assertTrue(b.dropped() >= 10, "B dropped every tampered datagram: " + b.dropped());
    }
}
