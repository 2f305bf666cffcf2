package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.ReplyCode;
import java.nio.file.Files;
import java.nio.file.Path;
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
        fs = new VirtualFileSystem(home);
        fs.changeDirectory("/pub");
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
        "/etc/passwd                     | REFUSED",
        "../..                           | REFUSED",
        "../../outside/secret.txt        | REFUSED",
        "/../outside/secret.txt          | REFUSED",
        "deep/../../../outside           | REFUSED",
        "/link-out/secret.txt            | REFUSED",
        "/link-out                       | REFUSED",
        "/file-out                       | REFUSED",
        "/dangling                       | REFUSED",
        "/link-out/new.txt               | REFUSED",
        "missing-dir/new.txt             | REFUSED",
        "/.ftp-lite-upload-1234.part     | REFUSED",
    })
    void resolvesOrRefuses(String argument, String expected) {
        if (expected.equals("REFUSED")) {
            FtpException e = assertThrows(FtpException.class, () -> fs.resolve(argument));
            assertEquals(ReplyCode.FILE_UNAVAILABLE, e.code());
            assertEquals(false, e.reply().lines().getFirst().contains(tmp.toString()), "reply must not leak real paths");
        } else {
            assertEquals(expected.isEmpty() ? home : home.resolve(expected), fs.resolve(argument));
        }
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
