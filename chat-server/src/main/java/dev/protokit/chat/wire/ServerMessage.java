package dev.protokit.chat.wire;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the server sends, one record per {@code type}: answers to requests ({@code welcome},
 * {@code ack}, {@code error}, {@code room}, {@code history-page}, {@code file}, {@code pong},
 * {@code bye}) and events fanned out to members ({@code message}, {@code direct}, {@code joined},
 * {@code parted}, {@code topic}, {@code presence}, {@code is-typing}, {@code notice}).
 */
public sealed interface ServerMessage extends ChatMessage {

    /** A stored message: a room {@link Posted} or a {@link Direct} one; history pages hold these. */
    sealed interface Stored extends ServerMessage permits Posted, Direct {
        /** The server's id: increasing, unique across rooms and direct conversations. */
        long id();

        /** When the server stored it. */
        Instant time();

        /** The sending account (or guest nick). */
        String from();

        /** The text (for an attachment, a line naming the file). */
        String text();

        /** Whether it is an action ({@code /me}). */
        boolean action();

        /** The file it offers, if any. */
        Optional<AttachmentInfo> attachment();
    }

    /** First message after the handshake: who we are, and the limits the server enforces. */
    record Welcome(String account, String server, boolean operator, Instant time, long maxAttachmentBytes)
            implements ServerMessage {
        public Welcome {
            Strings.name("welcome", "account", account);
            Strings.name("welcome", "server", server);
            Objects.requireNonNull(time, "time");
            if (maxAttachmentBytes < 0) {
                throw new ChatWireException(ErrorCode.MALFORMED, "welcome: max_attachment " + maxAttachmentBytes + " is negative");
            }
        }
    }

    /** The request {@code ref} succeeded; {@code id} is the stored message's id when it stored one. */
    record Ack(Optional<String> ref, OptionalLong id, Instant time) implements ServerMessage {
        public Ack {
            Objects.requireNonNull(ref, "ref").ifPresent(r -> Strings.ref("ack", r));
            Objects.requireNonNull(id, "id").ifPresent(i -> Strings.id("ack", "id", i));
            Objects.requireNonNull(time, "time");
        }
    }

    /** A request failed, or a message was malformed; the connection stays up. */
    record Error(ErrorCode code, String text, Optional<String> ref) implements ServerMessage {
        public Error {
            Objects.requireNonNull(code, "code");
            Strings.text("error", "text", text, WireLimits.MAX_TEXT_BYTES);
            Objects.requireNonNull(ref, "ref").ifPresent(r -> Strings.ref("error", r));
        }

        /** The error reply for {@code failure}. */
        public static Error of(ChatWireException failure) {
            return new Error(failure.code(), failure.text(), failure.ref());
        }
    }

    /** One member of a room as {@code room} lists it. */
    record Member(String account, PresenceState state, boolean operator, Optional<String> away) {
        public Member {
            Strings.name("member", "account", account);
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(away, "away").ifPresent(a -> Strings.text("member", "away", a, WireLimits.MAX_REASON_BYTES));
        }
    }

    /** A room's topic and members: the answer to {@code join} and {@code who}. */
    record Room(String room, Optional<String> topic, List<Member> members) implements ServerMessage {
        public Room {
            Strings.name("room", "room", room);
            Objects.requireNonNull(topic, "topic").ifPresent(t -> Strings.text("room", "topic", t, WireLimits.MAX_TEXT_BYTES));
            members = List.copyOf(members);
        }
    }

    /** {@code account} joined {@code room}. */
    record Joined(String room, String account, Instant time) implements ServerMessage {
        public Joined {
            Strings.name("joined", "room", room);
            Strings.name("joined", "account", account);
            Objects.requireNonNull(time, "time");
        }
    }

    /** {@code account} left {@code room}, or was removed from it {@code by} an operator. */
    record Parted(String room, String account, Optional<String> reason, Optional<String> by, Instant time)
            implements ServerMessage {
        public Parted {
            Strings.name("parted", "room", room);
            Strings.name("parted", "account", account);
            Objects.requireNonNull(reason, "reason").ifPresent(r -> Strings.text("parted", "reason", r, WireLimits.MAX_REASON_BYTES));
            Objects.requireNonNull(by, "by").ifPresent(b -> Strings.name("parted", "by", b));
            Objects.requireNonNull(time, "time");
        }
    }

