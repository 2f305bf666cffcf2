package dev.protokit.common.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The check every file of secrets (key files, users files, TLS private keys) passes before it
 * is read: only its owner may access it, as with mode 0600 or 0400.
 */
public final class PrivateFile {
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFile() {}

    /**
     * Why {@code file} is not private, as a sentence naming it as {@code what} ("key file"), its
     * octal mode and the fix; empty when only its owner may access it or the file system has no
     * POSIX permissions.
     *
     * @throws IOException if the permissions cannot be read (a missing file, say)
     */
    public static Optional<String> problem(Path file, String what) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return Optional.empty();
        }
        Set<PosixFilePermission> permissions = view.readAttributes().permissions();
        if (permissions.stream().noneMatch(GROUP_OR_OTHER::contains)) {
            return Optional.empty();
        }
        return Optional.of(what + " " + file + " has mode " + octal(permissions)
                + " and is accessible by group or others; run: chmod 600 " + file);
    }

    /** The permissions as an octal mode such as {@code 0640}. */
    public static String octal(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal()); // OWNER_READ is ordinal 0, bit 8 (0400)
        }
        return String.format("0%03o", mode);
    }
}
