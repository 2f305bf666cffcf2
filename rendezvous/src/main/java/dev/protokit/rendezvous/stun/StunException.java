package dev.protokit.rendezvous.stun;

import java.util.Objects;

/**
 * The one exception of the STUN/TURN wire layer: a malformed message, an attribute of the wrong
 * length, a failed integrity or fingerprint check. It carries the {@link StunError} an error
 * response about it would carry (a server drops malformed messages instead of answering; see
 * RFC 8489 section 6.3).
 *
 * <p>Messages name the problem and the bad value in hex, for example
 * {@code "BAD_REQUEST XOR-MAPPED-ADDRESS family 0x0003"}.
 */
public final class StunException extends RuntimeException {
    private final StunError error;

    /** A failure with its wire error, a message naming the bad value, and its cause. */
    public StunException(StunError error, String message, Throwable cause) {
        super(message, cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    /** A failure with no underlying cause. */
    public StunException(StunError error, String message) {
        this(error, message, null);
    }

    /** A malformed message: {@code "BAD_REQUEST " + what}. */
    static StunException badRequest(String what) {
        return new StunException(StunError.BAD_REQUEST, "BAD_REQUEST " + what);
    }

    /** The error a response about this failure carries. */
    public StunError error() {
        return error;
    }
}
