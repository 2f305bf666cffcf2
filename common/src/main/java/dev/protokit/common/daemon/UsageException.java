package dev.protokit.common.daemon;

/**
 * A command line that cannot work as given, found after parsing (flags that go together, a
 * combination that serves nothing). {@link DaemonLauncher} prints the message on one line with
 * the hint to {@code --help} and exits with status 2, like any other usage error.
 */
public final class UsageException extends RuntimeException {
    /** A usage error described by {@code message}, a sentence fit to print after the program name. */
    public UsageException(String message) {
        super(message);
    }
}
