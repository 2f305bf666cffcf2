package dev.protokit.ftp.server.users;

/**
 * A users file that cannot be read, is unsafe (group or other may access it) or is malformed.
 * The message is one line fit for an operator, naming the file and line.
 */
public final class UsersFileException extends RuntimeException {
    public UsersFileException(String message) {
        super(message);
    }

    public UsersFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
