package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9 item 2, the time-of-check-to-time-of-use race: a thread flips {@code HOME/link} between
 * {@code in} (a directory of the home) and {@code ../../outside} as fast as rename(2) allows while
 * a commons-net client retrieves, stores and lists through the link hundreds of times. No byte and
 * no name from outside may ever reach the client, and nothing may ever be created outside.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SymlinkSwapRaceTest {
    private static final int ROUNDS = 300;
    private static final String INSIDE = "inside bytes";
    private static final String SECRET = "SECRET bytes from outside the home";

    @TempDir
    Path tmp;
    ServerFixture fx;
    Path home;
    Path outside;
    final AtomicBoolean stop = new AtomicBoolean();
    Thread swapper;

    @BeforeEach
    void start() throws Exception {
        fx = ServerFixture.start(tmp, b -> b.uploadFsync(false)); // the race, not the disk, is under test
        home = fx.home("alice");
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("data"), SECRET);
        Files.writeString(outside.resolve("outside-only.txt"), SECRET);
        Files.createDirectories(home.resolve("in"));
        Files.writeString(home.resolve("in/data"), INSIDE);
        Files.writeString(home.resolve("in/inside-only.txt"), INSIDE);
        Path link = home.resolve("link");
        Files.createSymbolicLink(link, Path.of("in"));
        swapper = Thread.ofPlatform().name("swapper").daemon().start(() -> {
            Path next = home.resolve(".next");
            try {
                for (long i = 0; !stop.get(); i++) {
                    Files.deleteIfExists(next);
                    Files.createSymbolicLink(next, i % 2 == 0 ? Path.of("../../outside") : Path.of("in"));
                    Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterEach
    void stop() throws InterruptedException {
        stop.set(true);
        swapper.join();
        fx.close();
    }

    @Test
    void retrThroughASwappedLinkNeverSendsOutsideBytes() throws Exception {
        FTPClient c = fx.client("alice");
        int leaked = 0;
        int served = 0;
        for (int i = 0; i < ROUNDS; i++) {
            var out = new ByteArrayOutputStream();
            if (c.retrieveFile("link/data", out)) {
                served++;
            }
            String got = out.toString(StandardCharsets.UTF_8);
            if (got.contains("SECRET")) {
                leaked++;
            }
        }
        c.logout();
        System.out.printf("RETR through a swapped link: %d of %d leaked, %d served%n", leaked, ROUNDS, served);
        assertEquals(0, leaked, leaked + " of " + ROUNDS + " RETRs sent the file outside the home");
        assertTrue(served > 0, "some RETRs found the link inside");
    }

    @Test
    void storThroughASwappedLinkNeverCreatesOutside() throws Exception {
        FTPClient c = fx.client("alice");
        int stored = 0;
        int rounds = ROUNDS / 2; // each STOR also syncs and renames: the slowest of the three on a busy disk
        for (int i = 0; i < rounds; i++) {
            if (c.storeFile("link/up-" + i, new ByteArrayInputStream(INSIDE.getBytes(StandardCharsets.UTF_8)))) {
                stored++;
            }
        }
        c.logout();
        List<String> planted;
        try (var files = Files.list(outside)) {
            planted = files.map(p -> p.getFileName().toString()).filter(n -> !List.of("data", "outside-only.txt").contains(n)).toList();
        }
        System.out.printf("STOR through a swapped link: %d of %d created outside, %d stored%n", planted.size(), rounds, stored);
        assertEquals(List.of(), planted, planted.size() + " of " + rounds + " STORs created files outside the home");
        assertTrue(stored > 0, "some STORs found the link inside");
    }

    @Test
    void listThroughASwappedLinkNeverShowsOutsideNames() throws Exception {
        FTPClient c = fx.client("alice");
        int leaked = 0;
        int listed = 0;
        for (int i = 0; i < ROUNDS; i++) {
            String[] names = c.listNames("link");
            if (names != null && names.length > 0) {
                listed++;
                if (String.join(" ", names).contains("outside-only")) {
                    leaked++;
                }
            }
        }
        c.logout();
        System.out.printf("NLST through a swapped link: %d of %d leaked, %d listed%n", leaked, ROUNDS, listed);
        assertEquals(0, leaked, leaked + " of " + ROUNDS + " listings showed names outside the home");
        assertTrue(listed > 0, "some listings found the link inside");
    }
}
