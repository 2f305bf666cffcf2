package dev.protokit.common.fs;

import java.nio.file.FileSystemException;
import java.util.Objects;

/**
 * A path {@link ConfinedRoot} refuses to resolve: it names something outside the root (through
 * {@code ..}, an absolute path or symbolic link, a magic link such as {@code /proc/self/root}),
 * or it is not a name at all (NUL, an empty or {@code ..} last component where a name is needed).
 * Servers answer it as "access denied" and never say where the path led.
 */
public final class ConfinementException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    /** Why the path was refused. */
    public enum Reason {
        /** Resolution would leave the root (EXDEV from openat2, or the same found by the walk). */
        ESCAPES_ROOT,
        /** A magic link (procfs) was met; RESOLVE_NO_MAGICLINKS refuses them. */
        MAGIC_LINK,
        /** The text cannot name a file beneath the root (NUL, absolute, no last name). */
        BAD_NAME
    }

    private final Reason reason;

    public ConfinementException(String path, Reason reason) {
        super(path, null, Objects.requireNonNull(reason, "reason").name());
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
