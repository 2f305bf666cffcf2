package dev.protokit.common.fs;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static dev.protokit.common.fs.Libc.AT_EMPTY_PATH;
import static dev.protokit.common.fs.Libc.AT_SYMLINK_NOFOLLOW;
import static dev.protokit.common.fs.Libc.O_CLOEXEC;
import static dev.protokit.common.fs.Libc.O_CREAT;
import static dev.protokit.common.fs.Libc.O_DIRECTORY;
import static dev.protokit.common.fs.Libc.O_NOFOLLOW;
import static dev.protokit.common.fs.Libc.O_PATH;

/**
 * Opens a path beneath a directory descriptor so that no step of the lookup can leave it, and
 * returns the descriptor of what it found (the caller closes it). Symbolic links are followed
 * while they stay beneath; {@code ..} above the directory, absolute links and magic links are
 * refused. {@code O_NOFOLLOW} in the flags leaves the last component unfollowed.
 *
 * <ul>
 *   <li>{@link #OPENAT2}: one {@code openat2(2)} with {@code RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS}
 *       (Linux 5.6+): the kernel resolves and opens in one step.
 *   <li>{@link #WALK}: where openat2 is missing (ENOSYS: an older kernel, or a seccomp filter),
 *       the same rules walked in user space one component at a time: each component is opened
 *       {@code O_PATH|O_NOFOLLOW} relative to the descriptor of the directory before it (held
 *       open, so renames cannot move the walk), links are read from their own descriptor and
 *       expanded in place, and {@code ..} pops the stack of held directories.
 * </ul>
 */
enum Resolver {
    OPENAT2, WALK;

    private static final int MAX_LINKS = 40; // Linux's MAXSYMLINKS
    private static final int RETRIES = 8;

    /** The strategy this kernel supports, probed once. */
    static final Resolver BEST = probe();

    private static Resolver probe() {
        try (var call = new Libc.Call()) {
            Libc.Result r = call.openat2(Libc.AT_FDCWD, ".", O_PATH | O_DIRECTORY, 0,
                    Libc.RESOLVE_BENEATH | Libc.RESOLVE_NO_MAGICLINKS);
            if (r.failed()) {
                return WALK; // ENOSYS, or EPERM/EINVAL from a filter that does not know the call
            }
            call.close((int) r.value());
            return OPENAT2;
        } catch (Throwable t) {
            return WALK;
        }
    }

    /** Opens {@code path} beneath {@code dirfd} with {@code flags} (and {@code mode} if creating). */
    int open(Libc.Call call, int dirfd, String path, int flags, int mode) throws IOException {
        try {
            return this == OPENAT2 ? openat2(call, dirfd, path, flags, mode) : walk(call, dirfd, path, flags, mode);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native call failed", t);
        }
    }

    private static int openat2(Libc.Call call, int dirfd, String path, int flags, int mode) throws Throwable {
        for (int attempt = 0; ; attempt++) {
            Libc.Result r = call.openat2(dirfd, path.isEmpty() ? "." : path, flags | O_CLOEXEC, (flags & O_CREAT) != 0 ? mode : 0,
                    Libc.RESOLVE_BENEATH | Libc.RESOLVE_NO_MAGICLINKS);
            if (!r.failed()) {
                return (int) r.value();
            }
            // EAGAIN: a concurrent rename kept the kernel from proving a ".." stayed beneath.
            if ((r.errno() == Errno.EAGAIN || r.errno() == Errno.EINTR) && attempt < RETRIES) {
                continue;
            }
            throw Errno.exception(r.errno(), path, true);
        }
    }

    private static int walk(Libc.Call call, int rootFd, String path, int flags, int mode) throws Throwable {
        for (int attempt = 0; ; attempt++) {
            int fd = walkOnce(call, rootFd, path, flags, mode);
            if (fd != -Errno.ELOOP || attempt == RETRIES) {
                if (fd < 0) {
                    throw Errno.exception(-fd, path, true);
                }
                return fd;
            }
            // The last component turned into a link between our look and our open: look again.
        }
    }

