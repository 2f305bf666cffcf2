package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the held-out clients of issue #9 needed: MFMT, wildcards in LIST/NLST, clear 550s and 502s, 452 on a full disk. */
class ClientFeaturesTest {
    @TempDir
    Path tmp;
    ServerFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = ServerFixture.start(tmp);
        Path home = fx.home("alice");
        Files.createDirectories(home.resolve("sub"));
        for (String name : List.of("a.txt", "b.txt", "c.bin", "sub/d.txt", "sub/e.log")) {
            Files.writeString(home.resolve(name), name);
        }
        Files.writeString(fx.root.resolve("outside.txt"), "not alice's");
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void mfmtSetsTheModificationTimeAndFeatSaysSo() throws Exception {
        FTPClient client = fx.client("alice");
        try {
            assertTrue(client.hasFeature("MFMT"), client.getReplyString());
        } finally {
            client.disconnect();
        }
        try (RawClient c = fx.raw()) {
            c.login("alice", ServerFixture.PASSWORD);
            assertEquals("213 Modify=20200102030405; /a.txt", c.command("MFMT 20200102030405 a.txt", 213));
            assertEquals("213 20200102030405", c.command("MDTM a.txt", 213));
            c.command("MFMT 20201340000000 a.txt", 501);
            c.command("MFMT yesterday a.txt", 501);
            c.command("MFMT 20200102030405 missing.txt", 550);
            c.command("MFMT 20200102030405 ../outside.txt", 550);
        }
        assertEquals(Instant.parse("2020-01-02T03:04:05Z"), Files.getLastModifiedTime(fx.home("alice").resolve("a.txt")).toInstant());
        try (RawClient anonymous = fx.raw()) {
            anonymous.login("anonymous", "x");
            anonymous.command("MFMT 20200102030405 alice/b.txt", 550); // read-only
        }
    }

    @Test
    void listAndNlstExpandWildcardsInTheLastComponentOnly() throws Exception {
        FTPClient c = fx.client("alice");
        try {
            assertEquals(List.of("a.txt", "b.txt"), sorted(c.listNames("*.txt")));
            assertEquals(List.of("sub/d.txt"), sorted(c.listNames("sub/*.txt")));
            assertEquals(List.of("a.txt", "c.bin"), sorted(c.listNames("[ac].*")));
            assertEquals(List.of("a.txt", "b.txt"), sorted(c.listNames("?.txt")));
            FTPFile[] files = c.listFiles("*.bin");
            assertEquals(1, files.length);
            assertEquals("c.bin", files[0].getName());
            assertEquals(0, c.listNames("*.none").length);
            assertEquals(550, c.sendCommand("SIZE", "../*"));
            assertEquals(null, c.listNames("../*"), "a pattern above the home was listed");
            assertEquals(null, c.listNames("nodir/*"));
        } finally {
            c.disconnect();
        }
    }

    /**
     * {@code mget sub/d.txt} and {@code mget sub} in inetutils-ftp and tnftp RETR each name NLST
     * gave, so NLST of a path names its entries by that path, as vsftpd and ProFTPD do; NLST of
     * the working directory stays bare names.
     */
    @Test
    void nlstOfAPathNamesEntriesByThatPath() throws Exception {
        FTPClient c = fx.client("alice");
        try {
            assertEquals(List.of("sub/d.txt"), sorted(c.listNames("sub/d.txt")));
            assertEquals(List.of("sub/d.txt", "sub/e.log"), sorted(c.listNames("sub")));
            assertEquals(List.of("sub/d.txt", "sub/e.log"), sorted(c.listNames("sub/")));
            assertEquals(List.of("/sub/d.txt", "/sub/e.log"), sorted(c.listNames("/sub")));
            assertEquals(List.of("a.txt", "b.txt", "c.bin", "sub"), sorted(c.listNames()));
            assertEquals(List.of("a.txt", "b.txt", "c.bin", "sub"), sorted(c.listNames(".")));
            c.changeWorkingDirectory("sub");
            assertEquals(List.of("d.txt", "e.log"), sorted(c.listNames()));
            assertEquals(List.of("../a.txt"), sorted(c.listNames("../a.txt")));
        } finally {
            c.disconnect();
        }
    }

