package dev.protokit.tftp.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.protokit.tftp.wire.Ack;
import dev.protokit.tftp.wire.Opcode;
import dev.protokit.tftp.wire.TftpCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 1350 says nothing about the block after 65535. Most senders (tftpd-hpa, atftpd, dnsmasq,
 * ours) go on with 0, some with 1; the receiver must take both. A scripted RFC 7440 sender that
 * numbers 65535, 1, 2 ... sends 65540 blocks of 8 bytes: lock-step and window 16, the data
 * byte-exact (before the fix the receiver waited for block 0 and gave up).
 */
class RolloverToOneTest {
    private static final InetAddress LO = InetAddress.getLoopbackAddress();
    private static final int BLOCK = 8;
    private static final int BLOCKS = 65540;

    @ParameterizedTest
    @ValueSource(ints = {1, 16})
    void receivesFromASenderThatRollsOverToOne(int window) throws Exception {
        byte[] content = Loopback.random(BLOCK * (BLOCKS - 1) + 3, window);
        var params = new TransferParameters(BLOCK, window, Duration.ofMillis(200), 5, Duration.ZERO);
        var out = new ByteArrayOutputStream();
        try (var ours = Loopback.bound(LO); var theirs = Loopback.bound(LO)) {
            Future<Long> sent = Loopback.async(() -> sendRollingToOne(theirs, Loopback.local(ours), content, window));
            TransferStats stats;
            try (var ch = TransferChannel.open(ours, Loopback.local(theirs), false)) {
                stats = new Receiver(ch, params, TransferListener.NONE).receive(new StreamBlockSink(out), new Ack(0));
            }
            assertEquals(BLOCKS, sent.get(60, TimeUnit.SECONDS), "the sender saw the final ACK");
            assertEquals(BLOCKS, stats.blocks());
        }
        assertArrayEquals(content, out.toByteArray());
    }

    /** The wire number a roll-to-one sender gives absolute block n (n >= 1). */
    private static int wire(long n) {
        return (int) ((n - 1) % 65535) + 1;
    }

    /** An RFC 7440 sender numbering 65535, 1, 2 ...; returns the last block acknowledged. */
    private static long sendRollingToOne(DatagramChannel socket, InetSocketAddress to, byte[] content, int window)
            throws IOException {
        long last = content.length / BLOCK + 1;
        var in = ByteBuffer.allocate(16);
        ByteBuffer packet = ByteBuffer.allocate(4 + BLOCK);
        socket.socket().setSoTimeout(200);
        awaitAck(socket, in); // ACK 0
        long base = 1; // the first block not acknowledged
        while (base <= last) {
            for (long n = base; n < base + window && n <= last; n++) {
                int from = (int) ((n - 1) * BLOCK);
                int length = Math.min(BLOCK, content.length - from);
                packet.clear().putShort((short) Opcode.DATA.wireValue()).putShort((short) wire(n)).put(content, from, length);
                socket.send(packet.flip(), to);
            }
            int acked = awaitAck(socket, in);
            if (acked < 0) {
                continue; // timeout: the window again
            }
            for (long n = base - 1; n < base + window && n <= last; n++) {
                if (n >= 1 && wire(n) == acked) {
                    base = n + 1;
                }
            }
        }
        return last;
    }

    private static int awaitAck(DatagramChannel socket, ByteBuffer in) throws IOException {
        var buffer = new byte[16];
        var datagram = new java.net.DatagramPacket(buffer, buffer.length);
        try {
            socket.socket().receive(datagram);
        } catch (SocketTimeoutException e) {
            return -1;
        }
        in.clear().put(buffer, 0, datagram.getLength()).flip();
        if (TftpCodec.peekOpcode(in) != Opcode.ACK.wireValue()) {
            throw new AssertionError("not an ACK: opcode " + TftpCodec.peekOpcode(in));
        }
        return TftpCodec.peekBlock(in);
    }
}
