package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command line must be complete within the idle timeout, however slowly its bytes come (issue #9). */
class LineDeadlineTest {
    private static final Duration IDLE = Duration.ofSeconds(2);

    @TempDir
    Path tmp;
    ServerFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = ServerFixture.start(tmp, b -> b.idleTimeout(IDLE));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void clientDribblingOneByteAtATimeIsClosedAfterTheIdleTimeout() throws Exception {
        try (RawClient c = fx.raw()) {
            c.login("anonymous", "x");
            long started = System.nanoTime();
            String dribble = "NOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOPNOOP";
            boolean cut = false;
            for (int i = 0; i < dribble.length() && !cut; i++) {
                try {
                    c.sendRaw(dribble.substring(i, i + 1));
                } catch (IOException e) {
                    cut = true;
                    break;
                }
                // each byte comes well inside the idle timeout, so only a per-line deadline fires
                cut = c.socket.getInputStream().available() > 0 || awaitQuiet(c, Duration.ofMillis(400));
            }
            assertTrue(cut, "the server kept a dribbled line open for " + dribble.length() * 400 + " ms");
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(IDLE.plusSeconds(15)) < 0);
        }
    }

    @Test
    void commandsSentInTimeKeepTheSessionAlive() throws Exception {
        try (RawClient c = fx.raw()) {
            c.login("anonymous", "x");
            c.sendRaw("NO");
            c.sendRaw("OP\r\n");
            c.expect(200);
            c.command("PWD", 257);
        }
    }

    @Test
    void bareLineFeedCannotSmuggleASecondCommand() throws Exception {
        try (RawClient c = fx.raw()) {
            c.login("alice", ServerFixture.PASSWORD);
            c.sendRaw("NOOP\nMKD smuggled_dir\r\n");
            c.expect(500);
            c.command("NOOP", 200);
        }
        assertTrue(Files.notExists(fx.home("alice").resolve("smuggled_dir")));
    }

    /** Waits up to {@code d} for the server to say something (its 421) or close; true if it did. */
    private static boolean awaitQuiet(RawClient c, Duration d) throws IOException {
        int before = c.socket.getSoTimeout();
        c.socket.setSoTimeout((int) d.toMillis());
        try {
            String line = c.reply();
            assertTrue(line.startsWith("421 "), "expected the idle 421, got " + line);
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // closed
        } finally {
            c.socket.setSoTimeout(before);
        }
    }
}
