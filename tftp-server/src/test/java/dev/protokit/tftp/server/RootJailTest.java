package dev.protokit.tftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.TftpException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RootJailTest {
    @TempDir
    Path base;
    Path root;
    RootJail jail;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(base.resolve("root"));
        Files.writeString(root.resolve("hello.txt"), "hello");
        Files.createDirectories(root.resolve("sub/deeper"));
        Files.writeString(root.resolve("sub/deeper/file.bin"), "x");
        Files.writeString(base.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("escape-link"), base.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("escape-dir"), base);
        Files.createSymbolicLink(root.resolve("inside-link"), Path.of("hello.txt"));
        Files.createSymbolicLink(root.resolve("absolute-inside-link"), root.resolve("hello.txt"));
        jail = new RootJail(root);
    }

    /** Names that must never reach a file outside the root, nor a system call when textual. */
    @ParameterizedTest
    @ValueSource(strings = {
        "..", "../secret.txt", "sub/../../secret.txt", "sub/deeper/../../../secret.txt", "/../secret.txt",
        "a/..", "..\\secret.txt", "sub\\file", "C:\\Windows\\win.ini", "hello.txt\u0000.png", "line\nbreak",
        "tab\there", "\u007f", "caf\u00e9", "\u00c3\u00a9t\u00c3\u00a9", "escape-link", "escape-dir/secret.txt", "absolute-inside-link", "/", "//", ".",
        "./", "sub/", ".tftp-upload-abc", "sub/.tftp-upload-1",
    })
    void refusesHostileNamesWithAccessViolation(String name) {
        var e = assertThrows(TftpException.class, () -> jail.resolveForRead(name));
        assertEquals(ErrorCode.ACCESS_VIOLATION, e.code(), e.getMessage());
        var w = assertThrows(TftpException.class, () -> jail.resolveForWrite(name, true));
        assertEquals(ErrorCode.ACCESS_VIOLATION, w.code(), w.getMessage());
    }

    @Test
    void refusesOverlongNames() {
        String name = "a".repeat(RootJail.MAX_NAME_LENGTH + 1);
        assertEquals(ErrorCode.ACCESS_VIOLATION,
                assertThrows(TftpException.class, () -> jail.resolveForRead(name)).code());
        String segment = "b".repeat(256);
        assertEquals(ErrorCode.ACCESS_VIOLATION,
                assertThrows(TftpException.class, () -> jail.resolveForRead(segment)).code());
    }

    @Test
    void leadingSlashIsRelativeToTheRootLikeTftpdHpa() {
        assertEquals("hello.txt", jail.resolveForRead("/hello.txt").target().path());
        assertEquals(5, jail.resolveForRead("/hello.txt").size());
        assertEquals("sub/deeper/file.bin", jail.resolveForRead("//sub/./deeper//file.bin").target().path());
    }

    @Test
    void absoluteHostPathsNeverReachTheHost() {
        var e = assertThrows(TftpException.class, () -> jail.resolveForRead("/etc/passwd"));
        assertEquals(ErrorCode.FILE_NOT_FOUND, e.code());
        var full = assertThrows(TftpException.class, () -> jail.resolveForRead(base.resolve("secret.txt").toString()));
        assertEquals(ErrorCode.FILE_NOT_FOUND, full.code());
    }

    @Test
    void followsRelativeLinksThatStayInside() throws IOException {
        try (var in = jail.resolveForRead("inside-link").target().openRead()) {
            assertEquals(5, in.size());
        }
    }

    @Test
    void missingFileIsFileNotFound() {
        assertEquals(ErrorCode.FILE_NOT_FOUND,
                assertThrows(TftpException.class, () -> jail.resolveForRead("nope.bin")).code());
    }

    @Test
    void directoryIsNotReadable() {
        assertEquals(ErrorCode.ACCESS_VIOLATION,
                assertThrows(TftpException.class, () -> jail.resolveForRead("sub/deeper")).code());
    }

    @Test
    void writeNeverFollowsALinkEvenInside() {
        var e = assertThrows(TftpException.class, () -> jail.resolveForWrite("inside-link", true));
        assertEquals(ErrorCode.ACCESS_VIOLATION, e.code());
    }

    @Test
    void writeOfNewFileNeedsCreate() {
        assertEquals(ErrorCode.FILE_NOT_FOUND,
                assertThrows(TftpException.class, () -> jail.resolveForWrite("new.bin", false)).code());
        assertEquals("sub/new.bin", jail.resolveForWrite("/sub/new.bin", true).path());
        assertEquals("hello.txt", jail.resolveForWrite("hello.txt", false).path());
    }

    @Test
    void writeIntoMissingDirectoryIsFileNotFound() {
        assertEquals(ErrorCode.FILE_NOT_FOUND,
                assertThrows(TftpException.class, () -> jail.resolveForWrite("no/such/dir.bin", true)).code());
    }

    @Test
    void writeIntoALinkedDirectoryOutsideIsRefused() {
        var e = assertThrows(TftpException.class, () -> jail.resolveForWrite("escape-dir/new.bin", true));
        assertEquals(ErrorCode.ACCESS_VIOLATION, e.code());
        assertTrue(Files.notExists(base.resolve("new.bin")));
    }

    @Test
    void quoteEscapesControlCharacters() {
        assertEquals("'a\\x00b\\x0a\\x27'", RootJail.quote("a\u0000b\n'"));
    }
}
