package dev.protokit.ftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the client must do against any real FTP server: every subcommand, resume, credentials and
 * exit codes. Subclasses start a server (pyftpdlib, ours) with anonymous write access and user
 * {@link PyFtpd#USER} / {@link PyFtpd#PASSWORD}, both rooted at {@link #serverRoot()}.
 */
abstract class ClientContract {
    @TempDir
    Path local;

    /** The directory the server serves. */
    abstract Path serverRoot();

    /** The server's control port. */
    abstract int port();

    String url(String path) {
        return "ftp://127.0.0.1:" + port() + "/" + path;
    }

    static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private Path remote(String path) {
        return serverRoot().resolve(path);
    }

    @Test
    void listsNamesAndLongFormat() throws Exception {
        Files.createDirectories(remote("ls/sub"));
        Files.write(remote("ls/one.txt"), new byte[1234]);
        var names = Cli.run("ls", url("ls"));
        assertEquals(0, names.status(), names::toString);
        assertEquals("one.txt\nsub\n", names.out().lines().sorted().reduce("", (a, b) -> a + b + "\n"));
        var longList = Cli.run("ls", "-l", "--host", "127.0.0.1", "--port", Integer.toString(port()), "ls");
        assertEquals(0, longList.status(), longList::toString);
        assertTrue(longList.out().lines().anyMatch(l -> l.matches("- +1234 \\d{4}-\\d\\d-\\d\\dT[0-9:]+Z +one\\.txt")), longList::toString);
        assertTrue(longList.out().lines().anyMatch(l -> l.startsWith("d ") && l.endsWith(" sub")), longList::toString);
    }

    @Test
    void getsAFileByteForByte() throws Exception {
        byte[] data = random(3_000_000, 1);
        Files.write(remote("get.bin"), data);
        var result = Cli.run("get", "-q", url("get.bin"), local.toString());
        assertEquals(0, result.status(), result::toString);
        assertArrayEquals(data, Files.readAllBytes(local.resolve("get.bin")));
    }

    /** Issue #9: {@code get URL -} wrote a file named "-"; it is standard output. */
    @Test
    void getsToStandardOutputWithADash() throws Exception {
        byte[] data = random(500_000, 3);
        Files.write(remote("stdout.bin"), data);
        var stdout = new java.io.ByteArrayOutputStream();
        var result = Cli.runToBytes(stdout, "get", "-q", url("stdout.bin"), "-");
        assertEquals(0, result.status(), result::toString);
        assertArrayEquals(data, stdout.toByteArray());
        assertTrue(Files.notExists(Path.of("-")), "a file named - was written");
    }

    @Test
    void failedGetNamesTheFileExits4AndKeepsTheOldLocalCopy() throws Exception {
        Path existing = local.resolve("keep.txt");
        Files.writeString(existing, "old");
        var result = Cli.run("get", url("missing.txt"), existing.toString());
        assertEquals(4, result.status(), result::toString);
        assertTrue(result.err().startsWith("ftp-lite: ") && result.err().contains("550 ") && result.err().contains("missing.txt"),
                result::toString);
        assertEquals(1, result.err().lines().count(), result::toString);
        assertEquals("old", Files.readString(existing));
        try (var files = Files.list(local)) {
            assertEquals(1, files.count(), "no temporary file may be left behind");
        }
    }

    @Test
    void putsIntoAFileAndIntoADirectory() throws Exception {
        byte[] data = random(700_000, 2);
        Path file = local.resolve("up.bin");
        Files.write(file, data);
        Files.createDirectories(remote("updir"));
        assertEquals(0, Cli.run("put", "-q", file.toString(), url("renamed.bin")).status());
        assertEquals(0, Cli.run("put", "-q", file.toString(), url("updir")).status());
        assertArrayEquals(data, Files.readAllBytes(remote("renamed.bin")));
        assertArrayEquals(data, Files.readAllBytes(remote("updir/up.bin")));
    }

    @Test
    void resumesAGetFromTheLocalSizeWithRest() throws Exception {
        byte[] data = random(2_000_000, 3);
        Files.write(remote("resume-get.bin"), data);
        byte[] marker = new byte[500_000];
        Arrays.fill(marker, (byte) 'X'); // differs from the remote prefix: proves only the tail was fetched
        Path partial = local.resolve("resume-get.bin");
        Files.write(partial, marker);
        var result = Cli.run("get", "-c", "-q", url("resume-get.bin"), partial.toString());
        assertEquals(0, result.status(), result::toString);
        byte[] got = Files.readAllBytes(partial);
        assertEquals(data.length, got.length);
        assertArrayEquals(marker, Arrays.copyOf(got, marker.length));
        assertArrayEquals(Arrays.copyOfRange(data, marker.length, data.length), Arrays.copyOfRange(got, marker.length, got.length));
    }

    @Test
    void resumesAPutFromTheRemoteSizeWithAppe() throws Exception {
        byte[] data = random(1_500_000, 4);
        Path file = local.resolve("resume-put.bin");
        Files.write(file, data);
        byte[] marker = new byte[400_000];
        Arrays.fill(marker, (byte) 'Y');
        Files.write(remote("resume-put.bin"), marker);
        var result = Cli.run("put", "-c", "-q", file.toString(), url("resume-put.bin"));
        assertEquals(0, result.status(), result::toString);
        byte[] stored = Files.readAllBytes(remote("resume-put.bin"));
        assertArrayEquals(marker, Arrays.copyOf(stored, marker.length));
        assertArrayEquals(Arrays.copyOfRange(data, marker.length, data.length), Arrays.copyOfRange(stored, marker.length, stored.length));
    }

    @Test
    void makesRenamesAndRemoves() throws Exception {
        assertEquals(0, Cli.run("mkdir", url("made")).status());
        assertTrue(Files.isDirectory(remote("made")));
        assertEquals(0, Cli.run("mkdir", "-p", url("made/a/b")).status());
        assertTrue(Files.isDirectory(remote("made/a/b")));
        Files.writeString(remote("made/a/b/f.txt"), "f");
        assertEquals(0, Cli.run("mv", url("made/a/b/f.txt"), "made/g.txt").status());
        assertEquals("f", Files.readString(remote("made/g.txt")));
        assertEquals(0, Cli.run("rm", url("made/g.txt")).status());
        assertFalse(Files.exists(remote("made/g.txt")));
        var notEmpty = Cli.run("rm", url("made"));
        assertEquals(4, notEmpty.status(), notEmpty::toString);
        assertEquals(0, Cli.run("rm", "-r", url("made")).status());
        assertFalse(Files.exists(remote("made")));
    }

    @Test
    void mirrorsATreeDownThenUpAndSkipsWhatIsCurrent() throws Exception {
        Files.createDirectories(remote("tree/a/b"));
        Files.write(remote("tree/top.bin"), random(100_000, 5));
        Files.write(remote("tree/a/b/deep.bin"), random(200_000, 6));
        Files.writeString(remote("tree/a/note.txt"), "note");
        Path copy = local.resolve("copy");
        var down = Cli.run("mirror", url("tree"), copy.toString());
        assertEquals(0, down.status(), down::toString);
        assertTrue(down.err().contains("3 files (300004 bytes) transferred"), down::toString);
        assertArrayEquals(Files.readAllBytes(remote("tree/a/b/deep.bin")), Files.readAllBytes(copy.resolve("a/b/deep.bin")));
        var again = Cli.run("mirror", url("tree"), copy.toString());
        assertTrue(again.err().contains("0 files (0 bytes) transferred, 3 up to date"), again::toString);

        Files.writeString(copy.resolve("a/new.txt"), "new");
        var up = Cli.run("mirror", "--reverse", url("tree-up"), copy.toString());
        assertEquals(0, up.status(), up::toString);
        assertTrue(up.err().contains("4 files"), up::toString);
        assertEquals("new", Files.readString(remote("tree-up/a/new.txt")));
        assertArrayEquals(Files.readAllBytes(remote("tree/a/b/deep.bin")), Files.readAllBytes(remote("tree-up/a/b/deep.bin")));
        var upAgain = Cli.run("mirror", "-R", url("tree-up"), copy.toString());
        assertTrue(upAgain.err().contains("0 files (0 bytes) transferred, 4 up to date"), upAgain::toString);
    }

    @Test
    void logsInWithAPasswordFromStdinAndRefusesAWrongOne() throws Exception {
        Files.writeString(remote("secret.txt"), "s");
        String url = "ftp://" + PyFtpd.USER + "@127.0.0.1:" + port() + "/";
        var ok = Cli.runWithStdin(PyFtpd.PASSWORD + "\n", "ls", "--password-stdin", url);
        assertEquals(0, ok.status(), ok::toString);
        assertTrue(ok.out().contains("secret.txt"), ok::toString);
        var wrong = Cli.runWithStdin("nope\n", "ls", "--password-stdin", url);
        assertEquals(3, wrong.status(), wrong::toString);
        assertTrue(wrong.err().startsWith("ftp-lite: login as alice refused: 530"), wrong::toString);
    }

    @Test
    void readsCredentialsFromAPrivateNetrcAndRefusesAReadableOne() throws Exception {
        Path netrc = local.resolve("netrc");
        Files.writeString(netrc, "machine 127.0.0.1 login " + PyFtpd.USER + " password \"" + PyFtpd.PASSWORD + "\"\n");
        Files.setPosixFilePermissions(netrc, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        var ok = Cli.run("ls", "--netrc", netrc.toString(), url(""));
        assertEquals(0, ok.status(), ok::toString);
        Files.setPosixFilePermissions(netrc, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        var refused = Cli.run("ls", "--netrc", netrc.toString(), url(""));
        assertEquals(5, refused.status(), refused::toString);
        assertTrue(refused.err().contains("a netrc must be private: chmod 600"), refused::toString);
    }

    @Test
    void refusedConnectionExits3() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var result = Cli.run("ls", "ftp://127.0.0.1:" + closedPort + "/");
        assertEquals(3, result.status(), result::toString);
        assertTrue(result.err().startsWith("ftp-lite: 127.0.0.1:" + closedPort + ": "), result::toString);
    }

    @Test
    void activeModeWorksToo() throws Exception {
        Files.writeString(remote("active.txt"), "active", StandardCharsets.UTF_8);
        var result = Cli.run("get", "--active", "-q", url("active.txt"), local.toString());
        assertEquals(0, result.status(), result::toString);
        assertEquals("active", Files.readString(local.resolve("active.txt")));
    }
}
