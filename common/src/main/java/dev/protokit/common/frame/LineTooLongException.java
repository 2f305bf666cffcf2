package dev.protokit.common.frame;

/**
 * A line longer than the reader's maximum. The reader discarded it up to and including its line
 * feed without keeping it, so the caller can reply (FTP "500 line too long") and read on.
 */
public final class LineTooLongException extends LineException {
    private final long length;
    private final int limit;

    /**
     * @param length the line's length in bytes, excluding its line end
     * @param limit  the maximum the reader accepts
     */
    public LineTooLongException(long length, int limit) {
        super(LineError.TOO_LONG, "line of " + hex(length) + " bytes exceeds limit " + hex(limit));
        this.length = length;
        this.limit = limit;
    }

    /** The discarded line's length in bytes, excluding its line end. */
    public long length() {
        return length;
    }

    /** The maximum line length the reader accepts. */
    public int limit() {
        return limit;
    }

    private static String hex(long value) {
        return String.format("0x%08x", value);
    }
}
