package dev.protokit.chat.wire;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a client sends after the handshake, one record per {@code type}. Requests the server
 * answers with {@code ack} or {@code error} carry an optional {@code ref}, echoed in the answer.
 * Every component is validated here, so an invalid message cannot be built, received or sent.
 */
public sealed interface ClientMessage extends ChatMessage {

    /** Join {@code room} (created on first join unless the server says otherwise), with its key if it has one. */
    record Join(String room, Optional<String> key) implements ClientMessage {
        public Join {
            Strings.name("join", "room", room);
            Objects.requireNonNull(key, "key").ifPresent(k -> Strings.nonEmptyText("join", "key", k, WireLimits.MAX_NAME_CHARS));
        }
    }

    /** Leave {@code room}. */
    record Part(String room, Optional<String> reason) implements ClientMessage {
        public Part {
            Strings.name("part", "room", room);
            Objects.requireNonNull(reason, "reason").ifPresent(r -> Strings.text("part", "reason", r, WireLimits.MAX_REASON_BYTES));
        }
    }

    /** Post {@code text} to {@code room}; {@code action} is {@code /me} (CTCP ACTION on IRC). */
    record Say(Optional<String> ref, String room, String text, boolean action) implements ClientMessage {
        public Say {
            Objects.requireNonNull(ref, "ref").ifPresent(r -> Strings.ref("say", r));
            Strings.name("say", "room", room);
            Strings.nonEmptyText("say", "text", text, WireLimits.MAX_TEXT_BYTES);
        }
    }

    /** Send {@code text} directly to account {@code to}; stored and delivered on its next login if it is offline. */
    record Dm(Optional<String> ref, String to, String text, boolean action) implements ClientMessage {
        public Dm {
            Objects.requireNonNull(ref, "ref").ifPresent(r -> Strings.ref("dm", r));
            Strings.name("dm", "to", to);
            Strings.nonEmptyText("dm", "text", text, WireLimits.MAX_TEXT_BYTES);
        }
    }

    /** Set the topic of {@code room} (empty clears it). */
    record SetTopic(Optional<String> ref, String room, String topic) implements ClientMessage {
        public SetTopic {
            Objects.requireNonNull(ref, "ref").ifPresent(r -> Strings.ref("set-topic", r));
            Strings.name("set-topic", "room", room);
            Strings.text("set-topic", "topic", topic, WireLimits.MAX_TEXT_BYTES);
        }
    }

    /** Go away with {@code message}, or come back when it is empty. */
    record Away(Optional<String> message) implements ClientMessage {
        public Away {
            Objects.requireNonNull(message, "message").ifPresent(m -> Strings.nonEmptyText("away", "message", m, WireLimits.MAX_REASON_BYTES));
        }
    }

    /** Started ({@code active}) or stopped typing in {@code conversation}; relayed, never stored. */
    record Typing(Conversation conversation, boolean active) implements ClientMessage {
        public Typing {
            Objects.requireNonNull(conversation, "conversation");
        }
    }

    /** Ask for {@code room}'s topic and members: answered with {@code room}. */
    record Who(String room) implements ClientMessage {
        public Who {
            Strings.name("who", "room", room);
        }
    }

    /**
     * Ask for up to {@code limit} stored messages of {@code conversation}, oldest first: the
     * latest ones, those before id {@code before}, or those after id {@code after} (not both).
     */
    record History(Conversation conversation, OptionalLong before, OptionalLong after, int limit)
            implements ClientMessage {
        public History {
            Objects.requireNonNull(conversation, "conversation");
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
            if (before.isPresent() && after.isPresent()) {
                throw new ChatWireException(ErrorCode.MALFORMED, "history: before and after together");
            }
            before.ifPresent(id -> Strings.id("history", "before", id));
            after.ifPresent(id -> Strings.id("history", "after", id));
            if (limit < 1 || limit > WireLimits.MAX_HISTORY_PAGE) {
                throw new ChatWireException(ErrorCode.MALFORMED, "history: limit " + Strings.hex(limit)
                        + " is not 0x0001.." + Strings.hex(WireLimits.MAX_HISTORY_PAGE));
            }
        }
    }

    /** Offer a file to {@code conversation}: the frame's body is its {@code size} bytes. */
    record Attach(Optional<String> ref, Conversation conversation, String name, String mediaType, long size)
            implements ClientMessage {
        public Attach {
            Objects.requireNonNull(ref, "ref").ifPresent(r -> Strings.ref("attach", r));
            Objects.requireNonNull(conversation, "conversation");
            AttachmentInfo.checkFile("attach", name, mediaType);
            if (size < 0) {
                throw new ChatWireException(ErrorCode.MALFORMED, "attach: size " + size + " is negative");
            }
        }
    }

    /** Download attachment {@code attachment}: answered with {@code file} (and its bytes) or {@code error}. */
    record Get(Optional<String> ref, String attachment) implements ClientMessage {
        public Get {
            Objects.requireNonNull(ref, "ref").ifPresent(r -> Strings.ref("get", r));
            AttachmentInfo.checkId("get", attachment);
        }
    }

    /** An operator command; {@code room} is required for the room commands. */
    record Operator(Optional<String> ref, OperatorCommand command, Optional<String> room, String target,
                    Optional<String> reason) implements ClientMessage {
        public Operator {
            Objects.requireNonNull(ref, "ref").ifPresent(r -> Strings.ref("op", r));
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(room, "room").ifPresent(r -> Strings.name("op", "room", r));
            if (command.needsRoom() && room.isEmpty()) {
                throw new ChatWireException(ErrorCode.MALFORMED, "op: " + command.wireValue() + " needs field room");
            }
            Strings.name("op", "target", target);
            Objects.requireNonNull(reason, "reason").ifPresent(r -> Strings.text("op", "reason", r, WireLimits.MAX_REASON_BYTES));
        }
    }

    /** Keep-alive: answered with {@code pong} carrying the same {@code ref}. */
    record Ping(Optional<String> ref) implements ClientMessage {
        public Ping {
            Objects.requireNonNull(ref, "ref").ifPresent(r -> Strings.ref("ping", r));
        }
    }

    /** Leave the server: answered with {@code bye}, then the server closes the connection. */
    record Quit(Optional<String> reason) implements ClientMessage {
        public Quit {
            Objects.requireNonNull(reason, "reason").ifPresent(r -> Strings.text("quit", "reason", r, WireLimits.MAX_REASON_BYTES));
        }
    }
}
