package dev.protokit.chat.mail;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing a digest reports: a direct message or a mention, who sent it, where, when, and the
 * text as stored.
 *
 * @param id     the outbox row, removed once a digest holding it was accepted by the server
 * @param from   the sender's account or nick
 * @param room   the room of a mention; empty for a direct message
 * @param time   when the server stored the message
 * @param text   the message text (one line; the digest shows the start of it)
 */
public record DigestItem(long id, String from, Optional<String> room, Instant time, String text) {
    public DigestItem {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(text, "text");
    }
}
