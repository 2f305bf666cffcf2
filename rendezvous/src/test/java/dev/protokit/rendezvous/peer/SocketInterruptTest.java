package dev.protokit.rendezvous.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.rendezvous.wire.Candidate;
import dev.protokit.rendezvous.wire.CandidateKind;
import dev.protokit.rendezvous.wire.PeerCodec;
import dev.protokit.rendezvous.wire.PeerPacket;
import dev.protokit.rendezvous.wire.PeerProbe;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The coturn relay defect of issue #8: the background punch that runs while the relay is set
 * up was stopped with an interrupt, and an interrupt that lands while the thread is inside
 * {@code DatagramChannel.send} closes the channel: the peer's one socket, which the relayed path
 * and the key exchange then used. The capture of a failed try showed it: the peer printed its
 * relayed path, then sent nothing more (not its first J-PAKE flight, not the Refresh that
 * releases its allocation) while the other peer's flights kept arriving.
 */
class SocketInterruptTest {
    private final LinkedBlockingQueue<PeerPacket> arrived = new LinkedBlockingQueue<>();
    private PeerSocket socket;
    private DatagramSocket sink;

    @BeforeEach
    void open() throws Exception {
        socket = PeerSocket.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new PeerSocket.Handler() {
            @Override
            public void onPeer(InetSocketAddress from, PeerPacket packet) {
                arrived.add(packet);
            }

            @Override
            public void onOther(InetSocketAddress from, ByteBuffer datagram) {
            }
        });
        sink = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void close() throws Exception {
        socket.close();
        sink.close();
    }

    @Test
    void aSendOnAnInterruptedThreadClosesTheSocketForEveryone() throws Exception {
        Thread t = Thread.ofVirtual().start(() -> {
            Thread.currentThread().interrupt();
            socket.send(probe(1), (InetSocketAddress) sink.getLocalSocketAddress());
        });
        t.join(Duration.ofSeconds(20));
        assertFalse(socket.send(probe(2), (InetSocketAddress) sink.getLocalSocketAddress()),
                "the JDK closed the channel under the interrupted sender: why no sender is ever interrupted");
    }

    @Test
    void haltingTheBackgroundPunchNeverClosesTheSocket() throws Exception {
        // Many targets, so the punch thread spends much of its time inside send: an interrupt
        // would land there within a few rounds.
        InetSocketAddress target = (InetSocketAddress) sink.getLocalSocketAddress();
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            candidates.add(new Candidate(CandidateKind.HOST, target));
            candidates.add(new Candidate(CandidateKind.HOST, new InetSocketAddress(target.getAddress(), 1 + i)));
        }
        SecureRandom random = new SecureRandom();
        for (int round = 0; round < 40; round++) {
            Puncher puncher = new Puncher(socket, 1, 2, 3, candidates, random);
            Halt halt = puncher.punchInBackground(Duration.ofSeconds(30));
            Thread.sleep(random.nextInt(1, 40));
            halt.halt();
        }
        assertTrue(socket.send(probe(3), target), "the socket still sends");
        DatagramSocket other = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (other) {
            byte[] bytes = PeerCodec.toBytes(new PeerProbe(false, 9, 4));
            other.send(new DatagramPacket(bytes, bytes.length, socket.localAddress()));
            PeerPacket p = arrived.poll(20, TimeUnit.SECONDS);
            assertEquals(4, ((PeerProbe) p).nonce(), "the socket still receives");
        }
    }

    private static ByteBuffer probe(long nonce) {
        return ByteBuffer.wrap(PeerCodec.toBytes(new PeerProbe(false, 9, nonce)));
    }
}
