package dev.protokit.tftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.tftp.client.TftpClient;
import dev.protokit.tftp.server.TftpServerConfig.WritePolicy;
import dev.protokit.tftp.wire.TftpException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9 item 2 for TFTP: a thread replaces the directory {@code ROOT/in} by a link to
 * {@code ../outside} and back (renames, as fast as they go) while our client reads and writes
 * {@code in/...} hundreds of times. A name checked while {@code in} was the real directory must
 * not be opened after it became the link: no byte from outside is ever sent, nothing is created
 * outside.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SymlinkSwapRaceTest {
    private static final int ROUNDS = 300;
    private static final String INSIDE = "inside bytes";
    private static final String SECRET = "SECRET bytes from outside the root";

    @TempDir
    Path tmp;
    Path root;
    Path outside;
    final AtomicBoolean stop = new AtomicBoolean();
    Thread swapper;

    @BeforeEach
    void tree() throws IOException {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("data"), SECRET);
        Path in = Files.createDirectories(root.resolve("in"));
        Files.writeString(in.resolve("data"), INSIDE);
        Path away = root.resolve("away");
        Path prepared = root.resolve("prepared");
        Files.createSymbolicLink(prepared, Path.of("../outside"));
        swapper = Thread.ofPlatform().name("swapper").daemon().start(() -> {
            try {
                while (!stop.get()) {
                    Files.move(in, away, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(prepared, in, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(in, prepared, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(away, in, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterEach
    void stopSwapping() throws InterruptedException {
        stop.set(true);
        swapper.join();
    }

    private static TftpClient client(ServerFixture f) {
        // No linger after the last ACK: the next request need not wait for a retransmission.
        return TftpClient.builder(f.address()).timeout(Duration.ofMillis(500)).retries(3).linger(Duration.ZERO).build();
    }

    @Test
    void readsNeverSendOutsideBytes() throws IOException {
        int leaked = 0;
        int served = 0;
        try (var f = ServerFixture.start(root, c -> c)) {
            var client = client(f);
            for (int i = 0; i < ROUNDS; i++) {
                var out = new ByteArrayOutputStream();
                try {
                    client.get("in/data", out);
                    served++;
                } catch (TftpException e) {
                    // refused (error 1 or 2) while the directory was away or a link
                }
                if (out.toString(StandardCharsets.UTF_8).contains("SECRET")) {
                    leaked++;
                }
            }
        }
        System.out.printf("TFTP RRQ through a swapped directory: %d of %d leaked, %d served%n", leaked, ROUNDS, served);
        assertEquals(0, leaked, leaked + " of " + ROUNDS + " RRQs sent the file outside the root");
        assertTrue(served > 0, "some RRQs found the directory in place");
    }

    @Test
    void writesNeverCreateOutside() throws IOException {
        int stored = 0;
        try (var f = ServerFixture.start(root, c -> c.withWrites(WritePolicy.CREATE_FILES))) {
            var client = client(f);
            for (int i = 0; i < ROUNDS; i++) {
                try {
                    client.put(new ByteArrayInputStream(INSIDE.getBytes(StandardCharsets.UTF_8)), "in/up-" + i);
                    stored++;
                } catch (TftpException e) {
                    // refused while the directory was away or a link
                }
            }
        }
        List<String> planted;
        try (var files = Files.list(outside)) {
            planted = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("data")).toList();
        }
        System.out.printf("TFTP WRQ through a swapped directory: %d of %d created outside, %d stored%n",
                planted.size(), ROUNDS, stored);
        assertEquals(List.of(), planted, planted.size() + " of " + ROUNDS + " WRQs created files outside the root");
        assertTrue(stored > 0, "some WRQs found the directory in place");
    }
}
