package dev.protokit.common.fs;

import java.lang.foreign.MemorySegment;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * What {@code statx(2)} says about one file, read from the file's own descriptor (never a path
 * looked up a second time).
 *
 * @param kind regular file, directory, symbolic link or anything else
 * @param size length in bytes (for a link: the length of its target text)
 * @param modified last modification time
 * @param mode the permission bits, 0 to 07777
 * @param device the device number, as {@code st_dev}
 * @param inode the inode number
 */
public record FileStat(Kind kind, long size, Instant modified, int mode, long device, long inode) {

    /** The file types a server tells apart. */
    public enum Kind { FILE, DIRECTORY, SYMLINK, OTHER }

    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    public FileStat {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(modified, "modified");
        if (size < 0 || mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("size " + size + " mode " + Integer.toOctalString(mode));
        }
    }

    /** Decodes a struct statx (linux/stat.h; the same layout on every architecture). */
    static FileStat of(MemorySegment statx) {
        int mode = Short.toUnsignedInt(statx.get(JAVA_SHORT, 28));
        Kind kind = switch (mode & Libc.S_IFMT) {
            case Libc.S_IFREG -> Kind.FILE;
            case Libc.S_IFDIR -> Kind.DIRECTORY;
            case Libc.S_IFLNK -> Kind.SYMLINK;
            default -> Kind.OTHER;
        };
        long inode = statx.get(JAVA_LONG, 32);
        long size = statx.get(JAVA_LONG, 40);
        Instant modified = Instant.ofEpochSecond(statx.get(JAVA_LONG, 112), Integer.toUnsignedLong(statx.get(JAVA_INT, 120)));
        long major = Integer.toUnsignedLong(statx.get(JAVA_INT, 136));
        long minor = Integer.toUnsignedLong(statx.get(JAVA_INT, 140));
        // glibc's makedev(), so the number matches what stat(2) reports as st_dev.
        long device = ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
        return new FileStat(kind, Math.max(0, size), modified, mode & 07777, device, inode);
    }

    public boolean isRegularFile() {
        return kind == Kind.FILE;
    }

    public boolean isDirectory() {
        return kind == Kind.DIRECTORY;
    }

    public boolean isSymbolicLink() {
        return kind == Kind.SYMLINK;
    }

    /** The permission bits as {@link PosixFilePermission}s (set-id and sticky bits left out). */
    public Set<PosixFilePermission> permissions() {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((mode & (1 << i)) != 0) {
                out.add(BITS[i]);
            }
        }
        return out;
    }
}