    /** A message posted to {@code room}, live or from history. */
    record Posted(long id, Instant time, String from, String room, String text, boolean action,
                  Optional<AttachmentInfo> attachment) implements Stored {
        public Posted {
            Strings.id("message", "id", id);
            Objects.requireNonNull(time, "time");
            Strings.name("message", "from", from);
            Strings.name("message", "room", room);
            Strings.text("message", "text", text, WireLimits.MAX_TEXT_BYTES);
            Objects.requireNonNull(attachment, "attachment");
        }
    }

    /** A direct message from {@code from} to {@code to}, live, from history, or kept while offline. */
    record Direct(long id, Instant time, String from, String to, String text, boolean action,
                  Optional<AttachmentInfo> attachment) implements Stored {
        public Direct {
            Strings.id("direct", "id", id);
            Objects.requireNonNull(time, "time");
            Strings.name("direct", "from", from);
            Strings.name("direct", "to", to);
            Strings.text("direct", "text", text, WireLimits.MAX_TEXT_BYTES);
            Objects.requireNonNull(attachment, "attachment");
        }
    }

    /** The topic of {@code room} is now {@code topic} (empty: none), set {@code by} someone. */
    record Topic(String room, String topic, String by, Instant time) implements ServerMessage {
        public Topic {
            Strings.name("topic", "room", room);
            Strings.text("topic", "topic", topic, WireLimits.MAX_TEXT_BYTES);
            Strings.name("topic", "by", by);
            Objects.requireNonNull(time, "time");
        }
    }

    /** {@code account}'s presence changed; {@code lastSeen} is set when it went offline. */
    record Presence(String account, PresenceState state, Optional<String> away, Optional<Instant> lastSeen)
            implements ServerMessage {
        public Presence {
            Strings.name("presence", "account", account);
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(away, "away").ifPresent(a -> Strings.text("presence", "away", a, WireLimits.MAX_REASON_BYTES));
            Objects.requireNonNull(lastSeen, "lastSeen");
        }
    }

    /** {@code from} started or stopped typing in {@code conversation}. */
    record IsTyping(String from, Conversation conversation, boolean active) implements ServerMessage {
        public IsTyping {
            Strings.name("is-typing", "from", from);
            Objects.requireNonNull(conversation, "conversation");
        }
    }

    /** Stored messages of {@code conversation}, oldest first; {@code more} if the page was cut at the limit. */
    record HistoryPage(Conversation conversation, List<Stored> messages, boolean more) implements ServerMessage {
        public HistoryPage {
            Objects.requireNonNull(conversation, "conversation");
            messages = List.copyOf(messages);
            if (messages.size() > WireLimits.MAX_HISTORY_PAGE) {
                throw new ChatWireException(ErrorCode.TOO_LARGE, "history-page: " + messages.size() + " messages");
            }
        }
    }

    /** The answer to {@code get}: the frame's body is the attachment's {@code size} bytes. */
    record File(Optional<String> ref, AttachmentInfo attachment) implements ServerMessage {
        public File {
            Objects.requireNonNull(ref, "ref").ifPresent(r -> Strings.ref("file", r));
            Objects.requireNonNull(attachment, "attachment");
        }
    }

    /** The answer to {@code ping}. */
    record Pong(Optional<String> ref) implements ServerMessage {
        public Pong {
            Objects.requireNonNull(ref, "ref").ifPresent(r -> Strings.ref("pong", r));
        }
    }

    /** A line from the server to this client: an operator's kill, a server announcement. */
    record Notice(String text) implements ServerMessage {
        public Notice {
            Strings.nonEmptyText("notice", "text", text, WireLimits.MAX_TEXT_BYTES);
        }
    }

    /** The server is closing this connection, and why ("quit", "shutting down", "SendQ exceeded"...). */
    record Bye(String reason) implements ServerMessage {
        public Bye {
            Strings.text("bye", "reason", reason, WireLimits.MAX_REASON_BYTES);
        }
    }
}
