package dev.protokit.common.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import static dev.protokit.common.fs.Libc.AT_EMPTY_PATH;
import static dev.protokit.common.fs.Libc.AT_SYMLINK_NOFOLLOW;
import static dev.protokit.common.fs.Libc.O_CLOEXEC;
import static dev.protokit.common.fs.Libc.O_CREAT;
import static dev.protokit.common.fs.Libc.O_EXCL;
import static dev.protokit.common.fs.Libc.O_NOFOLLOW;
import static dev.protokit.common.fs.Libc.O_NONBLOCK;
import static dev.protokit.common.fs.Libc.O_PATH;
import static dev.protokit.common.fs.Libc.O_RDONLY;
import static dev.protokit.common.fs.Libc.O_WRONLY;

/**
 * One directory beneath a {@link ConfinedRoot}, held open by its descriptor: operations name a
 * single entry in it, so what happens to the path that led here (a link swapped, a parent
 * renamed) cannot move them. An upload keeps one for its whole life: the temporary file is
 * created, renamed over the target and, if need be, deleted in the very directory that was
 * checked at the start. The last component is never followed. Thread-safe; close it when done.
 */
public final class ConfinedDirectory implements AutoCloseable {
    private final Descriptor dir;
    private final String path;

    ConfinedDirectory(int fd, String path) {
        this.dir = new Descriptor(fd);
        this.path = path;
    }

    /** Where this directory was found, relative to its root (for messages; "" is the root). */
    public String path() {
        return path;
    }

    /** Creates {@code name} (it must not exist, not even as a dangling link) and opens it for writing. */
    public FileChannel createNew(String name, int mode) throws IOException {
        return on(name, (call, fd) -> createNew(call, fd, name, mode, name));
    }

    /** Opens the existing regular file {@code name} for writing (an upload resumed in place), not through a link. */
    public FileChannel openWrite(String name) throws IOException {
        return on(name, (call, fd) -> {
            int file = check(call.openat(fd, name, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC, 0), name);
            return channel(call, file, name, StandardOpenOption.WRITE);
        });
    }

    /** Opens the existing regular file {@code name} for reading, not through a link. */
    public FileChannel openRead(String name) throws IOException {
        return on(name, (call, fd) -> {
            int file = check(call.openat(fd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC, 0), name);
            return channel(call, file, name, StandardOpenOption.READ);
        });
    }

    /** {@code rename(2)} of {@code from} to {@code to} in this directory; an existing {@code to} is replaced. */
    public void rename(String from, String to) throws IOException {
        ConfinedRoot.checkName(to);
        on(from, (call, fd) -> check(call.renameat(fd, from, fd, to), from));
    }

    /** A second name {@code to} for the file {@code from} ({@code link(2)}; the target is not followed). */
    public void link(String from, String to) throws IOException {
        ConfinedRoot.checkName(to);
        on(from, (call, fd) -> check(call.linkat(fd, from, fd, to), to));
    }

    /** Removes the entry {@code name}; a link is removed, not its target. */
    public void delete(String name) throws IOException {
        on(name, (call, fd) -> check(call.unlinkat(fd, name, 0), name));
    }

    /** What {@code name} is, not following a link. */
    public FileStat lstat(String name) throws IOException {
        return on(name, (call, fd) -> Resolver.stat(call, fd, name, AT_SYMLINK_NOFOLLOW, name));
    }

    /**
     * Sets the permission bits of {@code name}, which must not be a link: chmod goes through the
     * entry's own {@code O_PATH} descriptor ({@code /proc/self/fd/N}), so a link swapped in for
     * it cannot redirect the change to another file.
     */
    public void setPermissions(String name, Set<PosixFilePermission> permissions) throws IOException {
        on(name, (call, fd) -> {
            int file = check(call.openat(fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0), name);
            try {
                if (Resolver.stat(call, file, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, name).isSymbolicLink()) {
                    throw new FileSystemException(name, null, "is a symbolic link");
                }
                Files.setPosixFilePermissions(Path.of("/proc/self/fd/" + file), permissions);
                return null;
            } finally {
                call.close(file);
            }
        });
    }

    @Override
    public void close() {
        dir.close();
    }

    private <T> T on(String name, ConfinedRoot.Op<T> op) throws IOException {
        ConfinedRoot.checkName(name);
        return ConfinedRoot.run(dir, op);
    }

    static FileChannel createNew(Libc.Call call, int dirfd, String name, int mode, String path) throws Throwable {
        if ((mode & 0200) == 0 || mode > 07777) {
            throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " must let the owner write");
        }
        int fd = check(call.openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode), path);
        return channel(call, fd, path, StandardOpenOption.WRITE);
    }

    /** The value of a successful call, or the exception for its errno. */
    static int check(Libc.Result r, String path) throws FileSystemException {
        if (r.failed()) {
            throw Errno.exception(r.errno(), path, false);
        }
        return (int) r.value();
    }

    /**
     * A {@link FileChannel} on the regular file {@code fd} was opened on, and {@code fd} closed.
     * {@code /proc/self/fd/N} is a "magic link" to the open file itself: opening it reaches the
     * same inode without looking up any name again, so nothing can be swapped in between.
     */
    static FileChannel channel(Libc.Call call, int fd, String path, StandardOpenOption mode) throws Throwable {
        try {
            FileStat stat = Resolver.stat(call, fd, "", AT_EMPTY_PATH, path);
            if (!stat.isRegularFile()) {
                throw new FileSystemException(path, null, "not a regular file");
            }
            return FileChannel.open(Path.of("/proc/self/fd/" + fd), mode);
        } finally {
            call.close(fd);
        }
    }
}
