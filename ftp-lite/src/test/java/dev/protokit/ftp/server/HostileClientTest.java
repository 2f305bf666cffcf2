package dev.protokit.ftp.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.daemon.ConnectionLimits;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients that misbehave: the server answers with the right code, keeps the connection, and keeps files safe. */
class HostileClientTest {
    @TempDir
    Path tmp;
    ServerFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = ServerFixture.start(tmp, b -> b.maxLineBytes(1024));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void bounceAttemptsAreRefused() throws Exception {
        try (RawClient c = fx.raw()) {
            c.login("alice", ServerFixture.PASSWORD);
            c.command("PORT 127,0,0,2,117,48", 504);          // another address
            c.command("EPRT |1|127.0.0.2|30000|", 504);
            c.command("PORT 127,0,0,1,0,25", 504);            // a privileged port of the client itself
            c.command("EPRT |1|127.0.0.1|21|", 504);
            c.command("PORT 127,0,0,1,300,1", 501);           // malformed
            c.command("EPRT |9|127.0.0.1|30000|", 522);
            c.command("RETR nothing", 550);
            c.command("LIST", 425);                           // no PORT was accepted
            c.command("EPSV ALL", 200);
            c.command("PASV", 503);
            c.command("PORT 127,0,0,1,117,48", 503);
            c.epsvPort();
        }
    }

    @Test
    void pathEscapesAreRefusedWith550() throws Exception {
        Files.writeString(fx.root.resolve("secret-of-root.txt"), "not alice's");
        try (RawClient c = fx.raw()) {
            c.login("alice", ServerFixture.PASSWORD);
            c.command("CWD ..", 550);
            c.command("CWD /..", 550);
            c.command("CDUP", 250); // at the root CDUP stays there, like vsftpd
            assertTrue(c.command("PWD", 257).contains("\"/\""));
            c.command("SIZE ../secret-of-root.txt", 550);
            c.command("SIZE /../secret-of-root.txt", 550);
            c.command("SIZE /etc/passwd", 550);
            c.command("MKD ../escape", 550);
            c.command("RNFR ../secret-of-root.txt", 550);
            c.command("DELE a%00b", 550);
            c.command("PWD", 257);
        }
        assertTrue(Files.exists(fx.root.resolve("secret-of-root.txt")));
        assertTrue(Files.notExists(fx.root.resolve("escape")));
    }

    @Test
    void sequenceAndSyntaxErrorsKeepTheConnection() throws Exception {
        try (RawClient c = fx.raw()) {
            c.command("PASS nobody", 503);
            c.command("LIST", 530);
            c.command("RETR x", 530);
            c.command("STAT", 530);
            c.command("ABOR", 530);
            c.command("SYST", 215);
            c.command("XYZZ", 502);
            c.command("SITE EXEC /bin/sh", 502);
            c.command("1234", 500);
            c.sendRaw("NOOP\nMKD smuggled\r\n");                // bare LF: the whole line is refused
            c.expect(500);
            c.send("USER " + "A".repeat(5000));                 // overlong line
            c.expect(500);
            c.command("FEAT", 211);
            c.login("alice", ServerFixture.PASSWORD);
            c.command("RNTO x", 503);
            c.command("REST -1", 501);
            c.command("TYPE Z", 501);
            c.command("PBSZ 0", 503);
            c.command("NOOP", 200);
        }
    }

    @Test
    void pipelinedPlaintextAfterAuthTlsIsRefused() throws Exception {
        try (RawClient c = fx.raw()) {
            c.sendRaw("AUTH TLS\r\nUSER alice\r\n");
            c.expect(503);
            c.expect(331);                                      // still plaintext, as the client sent it
        }
    }

