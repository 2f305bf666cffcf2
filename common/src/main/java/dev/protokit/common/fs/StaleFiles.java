package dev.protokit.common.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * Deletes the leftovers a file server wrote under its tree and a crash or kill left behind (the
 * hidden temporaries of interrupted uploads: ftp-lite's parts, tftp-server's
 * {@code .tftp-upload-*}). The tree is walked through a {@link ConfinedRoot}: entries are
 * lstat-ed, links are never followed, and each delete resolves beneath the root, so a
 * directory swapped for a link while the sweep runs can never make it delete outside.
 * Only regular files are offered to the caller's {@link Pick}.
 */
public final class StaleFiles {
    private StaleFiles() {}

    /** Which regular files go: {@code path} relative to the root, {@code entry} its name and lstat. */
    @FunctionalInterface
    public interface Pick {
        /** True to delete this file. */
        boolean stale(ConfinedRoot root, String path, DirEntry entry);
    }

    /**
     * Deletes under {@code dir} every regular file {@code pick} chooses; unreadable directories
     * are skipped, failures logged on {@code log} and never thrown. Returns how many went.
     */
    public static int sweep(Path dir, Pick pick, Logger log) {
        Objects.requireNonNull(pick, "pick");
        int deleted = 0;
        try (ConfinedRoot root = ConfinedRoot.open(dir)) {
            ArrayDeque<String> todo = new ArrayDeque<>(List.of(""));
            while (!todo.isEmpty()) {
                String at = todo.poll();
                List<DirEntry> entries;
                try {
                    entries = root.list(at);
                } catch (IOException e) {
                    continue; // unreadable directories hold nothing we wrote
                }
                for (DirEntry entry : entries) {
                    String path = at.isEmpty() ? entry.name() : at + "/" + entry.name();
                    if (entry.stat().isDirectory()) {
                        todo.add(path);
                    } else if (entry.stat().isRegularFile() && pick.stale(root, path, entry)) {
                        try {
                            root.delete(path);
                            deleted++;
                        } catch (IOException e) {
                            log.warn("cannot delete stale upload temporary {}: {}", path, e.toString());
                        }
                    }
                }
            }
        } catch (IOException e) {
            log.warn("cannot sweep {} for stale upload temporaries: {}", dir, e.toString());
        }
        return deleted;
    }
}