    /**
     * {@code ncftpls -R} sends {@code LIST -R}, {@code ncftpls -g} {@code NLST -1R}: ls -R output,
     * the first directory without a header (NcFTP takes a header only after a blank line), links
     * to directories listed but never entered (no loop).
     */
    @Test
    void listDashRListsTheTreeBelowLikeLsDashR() throws Exception {
        Path sub = fx.home("alice").resolve("sub");
        Files.createDirectories(sub.resolve("deeper"));
        Files.writeString(sub.resolve("deeper/f.txt"), "f");
        Files.createSymbolicLink(sub.resolve("loop"), Path.of("."));
        FTPClient c = fx.client("alice");
        try {
            assertEquals(List.of("a.txt", "b.txt", "c.bin", "sub", "", "./sub:", "d.txt", "deeper", "e.log", "loop", "",
                    "./sub/deeper:", "f.txt"), List.of(c.listNames("-1R")));
            assertEquals(List.of("d.txt", "deeper", "e.log", "loop", "", "sub/deeper:", "f.txt"), List.of(c.listNames("-R sub")));
            assertEquals(List.of("d.txt", "deeper", "e.log", "loop", "", "/sub/deeper:", "f.txt"), List.of(c.listNames("-a -R /sub")));
            assertEquals(List.of("sub/d.txt", "sub/deeper", "sub/e.log", "sub/loop"), List.of(c.listNames("-a sub")));
        } finally {
            c.disconnect();
        }
    }

    @Test
    void mlsdAndMlstSendUnixModeWhichOptsMlstCanDeselect() throws Exception {
        Path home = fx.home("alice");
        Files.setPosixFilePermissions(home.resolve("a.txt"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(home.resolve("sub"), PosixFilePermissions.fromString("rwxr-x--x"));
        FTPClient c = fx.client("alice");
        try {
            assertTrue(c.features(), c.getReplyString());
            assertTrue(Arrays.asList(c.getReplyStrings()).contains(" MLST type*;size*;modify*;perm*;unique*;UNIX.mode*;"),
                    c.getReplyString());
            assertTrue(c.mlistFile("a.txt").getRawListing().contains(";UNIX.mode=0640; "), c.getReplyString());
            List<String> listed = Arrays.stream(c.mlistDir()).map(FTPFile::getRawListing).toList();
            assertTrue(listed.stream().anyMatch(l -> l.startsWith("type=file;") && l.endsWith(";UNIX.mode=0640; a.txt")), listed.toString());
            assertTrue(listed.stream().anyMatch(l -> l.startsWith("type=dir;") && l.endsWith(";UNIX.mode=0751; sub")), listed.toString());

            // RFC 3659 section 7.9: the client picks the facts; names are not case-sensitive.
            assertEquals(200, c.sendCommand("OPTS", "MLST type;unix.MODE;"));
            assertEquals("200 MLST OPTS type;UNIX.mode;", c.getReplyString().strip());
            assertTrue(c.mlistFile("a.txt").getRawListing().startsWith("type=file;UNIX.mode=0640; "), c.getReplyString());
            assertEquals(200, c.sendCommand("OPTS", "MLST type;size;"));
            assertEquals(List.of("type=file;size=5; a.txt"), Arrays.stream(c.mlistDir())
                    .map(FTPFile::getRawListing).filter(l -> l.endsWith(" a.txt")).toList());
            assertTrue(c.features());
            assertTrue(Arrays.asList(c.getReplyStrings()).contains(" MLST type*;size*;modify;perm;unique;UNIX.mode;"),
                    c.getReplyString());
        } finally {
            c.disconnect();
        }
    }

    @Test
    void missingPathsSayTheyDoNotExistAndUnknownVerbsAre502() throws Exception {
        try (RawClient c = fx.raw()) {
            c.login("alice", ServerFixture.PASSWORD);
            assertTrue(c.command("SIZE nothing.bin", 550).contains("does not exist"));
            assertTrue(c.command("MDTM nothing.bin", 550).contains("does not exist"));
            assertTrue(c.command("SIZE sub", 550).contains("Not a regular file"));
            assertTrue(c.command("MLSD nothing", 550).contains("No such directory"));
            assertTrue(c.command("MLSD a.txt", 550).contains("Not a directory"));
            c.command("MD5 a.txt", 502);
            c.command("XSHA256 a.txt", 502);
            c.command("SITE CHMOD 644 a.txt", 502);
            c.command("NOOP", 200);
        }
    }

    @Test
    void aFullDiskIsStorageNotATransferAbort() {
        assertTrue(StorageErrors.isFull(new IOException("No space left on device")));
        assertTrue(StorageErrors.isFull(new FileSystemException("/srv/x", null, "Disk quota exceeded")));
        assertTrue(StorageErrors.isFull(new IOException("write failed", new IOException("No space left on device"))));
        assertTrue(!StorageErrors.isFull(new IOException("Connection reset by peer")));
        assertEquals(452, StorageErrors.fullReply().code().value());
    }

    private static List<String> sorted(String[] names) {
        return names == null ? null : Arrays.stream(names).sorted().toList();
    }
}
