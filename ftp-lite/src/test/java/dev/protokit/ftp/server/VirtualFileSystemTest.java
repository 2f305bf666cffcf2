package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.protokit.common.fs.ConfinedRoot;
import dev.protokit.common.fs.ConfinementException;
import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.ReplyCode;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every path a client can name, hostile or not, against a home with links inside and out:
 *
 * <pre>
 * outside/secret.txt
 * home/pub/readme.txt
 * home/pub/deep/
 * home/link-in   -> pub           (inside: allowed)
 * home/link-out  -> ../outside    (outside: refused)
 * home/file-out  -> ../outside/secret.txt
 * home/dangling  -> ../outside/not-yet
 * </pre>
 */
class VirtualFileSystemTest {
    @TempDir
    Path tmp;
    Path home;
    VirtualFileSystem fs;

    @BeforeEach
    void tree() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        home = Files.createDirectories(tmp.resolve("home")).toRealPath();
        Files.createDirectories(home.resolve("pub/deep"));
        Files.writeString(home.resolve("pub/readme.txt"), "hi");
        Files.createSymbolicLink(home.resolve("link-in"), Path.of("pub"));
        Files.createSymbolicLink(home.resolve("link-out"), Path.of("../outside"));
        Files.createSymbolicLink(home.resolve("file-out"), Path.of("../outside/secret.txt"));
        Files.createSymbolicLink(home.resolve("dangling"), Path.of("../outside/not-yet"));
        fs = new VirtualFileSystem(ConfinedRoot.open(home));
        fs.changeDirectory("/pub");
    }

    @AfterEach
    void close() {
        fs.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // argument (cwd is /pub)        | local path under home, or REFUSED
        "readme.txt                      | pub/readme.txt",
        "./readme.txt                    | pub/readme.txt",
        "deep/../readme.txt              | pub/readme.txt",
        "/pub//readme.txt                | pub/readme.txt",
        "..                              | ''",
        "/                               | ''",
        "new-file.bin                    | pub/new-file.bin",
        "/link-in/readme.txt             | link-in/readme.txt",
        "/etc/passwd                     | etc/passwd",
        "../..                           | REFUSED",
        "../../outside/secret.txt        | REFUSED",
        "/../outside/secret.txt          | REFUSED",
        "deep/../../../outside           | REFUSED",
        "/.ftp-lite-upload-1234.part     | REFUSED",
    })
    void resolvesOrRefuses(String argument, String expected) {
        if (expected.equals("REFUSED")) {
            FtpException e = assertThrows(FtpException.class, () -> fs.resolve(argument));
            assertEquals(ReplyCode.FILE_UNAVAILABLE, e.code());
            assertEquals(false, e.reply().lines().getFirst().contains(tmp.toString()), "reply must not leak real paths");
        } else {
            assertEquals(expected, fs.resolve(argument));
        }
    }

    /** Names that resolve, but that no operation of the root will follow out of the home. */
    @ParameterizedTest
    @ValueSource(strings = {"/link-out/secret.txt", "/link-out", "/file-out", "/dangling", "/link-out/new.txt"})
    void linksLeadingOutAreRefusedByEveryUse(String argument) {
        String path = fs.resolve(argument);
        assertEquals(java.util.Optional.empty(), fs.stat(path));
        assertThrows(ConfinementException.class, () -> fs.root().openRead(path));
        assertThrows(ConfinementException.class, () -> fs.root().createNew(path + "/y", 0644));
    }

    @Test
    void missingDirectoriesAreNotCreatedThrough() {
        String path = fs.resolve("missing-dir/new.txt");
        assertEquals("pub/missing-dir/new.txt", path);
        assertThrows(NoSuchFileException.class, () -> fs.root().createNew(path, 0644));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\rb", "a\nb", "\n", "/pub/x\u0000/../y"})
    void refusesNulCrLfInNames(String argument) {
        assertEquals(ReplyCode.FILE_UNAVAILABLE, assertThrows(FtpException.class, () -> fs.resolve(argument)).code());
    }

    @Test
    void changeDirectoryStaysInsideAndNeedsADirectory() {
        fs.changeDirectory("deep");
        assertEquals("/pub/deep", fs.cwd());
        fs.changeDirectory("../..");
        assertEquals("/", fs.cwd());
        assertThrows(FtpException.class, () -> fs.changeDirectory(".."));
        assertThrows(FtpException.class, () -> fs.changeDirectory("/link-out"));
        assertThrows(FtpException.class, () -> fs.changeDirectory("/pub/readme.txt"));
        assertEquals("/", fs.cwd());
        fs.changeDirectory("/link-in");
        assertEquals("/link-in", fs.cwd());
    }

    @Test
    void virtualPathsAreNormalised() {
        assertEquals("/pub/deep/x", fs.virtualPath("deep/./x"));
        assertEquals("/x", fs.virtualPath("/../x".substring(3)));
        assertThrows(FtpException.class, () -> fs.virtualPath("../../x"));
    }
}
