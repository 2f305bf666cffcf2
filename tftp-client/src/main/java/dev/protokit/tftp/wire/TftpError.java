package dev.protokit.tftp.wire;

import java.util.Objects;

/**
 * An ERROR packet (RFC 1350): it terminates the transfer and is never acknowledged or
 * retransmitted.
 *
 * @param code    the error code
 * @param message the human-readable message, possibly empty; ISO-8859-1, no NUL
 */
public record TftpError(ErrorCode code, String message) implements TftpPacket {
    /** Checks the message can be written as a NUL-terminated string. */
    public TftpError {
        Objects.requireNonNull(code, "code");
        Strings.requireWireString("error message", message, true);
    }

    /** An error carrying the standard description of its code. */
    public static TftpError of(ErrorCode code) {
        return new TftpError(code, code.description());
    }

    /**
     * This error with a message of at most {@code room} characters: the message itself if it
     * fits, else {@code shorter} (the first that fits), else the code's {@link ErrorCode#shortText()},
     * else none. Never a word cut in half.
     */
    public TftpError fitted(int room, String... shorter) {
        if (message.length() <= room) {
            return this;
        }
        for (String s : shorter) {
            if (s.length() <= room) {
                return new TftpError(code, s);
            }
        }
        return new TftpError(code, code.shortText().length() <= room ? code.shortText() : "");
    }

    /** The error an exception should be reported to the peer with. */
    public static TftpError of(TftpException e) {
        String message = e.getMessage() == null ? e.code().description() : e.getMessage();
        StringBuilder safe = new StringBuilder(Math.min(message.length(), 200));
        for (int i = 0; i < message.length() && safe.length() < 200; i++) {
            char c = message.charAt(i);
            safe.append(c == 0 || c > 0xff ? '?' : c);
        }
        return new TftpError(e.code(), safe.toString());
    }

    @Override
    public Opcode opcode() {
        return Opcode.ERROR;
    }
}
