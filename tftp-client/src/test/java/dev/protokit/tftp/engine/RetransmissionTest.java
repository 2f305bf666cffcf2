package dev.protokit.tftp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.tftp.wire.Ack;
import dev.protokit.tftp.wire.Data;
import dev.protokit.tftp.wire.TftpCodec;
import dev.protokit.tftp.wire.TftpPacket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When the engine sends again: only on a timeout, never on a duplicate ACK (the Sorcerer's
 * Apprentice bug), and a receiver re-acks a repeated final block while it lingers.
 */
class RetransmissionTest {
    private static final InetAddress LO = InetAddress.getLoopbackAddress();

    /** Receives one packet within {@code millis}, or null; the channel must be non-blocking. */
    static TftpPacket receive(DatagramChannel raw, long millis) throws Exception {
        var in = ByteBuffer.allocate(70_000);
        try (Selector selector = Selector.open()) {
            raw.register(selector, SelectionKey.OP_READ);
            long deadline = System.nanoTime() + millis * 1_000_000;
            while (raw.receive(in) == null) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return null;
                }
                selector.select(left);
            }
        }
        return TftpCodec.decode(in.flip());
    }

    static DatagramChannel rawPeer() throws IOException {
        DatagramChannel raw = DatagramChannel.open().bind(new InetSocketAddress(LO, 0));
        raw.configureBlocking(false);
        return raw;
    }

    static void send(DatagramChannel raw, TftpPacket packet, InetSocketAddress to) throws IOException {
        raw.send(TftpCodec.encode(packet), to);
    }

    @Test
    void duplicateAcksDoNotCauseDuplicateData() throws Exception {
        try (var a = Loopback.bound(LO); var peer = rawPeer()) {
            byte[] content = Loopback.random(3 * 512 + 10, 1);
            var params = new TransferParameters(512, 1, Duration.ofSeconds(3), 2, Duration.ZERO);
            Future<TransferStats> sent = Loopback.async(() -> {
                try (var ch = TransferChannel.open(a, Loopback.local(peer), true)) {
                    return new Sender(ch, params, TransferListener.NONE)
                            .send(new StreamBlockSource(new ByteArrayInputStream(content)));
                }
            });
            var sender = Loopback.local(a);
            assertEquals(1, ((Data) receive(peer, 2000)).block());
            send(peer, new Ack(1), sender);
            send(peer, new Ack(1), sender); // duplicates of ACK 1
            send(peer, new Ack(1), sender);
            assertEquals(2, ((Data) receive(peer, 2000)).block());
            assertNull(receive(peer, 250), "a duplicate ACK must not trigger a duplicate DATA");
            send(peer, new Ack(2), sender);
            send(peer, new Ack(2), sender);
            send(peer, new Ack(1), sender); // a stale ACK as well
            assertEquals(3, ((Data) receive(peer, 2000)).block());
            assertNull(receive(peer, 250));
            send(peer, new Ack(3), sender);
            send(peer, new Ack(3), sender);
            assertEquals(4, ((Data) receive(peer, 2000)).block());
            assertNull(receive(peer, 250));
            send(peer, new Ack(4), sender);
            TransferStats stats = sent.get(5, TimeUnit.SECONDS);
            assertEquals(0, stats.retransmissions());
        }
    }

    @Test
    void windowedSenderIgnoresDuplicateWindowAcks() throws Exception {
        try (var a = Loopback.bound(LO); var peer = rawPeer()) {
            byte[] content = Loopback.random(8 * 100 + 5, 2); // two full windows of 4, then a short block
            var params = new TransferParameters(100, 4, Duration.ofSeconds(3), 2, Duration.ZERO);
            Future<TransferStats> sent = Loopback.async(() -> {
                try (var ch = TransferChannel.open(a, Loopback.local(peer), true)) {
                    return new Sender(ch, params, TransferListener.NONE)
                            .send(new StreamBlockSource(new ByteArrayInputStream(content)));
                }
            });
            var sender = Loopback.local(a);
            for (int b = 1; b <= 4; b++) {
                assertEquals(b, ((Data) receive(peer, 2000)).block());
            }
            assertNull(receive(peer, 200), "a window is 4 blocks");
            send(peer, new Ack(4), sender);
            send(peer, new Ack(4), sender);
            for (int b = 5; b <= 8; b++) {
                assertEquals(b, ((Data) receive(peer, 2000)).block());
            }
            assertNull(receive(peer, 300), "the duplicate ACK 4 must not resend blocks 5-8");
            send(peer, new Ack(6), sender); // RFC 7440: ACK inside the window -> resume after 6
            assertEquals(7, ((Data) receive(peer, 2000)).block());
            assertEquals(8, ((Data) receive(peer, 2000)).block());
            assertEquals(9, ((Data) receive(peer, 2000)).block());
            send(peer, new Ack(9), sender);
            TransferStats stats = sent.get(5, TimeUnit.SECONDS);
            assertEquals(2, stats.retransmissions());
            assertEquals(805, stats.bytes());
        }
    }

    @Test
    void senderRetransmitsTheWindowOnTimeoutWithBackoff() throws Exception {
        try (var a = Loopback.bound(LO); var peer = rawPeer()) {
            var params = new TransferParameters(512, 2, Duration.ofMillis(100), 3, Duration.ZERO);
            Future<TransferStats> sent = Loopback.async(() -> {
                try (var ch = TransferChannel.open(a, Loopback.local(peer), true)) {
                    return new Sender(ch, params, TransferListener.NONE)
                            .send(new StreamBlockSource(new ByteArrayInputStream(new byte[600])));
                }
            });
            long start = System.nanoTime();
            assertEquals(1, ((Data) receive(peer, 2000)).block());
            assertEquals(2, ((Data) receive(peer, 2000)).block());
            assertEquals(1, ((Data) receive(peer, 2000)).block()); // after 100 ms
            assertEquals(2, ((Data) receive(peer, 2000)).block());
            assertEquals(1, ((Data) receive(peer, 2000)).block()); // after 200 ms more
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertEquals(true, waited >= 280, "backoff doubles: waited " + waited + " ms");
            assertEquals(2, ((Data) receive(peer, 2000)).block());
            send(peer, new Ack(2), Loopback.local(a));
            assertEquals(4, sent.get(5, TimeUnit.SECONDS).retransmissions());
        }
    }

    @Test
    void duplicateAcksDoNotKeepAStalledTransferAlive() throws Exception {
        try (var a = Loopback.bound(LO); var peer = rawPeer()) {
            var params = new TransferParameters(512, 1, Duration.ofMillis(100), 2, Duration.ZERO);
            Future<TransferStats> sent = Loopback.async(() -> {
                try (var ch = TransferChannel.open(a, Loopback.local(peer), true)) {
                    return new Sender(ch, params, TransferListener.NONE)
                            .send(new StreamBlockSource(new ByteArrayInputStream(new byte[2000])));
                }
            });
            assertEquals(1, ((Data) receive(peer, 2000)).block());
            long start = System.nanoTime();
            while (!sent.isDone() && System.nanoTime() - start < 5_000_000_000L) {
                send(peer, new Ack(0), Loopback.local(a)); // forever "no progress"
                receive(peer, 30);
            }
            var e = assertThrows(ExecutionException.class, () -> sent.get(1, TimeUnit.SECONDS));
            assertEquals("timed out after 2 retries: no ACK for block 1", e.getCause().getMessage());
            assertTrue(System.nanoTime() - start < 3_000_000_000L, "gave up after about 100+200+400 ms");
        }
    }

    @Test
    void windowedReceiverAcksGapsButNotRepeats() throws Exception {
        try (var b = Loopback.bound(LO); var peer = rawPeer()) {
            var params = new TransferParameters(8, 4, Duration.ofSeconds(2), 2, Duration.ZERO);
            var out = new ByteArrayOutputStream();
            Future<TransferStats> got = Loopback.async(() -> {
                try (var ch = TransferChannel.open(b, Loopback.local(peer), true)) {
                    return new Receiver(ch, params, TransferListener.NONE).receive(new StreamBlockSink(out), new Ack(0));
                }
            });
            var receiver = Loopback.local(b);
            assertEquals(new Ack(0), receive(peer, 2000));
            for (int block = 1; block <= 4; block++) {
                send(peer, Data.of(block, new byte[8]), receiver);
            }
            assertEquals(new Ack(4), receive(peer, 2000), "one ACK at the end of the window");
            send(peer, Data.of(3, new byte[8]), receiver);
            assertNull(receive(peer, 300), "a repeat inside a window is not acked (it would ack mid-window)");
            send(peer, Data.of(6, new byte[8]), receiver); // block 5 lost
            assertEquals(new Ack(4), receive(peer, 2000), "a gap is acked with the last in-order block");
            send(peer, Data.of(7, new byte[8]), receiver);
            assertNull(receive(peer, 300), "once per gap");
            for (int block = 5; block <= 8; block++) {
                send(peer, Data.of(block, new byte[8]), receiver);
            }
            assertEquals(new Ack(8), receive(peer, 2000), "the window restarted after the gap ACK");
            send(peer, Data.of(9, new byte[0]), receiver);
            assertEquals(new Ack(9), receive(peer, 2000));
            assertEquals(64, got.get(5, TimeUnit.SECONDS).bytes());
        }
    }

    @Test
    void receiverReacksARepeatedFinalBlockWhileLingering() throws Exception {
        try (var b = Loopback.bound(LO); var peer = rawPeer()) {
            var params = new TransferParameters(512, 1, Duration.ofSeconds(2), 2, Duration.ofMillis(1500));
            var out = new ByteArrayOutputStream();
            Future<TransferStats> got = Loopback.async(() -> {
                try (var ch = TransferChannel.open(b, Loopback.local(peer), true)) {
                    return new Receiver(ch, params, TransferListener.NONE).receive(new StreamBlockSink(out), new Ack(0));
                }
            });
            var receiver = Loopback.local(b);
            assertEquals(new Ack(0), receive(peer, 2000));
            send(peer, Data.of(1, new byte[] {1, 2, 3}), receiver);
            assertEquals(new Ack(1), receive(peer, 2000));
            send(peer, Data.of(1, new byte[] {1, 2, 3}), receiver); // our ACK 1 was "lost"
            assertEquals(new Ack(1), receive(peer, 2000), "the final ACK is sent again");
            assertEquals(3, got.get(5, TimeUnit.SECONDS).bytes());
            assertEquals(3, out.size());
        }
    }
}
