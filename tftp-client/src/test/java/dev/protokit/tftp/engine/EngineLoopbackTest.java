package dev.protokit.tftp.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.protokit.tftp.wire.Ack;
import dev.protokit.tftp.wire.OptionAck;
import dev.protokit.tftp.wire.TftpOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Our Sender against our Receiver on loopback, over IPv4 and IPv6, lock-step and windowed. */
class EngineLoopbackTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @ParameterizedTest(name = "{0} bytes, blksize {1}, windowsize {2}, {3}, connect {4}")
    @CsvSource({
        "0, 512, 1, 127.0.0.1, true",
        "511, 512, 1, 127.0.0.1, true",
        "512, 512, 1, 127.0.0.1, false",
        "513, 512, 1, ::1, true",
        "100000, 512, 1, ::1, false",
        "100000, 8, 4, 127.0.0.1, true",
        "1048576, 1468, 64, 127.0.0.1, true",
        "1048576, 1468, 64, ::1, false",
        "3000000, 65464, 8, 127.0.0.1, true",
        "65464, 65464, 1, 127.0.0.1, true",
    })
    void transfersByteExact(int size, int blockSize, int windowSize, String host, boolean connect) throws Exception {
        byte[] content = Loopback.random(size, size);
        var params = new TransferParameters(blockSize, windowSize, TIMEOUT, 5, Duration.ZERO);
        byte[] received = transfer(content, params, InetAddress.getByName(host), connect, false);
        assertEquals(Loopback.sha256(content), Loopback.sha256(received));
    }

    @Test
    void convertsNetasciiBothWays() throws Exception {
        String text = "line one\nbare\rcarriage\n\n" + "x".repeat(509) + "\n\r\r\n".repeat(300) + "end";
        byte[] local = text.getBytes(StandardCharsets.US_ASCII);
        var params = new TransferParameters(512, 3, TIMEOUT, 5, Duration.ZERO);
        byte[] back = transfer(local, params, InetAddress.getLoopbackAddress(), true, true);
        assertArrayEquals(local, back);
    }

    @Test
    void serverStyleOackThenData() throws Exception {
        byte[] content = Loopback.random(70_000, 7);
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (var a = Loopback.bound(lo); var b = Loopback.bound(lo)) {
            var params = new TransferParameters(1024, 4, TIMEOUT, 5, Duration.ZERO);
            var oack = new OptionAck(TftpOptions.of("blksize", "1024", "windowsize", "4"));
            Future<TransferStats> sent = Loopback.async(() -> {
                try (var ch = TransferChannel.open(a, Loopback.local(b), true)) {
                    return new Sender(ch, params, TransferListener.NONE)
                            .send(new StreamBlockSource(new ByteArrayInputStream(content)), oack);
                }
            });
            var out = new ByteArrayOutputStream();
            try (var ch = TransferChannel.awaitingReply(b, Loopback.local(a), true)) {
                // A client would have sent RRQ; here the OACK arrives first, then we answer ACK 0.
                var buf = java.nio.ByteBuffer.allocate(2048);
                ch.receive(buf, TimeUnit.SECONDS.toNanos(5));
                new Receiver(ch, params, TransferListener.NONE).receive(new StreamBlockSink(out), new Ack(0));
            }
            assertEquals(content.length, sent.get(10, TimeUnit.SECONDS).bytes());
            assertArrayEquals(content, out.toByteArray());
        }
    }

    static byte[] transfer(byte[] content, TransferParameters params, InetAddress host, boolean connect,
                           boolean netascii) throws Exception {
        try (var a = Loopback.bound(host); var b = Loopback.bound(host)) {
            var peerOfA = Loopback.local(b);
            var peerOfB = Loopback.local(a);
            Future<TransferStats> sent = Loopback.async(() -> {
                try (var ch = TransferChannel.open(a, peerOfA, connect)) {
                    BlockSource source = new StreamBlockSource(new ByteArrayInputStream(content));
                    return new Sender(ch, params, TransferListener.NONE)
                            .send(netascii ? new NetasciiBlockSource(source) : source);
                }
            });
            var out = new ByteArrayOutputStream();
            TransferStats got;
            try (var ch = TransferChannel.open(b, peerOfB, connect)) {
                BlockSink sink = new StreamBlockSink(out);
                got = new Receiver(ch, params, TransferListener.NONE)
                        .receive(netascii ? new NetasciiBlockSink(sink) : sink, new Ack(0));
            }
            TransferStats stats = sent.get(30, TimeUnit.SECONDS);
            assertEquals(stats.blocks(), got.blocks());
            return out.toByteArray();
        }
    }
}
