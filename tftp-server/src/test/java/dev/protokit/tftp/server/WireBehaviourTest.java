package dev.protokit.tftp.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.tftp.server.RawPeer.In;
import dev.protokit.tftp.wire.Data;
import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.OptionAck;
import dev.protokit.tftp.wire.ReadRequest;
import dev.protokit.tftp.wire.TftpError;
import dev.protokit.tftp.wire.TftpOptions;
import dev.protokit.tftp.wire.TransferMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packet-level behaviour seen by a scripted peer: TIDs, netascii on the wire, one transfer per TID. */
class WireBehaviourTest {
    @TempDir
    Path root;
    ServerFixture fixture;

    @BeforeEach
    void start() throws IOException {
        fixture = ServerFixture.start(root, c -> c);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void strayTidGetsErrorFiveAndTheTransferGoesOn() throws IOException {
        Path file = fixture.file("three-blocks.bin", 1300);
        byte[] expected = Files.readAllBytes(file);
        try (var client = new RawPeer(); var stranger = new RawPeer()) {
            client.send(new ReadRequest("three-blocks.bin", TransferMode.OCTET), fixture.address());
            In first = client.receive();
            InetSocketAddress tid = first.from();
            assertTrue(tid.getPort() != fixture.address().getPort(), "data comes from a new TID");
            var out = new ByteArrayOutputStream();
            out.writeBytes(assertInstanceOf(Data.class, first.packet()).bytes());

            stranger.ack(1, tid); // RFC 1350 section 4: wrong TID -> ERROR 5, transfer not disturbed
            In answer = stranger.receive();
            assertEquals(tid, answer.from());
            assertEquals(ErrorCode.UNKNOWN_TID, assertInstanceOf(TftpError.class, answer.packet()).code());

            for (int block = 1; ; block++) {
                client.ack(block, tid);
                if (block == 3) {
                    break;
                }
                In next = client.receive();
                assertEquals(tid, next.from());
                Data data = assertInstanceOf(Data.class, next.packet());
                assertEquals(block + 1, data.block());
                out.writeBytes(data.bytes());
            }
            assertArrayEquals(expected, out.toByteArray());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.server.activeTransfers() == 0);
    }

    @Test
    void retransmittedRequestDoesNotStartASecondTransfer() throws IOException {
        fixture.file("one.bin", 100);
        try (var client = new RawPeer()) {
            var rrq = new ReadRequest("one.bin", TransferMode.OCTET);
            client.send(rrq, fixture.address());
            In first = client.receive();
            client.send(rrq, fixture.address()); // our "lost" request, repeated
            // Anything else that arrives before our ACK is a retransmission from the same TID.
            for (var more = client.receive(Duration.ofMillis(700)); more.isPresent();
                    more = client.receive(Duration.ofMillis(700))) {
                assertEquals(first.from(), more.get().from(), "a second transfer answered");
            }
            client.ack(1, first.from());
        }
    }

    /**
     * A plain RRQ may come from a forged address: DATA 1 went to it on the server's timer six
     * times (3,108 bytes for a 16-byte request). Like the OACK, it goes again only to a client
     * that repeats its request; once acknowledged, the transfer retransmits as before.
     */
    @Test
    void firstBlockOfAPlainReadIsSentAgainOnlyForARepeatedRequest() throws IOException {
        Path file = fixture.file("three.bin", 700);
        try (var client = new RawPeer()) {
            var rrq = new ReadRequest("three.bin", TransferMode.OCTET);
            client.send(rrq, fixture.address());
            In first = client.receive();
            assertEquals(1, assertInstanceOf(Data.class, first.packet()).block());
            assertTrue(client.receive(Duration.ofMillis(900)).isEmpty(), "no DATA 1 on a timer");
            client.send(rrq, fixture.address()); // as if DATA 1 had been lost: the request again
            In again = client.receive();
            assertEquals(first.from(), again.from(), "the same transfer answers");
            assertEquals(first.packet(), again.packet());
            client.ack(1, first.from());
            Data second = nextData(client, 2);
            var out = new ByteArrayOutputStream();
            out.writeBytes(assertInstanceOf(Data.class, first.packet()).bytes());
            out.writeBytes(second.bytes());
            client.ack(2, first.from());
            assertArrayEquals(Files.readAllBytes(file), out.toByteArray());
        }
    }

    /**
     * Issue #9: atftp aborts on a second OACK ("unexpected OACK"), which a timer sent it every
     * time its ACK 0 was lost (one transfer in five at 20% loss). The OACK goes again only to a
     * client that repeats its request; a lost ACK 0 is the client's to repeat.
     */
    @Test
    void oackIsSentAgainOnlyForARepeatedRequestNeverOnATimer() throws IOException {
        Path file = fixture.file("two.bin", 700);
        try (var client = new RawPeer()) {
            var rrq = new ReadRequest("two.bin", TransferMode.OCTET, TftpOptions.of("blksize", "512"));
            client.send(rrq, fixture.address());
            In oack = client.receive();
            assertInstanceOf(OptionAck.class, oack.packet());
            // Our ACK 0 "is lost": for several of the server's 300 ms timeouts nothing comes.
            assertTrue(client.receive(Duration.ofMillis(900)).isEmpty(), "no OACK on a timer");
            client.send(rrq, fixture.address()); // as if the OACK had been lost: the request again
            In again = client.receive();
            assertEquals(oack.from(), again.from(), "the same transfer answers");
            assertEquals(oack.packet(), again.packet());
            client.ack(0, oack.from()); // the repeated ACK 0 starts the data
            Data first = assertInstanceOf(Data.class, client.receive().packet());
            assertEquals(1, first.block());
            client.send(rrq, fixture.address()); // a late repeat of the request changes nothing
            var out = new ByteArrayOutputStream();
            out.writeBytes(first.bytes());
            client.ack(1, oack.from());
            Data second = nextData(client, 2);
            out.writeBytes(second.bytes());
            client.ack(2, oack.from());
            assertArrayEquals(Files.readAllBytes(file), out.toByteArray());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.server.activeTransfers() == 0);
    }

    /**
     * Issue #9: a repeated plain request means DATA 1 was lost; it goes again at once, as the
     * OACK does for a request with options, not after the server's timer (1 s before any round
     * trip was measured, here with a 5 s timeout). Once block 1 is acknowledged, a late repeat
     * of the request changes nothing.
     */
    @Test
    void repeatedPlainRequestSendsDataOneAgainAtOnce() throws IOException {
        Path file = fixture.file("three.bin", 1100);
        try (var slow = ServerFixture.start(root, c -> c.withTimeout(Duration.ofSeconds(5)));
             var client = new RawPeer()) {
            var rrq = new ReadRequest("three.bin", TransferMode.OCTET);
            client.send(rrq, slow.address());
            In first = client.receive(); // DATA 1, "lost"
            assertEquals(1, assertInstanceOf(Data.class, first.packet()).block());
            client.send(rrq, slow.address());
            In again = client.receive(Duration.ofMillis(700)).orElseThrow(
                    () -> new AssertionError("DATA 1 did not come again at once for the repeated request"));
            assertEquals(first.from(), again.from(), "the same transfer answers");
            assertEquals(first.packet(), again.packet());
            var out = new ByteArrayOutputStream();
            out.writeBytes(((Data) again.packet()).bytes());
            client.ack(1, first.from());
            Data second = nextData(client, 2);
            client.send(rrq, slow.address()); // too late to mean anything
            for (var more = client.receive(Duration.ofMillis(500)); more.isPresent();
                    more = client.receive(Duration.ofMillis(500))) {
                assertEquals(2, assertInstanceOf(Data.class, more.get().packet()).block(), "DATA 1 after ACK 1");
            }
            out.writeBytes(second.bytes());
            client.ack(2, first.from());
            out.writeBytes(nextData(client, 3).bytes());
            client.ack(3, first.from());
            assertArrayEquals(Files.readAllBytes(file), out.toByteArray());
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.server.activeTransfers() == 0);
        }
    }

