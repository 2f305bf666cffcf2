package dev.protokit.tftp.engine;

import static dev.protokit.tftp.engine.RetransmissionTest.rawPeer;
import static dev.protokit.tftp.engine.RetransmissionTest.receive;
import static dev.protokit.tftp.engine.RetransmissionTest.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.tftp.wire.Ack;
import dev.protokit.tftp.wire.Data;
import dev.protokit.tftp.wire.NegotiatedOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How the engine's waits meet a peer's timer, and how a wait ends when its socket closes. */
class PeerTimerTest {
    private static final InetAddress LO = InetAddress.getLoopbackAddress();

    /**
     * Issue #9: atftp answers a repeated block once, and after that only when its own timer
     * fires, which every packet it receives restarts. Here that answer is lost too, and the peer
     * ACKs only after 350 ms of silence. A sender whose back-off stopped at its 300 ms timeout
     * never fell silent that long and gave up; with no negotiated timeout it now backs off to
     * twice its timeout, and the peer is heard.
     */
    @Test
    void aPeerThatAcksOnlyOnItsOwnTimerIsHeardAfterTheBackOff() throws Exception {
        try (var a = Loopback.bound(LO); var peer = rawPeer()) {
            var params = TransferParameters.of(NegotiatedOptions.DEFAULTS, Duration.ofMillis(300), 5)
                    .withLinger(Duration.ZERO);
            assertEquals(Duration.ofMillis(600), params.maxBackoff());
            Future<TransferStats> sent = Loopback.async(() -> {
                try (var ch = TransferChannel.open(a, Loopback.local(peer), true)) {
                    return new Sender(ch, params, TransferListener.NONE)
                            .send(new StreamBlockSource(new ByteArrayInputStream(new byte[512 + 10])));
                }
            });
            var sender = Loopback.local(a);
            assertEquals(1, assertInstanceOf(Data.class, receive(peer, 5000)).block()); // its ACK 1 is "lost"
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            boolean silence = false;
            while (!silence && System.nanoTime() < deadline) {
                var repeat = receive(peer, 350); // repeats of DATA 1: the extra ACK is "lost", then ignored
                silence = repeat == null;
                assertTrue(silence || repeat instanceof Data d && d.block() == 1, "unexpected " + repeat);
            }
            assertTrue(silence, "the sender never fell silent for longer than the peer's timer");
            send(peer, new Ack(1), sender); // the peer's timer fired
            Data second;
            do {
                second = assertInstanceOf(Data.class, receive(peer, 5000));
            } while (second.block() == 1);
            assertEquals(2, second.block());
            send(peer, new Ack(2), sender);
            assertEquals(522, sent.get(10, TimeUnit.SECONDS).bytes());
        }
    }

    /** A server's cut closes the transfer's socket from another thread: the wait ends at once. */
    @Test
    void closingTheChannelEndsAWaitingReceive() throws Exception {
        try (var a = Loopback.bound(LO); var peer = rawPeer()) {
            var channel = TransferChannel.open(a, Loopback.local(peer), false);
            Future<Integer> waiting = Loopback.async(() -> channel.receive(ByteBuffer.allocate(16), Duration.ofMinutes(5).toNanos()));
            Thread.sleep(200); // let it block (an earlier close would end it just the same)
            a.close();
            var e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> waiting.get(30, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, e.getCause());
            channel.close();
        }
    }
}
