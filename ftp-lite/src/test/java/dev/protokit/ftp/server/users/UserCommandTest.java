package dev.protokit.ftp.server.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UserCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String stdin, String... args) {
        var cli = new CommandLine(new UserCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void addListRemoveRoundTrip() throws Exception {
        Path file = dir.resolve("users");
        assertEquals(0, run("alice-pw\n", "add", "alice", "--users", file.toString(), "--home", "/srv/a", "--write", "--password-stdin"));
        assertEquals(0, run("bob-pw\r\n", "add", "bob", "--users", file.toString(), "--max-rate", "65536", "--password-stdin"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        UserDirectory users = UserDirectory.load(file);
        assertTrue(users.authenticate("alice", "alice-pw".toCharArray()).orElseThrow().canWrite());
        FtpUser bob = users.authenticate("bob", "bob-pw".toCharArray()).orElseThrow();
        assertFalse(bob.canWrite());
        assertEquals(Path.of("bob"), bob.home());
        assertEquals(65536, bob.bytesPerSecond().orElseThrow());

        out.getBuffer().setLength(0);
        assertEquals(0, run("", "list", "--users", file.toString()));
        String listing = out.toString();
        assertTrue(listing.contains("alice") && listing.contains("/srv/a") && listing.contains("65536 B/s"), listing);
        assertFalse(listing.contains("argon2"), "list must never print hashes: " + listing);

        assertEquals(0, run("", "remove", "alice", "--users", file.toString()));
        assertTrue(UserDirectory.load(file).find("alice").isEmpty());
        // a failure is one line naming the tool (here the root command is the tool itself), status 1
        assertEquals(1, run("", "remove", "alice", "--users", file.toString()));
        assertEquals("user user: no user alice in " + file, err.toString().strip());
        assertTrue(UserDirectory.load(file).find("bob").isPresent());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void refusesToOverwriteAUserUnlessAskedTo() {
        Path file = dir.resolve("users");
        assertEquals(0, run("one\n", "add", "alice", "--users", file.toString(), "--password-stdin"));
        assertEquals(1, run("two\n", "add", "alice", "--users", file.toString(), "--password-stdin"));
        assertTrue(err.toString().contains("user alice already exists in " + file + "; use --replace to change it"), err.toString());
        assertEquals(0, run("two\n", "add", "alice", "--users", file.toString(), "--password-stdin", "--replace"));
        assertTrue(UserDirectory.load(file).authenticate("alice", "two".toCharArray()).isPresent());
    }

    @Test
    void refusesAnEmptyPasswordAndLeavesNoFile() {
        Path file = dir.resolve("users");
        assertEquals(1, run("\n", "add", "alice", "--users", file.toString(), "--password-stdin"));
        assertTrue(err.toString().contains("empty password refused"), err.toString());
        assertFalse(Files.exists(file));
    }

    @Test
    void removingAnAbsentUserFails() {
        Path file = dir.resolve("users");
        assertEquals(0, run("pw\n", "add", "alice", "--users", file.toString(), "--password-stdin"));
        assertEquals(1, run("", "remove", "bob", "--users", file.toString()));
        assertTrue(err.toString().contains("no user bob in " + file), err.toString());
    }

    @Test
    void refusesToEditAnUnsafeFile() throws Exception {
        Path file = dir.resolve("users");
        assertEquals(0, run("pw\n", "add", "alice", "--users", file.toString(), "--password-stdin"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(1, run("", "list", "--users", file.toString()));
        assertTrue(err.toString().contains("accessible by group or others"), err.toString());
    }

    @Test
    void refusesABadNameAsAFailureNotACrash() {
        assertEquals(1, run("pw\n", "add", "bad:name", "--users", dir.resolve("u").toString(), "--password-stdin"));
        assertTrue(err.toString().contains("user name must be"), err.toString());
    }

    @Test
    void missingUsersOptionIsAUsageError() {
        assertEquals(2, run("", "list"));
    }

    @Test
    void readsOnlyTheFirstLineOfStdin() throws Exception {
        char[] line = UserCommand.readLine(new ByteArrayInputStream("päss\nrest".getBytes(StandardCharsets.UTF_8)));
        assertEquals("päss", new String(line));
    }
}
