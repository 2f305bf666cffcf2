package dev.protokit.ftp.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.protokit.ftp.server.users.FtpUser;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shutdown is bounded by the grace period whatever the clients do; command failures still get a reply. */
class ShutdownTest {
    @TempDir
    Path tmp;
    ServerFixture fx;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void clientsThatStoppedReadingDoNotHoldShutdownPastTheGracePeriod() throws Exception {
        fx = ServerFixture.start(tmp, b -> b.idleTimeout(Duration.ofMinutes(3)));
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket s = new Socket();
            open.add(s);
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), fx.port()), 20_000);
            OutputStream out = s.getOutputStream();
            // HELP answers ~300 bytes and nobody reads them: the server's replies fill the socket.
            byte[] flood = "HELP\r\n".repeat(50_000).getBytes(StandardCharsets.US_ASCII);
            senders.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int k = 0; k < 40; k++) {
                        out.write(flood);
                    }
                } catch (java.io.IOException closed) {
                    // the server closed the connection at the end of the grace period
                }
            }));
        }
        // A virtual thread parked in write means the server stopped reading: its reply write is stuck.
        await().atMost(Duration.ofSeconds(60)).until(() -> senders.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> fx.server.shutdown(Duration.ofSeconds(1)));
    }

    @Test
    void idleSessionsHearTheShutdown() throws Exception {
        fx = ServerFixture.start(tmp);
        RawClient c = fx.raw();
        open.add(c);
        c.login("anonymous", "x");
        Thread stopper = Thread.ofVirtual().start(() -> fx.server.shutdown(Duration.ofSeconds(10)));
        c.expect(421);
        stopper.join(Duration.ofSeconds(30));
    }

    @Test
    void aCommandThatThrowsGetsA451AndTheSessionGoesOn() throws Exception {
        Authenticator failing = (name, password) -> {
            if (name.equals("boom")) {
                throw new IllegalStateException("user directory unreachable");
            }
            return Optional.of(new FtpUser(name, Path.of("alice"), true, OptionalLong.empty()));
        };
        fx = ServerFixture.start(tmp, b -> b.users(failing));
        try (RawClient c = fx.raw()) {
            c.command("USER boom", 331);
            c.command("PASS x", 451);
            c.command("NOOP", 200);
            c.login("alice", "whatever");
            c.command("PWD", 257);
        }
    }
}
