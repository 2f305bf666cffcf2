package dev.protokit.ftp.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The everyday commands through commons-net's FTPClient against the real server on loopback. */
class FtpServerTest {
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

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void uploadsAndDownloadsIdenticalBytesInBothModes() throws Exception {
        byte[] data = random(3 * 1024 * 1024 + 17, 1);
        FTPClient c = fx.client("alice");
        assertTrue(c.storeFile("blob.bin", new ByteArrayInputStream(data)), c.getReplyString());
        assertArrayEquals(data, Files.readAllBytes(fx.home("alice").resolve("blob.bin")));
        var out = new ByteArrayOutputStream();
        assertTrue(c.retrieveFile("blob.bin", out));
        assertArrayEquals(data, out.toByteArray());
        c.enterLocalActiveMode();
        out.reset();
        assertTrue(c.retrieveFile("blob.bin", out), c.getReplyString());
        assertArrayEquals(data, out.toByteArray());
        assertTrue(c.storeFile("active.bin", new ByteArrayInputStream(data)), c.getReplyString());
        assertArrayEquals(data, Files.readAllBytes(fx.home("alice").resolve("active.bin")));
        c.logout();
    }

    @Test
    void listingsParseIntoNamesAndSizes() throws Exception {
        Path home = fx.home("alice");
        Files.write(home.resolve("a file.txt"), new byte[1234]);
        Files.write(home.resolve("é-utf8.bin"), new byte[5]);
        Files.createDirectory(home.resolve("dir"));
        Files.write(home.resolve(VirtualFileSystem.TEMP_PREFIX + "hidden.part"), new byte[1]);
        FTPClient c = fx.client("alice");
        c.setControlEncoding("UTF-8");
        Map<String, Long> expected = new TreeMap<>(Map.of("a file.txt", 1234L, "é-utf8.bin", 5L));

        Map<String, Long> list = new TreeMap<>();
        for (FTPFile f : c.listFiles()) {
            if (f.isFile()) {
                list.put(f.getName(), f.getSize());
            } else {
                assertEquals("dir", f.getName());
                assertTrue(f.isDirectory());
            }
        }
        assertEquals(expected, list);

        Map<String, Long> mlsd = new TreeMap<>();
        for (FTPFile f : c.mlistDir()) {
            if (f.isFile()) {
                mlsd.put(f.getName(), f.getSize());
            }
        }
        assertEquals(expected, mlsd);
        assertEquals(3, c.listNames().length);
        FTPFile one = c.mlistFile("a file.txt");
        assertEquals(1234, one.getSize());
        assertEquals("213 1234", sizeReply(c, "a file.txt"));
        c.sendCommand("MDTM", "a file.txt");
        assertEquals(213, c.getReplyCode());
    }

    private static String sizeReply(FTPClient c, String name) throws Exception {
        c.sendCommand("SIZE", name);
        return c.getReplyString().strip();
    }

    /**
     * Replacing a large file: the upload crosses the 64 MiB background-sync step, the old file
     * (over 8 MiB) is unlinked after the reply through a hidden second link, which must go away.
     */
    @Test
    void replacingALargeFileLeavesOnlyTheNewOne() throws Exception {
        Path home = fx.home("alice");
        Files.write(home.resolve("big.bin"), random(9 << 20, 5));
        byte[] data = random((65 << 20) + 3, 6);
        FTPClient c = fx.client("alice");
        assertTrue(c.storeFile("big.bin", new ByteArrayInputStream(data)), c.getReplyString());
        assertArrayEquals(data, Files.readAllBytes(home.resolve("big.bin")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (var names = Files.list(home)) {
                assertEquals(List.of("big.bin"), names.map(f -> f.getFileName().toString()).toList());
            }
        });
    }

