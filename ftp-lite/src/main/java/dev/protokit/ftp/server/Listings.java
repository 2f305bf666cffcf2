package dev.protokit.ftp.server;

import dev.protokit.common.fs.ConfinedRoot;
import dev.protokit.common.fs.DirEntry;
import dev.protokit.common.fs.FileStat;
import dev.protokit.ftp.wire.FileFacts;
import java.io.IOException;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads directory entries into {@link FileFacts} through the home's {@link ConfinedRoot}.
 * Entries the session must not see are left out: the server's upload temporaries, names with CR
 * or LF (they would break the listing's lines) and symbolic links that do not lead to something
 * inside the home (out, absolute, dangling or looping: the root refuses to follow them).
 */
final class Listings {
    private Listings() {}

    /** The entries of the directory {@code dir} (relative to the home), sorted by name. */
    static List<FileFacts> list(ConfinedRoot root, String dir, boolean writable) throws IOException {
        var out = new ArrayList<FileFacts>();
        for (DirEntry entry : root.list(dir)) {
            String name = entry.name();
            if (!visible(name)) {
                continue;
            }
            facts(root, dir.isEmpty() ? name : dir + "/" + name, name, entry.stat(), writable).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(FileFacts::name));
        return out;
    }

    /** The names of the directories in {@code dir}, sorted, without links to directories (ls -R does not enter them). */
    static List<String> subdirectories(ConfinedRoot root, String dir) throws IOException {
        var out = new ArrayList<String>();
        for (DirEntry entry : root.list(dir)) {
            if (entry.stat().isDirectory() && visible(entry.name())) {
                out.add(entry.name());
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** Facts about {@code path}, or empty if it is missing or a link that does not stay inside the home. */
    static Optional<FileFacts> facts(ConfinedRoot root, String path, String name, boolean writable) {
        try {
            return facts(root, path, name, root.lstat(path), writable);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean visible(String name) {
        return !VirtualFileSystem.isHidden(name) && name.indexOf('\r') < 0 && name.indexOf('\n') < 0;
    }

    private static Optional<FileFacts> facts(ConfinedRoot root, String path, String name, FileStat self, boolean writable) {
        FileStat s = self;
        if (self.isSymbolicLink()) {
            try {
                s = root.stat(path);
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        // RFC 3659 section 7.5.2: device and inode in hex make the unique fact.
        String unique = Long.toHexString(s.device()) + "U" + Long.toHexString(s.inode());
        return Optional.of(new FileFacts(name, s.isDirectory() ? FileFacts.Kind.DIRECTORY : FileFacts.Kind.FILE,
                s.size(), s.modified(), PosixFilePermissions.toString(s.permissions()), unique, writable));
    }
}
