package dev.protokit.ftp.server.users;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Replaces a users file atomically: write a 0600 temporary file beside it, fsync, rename over
 * the old one. The mode is 0600 from creation (never chmod-ed after the secret is written), and
 * when the old file belongs to someone else (root editing the daemon's file) its owner and
 * group are carried over so the daemon can still read it.
 */
final class UsersFileWriter {
    private static final FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private UsersFileWriter() {
    }

    static void replace(Path file, String content) {
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(directory, "." + target.getFileName() + "-", ".tmp", OWNER_ONLY);
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            copyOwnership(target, temporary);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            temporary = null;
            syncDirectory(directory);
        } catch (IOException e) {
            throw new UsersFileException("cannot write users file " + file + ": " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the original error is the one worth reporting
                }
            }
        }
    }

    private static void copyOwnership(Path original, Path temporary) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(original, PosixFileAttributeView.class);
        if (view == null || !Files.exists(original, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        PosixFileAttributes old = view.readAttributes();
        PosixFileAttributeView fresh = Files.getFileAttributeView(temporary, PosixFileAttributeView.class);
        PosixFileAttributes now = fresh.readAttributes();
        if (!old.owner().equals(now.owner())) {
            fresh.setOwner(old.owner());
        }
        if (!old.group().equals(now.group())) {
            fresh.setGroup(old.group());
        }
    }

    /** Makes the rename durable; not every file system lets a directory be opened, which is fine. */
    private static void syncDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // best effort: the rename itself already happened atomically
        }
    }
}