    /** One walk; returns the descriptor, or minus errno of the final open (to retry an ELOOP race). */
    private static int walkOnce(Libc.Call call, int rootFd, String path, int flags, int mode) throws Throwable {
        boolean followLast = (flags & O_NOFOLLOW) == 0;
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(path.split("/", -1)));
        List<Integer> held = new ArrayList<>();
        int links = 0;
        try {
            while (true) {
                int dir = held.isEmpty() ? rootFd : held.getLast();
                String name = todo.pollFirst();
                if (name == null) {
                    // The path ended on a directory ("", ".", "a/.."): open that directory itself.
                    return finalOpen(call, dir, ".", flags, mode);
                }
                if (name.isEmpty() || name.equals(".")) {
                    continue;
                }
                if (name.equals("..")) {
                    if (held.isEmpty()) {
                        throw new ConfinementException(path, ConfinementException.Reason.ESCAPES_ROOT);
                    }
                    call.close(held.removeLast());
                    continue;
                }
                boolean last = todo.stream().allMatch(s -> s.isEmpty() || s.equals("."));
                if (last && !followLast) {
                    return finalOpen(call, dir, name, flags, mode);
                }
                Libc.Result look = call.openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
                if (look.failed()) {
                    if (last && look.errno() == Errno.ENOENT && (flags & O_CREAT) != 0) {
                        return finalOpen(call, dir, name, flags, mode);
                    }
                    throw Errno.exception(look.errno(), path, true);
                }
                int fd = (int) look.value();
                FileStat.Kind kind;
                String target = "";
                try {
                    kind = kind(call, fd, path);
                    if (kind == FileStat.Kind.SYMLINK) {
                        target = readLink(call, fd, path);
                    }
                } catch (Throwable t) {
                    call.close(fd);
                    throw t;
                }
                if (kind == FileStat.Kind.SYMLINK) {
                    call.close(fd);
                    if (++links > MAX_LINKS) {
                        throw new FileSystemLoopException(path);
                    }
                    if (target.startsWith("/")) {
                        throw new ConfinementException(path, ConfinementException.Reason.ESCAPES_ROOT);
                    }
                    String[] parts = target.split("/", -1);
                    for (int i = parts.length - 1; i >= 0; i--) {
                        todo.addFirst(parts[i]);
                    }
                    continue;
                }
                if (!last || (flags & ~(O_NOFOLLOW | O_CLOEXEC | O_DIRECTORY)) == O_PATH) {
                    if ((!last || (flags & O_DIRECTORY) != 0) && kind != FileStat.Kind.DIRECTORY) {
                        call.close(fd);
                        throw new NotDirectoryException(path);
                    }
                    if (last) {
                        return fd; // an O_PATH look-up: the descriptor we hold is the answer
                    }
                    held.add(fd);
                    continue;
                }
                call.close(fd);
                return finalOpen(call, dir, name, flags, mode);
            }
        } finally {
            for (int fd : held) {
                call.close(fd);
            }
        }
    }

    private static int finalOpen(Libc.Call call, int dir, String name, int flags, int mode) throws Throwable {
        Libc.Result r = call.openat(dir, name, flags | O_NOFOLLOW | O_CLOEXEC, (flags & O_CREAT) != 0 ? mode : 0);
        return r.failed() ? -r.errno() : (int) r.value();
    }

    private static FileStat.Kind kind(Libc.Call call, int fd, String path) throws Throwable {
        return stat(call, fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, path).kind();
    }

    /** statx of {@code name} relative to {@code fd} (or of {@code fd} itself with AT_EMPTY_PATH). */
    static FileStat stat(Libc.Call call, int fd, String name, int flags, String path) throws Throwable {
        MemorySegment buffer = call.arena.allocate(Libc.STATX_SIZE, 8);
        Libc.Result r = call.statx(fd, name, flags, buffer);
        if (r.failed()) {
            throw Errno.exception(r.errno(), path, false);
        }
        return FileStat.of(buffer);
    }

    /** The text of the link {@code fd} was opened on (O_PATH|O_NOFOLLOW), read from the descriptor. */
    private static String readLink(Libc.Call call, int fd, String path) throws Throwable {
        MemorySegment buffer = call.arena.allocate(4096);
        Libc.Result r = call.readlinkat(fd, "", buffer);
        if (r.failed()) {
            throw Errno.exception(r.errno(), path, false);
        }
        if (r.value() == 0) {
            throw new NoSuchFileException(path);
        }
        if (r.value() >= buffer.byteSize()) {
            throw Errno.exception(Errno.ENAMETOOLONG, path, false);
        }
        return new String(buffer.asSlice(0, r.value()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }
}
