package dev.protokit.common.frame;

import java.util.Objects;
import java.util.Optional;

/**
 * A frame that breaks the framing rules or the configured {@link FrameLimits}, on either side.
 *
 * <p>Unchecked, like each protocol's own exception, so that it can escape from
 * {@link java.io.InputStream#read()} of a body without wrapping. The message starts with the
 * {@link FrameError} name followed by the bad value, lengths in hex; the cause, when there is
 * one (a Jackson or charset error), is kept. After a reader throws this the stream position is
 * undefined: the connection should be closed.
 */
public final class FrameException extends RuntimeException {
    private final FrameError error;

    /** A rejection with no underlying cause. */
    public FrameException(FrameError error, String detail) {
        this(error, detail, null);
    }

    /** A rejection caused by {@code cause} (may be null only through this constructor). */
    public FrameException(FrameError error, String detail, Throwable cause) {
        super(Objects.requireNonNull(error, "error").name() + " " + Objects.requireNonNull(detail, "detail"),
                cause);
        this.error = error;
    }

    /** What went wrong, for callers that react differently to different failures. */
    public FrameError error() {
        return error;
    }

    /** The underlying failure, if any. */
    public Optional<Throwable> underlyingCause() {
        return Optional.ofNullable(getCause());
    }

    /** Formats a 32-bit length as the wire shows it, e.g. {@code 0x00010000}. */
    static String hex32(long value) {
        return String.format("0x%08x", value);
    }

    /** Formats a 64-bit length without padding, e.g. {@code 0x140000000}. */
    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
