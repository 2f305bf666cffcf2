package dev.protokit.tftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.tftp.wire.Ack;
import dev.protokit.tftp.wire.Data;
import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.OptionAck;
import dev.protokit.tftp.wire.ReadRequest;
import dev.protokit.tftp.wire.Received;
import dev.protokit.tftp.wire.TftpCodec;
import dev.protokit.tftp.wire.TftpError;
import dev.protokit.tftp.wire.TftpException;
import dev.protokit.tftp.wire.TftpOptions;
import dev.protokit.tftp.wire.TftpPacket;
import dev.protokit.tftp.wire.WriteRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client against a server scripted packet by packet, for exact protocol behaviour. */
class ScriptedServerTest {
    private static final InetAddress LO = InetAddress.getLoopbackAddress();

    /** A raw socket that receives with a deadline and decodes. */
    static final class Peer implements AutoCloseable {
        final DatagramChannel channel;

        Peer() throws IOException {
            channel = DatagramChannel.open().bind(new InetSocketAddress(LO, 0));
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) channel.getLocalAddress();
        }

        Received<TftpPacket> receive() throws Exception {
            var in = ByteBuffer.allocate(70_000);
            Future<InetSocketAddress> from = Executors.newVirtualThreadPerTaskExecutor()
                    .submit(() -> (InetSocketAddress) channel.receive(in));
            return TftpCodec.decode(from.get(5, TimeUnit.SECONDS), in.flip());
        }