    @Test
    void resumesDownloadsAndUploadsWithRest() throws Exception {
        byte[] data = random(200_000, 2);
        Files.write(fx.home("alice").resolve("r.bin"), data);
        FTPClient c = fx.client("alice");
        c.setRestartOffset(150_000);
        var out = new ByteArrayOutputStream();
        assertTrue(c.retrieveFile("r.bin", out));
        assertArrayEquals(Arrays.copyOfRange(data, 150_000, data.length), out.toByteArray());
        // REST holds across other commands until the transfer (clients ask SIZE in between).
        assertEquals(350, c.sendCommand("REST", "199000"));
        assertEquals(213, c.sendCommand("SIZE", "r.bin"));
        out.reset();
        assertTrue(c.retrieveFile("r.bin", out));
        assertEquals(1000, out.size());

        Files.write(fx.home("alice").resolve("partial.bin"), Arrays.copyOf(data, 50_000));
        c.setRestartOffset(50_000);
        assertTrue(c.storeFile("partial.bin", new ByteArrayInputStream(Arrays.copyOfRange(data, 50_000, data.length))));
        assertArrayEquals(data, Files.readAllBytes(fx.home("alice").resolve("partial.bin")));

        assertTrue(c.appendFile("partial.bin", new ByteArrayInputStream("tail".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(data.length + 4, Files.size(fx.home("alice").resolve("partial.bin")));

        c.setRestartOffset(300_000);
        assertFalse(c.retrieveFile("r.bin", new ByteArrayOutputStream()));
        assertEquals(554, c.getReplyCode());
    }

    @Test
    void directoriesRenameAndDelete() throws Exception {
        FTPClient c = fx.client("alice");
        assertTrue(c.makeDirectory("docs"));
        assertEquals(550, c.mkd("docs"));
        assertTrue(c.changeWorkingDirectory("docs"));
        assertEquals("/docs", c.printWorkingDirectory());
        assertTrue(c.storeFile("x.txt", new ByteArrayInputStream("x".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(c.rename("x.txt", "/y.txt"));
        assertTrue(Files.exists(fx.home("alice").resolve("y.txt")));
        assertTrue(c.changeToParentDirectory());
        assertEquals("/", c.printWorkingDirectory());
        assertTrue(c.changeToParentDirectory(), "CDUP at the root stays there");
        assertEquals(250, c.getReplyCode());
        assertEquals("/", c.printWorkingDirectory());
        assertFalse(c.changeWorkingDirectory(".."), "CWD .. at the root is still an escape");
        assertTrue(c.removeDirectory("docs"));
        assertTrue(c.deleteFile("y.txt"));
        assertFalse(c.deleteFile("y.txt"));
        assertEquals(550, c.getReplyCode());
        assertFalse(c.removeDirectory("/"));
        String unique;
        assertTrue(c.storeUniqueFile(new ByteArrayInputStream(new byte[3])));
        try (var files = Files.list(fx.home("alice"))) {
            unique = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("ftp-")).findFirst().orElseThrow();
        }
        assertEquals(3, Files.size(fx.home("alice").resolve(unique)));
    }

    @Test
    void asciiModeConvertsLineEnds() throws Exception {
        FTPClient c = fx.client("alice");
        c.setFileType(FTP.ASCII_FILE_TYPE);
        assertTrue(c.storeFile("t.txt", new ByteArrayInputStream("one\ntwo\n".getBytes(StandardCharsets.US_ASCII))));
        // commons-net sends CRLF in ASCII mode; the server stores LF.
        assertEquals("one\ntwo\n", Files.readString(fx.home("alice").resolve("t.txt")));
        try (Socket data = new Socket("127.0.0.1", passivePort(c))) {
            c.sendCommand("RETR", "t.txt");
            assertEquals(150, c.getReplyCode());
            assertEquals("one\r\ntwo\r\n", new String(data.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            assertTrue(c.completePendingCommand());
        }
    }

    private static int passivePort(FTPClient c) throws Exception {
        assertEquals(229, c.epsv());
        String r = c.getReplyString();
        return Integer.parseInt(r.substring(r.indexOf("|||") + 3, r.lastIndexOf('|')));
    }

    @Test
    void anonymousIsReadOnly() throws Exception {
        Files.writeString(fx.root.resolve("pub.txt"), "public");
        FTPClient c = fx.client("anonymous");
        var out = new ByteArrayOutputStream();
        assertTrue(c.retrieveFile("pub.txt", out));
        assertEquals("public", out.toString(StandardCharsets.US_ASCII));
        assertFalse(c.storeFile("new.txt", new ByteArrayInputStream(new byte[1])));
        assertEquals(550, c.getReplyCode());
        assertFalse(c.deleteFile("pub.txt"));
        assertFalse(c.makeDirectory("d"));
        assertTrue(Files.exists(fx.root.resolve("pub.txt")));
    }

    @Test
    void worksOverIpv6WithEpsvAndEprt() throws Exception {
        fx.close();
        fx = ServerFixture.start(tmp.resolve("v6"), b -> b.bind(new java.net.InetSocketAddress("::1", 0)));
        byte[] data = random(100_000, 5);
        FTPClient c = new FTPClient();
        c.connect("::1", fx.port());
        assertTrue(c.login("alice", ServerFixture.PASSWORD));
        c.setFileType(FTP.BINARY_FILE_TYPE);
        c.enterLocalPassiveMode();                               // commons-net uses EPSV on IPv6
        assertTrue(c.storeFile("v6.bin", new ByteArrayInputStream(data)), c.getReplyString());
        c.enterLocalActiveMode();                                // and EPRT |2|::1|port|
        var out = new ByteArrayOutputStream();
        assertTrue(c.retrieveFile("v6.bin", out), c.getReplyString());
        assertArrayEquals(data, out.toByteArray());
        assertEquals(522, c.pasv());
        c.logout();
    }

    @Test
    void statusHelpFeatAndSyst() throws Exception {
        FTPClient c = fx.client("alice");
        assertEquals(215, c.sendCommand("SYST"));
        assertTrue(c.getReplyString().contains("UNIX Type: L8"));
        assertTrue(c.features());
        assertTrue(c.hasFeature("MLST"));
        assertTrue(c.hasFeature("UTF8"));
        assertEquals(214, c.sendCommand("HELP"));
        assertEquals(211, c.sendCommand("STAT"));
        assertEquals(200, c.sendCommand("OPTS", "UTF8 ON"));
        assertEquals(202, c.sendCommand("ALLO", "100"));
        assertEquals(504, c.sendCommand("TYPE", "E"));
        assertEquals(504, c.sendCommand("MODE", "B"));
        assertEquals(200, c.sendCommand("STRU", "F"));
        assertTrue(FTPReply.isPositiveCompletion(c.sendCommand("QUIT")));
    }
}
