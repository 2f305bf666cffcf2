package dev.protokit.ftp.client;

import java.util.Objects;

/**
 * Why {@code ftp-lite} stopped: the exit code it maps to and a one-line message for stderr,
 * such as {@code 550 No such file: /x}. The cause is kept for {@code --verbose}.
 */
public final class FtpCliException extends RuntimeException {
    private final ExitCode code;

    public FtpCliException(ExitCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public FtpCliException(ExitCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ExitCode code() {
        return code;
    }

    static FtpCliException usage(String message) {
        return new FtpCliException(ExitCode.USAGE, message);
    }

    static FtpCliException connection(String message, Throwable cause) {
        return new FtpCliException(ExitCode.CONNECTION, message, cause);
    }

    static FtpCliException remote(String message) {
        return new FtpCliException(ExitCode.REMOTE, message);
    }

    static FtpCliException local(String message, Throwable cause) {
        return new FtpCliException(ExitCode.LOCAL_IO, message, cause);
    }
}
