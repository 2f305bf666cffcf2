package dev.protokit.ftp.server.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {
    static final String ALICE = "alice:" + Argon2idTest.HORSE + ":/srv/ftp/alice:rw";
    static final String BOB = "bob:" + Argon2idTest.UMLAUTS + ":bob:ro:1048576";

    @TempDir
    Path dir;

    @Test
    void parsesUsersAndSkipsComments() {
        UsersFile file = UsersFile.parse("# users\n\n" + ALICE + "\r\n  # indented comment\n" + BOB + "\n", "t");
        var entries = file.entries();
        assertEquals(2, entries.size());
        FtpUser alice = entries.get(0).user();
        assertEquals(new FtpUser("alice", Path.of("/srv/ftp/alice"), true, OptionalLong.empty()), alice);
        FtpUser bob = entries.get(1).user();
        assertEquals(new FtpUser("bob", Path.of("bob"), false, OptionalLong.of(1048576)), bob);
        assertEquals(Path.of("/srv/ftp/bob"), bob.resolveHome(Path.of("/srv/ftp")));
        assertEquals(PhcHash.parse(Argon2idTest.HORSE), entries.get(0).hash());
    }

    @Test
    void rewritesKeepingCommentsAndOrder() {
        String text = "# users\n\n" + ALICE + "\n# bob below\n" + BOB + "\n";
        assertEquals(text, UsersFile.parse(text, "t").format());
        String without = UsersFile.parse(text, "t").without("alice").format();
        assertEquals("# users\n\n# bob below\n" + BOB + "\n", without);
    }

    @Test
    void replacesAUserInPlace() {
        UsersFile file = UsersFile.parse(ALICE + "\n" + BOB + "\n", "t");
        UserEntry newAlice = new UserEntry(new FtpUser("alice", Path.of("a"), false, OptionalLong.empty()),
                PhcHash.parse(Argon2idTest.TWO_LANES));
        UsersFile changed = file.with(newAlice);
        assertEquals(newAlice, changed.entries().get(0));
        assertEquals(2, changed.entries().size());
    }

    @Test
    void namesTheLineOfABadEntry() {
        var e = assertThrows(UsersFileException.class, () -> UsersFile.parse("# c\n" + ALICE.replace(":rw", ":rx") + "\n", "f"));
        assertEquals("users file f line 2: mode must be rw or ro, not 'rx'", e.getMessage());
        e = assertThrows(UsersFileException.class, () -> UsersFile.parse("alice:x:home\n", "f"));
        assertEquals("users file f line 1: expected name:hash:home:rw|ro[:bytes-per-second], found 3 fields", e.getMessage());
        e = assertThrows(UsersFileException.class, () -> UsersFile.parse(BOB.replace(":1048576", ":fast"), "f"));
        assertEquals("users file f line 1: bytes-per-second must be a whole number, not 'fast'", e.getMessage());
        assertThrows(UsersFileException.class, () -> UsersFile.parse(BOB.replace(":1048576", ":0"), "f"));
        assertThrows(UsersFileException.class, () -> UsersFile.parse(ALICE.replace("alice", "-alice"), "f"));
        assertThrows(UsersFileException.class, () -> UsersFile.parse(ALICE.replace("/srv/ftp/alice", ""), "f"));
    }

    @Test
    void refusesDuplicateNames() {
        var e = assertThrows(UsersFileException.class, () -> UsersFile.parse(ALICE + "\n" + ALICE + "\n", "f"));
        assertEquals("users file f line 2: user alice appears twice", e.getMessage());
    }

    @Test
    void refusesAFileGroupOrOthersCanRead() throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, ALICE + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        var e = assertThrows(UsersFileException.class, () -> UsersFile.load(file));
        assertEquals("users file " + file + " has mode 0644 and is accessible by group or others; run: chmod 600 " + file,
                e.getMessage());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertEquals(1, UsersFile.load(file).entries().size());
    }

    @Test
    void writesAtomicallyWithMode0600AndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("users");
        UsersFile.parse(ALICE + "\n", "t").write(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        UsersFile.load(file).with(UsersFile.parse(BOB + "\n", "t").entries().get(0)).write(file);
        assertEquals(ALICE + "\n" + BOB + "\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count());
        }
    }

    @Test
    void refusesAHomeThatWouldBreakTheFormat() {
        UserEntry bad = new UserEntry(new FtpUser("eve", Path.of("/a:b"), true, OptionalLong.empty()),
                PhcHash.parse(Argon2idTest.HORSE));
        assertThrows(IllegalArgumentException.class, () -> UsersFile.empty().with(bad).format());
    }

    @Test
    void emptyFileExplainsTheFormat() {
        String text = UsersFile.empty().format();
        assertTrue(text.startsWith("# ftp-lite users: name:argon2id-PHC-hash:home:rw|ro[:bytes-per-second]"), text);
        assertFalse(UsersFile.empty().find("alice").isPresent());
    }
}
