package dev.protokit.rendezvous.wire;

import java.util.Objects;

/**
 * The one exception of the rendezvous protocol, carrying its {@link ErrorCode}. Messages name
 * the problem and the bad value in hex: {@code "BAD_MESSAGE candidate count 0x0011"}.
 */
public final class RendezvousException extends RuntimeException {
    private final ErrorCode code;

    /** A failure with its code, a message naming the bad value, and its cause. */
    public RendezvousException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** A failure with no underlying cause. */
    public RendezvousException(ErrorCode code, String message) {
        this(code, message, null);
    }

    static RendezvousException bad(String what) {
        return new RendezvousException(ErrorCode.BAD_MESSAGE, "BAD_MESSAGE " + what);
    }

    /** The code an ERROR message about this failure carries. */
    public ErrorCode code() {
        return code;
    }
}
