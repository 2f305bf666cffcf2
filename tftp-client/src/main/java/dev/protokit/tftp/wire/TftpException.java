package dev.protokit.tftp.wire;

import java.util.Objects;

/**
 * The one exception of the TFTP protocol: a wire violation, a failed negotiation, an error
 * reported by the peer or an exhausted retry budget. It carries the {@link ErrorCode} that an
 * ERROR packet would put on the wire, so a handler can answer the peer without translating.
 *
 * <p>Messages name the error and the offending value in hex, for example
 * {@code "ILLEGAL_OPERATION opcode 0x0009"}.
 */
public final class TftpException extends RuntimeException {
    private final ErrorCode code;

    /** A protocol failure with its wire code, a message naming the bad value, and its cause. */
    public TftpException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** A protocol failure with no underlying cause. */
    public TftpException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /** The code an ERROR packet about this failure carries. */
    public ErrorCode code() {
        return code;
    }
}
