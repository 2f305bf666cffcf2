package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stale-part sweep deletes our leftovers in the tree and nothing through a link out of it. */
class UploadPartsSweepTest {
    @TempDir
    Path tmp;

    private static Path old(Path file) throws IOException {
        Files.writeString(file, "part");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        return file;
    }

    @Test
    void deletesStalePartsInsideAndNeverFollowsALinkOut() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root/alice/sub"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path staleInside = old(root.resolve(VirtualFileSystem.TEMP_PREFIX + "0123456789abcdef.part"));
        Path staleOutside = old(outside.resolve(VirtualFileSystem.TEMP_PREFIX + "fedcba9876543210.part"));
        Path fresh = root.resolve(VirtualFileSystem.TEMP_PREFIX + "r" + "0".repeat(32) + ".part");
        Files.writeString(fresh, "fresh resumable part");
        Path userFile = old(root.resolve("kept.txt"));
        Files.createSymbolicLink(root.resolve("out"), Path.of("../../../outside"));
        Files.createSymbolicLink(root.resolve(VirtualFileSystem.TEMP_PREFIX + "link.part"), staleOutside);

        int deleted = new UploadParts().sweep(tmp.resolve("root"), Duration.ofDays(1), true);

        assertEquals(1, deleted);
        assertFalse(Files.exists(staleInside));
        assertTrue(Files.exists(staleOutside), "a part outside the root, reachable through a link, is left alone");
        assertTrue(Files.exists(fresh), "a fresh resumable part survives a start-up sweep");
        assertTrue(Files.exists(userFile));
        assertTrue(Files.isSymbolicLink(root.resolve(VirtualFileSystem.TEMP_PREFIX + "link.part")));
    }
}