        void send(TftpPacket packet, InetSocketAddress to) throws IOException {
            channel.send(TftpCodec.encode(packet), to);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static Future<byte[]> getAsync(TftpClient client) {
        return CompletableFuture.supplyAsync(() -> {
            var out = new ByteArrayOutputStream();
            try {
                client.get("f", out);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return out.toByteArray();
        }, Executors.newVirtualThreadPerTaskExecutor());
    }

    @ParameterizedTest(name = "OACK {0}={1}")
    @CsvSource({
        "tsize, 5, OPTION_NEGOTIATION_FAILED unrequested option tsize",
        "blksize, 1469, OPTION_NEGOTIATION_FAILED blksize 0x05bd where 0x05bc was asked",
        "windowsize, 0, OPTION_NEGOTIATION_FAILED windowsize value 0x30",
    })
    void answersABadOackWithError8AndAborts(String name, String value, String message) throws Exception {
        try (var server = new Peer(); var tid = new Peer()) {
            var client = TftpClient.builder(server.address()).blockSize(1468).windowSize(4)
                    .timeout(Duration.ofMillis(500)).build();
            Future<byte[]> get = getAsync(client);
            Received<TftpPacket> rrq = server.receive();
            assertEquals(TftpOptions.of("blksize", "1468", "windowsize", "4"),
                    ((ReadRequest) rrq.packet()).options());
            tid.send(new OptionAck(TftpOptions.of(name, value)), rrq.from());
            var error = (TftpError) tid.receive().packet();
            assertEquals(ErrorCode.OPTION_NEGOTIATION_FAILED, error.code());
            var e = assertInstanceOf(TftpException.class,
                    assertThrows(java.util.concurrent.ExecutionException.class, () -> get.get(5, TimeUnit.SECONDS)).getCause());
            assertEquals(message, e.getMessage());
            assertEquals(ErrorCode.OPTION_NEGOTIATION_FAILED, e.code());
        }
    }

    @ParameterizedTest(name = "connect {0}")
    @CsvSource({"false", "true"})
    void packetFromAStrayPortGetsError5AndTheTransferGoesOn(boolean connect) throws Exception {
        try (var server = new Peer(); var tid = new Peer(); var stray = new Peer()) {
            var client = TftpClient.builder(server.address()).timeout(Duration.ofSeconds(2))
                    .connect(connect).linger(Duration.ZERO).build();
            Future<byte[]> get = getAsync(client);
            InetSocketAddress clientTid = server.receive().from();
            byte[] first = TftpClientTest.random(512);
            tid.send(Data.of(1, first), clientTid);
            assertEquals(new Ack(1), tid.receive().packet());
            stray.send(Data.of(2, new byte[] {6, 6, 6}), clientTid);
            if (!connect) { // a connected socket never sees the stray: the kernel drops it
                Received<TftpPacket> answer = stray.receive();
                assertEquals(new TftpError(ErrorCode.UNKNOWN_TID, "Unknown transfer ID"), answer.packet());
            }
            tid.send(Data.of(2, new byte[] {1, 2}), clientTid);
            assertEquals(new Ack(2), tid.receive().packet());
            byte[] expected = new byte[514];
            System.arraycopy(first, 0, expected, 0, 512);
            expected[512] = 1;
            expected[513] = 2;
            assertArrayEquals(expected, get.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void putFallsBackWhenTheServerAnswersAck0() throws Exception {
        try (var server = new Peer(); var tid = new Peer()) {
            var client = TftpClient.builder(server.address()).blockSize(1024).transferSize(true)
                    .timeout(Duration.ofSeconds(2)).build();
            byte[] content = TftpClientTest.random(600);
            Future<?> put = CompletableFuture.runAsync(() -> {
                try {
                    client.put(new java.io.ByteArrayInputStream(content), "f");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, Executors.newVirtualThreadPerTaskExecutor());
            Received<TftpPacket> wrq = server.receive();
            assertInstanceOf(WriteRequest.class, wrq.packet());
            tid.send(new Ack(0), wrq.from());
            var d1 = (Data) tid.receive().packet();
            assertEquals(512, d1.length(), "RFC 1350 block size, as the server ignored blksize");
            tid.send(new Ack(1), wrq.from());
            assertEquals(88, ((Data) tid.receive().packet()).length());
            tid.send(new Ack(2), wrq.from());
            put.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void serverErrorIsReportedInOneLine() throws Exception {
        try (var server = new Peer(); var tid = new Peer()) {
            var client = TftpClient.builder(server.address()).timeout(Duration.ofSeconds(2)).build();
            Future<byte[]> get = getAsync(client);
            tid.send(new TftpError(ErrorCode.ACCESS_VIOLATION, "no way"), server.receive().from());
            var e = assertInstanceOf(TftpException.class,
                    assertThrows(java.util.concurrent.ExecutionException.class, () -> get.get(5, TimeUnit.SECONDS)).getCause());
            assertEquals("Access violation (server error 2: no way)", e.getMessage());
        }
    }

    @ParameterizedTest(name = "announced {0}, sent {1}")
    @CsvSource({"1000, 600", "600, 1000", "512, 1024"})
    void aFileShorterOrLongerThanItsTsizeIsAnErrorAndLeavesNoFile(int announced, int sent, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // Issue #9: a server that skipped blocks made the client exit 0 with a truncated file.
        try (var server = new Peer(); var tid = new Peer()) {
            var client = TftpClient.builder(server.address()).transferSize(true)
                    .timeout(Duration.ofSeconds(2)).linger(Duration.ZERO).build();
            var target = dir.resolve("f");
            Future<?> get = CompletableFuture.runAsync(() -> {
                try {
                    client.get("f", target);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, Executors.newVirtualThreadPerTaskExecutor());
            Received<TftpPacket> rrq = server.receive();
            tid.send(new OptionAck(TftpOptions.of("tsize", Integer.toString(announced))), rrq.from());
            assertEquals(new Ack(0), tid.receive().packet());
            byte[] content = TftpClientTest.random(sent);
            TftpPacket last = null;
            for (int block = 1; (block - 1) * 512 <= sent; block++) {
                int from = (block - 1) * 512;
                tid.send(Data.of(block, java.util.Arrays.copyOfRange(content, from, Math.min(sent, from + 512))), rrq.from());
                last = tid.receive().packet();
                if (last instanceof TftpError) {
                    break;
                }
            }
            assertInstanceOf(TftpError.class, last, "the server is told the transfer failed");
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> get.get(5, TimeUnit.SECONDS));
            assertInstanceOf(java.io.UncheckedIOException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("announced"), e.getCause().getMessage());
            try (var left = java.nio.file.Files.list(dir)) {
                assertEquals(0, left.count(), "no file and no .part left");
            }
        }
    }
}
