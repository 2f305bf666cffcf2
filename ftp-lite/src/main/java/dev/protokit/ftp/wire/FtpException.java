package dev.protokit.ftp.wire;

import java.util.Objects;

/**
 * The one exception of the FTP protocol: a command that fails with a reply code. The session
 * catches it and answers with {@link #reply()}, then reads the next command, so bad input never
 * costs the connection. Messages name the code and the offending value, e.g.
 * {@code "ARGUMENT_ERROR(501) PORT field 5 = 0x0000012c out of range"}.
 */
public final class FtpException extends RuntimeException {
    private final ReplyCode code;
    private final String replyText;

    /** A failure answered with {@code code} and {@code replyText}. */
    public FtpException(ReplyCode code, String replyText) {
        this(code, replyText, null);
    }

    /** A failure answered with {@code code} and {@code replyText}, caused by {@code cause}. */
    public FtpException(ReplyCode code, String replyText, Throwable cause) {
        super(Objects.requireNonNull(code, "code") + " " + Objects.requireNonNull(replyText, "replyText"), cause);
        if (!code.isFailure()) {
            throw new IllegalArgumentException("not a failure code: " + code);
        }
        this.code = code;
        this.replyText = replyText;
    }

    /** The reply code the client receives. */
    public ReplyCode code() {
        return code;
    }

    /** The reply to send: the code and the text, which never contains CR or LF. */
    public Reply reply() {
        return Reply.of(code, replyText);
    }
}
