package dev.protokit.ftp.server;

import dev.protokit.ftp.wire.FileFacts;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads directory entries into {@link FileFacts}. Entries the session must not see are left out:
 * the server's upload temporaries, names with CR or LF (they would break the listing's lines)
 * and symbolic links whose target is outside the home directory.
 */
final class Listings {
    private Listings() {}

    /** The entries of {@code dir}, sorted by name. */
    static List<FileFacts> list(Path dir, Path home, boolean writable) throws IOException {
        var out = new ArrayList<FileFacts>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (VirtualFileSystem.isHidden(name) || name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0) {
                    continue;
                }
                facts(entry, name, home, writable).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparing(FileFacts::name));
        return out;
    }

    /** Facts about {@code path}, or empty if it vanished or is a link leading outside {@code home}. */
    static Optional<FileFacts> facts(Path path, String name, Path home, boolean writable) {
        try {
            if (Files.isSymbolicLink(path) && !path.toRealPath().startsWith(home)) {
                return Optional.empty();
            }
            BasicFileAttributes basic;
            String mode = "rw-r--r--";
            try {
                PosixFileAttributes posix = Files.readAttributes(path, PosixFileAttributes.class);
                mode = PosixFilePermissions.toString(posix.permissions());
                basic = posix;
            } catch (UnsupportedOperationException e) {
                basic = Files.readAttributes(path, BasicFileAttributes.class);
            }
            return Optional.of(new FileFacts(name, basic.isDirectory() ? FileFacts.Kind.DIRECTORY : FileFacts.Kind.FILE,
                    basic.size(), basic.lastModifiedTime().toInstant(), mode, unique(path, basic), writable));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** RFC 3659 section 7.5.2: device and inode in hex where the OS has them, else the file key. */
    private static String unique(Path path, BasicFileAttributes basic) {
        try {
            Map<String, Object> unix = Files.readAttributes(path, "unix:dev,ino");
            return Long.toHexString((Long) unix.get("dev")) + "U" + Long.toHexString((Long) unix.get("ino"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return Integer.toHexString(String.valueOf(basic.fileKey()).hashCode());
        }
    }

    /** True if {@code path} exists, without following a final symbolic link. */
    static boolean exists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }
}
