package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many sessions at once, each uploading and downloading its own file through the same server. */
class ConcurrentSessionsTest {
    private static final int SESSIONS = 200;
    private static final int SIZE = 256 * 1024;

    @TempDir
    Path tmp;

    @Test
    void twoHundredSessionsEachRoundTripTheirOwnFile() throws Exception {
        try (ServerFixture fx = ServerFixture.start(tmp);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                int n = i;
                results.add(clients.submit(() -> roundTrip(fx, n)));
            }
            for (Future<String> r : results) {
                assertEquals("ok", r.get(2, java.util.concurrent.TimeUnit.MINUTES));
            }
            try (var files = Files.list(fx.home("alice"))) {
                assertEquals(SESSIONS, files.count());
            }
        }
    }

    private static String roundTrip(ServerFixture fx, int n) throws Exception {
        byte[] data = FtpServerTest.random(SIZE + n, n);
        String name = "file-" + n + ".bin";
        FTPClient c = fx.client("alice");
        try {
            assertTrue(c.storeFile(name, new ByteArrayInputStream(data)), c.getReplyString());
            var out = new ByteArrayOutputStream();
            assertTrue(c.retrieveFile(name, out), c.getReplyString());
            String sent = sha256(data);
            String got = sha256(out.toByteArray());
            String stored = sha256(Files.readAllBytes(fx.home("alice").resolve(name)));
            return sent.equals(got) && sent.equals(stored) ? "ok" : name + ": " + sent + " " + got + " " + stored;
        } finally {
            c.logout();
            c.disconnect();
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
