package dev.protokit.tftp.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.daemon.ConnectionLimits;
import dev.protokit.tftp.client.TftpClient;
import dev.protokit.tftp.server.RawPeer.In;
import dev.protokit.tftp.wire.Data;
import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.OptionAck;
import dev.protokit.tftp.wire.ReadRequest;
import dev.protokit.tftp.wire.TftpError;
import dev.protokit.tftp.wire.TftpOptions;
import dev.protokit.tftp.wire.TransferMode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transfers that never start or stop moving lose their place, their port and their socket when
 * the watchdog cuts them, and the client is told (issue #9 items 6 and the stall watchdog).
 */
class StalledTransferTest {
    @TempDir
    Path root;
    @TempDir
    Path local;

    /** Drains what a cut peer receives and returns the last ERROR, if any. */
    private static Optional<TftpError> lastError(RawPeer peer, Duration quiet) throws IOException {
        TftpError last = null;
        for (var in = peer.receive(quiet); in.isPresent(); in = peer.receive(quiet)) {
            if (in.get().packet() instanceof TftpError e) {
                last = e;
            }
        }
        return Optional.ofNullable(last);
    }

    private static boolean portIsFree(InetSocketAddress address) {
        try (var probe = DatagramChannel.open()) {
            probe.bind(address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void neverAcknowledgedLongTimeoutRequestsFreeTheirPlacesAtTheHandshakeTimeout() throws IOException {
        try (var f = ServerFixture.start(root, c -> c.withLimits(new ConnectionLimits(4, 4))
                .withMaxTimeout(Duration.ofSeconds(255)).withHandshakeTimeout(Duration.ofSeconds(1)))) {
            f.file("boot.img", 100_000);
            var peers = new ArrayList<RawPeer>();
            var tids = new ArrayList<InetSocketAddress>();
            try {
                for (int i = 0; i < 4; i++) {
                    var peer = new RawPeer();
                    peers.add(peer);
                    peer.send(new ReadRequest("boot.img", TransferMode.OCTET, TftpOptions.of("timeout", "255")), f.address());
                    In oack = peer.receive();
                    assertEquals(new OptionAck(TftpOptions.of("timeout", "255")), oack.packet());
                    tids.add(oack.from());
                }
                try (var late = new RawPeer()) {
                    late.send(new ReadRequest("boot.img", TransferMode.OCTET), f.address());
                    assertEquals(ErrorCode.NOT_DEFINED, assertInstanceOf(TftpError.class, late.receive().packet()).code());
                }
                // Never acknowledged: cut at the handshake timeout, not after 255 s.
                await().atMost(Duration.ofSeconds(20)).until(() -> f.server.activeTransfers() == 0);
                for (int i = 0; i < 4; i++) {
                    var error = lastError(peers.get(i), Duration.ofMillis(300));
                    assertTrue(error.isPresent(), "the cut client is told");
                    var tid = tids.get(i);
                    await().atMost(Duration.ofSeconds(10)).until(() -> portIsFree(tid));
                }
            } finally {
                for (var p : peers) {
                    p.close();
                }
            }
            Path copy = local.resolve("boot.img");
            TftpClient.builder(f.address()).build().get("boot.img", copy);
            assertEquals(ServerFixture.sha256(root.resolve("boot.img")), ServerFixture.sha256(copy));
        }
    }

    @Test
    void unacknowledgedOacksForBigWindowsHoldNoWindowBuffers() throws IOException {
        // Each of these 44-byte requests (which a forged source can send) held its 1 MiB window
        // of direct buffers from the OACK on, until the handshake timeout.
        var direct = java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)
                .stream().filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
        try (var f = ServerFixture.start(root, c -> c.withLimits(new ConnectionLimits(64, 64)))) {
            f.file("big.img", 4 << 20);
            var peers = new ArrayList<RawPeer>();
            try {
                long before = direct.getMemoryUsed();
                for (int i = 0; i < 16; i++) {
                    var peer = new RawPeer();
                    peers.add(peer);
                    peer.send(new ReadRequest("big.img", TransferMode.OCTET, TftpOptions.of("blksize", "65464", "windowsize", "16")),
                            f.address());
                    assertInstanceOf(OptionAck.class, peer.receive().packet());
                }
                long grown = direct.getMemoryUsed() - before;
                assertTrue(grown < 4 << 20, "16 unanswered OACKs hold " + grown + " bytes of direct buffers");
            } finally {
                for (var p : peers) {
                    p.close();
                }
            }
        }
    }

    @Test
    void timeoutsAboveMaxTimeoutAreNotAcknowledged() throws IOException {
        try (var f = ServerFixture.start(root, c -> c.withMaxTimeout(Duration.ofSeconds(10)))) {
            f.file("t.bin", 1_000);
            for (var asked : List.of("255", "11", "10")) {
                try (var peer = new RawPeer()) {
                    peer.send(new ReadRequest("t.bin", TransferMode.OCTET, TftpOptions.of("timeout", asked, "blksize", "1024")),
                            f.address());
                    var oack = assertInstanceOf(OptionAck.class, peer.receive().packet());
                    var expected = asked.equals("10") ? TftpOptions.of("timeout", "10", "blksize", "1024")
                            : TftpOptions.of("blksize", "1024");
                    assertEquals(expected, oack.options(), "asked timeout " + asked);
                }
            }
        }
    }

    @Test
    void aStalledTransferIsCutWithAnErrorAndItsPortFreed() throws IOException {
        try (var f = ServerFixture.start(root, c -> c.withTimeout(Duration.ofMillis(200)).withRetries(1))) {
            f.file("stale.bin", 5_000);
            try (var peer = new RawPeer()) {
                peer.send(new ReadRequest("stale.bin", TransferMode.OCTET), f.address());
                In first = peer.receive();
                assertInstanceOf(Data.class, first.packet());
                long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                TftpError error = null;
                while (error == null && System.nanoTime() < until) {
                    peer.ack(0, first.from()); // never progress, never silent
                    var in = peer.receive(Duration.ofMillis(50));
                    if (in.isPresent() && in.get().packet() instanceof TftpError e) {
                        error = e;
                    }
                }
                assertTrue(error != null, "the cut transfer says so");
                await().atMost(Duration.ofSeconds(10)).until(() -> f.server.activeTransfers() == 0 && portIsFree(first.from()));
            }
        }
    }
}
