package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
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
