package dev.protokit.ftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client facing a server that lies: it must stay inside LOCAL and on the server's own address. */
class HostileServerTest {
    @TempDir
    Path local;

    private static final String UNIX_LINE = "-rw-r--r--   1 ftp ftp  5 Jan 01  2024 ";

    @Test
    void passiveReplyNamingAThirdHostIsIgnoredInFavourOfTheControlAddress() throws Exception {
        byte[] data = "payload".getBytes(StandardCharsets.US_ASCII);
        try (HostileServer server = new HostileServer("", data)) {
            var result = Cli.run("get", "-q", "--timeout", "5s", "ftp://127.0.0.1:" + server.port() + "/f.bin", local.toString());
            assertEquals(0, result.status(), result::toString);
            assertArrayEquals(data, Files.readAllBytes(local.resolve("f.bin")));
            assertTrue(server.commands().contains("PASV"), server.commands()::toString);
        }
    }

    @Test
    void mirrorRefusesANameThatClimbsOutOfTheTarget() throws Exception {
        Path target = local.resolve("target");
        try (HostileServer server = new HostileServer(UNIX_LINE + "../escaped.txt\r\n", "owned".getBytes(StandardCharsets.US_ASCII))) {
            var result = Cli.run("mirror", "-q", "--timeout", "5s", "ftp://127.0.0.1:" + server.port() + "/", target.toString());
            assertEquals(4, result.status(), result::toString);
            assertFalse(Files.exists(local.resolve("escaped.txt")), "a file was written outside the mirror target");
            assertTrue(result.err().contains("unsafe name"), result::toString);
            assertFalse(server.commands().stream().anyMatch(c -> c.startsWith("RETR")), server.commands()::toString);
        }
    }

    @Test
    void getRefusesToNameALocalFileAfterDotDot() {
        var result = Cli.run("get", "--host", "127.0.0.1", "pub/..", local.toString());
        assertEquals(2, result.status(), result::toString);
        assertTrue(result.err().startsWith("ftp-lite: cannot name a local file after 'pub/..'"), result::toString);
    }

    @Test
    void shortDownloadIsAnErrorAndLeavesNothingBehind() throws Exception {
        // SIZE says 7 bytes, the data connection delivers 3, the server still says 226.
        try (HostileServer server = new HostileServer("", "abc".getBytes(StandardCharsets.US_ASCII), 7)) {
            var result = Cli.run("get", "-q", "--timeout", "5s", "ftp://127.0.0.1:" + server.port() + "/s.bin", local.toString());
            assertEquals(4, result.status(), result::toString);
            assertTrue(result.err().contains("short transfer of s.bin: 3 of 7 bytes"), result::toString);
            try (var files = Files.list(local)) {
                assertEquals(0, files.count(), "no partial file may remain");
            }
        }
    }

    @Test
    void anUploadCutByTheServerReportsTheServersReason() throws Exception {
        Path file = local.resolve("big.bin");
        Files.write(file, new byte[4_000_000]);
        try (HostileServer server = new HostileServer("", new byte[0])) {
            var result = Cli.run("put", "-q", "--timeout", "5s", file.toString(), "ftp://127.0.0.1:" + server.port() + "/big.bin");
            assertEquals(4, result.status(), result::toString);
            assertEquals("ftp-lite: STOR big.bin: 552 Exceeded storage allocation: files may be at most 1000 bytes.\n", result.err());
        }
    }
}
