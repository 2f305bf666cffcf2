package dev.protokit.ftp.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9: a client killed in the middle of a STOR (SIGKILL or SIGTERM: the kernel closes its
 * control and data connections, in that order, with a plain FIN) never publishes the half file
 * under the target's name; what arrived stays a hidden part the same user can resume. The
 * server stopped during an upload (SIGTERM) keeps the part too.
 */
class KilledUploadTest {
    private static final Path CURL = Path.of("/usr/bin/curl");
    private static final int ROUNDS = 6;

    @TempDir
    Path tmp;
    ServerFixture fx;
    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void curlKilledDuringStorLeavesOnlyAResumablePart() throws Exception {
        killedCurl(true, false);
    }

    @Test
    void curlTerminatedDuringStorLeavesOnlyAResumablePartAlsoWithoutFsync() throws Exception {
        killedCurl(false, true);
    }

    /** curl uploads from a pipe we feed: part of a file, then it is killed while waiting for more. */
    private void killedCurl(boolean fsync, boolean sigterm) throws Exception {
        assumeTrue(Files.isExecutable(CURL), "install curl to run this test");
        fx = ServerFixture.start(tmp, b -> b.uploadFsync(fsync));
        byte[] data = new byte[300_000];
        for (int round = 0; round < ROUNDS; round++) {
            new Random(round).nextBytes(data);
            String name = "killed" + round + ".bin";
            Process curl = new ProcessBuilder(CURL.toString(), "-s", "-S", "--max-time", "120", "-T", "-",
                    "ftp://alice:" + ServerFixture.PASSWORD + "@127.0.0.1:" + fx.port() + "/" + name)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(curl);
            OutputStream stdin = curl.getOutputStream();
            stdin.write(data);
            stdin.flush(); // stdin stays open: curl waits for the rest of the file
            Path part = fx.home("alice").resolve(UploadParts.partName("alice", name));
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(part) && Files.size(part) == data.length);
            if (sigterm) {
                curl.destroy();
            } else {
                curl.destroyForcibly();
            }
            assertTrue(curl.waitFor(60, TimeUnit.SECONDS), "curl did not die");
            awaitSessionsEnded();
            assertTrue(Files.notExists(fx.home("alice").resolve(name)), "round " + round + ": the half file was published");
            assertArrayEquals(data, Files.readAllBytes(part), "round " + round + ": the part lost bytes");
        }
    }

    @Test
    void aClientClosingControlThenDataLikeTheKernelAtExitPublishesNothing() throws Exception {
        fx = ServerFixture.start(tmp, b -> b.uploadFsync(false));
        byte[] data = new byte[200_000];
        for (int round = 0; round < 4 * ROUNDS; round++) {
            new Random(round).nextBytes(data);
            String name = "cut" + round + ".bin";
            RawClient c = fx.raw();
            c.login("alice", ServerFixture.PASSWORD);
            c.command("TYPE I", 200);
            Socket d = c.pasv();
            c.command("STOR " + name, 150);
            d.getOutputStream().write(data);
            Path part = fx.home("alice").resolve(UploadParts.partName("alice", name));
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(part) && Files.size(part) == data.length);
            c.close(); // the order in which exit closes a client's descriptors: control first
            d.close();
            awaitSessionsEnded();
            assertTrue(Files.notExists(fx.home("alice").resolve(name)), "round " + round + ": the half file was published");
            assertEquals(data.length, Files.size(part));
        }
    }

    @Test
    void serverStoppedDuringStorKeepsThePartAndPublishesNothing() throws Exception {
        fx = ServerFixture.start(tmp);
        byte[] data = new byte[500_000];
        new Random(42).nextBytes(data);
        try (RawClient c = fx.raw(); Socket d = connectedUpload(c, "stopped.bin")) {
            d.getOutputStream().write(data);
            Path part = fx.home("alice").resolve(UploadParts.partName("alice", "stopped.bin"));
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(part) && Files.size(part) == data.length);
            fx.server.shutdown(Duration.ofMillis(500)); // what SIGTERM runs; the client never finishes
            assertTrue(Files.notExists(fx.home("alice").resolve("stopped.bin")), "the half file was published");
            assertArrayEquals(data, Files.readAllBytes(part));
        }
        // after a restart the same user continues it
        fx = ServerFixture.start(tmp);
        try (RawClient c = fx.raw()) {
            c.login("alice", ServerFixture.PASSWORD);
            c.command("TYPE I", 200);
            assertEquals("213 " + data.length, c.command("SIZE stopped.bin", 213));
            byte[] rest = "the rest of the file".getBytes();
            try (Socket d = c.pasv()) {
                c.command("APPE stopped.bin", 150);
                d.getOutputStream().write(rest);
            }
            c.expect(226);
            byte[] whole = Arrays.copyOf(data, data.length + rest.length);
            System.arraycopy(rest, 0, whole, data.length, rest.length);
            assertArrayEquals(whole, Files.readAllBytes(fx.home("alice").resolve("stopped.bin")));
        }
    }

    private Socket connectedUpload(RawClient c, String name) throws IOException {
        c.login("alice", ServerFixture.PASSWORD);
        c.command("TYPE I", 200);
        Socket d = c.pasv();
        c.command("STOR " + name, 150);
        return d;
    }

    /** The session's end waits for its transfer's final decision (commit or keep the part). */
    private void awaitSessionsEnded() {
        await().atMost(Duration.ofSeconds(60)).until(() -> fx.server.activeSessions() == 0);
    }
}
