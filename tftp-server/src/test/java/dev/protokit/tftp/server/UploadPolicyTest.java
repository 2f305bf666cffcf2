package dev.protokit.tftp.server;

import static dev.protokit.tftp.server.ServerFixture.sha256;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.daemon.ConnectionLimits;
import dev.protokit.tftp.client.TftpClient;
import dev.protokit.tftp.server.RawPeer.In;
import dev.protokit.tftp.server.TftpServerConfig.WritePolicy;
import dev.protokit.tftp.wire.Ack;
import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.ReadRequest;
import dev.protokit.tftp.wire.TftpError;
import dev.protokit.tftp.wire.TftpException;
import dev.protokit.tftp.wire.TransferMode;
import dev.protokit.tftp.wire.WriteRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write permissions, atomic uploads, the upload quota and the busy answer, end to end. */
class UploadPolicyTest {
    @TempDir
    Path root;
    @TempDir
    Path local;

    private Path localFile(int size) throws IOException {
        byte[] bytes = new byte[size];
        new java.util.Random(size).nextBytes(bytes);
        return Files.write(local.resolve("src-" + size), bytes);
    }

    private long rootEntries() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.count();
        }
    }

    private static ErrorCode failure(TftpClient client, Path file, String remote) {
        return assertThrows(TftpException.class, () -> client.put(file, remote)).code();
    }

    @Test
    void readOnlyByDefault() throws IOException {
        try (var f = ServerFixture.start(root, c -> c)) {
            f.file("old.bin", 10);
            var client = TftpClient.builder(f.address()).build();
            assertEquals(ErrorCode.ACCESS_VIOLATION, failure(client, localFile(100), "old.bin"));
            assertEquals(10, Files.size(root.resolve("old.bin")));
        }
    }

    @Test
    void allowWriteReplacesButDoesNotCreate() throws IOException {
        try (var f = ServerFixture.start(root, c -> c.withWrites(WritePolicy.EXISTING_FILES))) {
            f.file("old.bin", 10);
            var client = TftpClient.builder(f.address()).build();
            Path src = localFile(5000);
            client.put(src, "old.bin");
            assertEquals(sha256(src), sha256(root.resolve("old.bin")));
            assertEquals(ErrorCode.FILE_NOT_FOUND, failure(client, src, "new.bin"));
            assertEquals(1, rootEntries());
        }
    }

    /**
     * RFC 1350 ERROR 2 for a file no one may write (mode 0444), also when the server runs as
     * root, whose open(2) ignores the mode: before, root's server replaced it (interop probe).
     */
    @Test
    void fileWithoutWritePermissionIsNotReplaced() throws IOException {
        try (var f = ServerFixture.start(root, c -> c.withWrites(WritePolicy.CREATE_FILES))) {
            Path old = f.file("readonly.bin", 10);
            String before = sha256(old);
            Files.setPosixFilePermissions(old, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
            var client = TftpClient.builder(f.address()).build();
            assertEquals(ErrorCode.ACCESS_VIOLATION, failure(client, localFile(700), "readonly.bin"));
            assertEquals(before, sha256(old));
            assertEquals(1, rootEntries());
        }
    }

    @Test
    void allowCreateCreatesButNeverEscapes() throws IOException {
        try (var f = ServerFixture.start(root, c -> c.withWrites(WritePolicy.CREATE_FILES))) {
            var client = TftpClient.builder(f.address()).build();
            Path src = localFile(3000);
            client.put(src, "/new.bin");
            assertEquals(sha256(src), sha256(root.resolve("new.bin")));
            assertEquals(ErrorCode.ACCESS_VIOLATION, failure(client, src, "../outside.bin"));
            assertTrue(Files.notExists(root.getParent().resolve("outside.bin")));
        }
    }

    @Test
    void abortedUploadLeavesTheOldFile() throws IOException {
        try (var f = ServerFixture.start(root, c -> c.withWrites(WritePolicy.EXISTING_FILES))) {
            Path old = f.file("firmware.bin", 2000);
            String before = sha256(old);
            try (var peer = new RawPeer()) {
                peer.send(new WriteRequest("firmware.bin", TransferMode.OCTET), f.address());
                In ack0 = peer.receive();
                assertEquals(new Ack(0), ack0.packet());
                peer.data(1, new byte[512], ack0.from());
                assertEquals(new Ack(1), peer.receive().packet());
                peer.data(2, new byte[512], ack0.from());
                assertEquals(new Ack(2), peer.receive().packet());
                // Now the client goes silent: the server retries, gives up and drops the temporary.
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> f.server.activeTransfers() == 0);
            assertEquals(before, sha256(root.resolve("firmware.bin")));
            assertEquals(1, rootEntries(), "the temporary file was removed");
        }
    }

    @Test
    void tsizeOverTheQuotaIsRefusedBeforeAnyData() throws IOException {
        try (var f = ServerFixture.start(root, c -> c.withWrites(WritePolicy.CREATE_FILES).withMaxUploadSize(1000))) {
            var client = TftpClient.builder(f.address()).transferSize(true).build();
            assertEquals(ErrorCode.DISK_FULL, failure(client, localFile(1001), "big.bin"));
            assertEquals(0, rootEntries());
            client.put(localFile(1000), "fits.bin");
            assertEquals(1000, Files.size(root.resolve("fits.bin")));
        }
    }

    @Test
    void quotaPassedMidTransferIsDiskFullAndLeavesNothing() throws IOException {
        try (var f = ServerFixture.start(root, c -> c.withWrites(WritePolicy.CREATE_FILES).withMaxUploadSize(1000))) {
            var client = TftpClient.builder(f.address()).transferSize(false).build(); // no tsize: found out mid-way
            assertEquals(ErrorCode.DISK_FULL, failure(client, localFile(5000), "big.bin"));
            await().atMost(Duration.ofSeconds(10)).until(() -> f.server.activeTransfers() == 0);
            assertEquals(0, rootEntries());
        }
    }

    @Test
    void requestsOverTheLimitsGetServerBusy() throws IOException {
        try (var f = ServerFixture.start(root, c -> c.withLimits(new ConnectionLimits(10, 1)))) {
            f.file("slow.bin", 5000);
            try (var first = new RawPeer(); var second = new RawPeer()) {
                first.send(new ReadRequest("slow.bin", TransferMode.OCTET), f.address());
                In data1 = first.receive(); // transfer 1 holds the only place for 127.0.0.1
                second.send(new ReadRequest("slow.bin", TransferMode.OCTET), f.address());
                In busy = second.receive();
                TftpError error = assertInstanceOf(TftpError.class, busy.packet());
                assertEquals(ErrorCode.NOT_DEFINED, error.code());
                assertEquals(RequestDispatcher.BUSY, error.message());
                assertEquals(f.address().getPort(), busy.from().getPort(), "answered once, from the request port");
                assertTrue(second.receive(Duration.ofMillis(500)).isEmpty(), "exactly one packet");
                first.send(new TftpError(ErrorCode.NOT_DEFINED, "bye"), data1.from());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> f.server.activeTransfers() == 0);
        }
    }

    @Test
    void staleUploadTemporariesAreRemovedAtStartUpWhenUploadsAreAllowed() throws IOException {
        // Issue #9: a killed server left .tftp-upload-* behind for good.
        Path sub = Files.createDirectories(root.resolve("boot/sub"));
        Path stale = Files.write(sub.resolve(RootJail.TEMP_PREFIX + "123.tmp"), new byte[100]);
        Path staleTop = Files.write(root.resolve(RootJail.TEMP_PREFIX + "9"), new byte[1]);
        Path kept = Files.write(sub.resolve("upload-notes.txt"), new byte[1]);
        try (var readOnly = ServerFixture.start(root, c -> c)) {
            assertTrue(Files.exists(stale), "a read-only server writes nothing");
        }
        try (var writable = ServerFixture.start(root, c -> c.withWrites(WritePolicy.CREATE_FILES))) {
            assertFalse(Files.exists(stale));
            assertFalse(Files.exists(staleTop));
            assertTrue(Files.exists(kept));
        }
    }
}
