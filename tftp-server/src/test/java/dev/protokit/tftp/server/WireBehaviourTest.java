package dev.protokit.tftp.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.tftp.server.RawPeer.In;
import dev.protokit.tftp.wire.Data;
import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.ReadRequest;
import dev.protokit.tftp.wire.TftpError;
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
