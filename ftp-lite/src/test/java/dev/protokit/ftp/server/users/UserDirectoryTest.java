package dev.protokit.ftp.server.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDirectoryTest {
    @TempDir
    Path dir;

    private Path usersFile(String content) throws Exception {
        Path file = dir.resolve("users");
        UsersFile.parse(content, "test").write(file);
        return file;
    }

    @Test
    void acceptsTheRightPassword() throws Exception {
        UserDirectory users = UserDirectory.load(usersFile(UsersFileTest.ALICE + "\n"));
        var user = users.authenticate("alice", "correct horse battery staple".toCharArray());
        assertTrue(user.isPresent());
        assertEquals("alice", user.get().name());
        assertTrue(user.get().canWrite());
    }

    @Test
    void refusesAWrongPassword() throws Exception {
        UserDirectory users = UserDirectory.load(usersFile(UsersFileTest.ALICE + "\n"));
        assertTrue(users.authenticate("alice", "Correct horse battery staple".toCharArray()).isEmpty());
    }

    @Test
    void refusesAnUnknownUserAfterTheSameWork() throws Exception {
        UserDirectory users = UserDirectory.load(usersFile(UsersFileTest.ALICE + "\n"));
        assertTrue(users.authenticate("mallory", "correct horse battery staple".toCharArray()).isEmpty());
        assertTrue(users.authenticate("", "x".toCharArray()).isEmpty());
    }

    @Test
    void wipesThePassword() throws Exception {
        UserDirectory users = UserDirectory.load(usersFile(UsersFileTest.ALICE + "\n"));
        char[] right = "correct horse battery staple".toCharArray();
        char[] unknown = "whatever".toCharArray();
        users.authenticate("alice", right);
        users.authenticate("nobody", unknown);
        assertTrue(allZero(right));
        assertTrue(allZero(unknown));
    }

    @Test
    void seesUsersAddedToTheFileWithoutARestart() throws Exception {
        Path file = usersFile(UsersFileTest.ALICE + "\n");
        UserDirectory users = UserDirectory.load(file);
        assertTrue(users.find("bob").isEmpty());
        UsersFile.load(file).with(UsersFile.parse(UsersFileTest.BOB + "\n", "t").entries().get(0)).write(file);
        assertTrue(users.authenticate("bob", "pässwörd".toCharArray()).isPresent());
        assertEquals(2, users.size());
    }

    @Test
    void keepsThePreviousUsersWhenTheFileTurnsBad() throws Exception {
        Path file = usersFile(UsersFileTest.ALICE + "\n");
        UserDirectory users = UserDirectory.load(file);
        Files.writeString(file, "garbage\n");
        assertTrue(users.authenticate("alice", "correct horse battery staple".toCharArray()).isPresent());
        assertThrows(UsersFileException.class, users::reload);
        assertTrue(users.find("alice").isPresent());
    }

    @Test
    void reloadOnDemandRefusesAnUnsafeMode() throws Exception {
        Path file = usersFile(UsersFileTest.ALICE + "\n");
        UserDirectory users = UserDirectory.load(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        var e = assertThrows(UsersFileException.class, users::reload);
        assertTrue(e.getMessage().contains("accessible by group or others"), e.getMessage());
    }

    @Test
    void refusesToStartFromAnUnsafeFile() throws Exception {
        Path file = usersFile(UsersFileTest.ALICE + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw----r--"));
        assertThrows(UsersFileException.class, () -> UserDirectory.load(file));
    }

    @Test
    void inMemoryDirectoryNeedsNoFile() {
        var entries = UsersFile.parse(UsersFileTest.BOB + "\n", "t").entries();
        UserDirectory users = UserDirectory.of(List.copyOf(entries));
        assertFalse(users.authenticate("bob", "password".toCharArray()).isPresent());
        assertTrue(users.authenticate("bob", "pässwörd".toCharArray()).isPresent());
    }

    private static boolean allZero(char[] chars) {
        char[] zeros = new char[chars.length];
        return Arrays.equals(chars, zeros);
    }
}
