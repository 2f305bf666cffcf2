package dev.protokit.chat.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.protokit.chat.wire.ClientMessage.Attach;
import dev.protokit.chat.wire.ClientMessage.Away;
import dev.protokit.chat.wire.ClientMessage.Dm;
import dev.protokit.chat.wire.ClientMessage.Get;
import dev.protokit.chat.wire.ClientMessage.History;
import dev.protokit.chat.wire.ClientMessage.Join;
import dev.protokit.chat.wire.ClientMessage.Operator;
import dev.protokit.chat.wire.ClientMessage.Part;
import dev.protokit.chat.wire.ClientMessage.Ping;
import dev.protokit.chat.wire.ClientMessage.Quit;
import dev.protokit.chat.wire.ClientMessage.Say;
import dev.protokit.chat.wire.ClientMessage.SetTopic;
import dev.protokit.chat.wire.ClientMessage.Typing;
import dev.protokit.chat.wire.ClientMessage.Who;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Client messages to JSON headers and back, field by field (the layouts are drawn in
 * {@link ChatCodec} and {@code docs/chat.md}). Only {@code attach} has a body: the file.
 */
final class ClientCodec {
    private ClientCodec() {
    }

    static ClientMessage decode(MessageType type, JsonFields f, long bodyLength) {
        return switch (type) {
            case JOIN -> new Join(f.string("room"), f.optionalString("key"));
            case PART -> new Part(f.string("room"), f.optionalString("reason"));
            case SAY -> new Say(f.optionalString("ref"), f.string("room"), f.string("text"), f.flag("action"));
            case DM -> new Dm(f.optionalString("ref"), f.string("to"), f.string("text"), f.flag("action"));
            case SET_TOPIC -> new SetTopic(f.optionalString("ref"), f.string("room"), f.string("topic"));
            case AWAY -> new Away(f.optionalString("message").filter(m -> !m.isEmpty()));
            case TYPING -> new Typing(f.conversation(), f.flag("active"));
            case WHO -> new Who(f.string("room"));
            case HISTORY -> new History(f.conversation(), f.optionalInteger("before"), f.optionalInteger("after"),
                    Math.clamp(f.optionalInteger("limit").orElse(50), -1, Integer.MAX_VALUE));
            case ATTACH -> new Attach(f.optionalString("ref"), f.conversation(), f.string("name"),
                    f.string("media_type"), bodyLength);
            case GET -> new Get(f.optionalString("ref"), f.string("attachment"));
            case OP -> new Operator(f.optionalString("ref"), f.enumValue("command", OperatorCommand::fromWire),
                    f.optionalString("room"), f.string("target"), f.optionalString("reason"));
            case PING -> new Ping(f.optionalString("ref"));
            case QUIT -> new Quit(f.optionalString("reason"));
            case WELCOME, ACK, ERROR, ROOM, JOINED, PARTED, MESSAGE, DIRECT, TOPIC, PRESENCE, IS_TYPING,
                 HISTORY_PAGE, FILE, PONG, NOTICE, BYE -> throw new ChatWireException(ErrorCode.UNKNOWN_TYPE,
                    "type " + JsonFields.quote(type.wireValue()) + " is sent by the server, not a client");
        };
    }

    /** The header of {@code message}; for {@link Attach} the caller sends {@code size} body bytes after it. */
    static ObjectNode encode(ClientMessage message) {
        ObjectNode o = JsonFields.NODES.objectNode();
        switch (message) {
            case Join m -> {
                o.put("type", "join").put("room", m.room());
                m.key().ifPresent(k -> o.put("key", k));
            }
            case Part m -> {
                o.put("type", "part").put("room", m.room());
                m.reason().ifPresent(r -> o.put("reason", r));
            }
            case Say m -> {
                ref(o.put("type", "say"), m.ref()).put("room", m.room()).put("text", m.text());
                action(o, m.action());
            }
            case Dm m -> {
                ref(o.put("type", "dm"), m.ref()).put("to", m.to()).put("text", m.text());
                action(o, m.action());
            }
            case SetTopic m -> ref(o.put("type", "set-topic"), m.ref()).put("room", m.room()).put("topic", m.topic());
            case Away m -> {
                o.put("type", "away");
                m.message().ifPresent(text -> o.put("message", text));
            }
            case Typing m -> conversation(o.put("type", "typing"), m.conversation()).put("active", m.active());
            case Who m -> o.put("type", "who").put("room", m.room());
            case History m -> {
                conversation(o.put("type", "history"), m.conversation());
                optionalId(o, "before", m.before());
                optionalId(o, "after", m.after());
                o.put("limit", m.limit());
            }
            case Attach m -> conversation(ref(o.put("type", "attach"), m.ref()), m.conversation())
                    .put("name", m.name()).put("media_type", m.mediaType());
            case Get m -> ref(o.put("type", "get"), m.ref()).put("attachment", m.attachment());
            case Operator m -> {
                ref(o.put("type", "op"), m.ref()).put("command", m.command().wireValue());
                m.room().ifPresent(r -> o.put("room", r));
                o.put("target", m.target());
                m.reason().ifPresent(r -> o.put("reason", r));
            }
            case Ping m -> ref(o.put("type", "ping"), m.ref());
            case Quit m -> {
                o.put("type", "quit");
                m.reason().ifPresent(r -> o.put("reason", r));
            }
        }
        return o;
    }

    static ObjectNode ref(ObjectNode o, Optional<String> ref) {
        ref.ifPresent(r -> o.put("ref", r));
        return o;
    }

    static ObjectNode conversation(ObjectNode o, Conversation conversation) {
        return switch (conversation) {
            case Conversation.Room room -> o.put("room", room.name());
            case Conversation.With with -> o.put("with", with.name());
        };
    }

    private static void action(ObjectNode o, boolean action) {
        if (action) {
            o.put("action", true);
        }
    }

    private static void optionalId(ObjectNode o, String field, OptionalLong id) {
        id.ifPresent(value -> o.put(field, value));
    }
}
