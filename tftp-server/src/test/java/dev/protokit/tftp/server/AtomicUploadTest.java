package dev.protokit.tftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.TftpException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicUploadTest {
    @TempDir
    Path dir;

    private RootJail.Target target(String name) {
        return new RootJail(dir).resolveForWrite(name, true);
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private long entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void targetChangesOnlyAtCommit() throws IOException {
        Path target = Files.writeString(dir.resolve("f.txt"), "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw----"));
        try (var upload = AtomicUpload.begin(target("f.txt"), Long.MAX_VALUE)) {
            upload.write(bytes("new "));
            upload.write(bytes("content"));
            assertEquals("old", Files.readString(target));
            assertTrue(upload.tempFile().startsWith(RootJail.TEMP_PREFIX));
            upload.commit();
        }
        assertEquals("new content", Files.readString(target));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(1, entries());
    }

    @Test
    void closeWithoutCommitKeepsTheOldFileAndDeletesTheTemporary() throws IOException {
        Path target = Files.writeString(dir.resolve("f.txt"), "old");
        try (var upload = AtomicUpload.begin(target("f.txt"), Long.MAX_VALUE)) {
            upload.write(bytes("half"));
        }
        assertEquals("old", Files.readString(target));
        assertEquals(1, entries());
    }

    @Test
    void abortedNewFileLeavesNothing() throws IOException {
        try (var upload = AtomicUpload.begin(target("new.bin"), Long.MAX_VALUE)) {
            upload.write(bytes("x"));
        }
        assertEquals(0, entries());
    }

    @Test
    void newFileIsWorldReadable() throws IOException {
        Path target = dir.resolve("new.bin");
        try (var upload = AtomicUpload.begin(target("new.bin"), Long.MAX_VALUE)) {
            upload.commit();
        }
        assertEquals(0, Files.size(target));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }

    @Test
    void theUploadStaysInTheDirectoryItBeganInWhenThePathIsSwappedForALinkOut(@TempDir Path outside) throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        try (var upload = AtomicUpload.begin(new RootJail(dir).resolveForWrite("sub/f.bin", true), Long.MAX_VALUE)) {
            Files.move(dir.resolve("sub"), dir.resolve("moved"));
            Files.createSymbolicLink(dir.resolve("sub"), outside);
            upload.write(bytes("data"));
            upload.commit();
        }
        assertEquals("data", Files.readString(dir.resolve("moved/f.bin")));
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void writePastTheQuotaIsDiskFull() throws IOException {
        try (var upload = AtomicUpload.begin(target("q.bin"), 10)) {
            upload.write(bytes("0123456789"));
            var e = assertThrows(TftpException.class, () -> upload.write(bytes("!")));
            assertEquals(ErrorCode.DISK_FULL, e.code());
            assertEquals(10, upload.written());
        }
        assertEquals(0, entries());
    }
}
