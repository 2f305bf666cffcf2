package dev.protokit.tftp.server;

import dev.protokit.common.fs.StaleFiles;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes upload temporaries ({@code .tftp-upload-*}) that a killed server left under the root
 * (issue #9: a SIGKILL or power loss mid-upload left them for good). Run once at start-up by a
 * server that accepts uploads, before it listens. The walk is common's {@link StaleFiles}
 * (confined: symbolic links are never followed, only regular files are deleted). Two servers
 * must not share a writable root (each would remove the other's uploads in progress at its start-up).
 */
final class StaleUploads {
    private static final Logger LOG = LoggerFactory.getLogger("tftp-server");

    private StaleUploads() {}

    /** Deletes stale temporaries under {@code root}; returns how many. Failures are logged, never thrown. */
    static int clean(Path root) {
        int removed = StaleFiles.sweep(root, (confined, path, entry) -> entry.name().startsWith(RootJail.TEMP_PREFIX), LOG);
        if (removed > 0) {
            LOG.info("removed {} stale upload temporaries ({}*) under {}", removed, RootJail.TEMP_PREFIX, root);
        }
        return removed;
    }
}
