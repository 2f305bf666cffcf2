package dev.protokit.chat.core;

import java.util.Objects;

/**
 * The one exception of the chat core, carrying the {@link ChatError} a listener translates to
 * its wire code; the message names the request and the bad value.
 */
public final class ChatException extends RuntimeException {
    private final ChatError error;

    /** A refusal for {@code error}, described by {@code message}. */
    public ChatException(ChatError error, String message) {
        this(error, message, null);
    }

    /** A refusal for {@code error}, keeping its {@code cause}. */
    public ChatException(ChatError error, String message, Throwable cause) {
        super(Objects.requireNonNull(error, "error") + " " + message, cause);
        this.error = error;
    }

    /** What went wrong, for the listener's error code. */
    public ChatError error() {
        return error;
    }

    /** The message without the leading error name, for a human-readable reply. */
    public String reason() {
        String m = getMessage();
        return m.substring(error.name().length() + 1);
    }
}