    @Test
    void disconnectMidStorLeavesTheOldFileAndOnlyTheUsersHiddenPart() throws Exception {
        Path target = fx.home("alice").resolve("keep.txt");
        Files.writeString(target, "old contents");
        RawClient c = fx.raw();
        c.login("alice", ServerFixture.PASSWORD);
        Socket data = c.pasv();
        c.command("STOR keep.txt", 150);
        OutputStream out = data.getOutputStream();
        out.write(new byte[100_000]);
        out.flush();
        c.close();                                              // the client vanishes: control first...
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.server.activeSessions() == 0);
        data.close();                                           // ...then its data connection, cleanly
        assertEquals("old contents", Files.readString(target));
        assertOnlyResumablePart(target);
    }

    @Test
    void resetDataConnectionMidStorIsAborted() throws Exception {
        Path target = fx.home("alice").resolve("keep.txt");
        Files.writeString(target, "old contents");
        try (RawClient c = fx.raw()) {
            c.login("alice", ServerFixture.PASSWORD);
            Socket data = c.pasv();
            c.command("STOR keep.txt", 150);
            data.getOutputStream().write(new byte[100_000]);
            data.setSoLinger(true, 0);
            data.close();                                       // RST
            c.expect(426);
            c.command("NOOP", 200);
        }
        assertEquals("old contents", Files.readString(target));
        assertOnlyResumablePart(target);
    }

    /**
     * What an interrupted upload leaves (cleaned up before the 426 and before the session ends):
     * alice's hidden part for a resume (ResumableUploadTest) if any byte arrived, nothing else.
     */
    private void assertOnlyResumablePart(Path target) throws Exception {
        Path part = target.resolveSibling(UploadParts.partName("alice", target.getFileName().toString()));
        assertEquals(Files.exists(part) ? 1 : 0, temporaries());
    }

    private long temporaries() throws Exception {
        try (Stream<Path> files = Files.list(fx.home("alice"))) {
            return files.filter(p -> VirtualFileSystem.isHidden(p.getFileName().toString())).count();
        }
    }

    @Test
    void uploadsOverTheSizeLimitAreRefusedAndDiscarded() throws Exception {
        fx.close();
        fx = ServerFixture.start(tmp.resolve("limited"), b -> b.maxUploadSize(1000));
        try (RawClient c = fx.raw()) {
            c.login("alice", ServerFixture.PASSWORD);
            try (Socket data = c.pasv()) {
                c.command("STOR big.bin", 150);
                try {
                    data.getOutputStream().write(new byte[200_000]);
                } catch (java.io.IOException expected) {
                    // the server may close the data connection while we write
                }
            }
            c.expect(552);
        }
        assertTrue(Files.notExists(fx.home("alice").resolve("big.bin")));
    }

    @Test
    void silentConnectionsAreCutAtTheIdleTimeout() throws Exception {
        fx.close();
        fx = ServerFixture.start(tmp.resolve("idle"), b -> b.idleTimeout(Duration.ofMillis(300)));
        try (RawClient c = fx.raw()) {
            c.login("alice", ServerFixture.PASSWORD);
            assertTrue(c.expect(421).contains("Timeout"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void sessionsThatNeverLogInAreCutAtTheLoginTimeout() throws Exception {
        fx.close();
        fx = ServerFixture.start(tmp.resolve("login"), b -> b.loginTimeout(Duration.ofMillis(500)));
        try (RawClient c = fx.raw()) {
            c.command("NOOP", 200);
            c.command("USER alice", 331);
            assertTrue(c.expect(421).contains("Login timeout"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void dataConnectionsThatNeverComeOrStallTimeOut() throws Exception {
        fx.close();
        fx = ServerFixture.start(tmp.resolve("data"), b -> b.dataTimeout(Duration.ofMillis(500)));
        Files.write(fx.home("alice").resolve("big.bin"), new byte[64 * 1024 * 1024]);
        try (RawClient c = fx.raw()) {
            c.login("alice", ServerFixture.PASSWORD);
            c.epsvPort();                                       // never connected
            c.command("RETR big.bin", 425);
            try (Socket data = c.pasv()) {                      // connected, never read
                data.setReceiveBufferSize(4096);
                c.command("RETR big.bin", 150);
                c.expect(426);
            }
            c.command("NOOP", 200);
        }
    }

    @Test
    void passiveConnectionsFromAnotherAddressAreNotAccepted() throws Exception {
        Files.writeString(fx.home("alice").resolve("f.txt"), "mine");
        try (RawClient c = fx.raw()) {
            c.login("alice", ServerFixture.PASSWORD);
            int port = c.epsvPort();
            try (Socket thief = new Socket()) {
                thief.bind(new java.net.InetSocketAddress("127.0.0.2", 0));
                thief.connect(new java.net.InetSocketAddress("127.0.0.1", port));
                thief.setSoTimeout(10_000);
                try (Socket data = new Socket("127.0.0.1", port)) {
                    c.command("RETR f.txt", 150);
                    assertEquals("mine", new String(data.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII));
                    c.expect(226);
                }
                assertEquals(-1, thief.getInputStream().read());   // closed without a byte
            }
        }
    }

    @Test
    void aClientThatNeverReadsIsCutOff() throws Exception {
        fx.close();
        fx = ServerFixture.start(tmp.resolve("noread"), b -> b.idleTimeout(Duration.ofMillis(500)));
        for (int i = 0; i < 300; i++) {
            Files.createFile(fx.home("alice").resolve(String.format("%03d-%s", i, "x".repeat(200))));
        }
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", fx.port()));
        try (RawClient c = new RawClient(socket)) {
            c.expect(220);
            c.login("alice", ServerFixture.PASSWORD);
            c.sendRaw("STAT /\r\n".repeat(400));                // ~30 MB of replies, never read
            await().atMost(Duration.ofSeconds(30)).until(() -> fx.server.activeSessions() == 0);
        }
    }

    @Test
    void tooManySessionsGet421() throws Exception {
        fx.close();
        fx = ServerFixture.start(tmp.resolve("limits"), b -> b.limits(new ConnectionLimits(10, 2)));
        try (RawClient a = fx.raw(); RawClient b = fx.raw();
             RawClient c = new RawClient(new Socket("127.0.0.1", fx.port()))) {
            assertTrue(c.reply().startsWith("421 Too many connections"));
            assertTrue(c.closedByServer());
            a.command("NOOP", 200);
            b.command("NOOP", 200);
        }
    }
}
