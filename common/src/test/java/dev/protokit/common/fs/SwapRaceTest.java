package dev.protokit.common.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The time-of-check-to-time-of-use attack: a thread swaps a link between a directory inside the
 * root and one outside, as fast as it can, while the root reads and creates through it. Whatever
 * the interleaving, nothing outside is ever read or created.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SwapRaceTest {
    private static final int ROUNDS = 1000;
    /** How long a test waits for the swapper to run, or for both outcomes of the race to show. */
    private static final java.time.Duration RACE_DEADLINE = java.time.Duration.ofSeconds(10);

    @TempDir
    Path base;
    Path home;
    Path outside;

    @BeforeEach
    void tree() throws IOException {
        home = Files.createDirectories(base.resolve("home"));
        outside = Files.createDirectories(base.resolve("outside"));
        Files.createDirectories(home.resolve("in/deep"));
        Files.createDirectories(outside.resolve("deep"));
        Files.writeString(home.resolve("in/data"), "inside");
        Files.writeString(home.resolve("in/deep/data"), "inside");
        Files.writeString(outside.resolve("data"), "SECRET");
        Files.writeString(outside.resolve("deep/data"), "SECRET");
    }

    /** Renames prepared links over {@code link} (rename(2) is atomic) in a loop until stopped. */
    private Thread swapper(AtomicBoolean stop, AtomicLong swaps) throws IOException {
        Path link = home.resolve("link");
        Files.createSymbolicLink(link, Path.of("in"));
        return Thread.ofPlatform().name("swapper").start(() -> {
            try {
                for (long i = 0; !stop.get(); i++) {
                    Path next = home.resolve("next");
                    Files.deleteIfExists(next);
                    Files.createSymbolicLink(next, i % 2 == 0 ? Path.of("../outside") : Path.of("in"));
                    Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    swaps.incrementAndGet();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Returns once the swapper has swapped the link a few times: it is running, not still starting. */
    private static void awaitSwapping(AtomicLong swaps) throws InterruptedException {
        long deadline = System.nanoTime() + RACE_DEADLINE.toNanos();
        while (swaps.get() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Resolver.class)
    void readsThroughASwappedLinkNeverLeak(Resolver resolver) throws Exception {
        var stop = new AtomicBoolean();
        var swaps = new AtomicLong();
        int read = 0;
        int refused = 0;
        Thread swapper = swapper(stop, swaps);
        int rounds = 0;
        try (var root = ConfinedRoot.open(home, resolver)) {
            awaitSwapping(swaps);
            // At least ROUNDS reads, and on until both outcomes were seen: on an idle box the
            // swapper's time slices can miss a short burst of reads entirely.
            long deadline = System.nanoTime() + RACE_DEADLINE.toNanos();
            for (int i = 0; i < ROUNDS || ((read == 0 || refused == 0) && System.nanoTime() < deadline); i++, rounds++) {
                try {
                    String content = ConfinedRootTest.read(root.openRead(i % 2 == 0 ? "link/data" : "link/deep/data"));
                    assertEquals("inside", content, "read through the link in round " + i);
                    read++;
                } catch (ConfinementException e) {
                    refused++;
                }
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        assertEquals(rounds, read + refused);
        assertTrue(read > 0 && refused > 0, "the swap raced the reads: " + read + " read, " + refused + " refused");
    }

    @ParameterizedTest
    @EnumSource(Resolver.class)
    void createsThroughASwappedLinkNeverLandOutside(Resolver resolver) throws Exception {
        var stop = new AtomicBoolean();
        var swaps = new AtomicLong();
        int created = 0;
        Thread swapper = swapper(stop, swaps);
        int minimum = ROUNDS / 3; // two calls a round, each creating: the slowest on a busy disk
        int rounds = 0;
        try (var root = ConfinedRoot.open(home, resolver)) {
            awaitSwapping(swaps);
            // As for reads: on until some creates landed and some were refused, or the deadline.
            long deadline = System.nanoTime() + RACE_DEADLINE.toNanos();
            for (int i = 0; i < minimum || ((created == 0 || created == i) && System.nanoTime() < deadline); i++, rounds++) {
                try {
                    root.createNew("link/up-" + i, 0644).close();
                    created++;
                } catch (ConfinementException e) {
                    // refused while the link pointed out
                }
                try {
                    root.mkdir("link/dir-" + i, 0755);
                } catch (ConfinementException e) {
                    // likewise
                }
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        try (var listing = Files.list(outside)) {
            assertEquals(java.util.List.of("data", "deep"), listing.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(created > 0 && created < rounds, created + " of " + rounds + " created, with the swap running");
    }

    @ParameterizedTest
    @EnumSource(Resolver.class)
    void aDirectoryReplacedByALinkMidWalkIsNeverFollowedOut(Resolver resolver) throws Exception {
        Path dir = home.resolve("in");
        Path away = home.resolve("away");
        Path prepared = home.resolve("prepared");
        Files.createSymbolicLink(prepared, Path.of("../outside"));
        var stop = new AtomicBoolean();
        Thread swapper = Thread.ofPlatform().name("dir-swapper").start(() -> {
            try {
                while (!stop.get()) {
                    Files.move(dir, away, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(prepared, dir, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(dir, prepared, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(away, dir, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        int read = 0;
        try (var root = ConfinedRoot.open(home, resolver)) {
            for (int i = 0; i < ROUNDS; i++) {
                try {
                    assertEquals("inside", ConfinedRootTest.read(root.openRead("in/deep/data")));
                    read++;
                } catch (ConfinementException | java.nio.file.NoSuchFileException e) {
                    // refused, or caught between two renames
                }
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        assertTrue(read > 0, "some reads found the directory in place");
    }
}
