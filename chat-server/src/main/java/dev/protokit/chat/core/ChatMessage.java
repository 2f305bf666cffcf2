package dev.protokit.chat.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored message: its server id (increasing, unique; the IRC {@code msgid} and the native
 * history cursor), the server time it was accepted, the conversation, the sender and the text.
 * Text never holds CR, LF or NUL; the core refuses them before anything is stored.
 */
public record ChatMessage(long id, Instant time, Conversation conversation, String fromNick,
                          Optional<String> fromAccount, MessageKind kind, String text) {
    public ChatMessage {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(fromNick, "fromNick");
        Objects.requireNonNull(fromAccount, "fromAccount");
        Objects.requireNonNull(kind, "kind");
        requireText(text);
    }

    /** The IRC {@code msgid} tag value. */
    public String msgid() {
        return Long.toString(id);
    }

    /** Refuses empty text and text with CR, LF or NUL (line smuggling), or over {@link #MAX_TEXT} chars. */
    public static String requireText(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty() || text.length() > MAX_TEXT) {
            throw new ChatException(ChatError.INVALID_REQUEST, "message text of " + text.length() + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new ChatException(ChatError.INVALID_REQUEST, String.format("control character 0x%02x in message", (int) c));
            }
        }
        return text;
    }

    /** Longest message text in characters (native clients may send more than IRC's 512-byte line). */
    public static final int MAX_TEXT = 4096;
}
