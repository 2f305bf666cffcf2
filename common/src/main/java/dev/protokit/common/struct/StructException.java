package dev.protokit.common.struct;

import java.io.Serial;

/**
 * A format string, a value or a buffer that Python's {@code struct} module would refuse; the
 * counterpart of {@code struct.error}. The message is CPython 3.11's, word for word (for
 * example {@code "'i' format requires -2147483648 <= number <= 2147483647"}), so logs and tests
 * can be compared with Python's. It is also thrown where CPython raises OverflowError
 * ("float too large to pack with e format") or a codec error for a non-ASCII format.
 */
public final class StructException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** A failure detected by this package, with CPython's message. */
    public StructException(String message) {
        super(message);
    }

    /** A failure caused by another exception, which is kept as the cause. */
    public StructException(String message, Throwable cause) {
        super(message, cause);
    }
}
