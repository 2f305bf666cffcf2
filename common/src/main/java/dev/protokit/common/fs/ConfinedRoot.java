package dev.protokit.common.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static dev.protokit.common.fs.Libc.AT_EMPTY_PATH;
import static dev.protokit.common.fs.Libc.AT_FDCWD;
import static dev.protokit.common.fs.Libc.AT_REMOVEDIR;
import static dev.protokit.common.fs.Libc.AT_SYMLINK_NOFOLLOW;
import static dev.protokit.common.fs.Libc.O_CLOEXEC;
import static dev.protokit.common.fs.Libc.O_DIRECTORY;
import static dev.protokit.common.fs.Libc.O_NONBLOCK;
import static dev.protokit.common.fs.Libc.O_PATH;
import static dev.protokit.common.fs.Libc.O_RDONLY;

/**
 * A directory that file servers serve from, and the only way they touch files: every operation
 * resolves its path beneath the root's descriptor and acts on what it found in the same step,
 * so there is no window between a check and a use for a swapped symbolic link to slip through.
 *
 * <p>Paths are relative, {@code /}-separated, UTF-8; {@code ""} is the root. Symbolic links are
 * followed while they stay beneath the root (what users expect of a link to a sibling
 * directory); a link or {@code ..} that would leave it, any absolute link (it names a host path,
 * even one that happens to be inside) and magic links ({@code /proc/self/root}, {@code /proc/N/fd/M})
 * fail with {@link ConfinementException}. Operations on a name (mkdir, rmdir, delete, rename,
 * lstat) never follow their last component. Opening for read gives regular files only (a FIFO
 * swapped in cannot block the caller), creating is exclusive and never through a link.
 *
 * <p>Resolution is one {@code openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)} (Linux 5.6+),
 * or where that call is missing (ENOSYS, seccomp) the same rules walked component by component
 * ({@link Resolver}). A file is handed out as a {@link FileChannel} opened through
 * {@code /proc/self/fd/N} of the already-resolved descriptor, which cannot look a name up again.
 *
 * <p>Threads: these are short system calls on local file metadata (microseconds, measured in
 * {@code bench/confine-open.sh}). A foreign call holds its carrier thread for its duration, which
 * the JDK does not compensate for as it does for its own file I/O; for calls this short on local
 * disks that is the same cost as any CPU work, so they run directly on virtual threads. A root on
 * a network file system that can hang would hold carriers and should not be served.
 *
 * <p>Thread-safe. {@link #close} waits for no one: calls running keep the descriptor alive and
 * later calls fail with {@link java.nio.channels.ClosedChannelException}.
 */
public final class ConfinedRoot implements AutoCloseable {
    private final Path path;
    private final Descriptor dir;
    private final Resolver resolver;

    private ConfinedRoot(Path path, int fd, Resolver resolver) {
        this.path = path;
        this.dir = new Descriptor(fd);
        this.resolver = resolver;
    }

    /** Opens the existing directory {@code root} (symbolic links in it resolved once, here). */
    public static ConfinedRoot open(Path root) throws IOException {
        return open(root, Resolver.BEST);
    }

