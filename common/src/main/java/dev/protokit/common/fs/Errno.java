package dev.protokit.common.fs;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * errno values (asm-generic/errno-base.h and errno.h, the same on x86-64 and AArch64) and the
 * {@code java.nio.file} exception each one becomes, so callers catch what {@code Files} throws.
 */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int EXDEV = 18;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EROFS = 30;
    static final int ENAMETOOLONG = 36;
    static final int ENOSYS = 38;
    static final int ENOTEMPTY = 39;
    static final int ELOOP = 40;
    static final int EDQUOT = 122;

    private Errno() {}

    /**
     * The exception for a failed call on {@code path}. EXDEV during resolution beneath the root is
     * an escape; {@code resolving} tells whether the failing call was one.
     */
    static FileSystemException exception(int errno, String path, boolean resolving) {
        return switch (errno) {
            case ENOENT -> new NoSuchFileException(path);
            case EEXIST -> new FileAlreadyExistsException(path);
            case EACCES, EPERM, EROFS -> new AccessDeniedException(path, null, name(errno));
            case ENOTEMPTY -> new DirectoryNotEmptyException(path);
            case ENOTDIR -> new NotDirectoryException(path);
            case ELOOP -> new FileSystemLoopException(path);
            case EXDEV -> resolving ? new ConfinementException(path, ConfinementException.Reason.ESCAPES_ROOT)
                    : new FileSystemException(path, null, name(errno));
            default -> new FileSystemException(path, null, name(errno));
        };
    }

    /** The symbolic name with a short description, e.g. {@code "ENOSPC (no space left on device)"}. */
    static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM (operation not permitted)";
            case EACCES -> "EACCES (permission denied)";
            case EROFS -> "EROFS (read-only file system)";
            case EXDEV -> "EXDEV (cross-device link)";
            case EISDIR -> "EISDIR (is a directory)";
            case EINVAL -> "EINVAL (invalid argument)";
            case ENOSPC -> "ENOSPC (no space left on device)";
            case EDQUOT -> "EDQUOT (disk quota exceeded)";
            case ENAMETOOLONG -> "ENAMETOOLONG (file name too long)";
            case ENOSYS -> "ENOSYS (function not implemented)";
            default -> "errno " + errno;
        };
    }
}
