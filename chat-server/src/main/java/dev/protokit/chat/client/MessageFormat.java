package dev.protokit.chat.client;

import dev.protokit.chat.wire.Conversation;
import dev.protokit.chat.wire.ServerMessage;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How {@code bin/chat} shows server messages: one line each, with the local time for stored
 * messages. The server already refuses control characters in every text, so lines are printed
 * as they come; nothing here interprets them.
 */
final class MessageFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    private MessageFormat() {
    }

    /** The line for {@code message}, or empty for what is not shown (acks, pongs). */
    static Optional<String> line(ServerMessage message) {
        return Optional.ofNullable(switch (message) {
            case ServerMessage.Posted m -> TIME.format(m.time()) + " #" + m.room() + " "
                    + (m.action() ? "* " + m.from() + " " + m.text() : "<" + m.from() + "> " + m.text())
                    + m.attachment().map(a -> "  (/get " + a.id() + ")").orElse("");
            case ServerMessage.Direct m -> TIME.format(m.time()) + " [" + m.from() + " -> " + m.to() + "] "
                    + (m.action() ? "* " + m.from() + " " : "") + m.text()
                    + m.attachment().map(a -> "  (/get " + a.id() + ")").orElse("");
            case ServerMessage.Room m -> "#" + m.room() + m.topic().map(t -> " topic: " + t).orElse(" (no topic)") + " - "
                    + m.members().size() + " members: " + m.members().stream()
                            .map(x -> (x.operator() ? "@" : "") + x.account() + (x.away().isPresent() ? " (away)" : ""))
                            .collect(Collectors.joining(" "));
            case ServerMessage.Joined m -> "-- " + m.account() + " joined #" + m.room();
            case ServerMessage.Parted m -> "-- " + m.account() + " left #" + m.room()
                    + m.by().map(b -> " (removed by " + b + ")").orElse("") + m.reason().map(r -> ": " + r).orElse("");
            case ServerMessage.Topic m -> "-- " + m.by() + " set the topic of #" + m.room() + " to: " + m.topic();
            case ServerMessage.Presence m -> "-- " + m.account() + " is " + m.state().wireValue() + m.away().map(a -> ": " + a).orElse("");
            case ServerMessage.IsTyping m -> m.active() ? "-- " + m.from() + " is typing" + where(m.conversation()) : null;
            case ServerMessage.Error m -> "!! " + m.code().wireValue() + ": " + m.text();
            case ServerMessage.Notice m -> "-- " + m.text();
            case ServerMessage.Bye m -> "-- server: " + m.reason();
            case ServerMessage.HistoryPage m -> null;
            case ServerMessage.Welcome m -> "-- logged in to " + m.server() + " as " + m.account() + (m.operator() ? " (operator)" : "");
            case ServerMessage.Ack m -> null;
            case ServerMessage.Pong m -> null;
            case ServerMessage.File m -> "-- received " + m.attachment().name();
        });
    }

    private static String where(Conversation conversation) {
        return switch (conversation) {
            case Conversation.Room r -> " in #" + r.name();
            case Conversation.With w -> " to you";
        };
    }
}