    static ConfinedRoot open(Path root, Resolver resolver) throws IOException {
        Path real = root.toRealPath();
        if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
            throw new IOException("confined file access needs /proc mounted (/proc/self/fd is missing)");
        }
        try (var call = new Libc.Call()) {
            int fd = ConfinedDirectory.check(call.openat(AT_FDCWD, real.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0),
                    real.toString());
            return new ConfinedRoot(real, fd, resolver);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The root's real path. */
    public Path path() {
        return path;
    }

    /** How paths are resolved here: {@code "openat2"} or {@code "walk"} (for the start-up log). */
    public String resolution() {
        return resolver.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Opens the regular file at {@code path} for reading. */
    public FileChannel openRead(String path) throws IOException {
        return run(path, (call, root) -> ConfinedDirectory.channel(call,
                resolver.open(call, root, path, O_RDONLY | O_NONBLOCK, 0), path, StandardOpenOption.READ));
    }

    /** Creates the file {@code path} with {@code mode} (umask applies) and opens it for writing; it must not exist. */
    public FileChannel createNew(String path, int mode) throws IOException {
        Parent p = parent(path);
        return run(path, (call, root) -> {
            int parent = resolver.open(call, root, p.dir(), O_PATH | O_DIRECTORY, 0);
            try {
                return ConfinedDirectory.createNew(call, parent, p.name(), mode, path);
            } finally {
                call.close(parent);
            }
        });
    }

    /** The directory at {@code path}, held open for operations on its entries. */
    public ConfinedDirectory directory(String path) throws IOException {
        return run(path, (call, root) -> new ConfinedDirectory(resolver.open(call, root, path, O_PATH | O_DIRECTORY, 0), path));
    }

    /** What {@code path} leads to, following links beneath the root. */
    public FileStat stat(String path) throws IOException {
        return run(path, (call, root) -> {
            int fd = resolver.open(call, root, path, O_PATH, 0);
            try {
                return Resolver.stat(call, fd, "", AT_EMPTY_PATH, path);
            } finally {
                call.close(fd);
            }
        });
    }

    /** What {@code path} itself is: a link is described, not followed. */
    public FileStat lstat(String path) throws IOException {
        if (path.isEmpty()) {
            return stat(path);
        }
        return onParent(path, (call, parent, name) -> Resolver.stat(call, parent, name, AT_SYMLINK_NOFOLLOW, path));
    }

    /** The entries of the directory at {@code path} with lstat facts, without "." and ".."; names that are not UTF-8 are left out. */
    public List<DirEntry> list(String path) throws IOException {
        return run(path, (call, root) -> {
            int fd = resolver.open(call, root, path, O_RDONLY | O_DIRECTORY, 0);
            try {
                var out = new ArrayList<DirEntry>();
                for (String name : DirectoryNames.read(call, fd, path)) {
                    try {
                        out.add(new DirEntry(name, Resolver.stat(call, fd, name, AT_SYMLINK_NOFOLLOW, name)));
                    } catch (NoSuchFileException e) {
                        // removed since it was read: not listed
                    }
                }
                return out;
            } finally {
                call.close(fd);
            }
        });
    }

    public void mkdir(String path, int mode) throws IOException {
        onParent(path, (call, parent, name) -> ConfinedDirectory.check(call.mkdirat(parent, name, mode), path));
    }

    /** Removes the empty directory {@code path} (a link to a directory is not one: ENOTDIR). */
    public void rmdir(String path) throws IOException {
        onParent(path, (call, parent, name) -> ConfinedDirectory.check(call.unlinkat(parent, name, AT_REMOVEDIR), path));
    }

    /** Removes the file or link {@code path} (a directory fails with EISDIR). */
    public void delete(String path) throws IOException {
        onParent(path, (call, parent, name) -> ConfinedDirectory.check(call.unlinkat(parent, name, 0), path));
    }

    /** {@code rename(2)}: moves {@code from} to {@code to}, replacing a file there; neither last component is followed. */
    public void rename(String from, String to) throws IOException {
        Parent source = parent(from);
        Parent target = parent(to);
        run(from, (call, root) -> {
            int fromDir = resolver.open(call, root, source.dir(), O_PATH | O_DIRECTORY, 0);
            try {
                int toDir = resolver.open(call, root, target.dir(), O_PATH | O_DIRECTORY, 0);
                try {
                    return ConfinedDirectory.check(call.renameat(fromDir, source.name(), toDir, target.name()), from);
                } finally {
                    call.close(toDir);
                }
            } finally {
                call.close(fromDir);
            }
        });
    }

    /** Sets the modification time of what {@code path} leads to (MFMT), following links beneath the root. */
    public void setModifiedTime(String path, Instant time) throws IOException {
        Objects.requireNonNull(time, "time");
        run(path, (call, root) -> {
            int fd = resolver.open(call, root, path, O_PATH, 0);
            try {
                return ConfinedDirectory.check(call.utimensat(AT_FDCWD, "/proc/self/fd/" + fd,
                        time.getEpochSecond(), time.getNano(), 0), path);
            } finally {
                call.close(fd);
            }
        });
    }

    /** Closes the root's descriptor once running calls are done; later calls fail. */
    @Override
    public void close() {
        dir.close();
    }

    /** A native step with its scratch memory and a held descriptor. */
    interface Op<T> {
        T apply(Libc.Call call, int fd) throws Throwable;
    }

    private interface NameOp<T> {
        T apply(Libc.Call call, int parent, String name) throws Throwable;
    }

    private record Parent(String dir, String name) {}

    private <T> T run(String path, Op<T> op) throws IOException {
        checkPath(path);
        return run(dir, op);
    }

    private <T> T onParent(String path, NameOp<T> op) throws IOException {
        Parent p = parent(path);
        return run(path, (call, root) -> {
            int parent = resolver.open(call, root, p.dir(), O_PATH | O_DIRECTORY, 0);
            try {
                return op.apply(call, parent, p.name());
            } finally {
                call.close(parent);
            }
        });
    }

    static <T> T run(Descriptor dir, Op<T> op) throws IOException {
        int fd = dir.acquire();
        try (var call = new Libc.Call()) {
            return op.apply(call, fd);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native call failed", t);
        } finally {
            dir.release();
        }
    }

    /** Splits off the last component, which must be a name (not empty, "." or ".."). */
    private static Parent parent(String path) throws ConfinementException {
        checkPath(path);
        String trimmed = path;
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        int slash = trimmed.lastIndexOf('/');
        Parent p = new Parent(slash < 0 ? "" : trimmed.substring(0, slash), trimmed.substring(slash + 1));
        checkName(p.name());
        return p;
    }

    private static void checkPath(String path) throws ConfinementException {
        Objects.requireNonNull(path, "path");
        if (path.indexOf('\0') >= 0 || path.startsWith("/")) {
            throw new ConfinementException(path, ConfinementException.Reason.BAD_NAME);
        }
    }

    static void checkName(String name) throws ConfinementException {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new ConfinementException(name, ConfinementException.Reason.BAD_NAME);
        }
    }
}
