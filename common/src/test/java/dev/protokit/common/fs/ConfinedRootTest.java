package dev.protokit.common.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every rule of {@link ConfinedRoot}, under both resolvers (openat2 and the user-space walk). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfinedRootTest {
    @TempDir
    Path base;
    Path home;
    Path outside;

    @BeforeEach
    void tree() throws IOException {
        home = Files.createDirectories(base.resolve("home"));
        outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "SECRET");
        Files.createDirectories(home.resolve("sub/deep"));
        Files.writeString(home.resolve("file"), "inside");
        Files.writeString(home.resolve("sub/deep/file"), "deep");
    }

    private ConfinedRoot root(Resolver resolver) throws IOException {
        return ConfinedRoot.open(home, resolver);
    }

    static String read(FileChannel channel) throws IOException {
        try (channel) {
            ByteBuffer b = ByteBuffer.allocate((int) channel.size());
            while (b.hasRemaining() && channel.read(b) >= 0) {
                // fill
            }
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void thisKernelHasOpenat2() {
        // The CI and development kernels are 5.6+; the walk is still tested below as the fallback.
        assertEquals(Resolver.OPENAT2, Resolver.BEST);
    }

    @ParameterizedTest
    @EnumSource(Resolver.class)
    void readsFilesAndFollowsLinksThatStayBeneath(Resolver resolver) throws IOException {
        Files.createSymbolicLink(home.resolve("to-deep"), Path.of("sub/deep"));
        Files.createSymbolicLink(home.resolve("sub/up"), Path.of("../file"));
        Files.createSymbolicLink(home.resolve("chain"), Path.of("sub/up"));
        try (var root = root(resolver)) {
            assertEquals("inside", read(root.openRead("file")));
            assertEquals("deep", read(root.openRead("sub/deep/file")));
            assertEquals("deep", read(root.openRead("to-deep/file")));
            assertEquals("inside", read(root.openRead("sub/up")));
            assertEquals("inside", read(root.openRead("chain")));
            assertEquals("inside", read(root.openRead("sub/deep/../../file")));
            assertTrue(root.stat("to-deep").isDirectory());
            assertTrue(root.lstat("to-deep").isSymbolicLink());
            assertTrue(root.stat("").isDirectory());
        }
    }

    @ParameterizedTest
    @EnumSource(Resolver.class)
    void refusesDotDotAboveTheRoot(Resolver resolver) throws IOException {
        try (var root = root(resolver)) {
            assertEscape(() -> root.openRead("../outside/secret"));
            assertEscape(() -> root.openRead("sub/../../outside/secret"));
            assertEscape(() -> root.stat(".."));
            assertEscape(() -> root.createNew("../outside/new", 0644));
            assertFalse(Files.exists(outside.resolve("new")));
        }
    }

    @ParameterizedTest
    @EnumSource(Resolver.class)
    void refusesAbsolutePathsAndNulAndSlashInNames(Resolver resolver) throws IOException {
        try (var root = root(resolver)) {
            assertBadName(() -> root.openRead(outside.resolve("secret").toString()));
            assertBadName(() -> root.openRead("file\0.txt"));
            assertBadName(() -> root.mkdir("a\0b", 0755));
            assertBadName(() -> root.delete(""));
            assertBadName(() -> root.rmdir("sub/.."));
            try (var dir = root.directory("sub")) {
                assertBadName(() -> dir.createNew("deep/x", 0644));
                assertBadName(() -> dir.delete("../file"));
                assertBadName(() -> dir.rename("deep", "a/b"));
            }
            assertTrue(Files.exists(home.resolve("file")));
        }
    }

    @ParameterizedTest
    @EnumSource(Resolver.class)
    void refusesAbsoluteLinksEvenToInsideAndRelativeLinksOut(Resolver resolver) throws IOException {
        Files.createSymbolicLink(home.resolve("abs-out"), outside.resolve("secret"));
        Files.createSymbolicLink(home.resolve("abs-in"), home.resolve("file"));
        Files.createSymbolicLink(home.resolve("rel-out"), Path.of("../outside/secret"));
        Files.createSymbolicLink(home.resolve("sub/rel-out-dir"), Path.of("../../outside"));
        try (var root = root(resolver)) {
            assertEscape(() -> root.openRead("abs-out"));
            assertEscape(() -> root.openRead("abs-in"));
            assertEscape(() -> root.openRead("rel-out"));
            assertEscape(() -> root.openRead("sub/rel-out-dir/secret"));
            assertEscape(() -> root.stat("rel-out"));
            assertEscape(() -> root.list("sub/rel-out-dir"));
            assertEscape(() -> root.createNew("sub/rel-out-dir/planted", 0644));
            assertEscape(() -> root.mkdir("sub/rel-out-dir/planted", 0755));
            assertEscape(() -> root.setModifiedTime("rel-out", Instant.EPOCH));
            // The links themselves are in the root: they may be looked at and removed.
            assertTrue(root.lstat("abs-out").isSymbolicLink());
            root.delete("abs-out");
        }
        assertFalse(Files.exists(outside.resolve("planted")));
        assertTrue(Files.exists(outside.resolve("secret")));
    }

    @ParameterizedTest
    @EnumSource(Resolver.class)
    void refusesLinksToProcSelfRootAndMagicLinksBeneath(Resolver resolver) throws IOException {
        Files.createSymbolicLink(home.resolve("proc-root"), Path.of("/proc/self/root"));
        Files.createSymbolicLink(home.resolve("proc-rel"), Path.of("../".repeat(40) + "proc/self/root"));
        try (var root = root(resolver)) {
            assertEscape(() -> root.openRead("proc-root" + outside.resolve("secret")));
            assertEscape(() -> root.openRead("proc-rel" + outside.resolve("secret")));
        }
        // A root that contains magic links itself: /proc/self/root and /proc/self/cwd are refused.
        try (var proc = ConfinedRoot.open(Path.of("/proc/self"), resolver)) {
            IOException e = assertThrows(IOException.class, () -> proc.openRead("root" + outside.resolve("secret")));
            assertTrue(e instanceof ConfinementException || e instanceof FileSystemLoopException, e.toString());
            assertThrows(IOException.class, () -> proc.stat("cwd/"));
        }
    }

    @ParameterizedTest
    @EnumSource(Resolver.class)
    void symlinkLoopsFailWithELOOP(Resolver resolver) throws IOException {
        Files.createSymbolicLink(home.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(home.resolve("b"), Path.of("a"));
        Files.createSymbolicLink(home.resolve("self"), Path.of("self/x"));
        try (var root = root(resolver)) {
            assertThrows(FileSystemLoopException.class, () -> root.openRead("a"));
            assertThrows(FileSystemLoopException.class, () -> root.stat("self"));
        }
    }

    @ParameterizedTest
    @EnumSource(Resolver.class)
    void createIsExclusiveAndNeverThroughADanglingLink(Resolver resolver) throws IOException {
        Files.createSymbolicLink(home.resolve("dangling"), Path.of("../outside/created"));
        try (var root = root(resolver)) {
            assertThrows(FileAlreadyExistsException.class, () -> root.createNew("dangling", 0644));
            assertThrows(FileAlreadyExistsException.class, () -> root.createNew("file", 0644));
            try (FileChannel out = root.createNew("sub/new", 0600)) {
                out.write(ByteBuffer.wrap("x".getBytes(StandardCharsets.US_ASCII)));
            }
            assertEquals("x", Files.readString(home.resolve("sub/new")));
            assertThrows(NoSuchFileException.class, () -> root.createNew("missing/new", 0644));
            assertThrows(IllegalArgumentException.class, () -> root.createNew("ro", 0444));
        }
        assertFalse(Files.exists(outside.resolve("created")));
    }

    @ParameterizedTest
    @EnumSource(Resolver.class)
    void namesOperationsNeverFollowTheirLastComponent(Resolver resolver) throws IOException {
        Files.createSymbolicLink(home.resolve("dirlink"), Path.of("sub"));
        Files.createSymbolicLink(home.resolve("outlink"), Path.of("../outside/secret"));
        try (var root = root(resolver)) {
            assertThrows(NotDirectoryException.class, () -> root.rmdir("dirlink"));
            root.delete("dirlink");
            assertTrue(Files.isDirectory(home.resolve("sub")));
            root.rename("outlink", "renamed");
            assertTrue(Files.isSymbolicLink(home.resolve("renamed")));
            root.mkdir("made", 0755);
            assertTrue(Files.isDirectory(home.resolve("made")));
            root.rename("file", "made/moved");
            assertEquals("inside", Files.readString(home.resolve("made/moved")));
            assertThrows(java.nio.file.DirectoryNotEmptyException.class, () -> root.rmdir("made"));
            root.delete("made/moved");
            root.rmdir("made");
            assertFalse(Files.exists(home.resolve("made")));
            FileSystemException isDir = assertThrows(FileSystemException.class, () -> root.delete("sub"));
            assertTrue(isDir.getReason().startsWith("EISDIR"), isDir.getReason());
        }
        assertEquals("SECRET", Files.readString(outside.resolve("secret")));
    }

    @ParameterizedTest
    @EnumSource(Resolver.class)
    void listsWithLstatFactsAndSetsModificationTimes(Resolver resolver) throws IOException {
        Files.createSymbolicLink(home.resolve("sub/out"), Path.of("../../outside"));
        Files.writeString(home.resolve("sub/été.txt"), "12345");
        try (var root = root(resolver)) {
            var entries = root.list("sub");
            var names = entries.stream().map(DirEntry::name).sorted().toList();
            assertEquals(java.util.List.of("deep", "out", "été.txt"), names);
            var byName = entries.stream().collect(java.util.stream.Collectors.toMap(DirEntry::name, DirEntry::stat));
            assertTrue(byName.get("out").isSymbolicLink());
            assertTrue(byName.get("deep").isDirectory());
            assertEquals(5, byName.get("été.txt").size());
            Instant when = Instant.parse("2001-02-03T04:05:06Z");
            root.setModifiedTime("sub/été.txt", when);
            assertEquals(when, root.stat("sub/été.txt").modified());
            assertEquals(when, Files.getLastModifiedTime(home.resolve("sub/été.txt")).toInstant());
            var attrs = Files.readAttributes(home.resolve("sub/été.txt"), "unix:ino,dev,mode");
            FileStat stat = root.stat("sub/été.txt");
            assertEquals(attrs.get("ino"), stat.inode());
            assertEquals(attrs.get("dev"), stat.device());
            assertEquals(((Integer) attrs.get("mode")) & 07777, stat.mode());
            assertEquals(Files.getPosixFilePermissions(home.resolve("sub/été.txt")), stat.permissions());
        }
    }

    @ParameterizedTest
    @EnumSource(Resolver.class)
    void readOpensOnlyRegularFilesAndNeverBlocksOnAFifo(Resolver resolver) throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", home.resolve("fifo").toString()).start();
        assertEquals(0, mkfifo.waitFor());
        try (var root = root(resolver)) {
            FileSystemException e = assertThrows(FileSystemException.class, () -> root.openRead("fifo"));
            assertEquals("not a regular file", e.getReason());
            assertThrows(FileSystemException.class, () -> root.openRead("sub"));
            assertThrows(NoSuchFileException.class, () -> root.openRead("nothing"));
            assertThrows(NotDirectoryException.class, () -> root.openRead("file/x"));
        }
    }

    @Test
    void closedRootRefusesFurtherCalls() throws IOException {
        var root = ConfinedRoot.open(home);
        root.close();
        root.close();
        assertThrows(ClosedChannelException.class, () -> root.openRead("file"));
    }

    @ParameterizedTest
    @EnumSource(Resolver.class)
    void aHeldDirectoryStaysPutWhenItsPathIsSwappedForALinkOut(Resolver resolver) throws IOException {
        try (var root = root(resolver); var dir = root.directory("sub")) {
            Files.move(home.resolve("sub"), home.resolve("moved"));
            Files.createSymbolicLink(home.resolve("sub"), outside);
            try (FileChannel out = dir.createNew("upload.tmp", 0600)) {
                out.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            }
            dir.rename("upload.tmp", "upload");
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(home.resolve("moved/upload")));
            assertTrue(dir.lstat("upload").isRegularFile());
            dir.setPermissions("upload", java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
            assertEquals(0640, dir.lstat("upload").mode());
            Files.createSymbolicLink(home.resolve("moved/link"), outside.resolve("secret"));
            var before = Files.getPosixFilePermissions(outside.resolve("secret"));
            assertThrows(FileSystemException.class,
                    () -> dir.setPermissions("link", java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx")));
            assertEquals(before, Files.getPosixFilePermissions(outside.resolve("secret")));
            dir.link("upload", "second");
            dir.delete("upload");
            assertEquals(3, read(dir.openRead("second")).length());
            // And a walk through the swapped path is refused rather than followed out.
            assertEscape(() -> root.openRead("sub/secret"));
        }
        assertFalse(Files.exists(outside.resolve("upload")));
        assertFalse(Files.exists(outside.resolve("upload.tmp")));
    }

    private static void assertEscape(org.junit.jupiter.api.function.Executable call) {
        ConfinementException e = assertThrows(ConfinementException.class, call);
        assertEquals(ConfinementException.Reason.ESCAPES_ROOT, e.reason());
    }

    private static void assertBadName(org.junit.jupiter.api.function.Executable call) {
        ConfinementException e = assertThrows(ConfinementException.class, call);
        assertEquals(ConfinementException.Reason.BAD_NAME, e.reason());
    }
}
