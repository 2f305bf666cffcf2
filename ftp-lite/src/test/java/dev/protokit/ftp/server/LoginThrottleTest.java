package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.daemon.FailureThrottle;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong passwords are answered late, end the session after a few tries, and lock the user and address out. */
class LoginThrottleTest {
    private static final Duration BASE = Duration.ofMillis(100);

    @TempDir
    Path tmp;
    ServerFixture fx;

    @BeforeEach
    void start() throws Exception {
        var policy = new FailureThrottle.Policy(1, BASE, Duration.ofMillis(400), 4, Duration.ofMinutes(5),
                Duration.ofHours(1), 1000);
        fx = ServerFixture.start(tmp, b -> b.throttles(policy, policy).maxLoginAttempts(3));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void wrongPasswordsAreDelayedThenTheSessionClosedThenLockedOut() throws Exception {
        try (RawClient c = fx.raw()) {
            c.command("USER alice", 331);
            c.command("PASS wrong1", 530);                      // free failure
            c.command("USER alice", 331);
            long start = System.nanoTime();
            c.command("PASS wrong2", 530);                      // delayed
            assertTrue(System.nanoTime() - start >= BASE.toNanos(), "second failure must be delayed");
            c.command("USER alice", 331);
            c.command("PASS wrong3", 421);                      // third in this session: closed
            assertTrue(c.closedByServer());
        }
        try (RawClient c = fx.raw()) {
            c.command("USER alice", 331);
            c.command("PASS wrong4", 530);                      // fourth: locks alice and 127.0.0.1 out
        }
        try (RawClient c = fx.raw()) {
            c.command("USER alice", 331);
            c.command("PASS " + ServerFixture.PASSWORD, 530);   // right password, still refused
            c.command("USER slow", 331);
            c.command("PASS " + ServerFixture.PASSWORD, 530);   // another user from the locked address too
        }
    }

    @Test
    void unknownUsersGetTheSameAnswers() throws Exception {
        try (RawClient c = fx.raw()) {
            String known = c.command("USER alice", 331);
            c.command("PASS wrong", 530);
            String unknown = c.command("USER mallory", 331);
            assertTrue(known.equals(unknown), known + " vs " + unknown);
            c.command("PASS wrong", 530);
        }
    }
}
