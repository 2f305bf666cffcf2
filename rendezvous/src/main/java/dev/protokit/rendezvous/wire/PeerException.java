package dev.protokit.rendezvous.wire;

import java.util.Objects;

/**
 * The one exception of the peer protocol: a malformed or unauthentic datagram, a failed key
 * exchange, a dead channel. It carries the {@link PeerError} so a caller can decide between
 * dropping the datagram (MALFORMED, UNAUTHENTICATED, REPLAYED) and ending the session.
 *
 * <p>Messages name the error and the offending value in hex: {@code "MALFORMED type 0x07"}.
 */
public final class PeerException extends RuntimeException {
    private final PeerError error;

    /** A failure with its error, a message naming the bad value, and its cause. */
    public PeerException(PeerError error, String message, Throwable cause) {
        super(message, cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    /** A failure with no underlying cause. */
    public PeerException(PeerError error, String message) {
        this(error, message, null);
    }

    /** What went wrong. */
    public PeerError error() {
        return error;
    }
}
