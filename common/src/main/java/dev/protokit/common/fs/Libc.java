package dev.protokit.common.fs;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The Linux system calls {@link ConfinedRoot} needs, bound once through the foreign-function API,
 * each returning its raw result with errno captured at the call ({@code Linker.Option.captureCallState}),
 * so nothing the JVM does in between can overwrite it. Every call takes the calling thread's
 * confined {@link Arena} for its strings, buffers and the errno slot. Flag values are those of
 * x86-64 and AArch64 (they differ in O_DIRECTORY and O_NOFOLLOW); other machines are refused.
 */
final class Libc {
    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_REMOVEDIR = 0x200;
    static final int AT_EMPTY_PATH = 0x1000;
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_CREAT = 0x40;
    static final int O_EXCL = 0x80;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int O_PATH = 0x200000;
    static final int O_DIRECTORY;
    static final int O_NOFOLLOW;
    /** openat2(2) resolve flags (linux/openat2.h). */
    static final long RESOLVE_NO_MAGICLINKS = 0x02;
    static final long RESOLVE_BENEATH = 0x08;
    static final int S_IFMT = 0170000;
    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;
    static final int S_IFLNK = 0120000;
    /** statx(2): STATX_BASIC_STATS. */
    static final int STATX_BASIC = 0x7ff;
    static final long STATX_SIZE = 256;
    private static final long UTIME_OMIT = (1L << 30) - 2;
    private static final long SYS_OPENAT2 = 437; // the same number on every Linux architecture

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");
    private static final MethodHandle OPENAT2 = bind("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle OPENAT = bind("openat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(3));
    private static final MethodHandle MKDIRAT = bind("mkdirat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle UNLINKAT = bind("unlinkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RENAMEAT = bind("renameat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle LINKAT = bind("linkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle READLINKAT = bind("readlinkat",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle STATX = bind("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle UTIMENSAT = bind("utimensat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GETDENTS64 = bind("getdents64",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

    static {
        switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> {
                O_DIRECTORY = 0x10000;
                O_NOFOLLOW = 0x20000;
            }
            case "aarch64" -> {
                O_DIRECTORY = 0x4000;
                O_NOFOLLOW = 0x8000;
            }
            default -> throw new UnsupportedOperationException(
                    "confined file access supports Linux on x86-64 and AArch64, not " + System.getProperty("os.arch"));
        }
    }

    private Libc() {}

    @SuppressWarnings("restricted") // the point of this class; enabled by --enable-native-access
    private static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        if (!System.getProperty("os.name").equals("Linux")) {
            throw new UnsupportedOperationException("confined file access needs Linux, not " + System.getProperty("os.name"));
        }
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = ERRNO_OPTION;
        System.arraycopy(options, 0, all, 1, options.length);
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, all);
    }

    /** A call's result: the return value, and errno when it is negative. */
    record Result(long value, int errno) {
        boolean failed() {
            return value < 0;
        }
    }

    /** One call's scratch memory: the errno slot, strings and buffers. */
    static final class Call implements AutoCloseable {
        final Arena arena = Arena.ofConfined();
        private final MemorySegment state = arena.allocate(CAPTURE);

        MemorySegment string(String s) {
            return arena.allocateFrom(s);
        }

        private Result result(long value) {
            return new Result(value, value < 0 ? (int) ERRNO.get(state, 0L) : 0);
        }

        /** openat2(dirfd, path, {flags, mode, resolve}); ENOSYS on kernels before 5.6 or under seccomp. */
        Result openat2(int dirfd, String path, int flags, int mode, long resolve) throws Throwable {
            MemorySegment how = arena.allocate(JAVA_LONG, 3);
            how.setAtIndex(JAVA_LONG, 0, flags & 0xffffffffL);
            how.setAtIndex(JAVA_LONG, 1, mode);
            how.setAtIndex(JAVA_LONG, 2, resolve);
            return result((long) OPENAT2.invokeExact(state, SYS_OPENAT2, (long) dirfd, string(path), how, 24L));
        }

        Result openat(int dirfd, String path, int flags, int mode) throws Throwable {
            return result((int) OPENAT.invokeExact(state, dirfd, string(path), flags, mode));
        }

        Result mkdirat(int dirfd, String name, int mode) throws Throwable {
            return result((int) MKDIRAT.invokeExact(state, dirfd, string(name), mode));
        }

        Result unlinkat(int dirfd, String name, int flags) throws Throwable {
            return result((int) UNLINKAT.invokeExact(state, dirfd, string(name), flags));
        }

        Result renameat(int fromDir, String from, int toDir, String to) throws Throwable {
            return result((int) RENAMEAT.invokeExact(state, fromDir, string(from), toDir, string(to)));
        }

        Result linkat(int fromDir, String from, int toDir, String to) throws Throwable {
            return result((int) LINKAT.invokeExact(state, fromDir, string(from), toDir, string(to), 0));
        }

        /** readlinkat into {@code buffer}; the result is the number of bytes (not NUL-terminated). */
        Result readlinkat(int dirfd, String path, MemorySegment buffer) throws Throwable {
            return result((long) READLINKAT.invokeExact(state, dirfd, string(path), buffer, buffer.byteSize()));
        }

        /** statx into {@code buffer} ({@link #STATX_SIZE} bytes, the layout of struct statx). */
        Result statx(int dirfd, String path, int flags, MemorySegment buffer) throws Throwable {
            return result((int) STATX.invokeExact(state, dirfd, string(path), flags, STATX_BASIC, buffer));
        }

        /** utimensat setting the modification time only (the access time is UTIME_OMIT). */
        Result utimensat(int dirfd, String path, long seconds, long nanos, int flags) throws Throwable {
            MemorySegment times = arena.allocate(JAVA_LONG, 4);
            times.setAtIndex(JAVA_LONG, 0, 0);
            times.setAtIndex(JAVA_LONG, 1, UTIME_OMIT);
            times.setAtIndex(JAVA_LONG, 2, seconds);
            times.setAtIndex(JAVA_LONG, 3, nanos);
            return result((int) UTIMENSAT.invokeExact(state, dirfd, string(path), times, flags));
        }

        Result close(int fd) throws Throwable {
            return result((int) CLOSE.invokeExact(state, fd));
        }

        /**
         * getdents64 into {@code buffer}: packed struct linux_dirent64 records (d_ino at 0, d_off
         * at 8, d_reclen at 16, d_type at 18, the NUL-terminated d_name at 19); 0 at the end.
         */
        Result getdents64(int fd, MemorySegment buffer) throws Throwable {
            return result((long) GETDENTS64.invokeExact(state, fd, buffer, buffer.byteSize()));
        }

        @Override
        public void close() {
            arena.close();
        }
    }
}
