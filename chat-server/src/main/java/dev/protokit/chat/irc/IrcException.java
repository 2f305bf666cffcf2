package dev.protokit.chat.irc;

import java.util.List;
import java.util.Objects;

/**
 * The IRC layer's one exception: a request that gets an error numeric. {@code params} are the
 * numeric's parameters after the client's nick (for 461: the command); the message is the
 * trailing text the client sees.
 */
public final class IrcException extends RuntimeException {
    private final Numeric numeric;
    private final List<String> params;

    /** {@code numeric} with {@code params} before the trailing {@code message}. */
    public IrcException(Numeric numeric, List<String> params, String message) {
        this(numeric, params, message, null);
    }

    /** The same, keeping {@code cause}. */
    public IrcException(Numeric numeric, List<String> params, String message, Throwable cause) {
        super(Objects.requireNonNull(numeric, "numeric").name() + " " + message, cause);
        this.numeric = numeric;
        this.params = List.copyOf(params);
    }

    /** The error numeric to send. */
    public Numeric numeric() {
        return numeric;
    }

    /** Parameters between the nick and the trailing text. */
    public List<String> params() {
        return params;
    }

    /** The trailing text. */
    public String text() {
        return getMessage().substring(numeric.name().length() + 1);
    }
}
