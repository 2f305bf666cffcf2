package dev.protokit.ftp.wire;

import java.util.Objects;

/**
 * A parsed command line: the verb and its argument exactly as sent (an empty string when there
 * is none; leading and inner spaces of the argument are kept, since file names may hold them).
 */
public record Command(FtpCommand verb, String argument) {

    public Command {
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(argument, "argument");
    }

    /** A command without an argument. */
    public static Command of(FtpCommand verb) {
        return new Command(verb, "");
    }

    public boolean hasArgument() {
        return !argument.isEmpty();
    }

    /** The line for logs, with the PASS argument hidden. */
    @Override
    public String toString() {
        if (verb == FtpCommand.PASS) {
            return "PASS ****";
        }
        return hasArgument() ? verb.verb() + " " + argument : verb.verb();
    }
}
