package dev.protokit.common.daemon;

/**
 * A daemon cannot start for a reason the operator can fix (a port in use, a missing root
 * directory, a key file with loose permissions). {@link DaemonLauncher} prints the message on
 * one line, without a stack trace, and exits with status 1.
 */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
