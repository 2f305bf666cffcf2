package dev.protokit.common.auth;

/**
 * A key file could not be used: unsafe permissions, a malformed line, a duplicate id, or an
 * I/O failure. The message names the file and line, never the secret.
 */
public final class KeyFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A problem described by {@code message}. */
    public KeyFileException(String message) {
        super(message);
    }

    /** A problem described by {@code message}, caused by {@code cause} (kept). */
    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
