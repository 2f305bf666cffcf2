package dev.protokit.common.daemon;

/**
 * A daemon cannot start for a reason the operator can fix (a port in use, a missing root
 * directory, a key file with loose permissions). {@link DaemonLauncher} prints the message on
 * one line, without a stack trace, and exits with status 1 (2 for a bad {@code --config} file,
 * which is a usage error).
 */
public final class StartupException extends RuntimeException {
    /** A failure described by {@code message}, a sentence fit to print after the program name. */
    public StartupException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, keeping its {@code cause}. */
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
