package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads whose client never reads: more of them than there are carrier threads must not keep
 * other sessions from being greeted, logging in and downloading (issue #9: two such sessions
 * used to hold both carriers in a blocking sendfile).
 */
class StalledReaderTest {
    private static final int STALLED = 2 * Runtime.getRuntime().availableProcessors() + 2;

    @TempDir
    Path tmp;
    ServerFixture fx;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fx = ServerFixture.start(tmp);
        try (RandomAccessFile big = new RandomAccessFile(fx.root.resolve("big.bin").toFile(), "rw")) {
            big.setLength(1L << 30); // sparse: the kernel serves zeros without touching the disk
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        fx.close();
    }

    @Test
    void downloadsNobodyReadsDoNotStallOtherSessions() throws Exception {
        for (int i = 0; i < STALLED; i++) {
            stall("big.bin");
        }
        byte[] small = "a file for the one client that reads\n".repeat(1000).getBytes();
        Files.write(fx.root.resolve("small.txt"), small);
        // A fresh connection is greeted (RawClient waits at most 20 s for the 220), logs in and downloads.
        try (RawClient greeted = fx.raw()) {
            greeted.login("anonymous", "x");
        }
        FTPClient reader = fx.client("anonymous");
        try {
            var out = new ByteArrayOutputStream();
            assertTrue(reader.retrieveFile("small.txt", out), reader.getReplyString());
            assertArrayEquals(small, out.toByteArray());
        } finally {
            reader.disconnect();
        }
    }

    @Test
    void abortedStalledDownloadAnswers426Then226() throws Exception {
        RawClient c = stall("big.bin");
        c.send("ABOR");
        c.expect(426);
        c.expect(226);
        c.command("NOOP", 200);
    }

    /** inetutils-ftp on Ctrl-C: send(IAC IP IAC, MSG_OOB), then "DM ABOR\r\n" (RFC 959 4.1.3, issue #9). */
    @Test
    void bsdAbortWithUrgentDataStopsTheTransfer() throws Exception {
        RawClient c = stall("big.bin");
        urgentAbort(c, new byte[] {(byte) 0xff, (byte) 0xf4}, 0xff, "\u00f2ABOR\r\n");
        c.command("NOOP", 200);
    }

    /** RFC 959 4.1.3 as written: IAC IP, then the Synch (IAC, and DM as urgent data), then ABOR. */
    @Test
    void rfcSynchWithUrgentDataMarkStopsTheTransfer() throws Exception {
        RawClient c = stall("big.bin");
        urgentAbort(c, new byte[] {(byte) 0xff, (byte) 0xf4, (byte) 0xff}, 0xf2, "ABOR\r\n");
        c.command("STAT", 211);
    }

    /**
     * Python's ftplib.abort() sends the whole "ABOR\r\n" with MSG_OOB, which makes its last byte
     * urgent; dropped from the stream, the line never ended (vsftpd and pyftpdlib read urgent
     * data inline, so it arrives).
     */
    @Test
    void pythonAbortWithItsLineFeedUrgentStopsTheTransfer() throws Exception {
        RawClient c = stall("big.bin");
        urgentAbort(c, "ABOR\r".getBytes(StandardCharsets.US_ASCII), '\n', "");
        c.command("NOOP", 200);
    }

    /** Sends {@code before}, one urgent (TCP OOB) byte, then {@code after} as ISO-8859-1; expects 426 then 226. */
    private static void urgentAbort(RawClient c, byte[] before, int urgent, String after) throws Exception {
        OutputStream out = c.socket.getOutputStream();
        out.write(before);
        out.flush();
        c.socket.sendUrgentData(urgent);
        out.write(after.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        c.expect(426);
        c.expect(226);
    }

    /** Logs in anonymously, RETRs {@code name} into a data socket with a tiny receive buffer that is never read. */
    private RawClient stall(String name) throws Exception {
        RawClient c = fx.raw();
        open.add(c);
        c.login("anonymous", "x");
        c.command("TYPE I", 200); // binary: the zero-copy path
        int port = c.pasvPort();
        Socket data = new Socket();
        open.add(data);
        data.setReceiveBufferSize(4096);
        data.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 20_000);
        c.command("RETR " + name, 150);
        return c;
    }
}
