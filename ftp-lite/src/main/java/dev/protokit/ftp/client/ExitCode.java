package dev.protokit.ftp.client;

/**
 * The exit statuses of {@code ftp-lite}, distinct per kind of failure so scripts can tell a
 * typo from a dead server from a missing remote file from a full local disk.
 */
public enum ExitCode {
    /** Everything asked for was done. */
    OK(0),
    /** An unexpected failure (a bug); the message says what. */
    INTERNAL(1),
    /** Bad command line: unknown option, missing argument, malformed URL. */
    USAGE(2),
    /** Could not connect, TLS failed, login refused, or the connection dropped. */
    CONNECTION(3),
    /** The server refused an operation (a 4xx or 5xx reply), or sent something unsafe. */
    REMOTE(4),
    /** A local file could not be read or written. */
    LOCAL_IO(5);

    private final int status;

    ExitCode(int status) {
        this.status = status;
    }

    /** The process exit status. */
    public int status() {
        return status;
    }
}
