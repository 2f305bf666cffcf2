package dev.protokit.tftp.server;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes upload temporaries ({@code .tftp-upload-*}) that a killed server left under the root
 * (issue #9: a SIGKILL or power loss mid-upload left them for good). Run once at start-up by a
 * server that accepts uploads, before it listens. Symbolic links are never followed and only
 * regular files are deleted. Two servers must not share a writable root (each would remove the
 * other's uploads in progress at its start-up).
 */
final class StaleUploads {
    private static final Logger LOG = LoggerFactory.getLogger("tftp-server");
    private static final int MAX_DEPTH = 32;

    private StaleUploads() {}

    /** Deletes stale temporaries under {@code root}; returns how many. Failures are logged, never thrown. */
    static int clean(Path root) {
        int[] removed = {0};
        try {
            Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), MAX_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && file.getFileName().toString().startsWith(RootJail.TEMP_PREFIX)) {
                        try {
                            Files.delete(file);
                            removed[0]++;
                        } catch (IOException e) {
                            LOG.warn("cannot remove stale upload {}: {}", file, e.toString());
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // unreadable directories hold nothing we wrote
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot scan {} for stale uploads: {}", root, e.toString());
        }
        if (removed[0] > 0) {
            LOG.info("removed {} stale upload temporaries ({}*) under {}", removed[0], RootJail.TEMP_PREFIX, root);
        }
        return removed[0];
    }
}