    /** The next DATA {@code block}, skipping any repeat of an earlier one (a loaded host may retransmit). */
    private static Data nextData(RawPeer client, int block) throws IOException {
        while (true) {
            var packet = client.receive().packet();
            assertTrue(!(packet instanceof OptionAck), "an OACK after the data started");
            Data data = assertInstanceOf(Data.class, packet);
            if (data.block() == block) {
                return data;
            }
        }
    }

    @Test
    void netasciiUsesCrLfAndCrNulOnTheWire() throws IOException {
        Files.writeString(root.resolve("t.txt"), "a\nb\rc", StandardCharsets.US_ASCII);
        try (var client = new RawPeer()) {
            client.send(new ReadRequest("t.txt", TransferMode.NETASCII), fixture.address());
            In in = client.receive();
            Data data = assertInstanceOf(Data.class, in.packet());
            assertArrayEquals("a\r\nb\r\0c".getBytes(StandardCharsets.US_ASCII), data.bytes());
            client.ack(1, in.from());
        }
    }

    @Test
    void errorsAnswerFromTheRequestPortAndNeverOutgrowTheRequest() throws IOException {
        try (var client = new RawPeer()) {
            client.send(new ReadRequest("missing.bin", TransferMode.OCTET), fixture.address());
            In in = client.receive();
            assertEquals(fixture.address().getPort(), in.from().getPort());
            assertEquals(ErrorCode.FILE_NOT_FOUND, assertInstanceOf(TftpError.class, in.packet()).code());
            client.send(new ReadRequest("x", TransferMode.MAIL), fixture.address());
            assertEquals(ErrorCode.ILLEGAL_OPERATION, assertInstanceOf(TftpError.class, client.receive().packet()).code());
        }
    }
}
