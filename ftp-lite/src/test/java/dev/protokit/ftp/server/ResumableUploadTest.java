package dev.protokit.ftp.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9: an interrupted upload can be resumed by the same user (REST + STOR, APPE, after
 * SIZE as lftp put -c and curl -C - ask), no client ever sees the half file, and stale parts go.
 */
class ResumableUploadTest {
    @TempDir
    Path tmp;
    ServerFixture fx;
    final byte[] data = new byte[3_000_000];

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void restAndStorContinueAnUploadWhoseConnectionWasReset() throws Exception {
        fx = ServerFixture.start(tmp);
        try (RawClient c = aliceInBinary(7)) {
            long kept = interruptedUpload(c, "big.bin", 1_000_000);
            assertTrue(Files.notExists(fx.home("alice").resolve("big.bin")), "the half file is visible");
            c.command("RETR big.bin", 550);
            assertEquals("213 " + kept, c.command("SIZE big.bin", 213), "SIZE tells the uploader how much arrived");
            c.command("REST " + kept, 350);
            upload(c, "STOR big.bin", Arrays.copyOfRange(data, (int) kept, data.length));
        }
        assertArrayEquals(data, Files.readAllBytes(fx.home("alice").resolve("big.bin")));
        assertNoPartsLeft(fx.home("alice"));
    }

    @Test
    void appeContinuesTheUsersOwnPendingPartLikeCurlDashC() throws Exception {
        fx = ServerFixture.start(tmp);
        try (RawClient c = aliceInBinary(8)) {
            long kept = interruptedUpload(c, "curl.bin", 700_000);
            c.command("SIZE curl.bin", 213);
            upload(c, "APPE curl.bin", Arrays.copyOfRange(data, (int) kept, data.length));
        }
        assertArrayEquals(data, Files.readAllBytes(fx.home("alice").resolve("curl.bin")));
    }

    @Test
    void anotherUserNeverSeesOrContinuesThePart() throws Exception {
        fx = ServerFixture.start(tmp, b -> b.anonymous(true, true).anonymousRoot(tmp.resolve("root/alice")));
        Files.write(fx.home("alice").resolve("shared.bin"), "old".getBytes());
        try (RawClient c = aliceInBinary(9)) {
            interruptedUpload(c, "shared.bin", 500_000);
        }
        FTPClient anonymous = fx.client("anonymous");
        try {
            // anonymous shares alice's directory here, yet sees the old file and no part
            var got = new ByteArrayOutputStream();
            assertTrue(anonymous.retrieveFile("shared.bin", got));
            assertEquals("old", got.toString());
            assertEquals(213, anonymous.sendCommand("SIZE shared.bin"));
            assertEquals("213 3", anonymous.getReplyString().strip());
            assertTrue(Stream.of(anonymous.listNames()).noneMatch(n -> n.startsWith(".ftp-lite")));
        } finally {
            anonymous.disconnect();
        }
    }

    @Test
    void aFreshStorStartsOverAndStalePartsAreSweptAtStartUp() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root/alice"));
        Path oneOff = Files.write(root.resolve(".ftp-lite-upload-0123456789abcdef.part"), new byte[10]);
        Path expired = Files.write(root.resolve(".ftp-lite-upload-r00112233445566778899aabbccddeeff.part"), new byte[10]);
        Path recent = Files.write(root.resolve(".ftp-lite-upload-rffeeddccbbaa99887766554433221100.part"), new byte[10]);
        Files.setLastModifiedTime(expired, FileTime.from(Instant.now().minus(Duration.ofHours(3))));
        fx = ServerFixture.start(tmp, b -> b.uploadPartMaxAge(Duration.ofHours(2)));
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.notExists(oneOff) && Files.notExists(expired));
        assertTrue(Files.exists(recent), "a recent resumable part was swept");
        try (RawClient c = aliceInBinary(10)) {
            interruptedUpload(c, "again.bin", 400_000);
            byte[] other = "a different, complete file".getBytes();
            upload(c, "STOR again.bin", other);
            assertArrayEquals(other, Files.readAllBytes(fx.home("alice").resolve("again.bin")));
            c.command("SIZE again.bin", 213);
        }
        assertFalse(Files.list(fx.home("alice")).anyMatch(p -> p.getFileName().toString().startsWith(".ftp-lite-upload-r")
                && !p.equals(recent)));
    }

    /** Fills {@link #data} from {@code seed}; a session of alice's in TYPE I. */
    private RawClient aliceInBinary(long seed) throws Exception {
        new Random(seed).nextBytes(data);
        RawClient c = fx.raw();
        c.login("alice", ServerFixture.PASSWORD);
        c.command("TYPE I", 200);
        return c;
    }

    /** Starts {@code STOR name}, sends about {@code bytes} of {@link #data}, then resets the data connection. */
    private long interruptedUpload(RawClient c, String name, int bytes) throws Exception {
        Socket d = new Socket(InetAddress.getLoopbackAddress(), c.pasvPort());
        c.command("STOR " + name, 150);
        OutputStream out = d.getOutputStream();
        out.write(data, 0, bytes);
        out.flush();
        d.setSoLinger(true, 0); // RST: the upload is cut, not complete
        d.close();
        c.expect(426);
        Path part = fx.home("alice").resolve(UploadParts.partName("alice", name));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(part));
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept <= bytes, "kept " + kept);
        assertArrayEquals(Arrays.copyOf(data, (int) kept), Files.readAllBytes(part));
        return kept;
    }

    private static void upload(RawClient c, String command, byte[] bytes) throws Exception {
        try (Socket d = new Socket(InetAddress.getLoopbackAddress(), c.pasvPort())) {
            c.command(command, 150);
            d.getOutputStream().write(bytes);
        }
        c.expect(226);
    }

    private static void assertNoPartsLeft(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> VirtualFileSystem.isHidden(p.getFileName().toString())));
        }
    }
}
