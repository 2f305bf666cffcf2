package dev.protokit.tftp.server;

import static dev.protokit.tftp.server.ServerFixture.sha256;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.tftp.client.TftpClient;
import dev.protokit.tftp.server.RawPeer.In;
import dev.protokit.tftp.server.TftpServerConfig.WritePolicy;
import dev.protokit.tftp.wire.Ack;
import dev.protokit.tftp.wire.Data;
import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.OptionAck;
import dev.protokit.tftp.wire.ReadRequest;
import dev.protokit.tftp.wire.TftpError;
import dev.protokit.tftp.wire.TftpOptions;
import dev.protokit.tftp.wire.TransferMode;
import dev.protokit.tftp.wire.WriteRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scripted peers that drop, duplicate, reorder and go silent: every transfer completes with
 * the right SHA-256 or fails with the right error, and the server stays up and serves the next.
 */
class MisbehavingPeerTest {
    private static final int BLOCK = 512;
    @TempDir
    Path root;
    @TempDir
    Path local;
    ServerFixture fixture;

    @BeforeEach
    void start() throws IOException {
        fixture = ServerFixture.start(root, c -> c.withWrites(WritePolicy.CREATE_FILES));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** The server still serves a clean download, byte for byte. */
    private void stillServes() throws IOException {
        Path file = fixture.file("check.bin", 20_000);
        TftpClient.builder(fixture.address()).blockSize(1024).build().get("check.bin", local.resolve("check.bin"));
        assertEquals(sha256(file), sha256(local.resolve("check.bin")));
    }

    @Test
    void lossyDuplicatingReceiverGetsTheRightFile() throws IOException {
        Path file = fixture.file("lossy.bin", 150_000);
        var random = new Random(7);
        var got = new ByteArrayOutputStream();
        try (var peer = new RawPeer()) {
            peer.send(new ReadRequest("lossy.bin", TransferMode.OCTET,
                    TftpOptions.of("blksize", "512", "windowsize", "8")), fixture.address());
            In oack = peer.receive();
            assertInstanceOf(OptionAck.class, oack.packet());
            InetSocketAddress tid = oack.from();
            peer.ack(0, tid);
            int expected = 1;
            int inWindow = 0;
            while (true) {
                Optional<In> in = peer.receive(Duration.ofMillis(400));
                if (in.isEmpty() || random.nextInt(100) < 15) { // silence, or we "lose" the packet
                    peer.ack(expected - 1, tid);
                    inWindow = 0;
                    continue;
                }
                Data data = assertInstanceOf(Data.class, in.get().packet());
                if (data.block() != (expected & 0xffff)) {
                    continue; // a duplicate or a block after a gap: the window's end ACK sorts it out
                }
                got.writeBytes(data.bytes());
                expected++;
                boolean last = data.length() < BLOCK;
                if (++inWindow == 8 || last) {
                    peer.ack(expected - 1, tid);
                    if (random.nextInt(100) < 20) {
                        peer.ack(expected - 1, tid); // duplicate ACK: must not cause a duplicate window
                    }
                    inWindow = 0;
                }
                if (last) {
                    break;
                }
            }
        }
        assertEquals(sha256(file), sha256(got.toByteArray()));
        stillServes();
    }

    @Test
    void reorderingDroppingSenderUploadsTheRightFile() throws IOException {
        byte[] content = new byte[100_000];
        new Random(3).nextBytes(content);
        int blocks = content.length / BLOCK + 1; // the last block is short
        var random = new Random(11);
        try (var peer = new RawPeer()) {
            peer.send(new WriteRequest("up.bin", TransferMode.OCTET, TftpOptions.of("windowsize", "4")), fixture.address());
            In oack = peer.receive();
            assertInstanceOf(OptionAck.class, oack.packet());
            InetSocketAddress tid = oack.from();
            int acked = 0;
            while (acked < blocks) {
                int end = Math.min(acked + 4, blocks);
                int[] order = java.util.stream.IntStream.rangeClosed(acked + 1, end).toArray();
                if (order.length > 1 && random.nextInt(100) < 20) { // swap two blocks
                    int t = order[0];
                    order[0] = order[1];
                    order[1] = t;
                }
                for (int block : order) {
                    if (random.nextInt(100) < 10) {
                        continue; // dropped on the way
                    }
                    byte[] payload = Arrays.copyOfRange(content, (block - 1) * BLOCK, Math.min(block * BLOCK, content.length));
                    peer.data(block, payload, tid);
                    if (random.nextInt(100) < 10) {
                        peer.data(block, payload, tid); // duplicated on the way
                    }
                }
                Optional<In> reply = peer.receive(Duration.ofMillis(700));
                while (reply.isPresent()) { // take the newest ACK that has arrived
                    Ack ack = assertInstanceOf(Ack.class, reply.get().packet());
                    acked = Math.max(acked, ack.block());
                    reply = peer.receive(Duration.ofMillis(50));
                }
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(root.resolve("up.bin")));
        assertEquals(sha256(content), sha256(root.resolve("up.bin")));
        stillServes();
    }

    @Test
    void silentPeerIsGivenUpAndTheServerGoesOn() throws IOException {
        fixture.file("big.bin", 10_000);
        try (var peer = new RawPeer()) {
            peer.send(new ReadRequest("big.bin", TransferMode.OCTET), fixture.address());
            In first = peer.receive();
            assertInstanceOf(Data.class, first.packet());
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.server.activeTransfers() == 0);
            // The last thing a timed-out transfer says is ERROR 0 (after its retransmissions).
            TftpError last = null;
            for (var in = peer.receive(Duration.ofMillis(200)); in.isPresent(); in = peer.receive(Duration.ofMillis(200))) {
                if (in.get().packet() instanceof TftpError e) {
                    last = e;
                }
            }
            assertTrue(last != null && last.code() == ErrorCode.NOT_DEFINED, "timeout error: " + last);
        }
        stillServes();
    }

    @Test
    void garbageOnBothPortsChangesNothing() throws IOException {
        Path file = fixture.file("g.bin", 5_000);
        var random = new Random(5);
        try (var peer = new RawPeer(); var attacker = new RawPeer()) {
            for (int i = 0; i < 300; i++) {
                byte[] junk = new byte[random.nextInt(600)];
                random.nextBytes(junk);
                attacker.sendRaw(junk, fixture.address());
            }
            // Junk may have filled the socket buffer for a moment: retransmit the RRQ as a client would.
            Optional<In> answer = Optional.empty();
            for (int attempt = 0; attempt < 5 && answer.isEmpty(); attempt++) {
                peer.send(new ReadRequest("g.bin", TransferMode.OCTET), fixture.address());
                answer = peer.receive(Duration.ofSeconds(1));
            }
            In first = answer.orElseThrow(() -> new AssertionError("no answer to 5 RRQs after the junk"));
            for (int i = 0; i < 50; i++) { // junk at the transfer's TID from a stranger
                byte[] junk = new byte[random.nextInt(100)];
                random.nextBytes(junk);
                attacker.sendRaw(junk, first.from());
            }
            var got = new ByteArrayOutputStream();
            got.writeBytes(assertInstanceOf(Data.class, first.packet()).bytes());
            for (int block = 1; ; block++) {
                peer.ack(block, first.from());
                if (got.size() == 5_000) {
                    break;
                }
                Data next;
                do { // a block the server sent again on its timeout, while this thread was slow, is skipped
                    next = assertInstanceOf(Data.class, peer.receive().packet());
                } while (next.block() == block);
                assertEquals(block + 1, next.block());
                got.writeBytes(next.bytes());
            }
            assertEquals(sha256(file), sha256(got.toByteArray()));
        }
        stillServes();
    }

    @Test
    void shutdownCutsAnUploadAndKeepsNoTemporary() throws IOException {
        fixture.file("keep.bin", 700);
        try (var peer = new RawPeer()) {
            peer.send(new WriteRequest("keep.bin", TransferMode.OCTET), fixture.address());
            In ack0 = peer.receive();
            peer.data(1, new byte[BLOCK], ack0.from());
            assertEquals(new Ack(1), peer.receive().packet());
            fixture.server.shutdown(Duration.ofMillis(100));
        }
        assertEquals(0, fixture.server.activeTransfers());
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(1, s.count(), "only keep.bin, no temporary");
        }
        assertEquals(700, Files.size(root.resolve("keep.bin")));
    }
}
