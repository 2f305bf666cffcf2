package dev.protokit.common.frame;

import java.util.Objects;

/**
 * A line a {@link LineReader} refused. Unchecked, carries its {@link LineError} and the cause
 * (a charset error) when there is one; the message starts with the error name followed by the
 * offending position or length in hex ("BARE_LF line feed without carriage return at offset
 * 0x00000004"). When {@link #recoverable()} the reader has already skipped to the next line.
 */
public sealed class LineException extends RuntimeException permits LineTooLongException {
    private final LineError error;

    /** A rejected line without an underlying cause. */
    public LineException(LineError error, String detail) {
        this(error, detail, null);
    }

    /** A rejected line caused by {@code cause}, which may be null. */
    public LineException(LineError error, String detail, Throwable cause) {
        super(Objects.requireNonNull(error, "error").name() + " " + Objects.requireNonNull(detail, "detail"),
                cause);
        this.error = error;
    }

    /** What was wrong with the line. */
    public LineError error() {
        return error;
    }

    /** True if the next {@link LineReader#readLine()} reads the line after the bad one. */
    public boolean recoverable() {
        return error.recoverable();
    }
}
