package dev.protokit.common.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** sendmmsg through the foreign-function API, on real loopback sockets of both families. */
class UdpBatchSenderTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private static ByteBuffer direct(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(b.length + 3).position(3).put(b).flip().position(3);
    }

    private static DatagramChannel open(boolean ipv4Only) throws IOException {
        return (ipv4Only ? DatagramChannel.open(StandardProtocolFamily.INET) : DatagramChannel.open()).bind(LOOPBACK);
    }

    /**
     * A batch arrives as separate datagrams in order, each from its buffer's position to its
     * limit, from the channel's own port; an IPv4 peer works from an IPv6 dual-stack socket too.
     */
    @ParameterizedTest(name = "IPv4-only socket: {0}")
    @ValueSource(booleans = {true, false})
    void sendsEachBufferAsOneDatagramInOrder(boolean ipv4Only) throws Exception {
        assumeTrue(UdpBatchSender.unavailableReason().isEmpty(), () -> UdpBatchSender.unavailableReason().orElseThrow());
        try (var from = open(true); var to = open(true);
             var batch = UdpBatchSender.open(from, 8).orElseThrow()) {
            var peer = (InetSocketAddress) to.getLocalAddress();
            ByteBuffer[] datagrams = {direct("zero"), direct("one"), direct(""), direct("three"), direct("four")};
            assertEquals(4, batch.send(datagrams, 1, 4, peer));
            assertEquals(1, batch.send(datagrams, 0, 1, peer));
            assertEquals(3, datagrams[1].position(), "positions stay where they were");
            List<String> got = new ArrayList<>();
            int fromPort = ((InetSocketAddress) from.getLocalAddress()).getPort();
            ByteBuffer in = ByteBuffer.allocate(64);
            for (int i = 0; i < 5; i++) {
                var source = (InetSocketAddress) to.receive(in.clear());
                assertEquals(fromPort, source.getPort());
                got.add(StandardCharsets.US_ASCII.decode(in.flip()).toString());
            }
            assertEquals(List.of("one", "", "three", "four", "zero"), got);
        }
    }

    /**
     * The sender owns a duplicate descriptor: after the channel is closed (a server's cut from
     * another thread) its sends still leave from the same socket, never from whatever socket
     * reuses the channel's number, and once the sender is closed too it refuses to send.
     */
    @Test
    void keepsItsOwnDescriptorWhenTheChannelCloses() throws Exception {
        assumeTrue(UdpBatchSender.unavailableReason().isEmpty(), () -> UdpBatchSender.unavailableReason().orElseThrow());
        try (var to = open(true)) {
            var peer = (InetSocketAddress) to.getLocalAddress();
            var from = open(true);
            int fromPort = ((InetSocketAddress) from.getLocalAddress()).getPort();
            var batch = UdpBatchSender.open(from, 2).orElseThrow();
            from.close();
            try (var reuser = open(true)) { // likely takes the closed channel's descriptor number
                assertEquals(1, batch.send(new ByteBuffer[] {direct("late")}, 0, 1, peer));
                var source = (InetSocketAddress) to.receive(ByteBuffer.allocate(16));
                assertEquals(fromPort, source.getPort());
                assertTrue(fromPort != ((InetSocketAddress) reuser.getLocalAddress()).getPort());
            }
            batch.close();
            batch.close();
            assertThrows(ClosedChannelException.class, () -> batch.send(new ByteBuffer[] {direct("x")}, 0, 1, peer));
        }
    }
}
