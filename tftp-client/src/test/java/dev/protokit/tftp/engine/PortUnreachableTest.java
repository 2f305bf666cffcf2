package dev.protokit.tftp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A retransmission that crosses the peer's last ACK as the peer closes draws an ICMP port
 * unreachable. On a connected socket Linux reports it before the ACK already queued, which
 * failed the transfer (EngineLoopbackTest, once in a clean CI run on a loaded box).
 */
class PortUnreachableTest {
    @Test
    void anIcmpErrorForOurSendDoesNotHideADatagramAlreadyQueued() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (var ours = Loopback.bound(lo)) {
            var peer = Loopback.bound(lo);
            var peerAddress = Loopback.local(peer);
            try (var ch = TransferChannel.open(ours, peerAddress, true)) {
                peer.send(ByteBuffer.wrap(new byte[] {0, 4, 0, 1}), Loopback.local(ours)); // its last ACK
                peer.close();
                ch.send(ByteBuffer.wrap(new byte[] {0, 3, 0, 1, 42})); // our retransmission: ICMP back
                Thread.sleep(100); // let the ICMP error arrive and be queued on the socket
                ByteBuffer in = ByteBuffer.allocate(16);
                assertEquals(4, ch.receive(in, TimeUnit.SECONDS.toNanos(2)));
                assertEquals(-1, ch.receive(in, TimeUnit.MILLISECONDS.toNanos(300)), "then only silence");
            }
        }
    }
}
