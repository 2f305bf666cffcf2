package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens around a running transfer: ABOR, commands sent meanwhile, server shutdown. */
class TransferControlTest {
    @TempDir
    Path tmp;
    ServerFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = ServerFixture.start(tmp);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void aborMidRetrGives426Then226AndTheSessionGoesOn() throws Exception {
        Files.write(fx.home("slow").resolve("big.bin"), FtpServerTest.random(8 * 1024 * 1024, 3));
        try (RawClient c = fx.raw()) {
            c.login("slow", ServerFixture.PASSWORD);
            c.command("TYPE I", 200);
            try (Socket data = c.pasv()) {
                c.command("RETR big.bin", 150);
                InputStream in = data.getInputStream();
                assertTrue(in.readNBytes(100_000).length == 100_000);
                c.command("STAT", 213);
                c.send("ABOR");
                c.expect(426);
                c.expect(226);
            }
            c.command("NOOP", 200);
            c.command("PWD", 257);
        }
    }

    @Test
    void commonsNetAbortMidRetr() throws Exception {
        Files.write(fx.home("slow").resolve("big.bin"), FtpServerTest.random(8 * 1024 * 1024, 6));
        FTPClient c = fx.client("slow");
        InputStream in = c.retrieveFileStream("big.bin");
        assertEquals(150, c.getReplyCode());
        assertEquals(64 * 1024, in.readNBytes(64 * 1024).length);
        assertFalse(c.abort());                                 // reads the transfer's 426...
        assertEquals(426, c.getReplyCode());
        assertTrue(c.completePendingCommand());                 // ...then ABOR's 226
        in.close();
        assertTrue(c.sendNoOp());
        assertEquals("/", c.printWorkingDirectory());
        c.logout();
    }

    @Test
    void commandsSentDuringATransferWaitTheirTurn() throws Exception {
        Files.write(fx.home("alice").resolve("f.bin"), FtpServerTest.random(8_000_000, 4));
        try (RawClient c = fx.raw()) {
            c.login("alice", ServerFixture.PASSWORD);
            c.command("TYPE I", 200);
            try (Socket data = c.pasv()) {
                c.command("RETR f.bin", 150);
                // More than the queue holds: the server stops reading until the transfer ends.
                c.sendRaw("CWD /\r\n".repeat(100));
                assertEquals(8_000_000, data.getInputStream().readAllBytes().length);
            }
            c.expect(226);
            for (int i = 0; i < 100; i++) {
                c.expect(250);
            }
            c.command("PWD", 257);
        }
    }

    @Test
    void shutdownSays421ToIdleSessionsAndLetsTransfersFinish() throws Exception {
        Files.write(fx.home("alice").resolve("f.bin"), FtpServerTest.random(4_000_000, 9));
        try (RawClient idle = fx.raw(); RawClient busy = fx.raw()) {
            idle.login("alice", ServerFixture.PASSWORD);
            busy.login("alice", ServerFixture.PASSWORD);
            busy.command("TYPE I", 200);
            try (Socket data = busy.pasv()) {
                busy.command("RETR f.bin", 150);
                Thread stop = Thread.ofVirtual().start(() -> fx.server.shutdown(java.time.Duration.ofSeconds(20)));
                assertTrue(idle.expect(421).contains("shutting down"));
                assertTrue(idle.closedByServer());
                assertEquals(4_000_000, data.getInputStream().readAllBytes().length);
                busy.expect(226);
                // Once its transfer is done the session is idle, and a stopping server may say
                // 421 before it reads the QUIT; either way the session ends politely.
                busy.send("QUIT");
                String bye = busy.reply();
                assertTrue(bye.startsWith("221") || bye.startsWith("421 Server shutting down"), bye);
                stop.join();
            }
        }
    }
}
