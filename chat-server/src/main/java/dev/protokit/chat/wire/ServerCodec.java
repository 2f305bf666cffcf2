package dev.protokit.chat.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.protokit.chat.wire.ServerMessage.Ack;
import dev.protokit.chat.wire.ServerMessage.Bye;
import dev.protokit.chat.wire.ServerMessage.Direct;
import dev.protokit.chat.wire.ServerMessage.Error;
import dev.protokit.chat.wire.ServerMessage.File;
import dev.protokit.chat.wire.ServerMessage.HistoryPage;
import dev.protokit.chat.wire.ServerMessage.IsTyping;
import dev.protokit.chat.wire.ServerMessage.Joined;
import dev.protokit.chat.wire.ServerMessage.Member;
import dev.protokit.chat.wire.ServerMessage.Notice;
import dev.protokit.chat.wire.ServerMessage.Parted;
import dev.protokit.chat.wire.ServerMessage.Pong;
import dev.protokit.chat.wire.ServerMessage.Posted;
import dev.protokit.chat.wire.ServerMessage.Presence;
import dev.protokit.chat.wire.ServerMessage.Room;
import dev.protokit.chat.wire.ServerMessage.Stored;
import dev.protokit.chat.wire.ServerMessage.Topic;
import dev.protokit.chat.wire.ServerMessage.Welcome;

import java.util.Optional;

/**
 * Server messages to JSON headers and back, field by field. Only {@code file} has a body: the
 * attachment, whose {@code size} must equal the frame's {@code bodyLength}.
 */
final class ServerCodec {
    private ServerCodec() {
    }

    static ServerMessage decode(MessageType type, JsonFields f, long bodyLength) {
        return switch (type) {
            case WELCOME -> new Welcome(f.string("account"), f.string("server"), f.flag("operator"),
                    f.time("time"), f.integer("max_attachment"));
            case ACK -> new Ack(f.optionalString("ref"), f.optionalInteger("id"), f.time("time"));
            case ERROR -> new Error(f.enumValue("code", ErrorCode::fromWire), f.string("text"), f.optionalString("ref"));
            case ROOM -> new Room(f.string("room"), f.optionalString("topic"),
                    f.objects("members").stream().map(ServerCodec::member).toList());
            case JOINED -> new Joined(f.string("room"), f.string("account"), f.time("time"));
            case PARTED -> new Parted(f.string("room"), f.string("account"), f.optionalString("reason"),
                    f.optionalString("by"), f.time("time"));
            case MESSAGE, DIRECT -> stored(type, f);
            case TOPIC -> new Topic(f.string("room"), f.string("topic"), f.string("by"), f.time("time"));
            case PRESENCE -> new Presence(f.string("account"), f.enumValue("state", PresenceState::fromWire),
                    f.optionalString("away"), f.optionalTime("last_seen"));
            case IS_TYPING -> new IsTyping(f.string("from"), f.conversation(), f.flag("active"));
            case HISTORY_PAGE -> new HistoryPage(f.conversation(), f.objects("messages").stream()
                    .map(ServerCodec::stored).toList(), f.flag("more"));
            case FILE -> {
                AttachmentInfo info = attachment(f.optionalObject("attachment")
                        .orElseThrow(() -> new ChatWireException(ErrorCode.MALFORMED, "file: field attachment missing")));
                if (info.size() != bodyLength) {
                    throw new ChatWireException(ErrorCode.MALFORMED, "file: size 0x" + Long.toHexString(info.size())
                            + " differs from bodyLength 0x" + Long.toHexString(bodyLength));
                }
                yield new File(f.optionalString("ref"), info);
            }
            case PONG -> new Pong(f.optionalString("ref"));
            case NOTICE -> new Notice(f.string("text"));
            case BYE -> new Bye(f.string("reason"));
            case JOIN, PART, SAY, DM, SET_TOPIC, AWAY, TYPING, WHO, HISTORY, ATTACH, GET, OP, PING, QUIT ->
                    throw new ChatWireException(ErrorCode.UNKNOWN_TYPE, "type " + JsonFields.quote(type.wireValue())
                            + " is sent by a client, not the server");
        };
    }

    /** The header of {@code message}; for {@link File} the caller sends the attachment's bytes after it. */
    static ObjectNode encode(ServerMessage message) {
        ObjectNode o = JsonFields.NODES.objectNode();
        switch (message) {
            case Welcome m -> o.put("type", "welcome").put("account", m.account()).put("server", m.server())
                    .put("operator", m.operator()).put("time", JsonFields.formatTime(m.time()))
                    .put("max_attachment", m.maxAttachmentBytes());
            case Ack m -> {
                ClientCodec.ref(o.put("type", "ack"), m.ref());
                m.id().ifPresent(id -> o.put("id", id));
                o.put("time", JsonFields.formatTime(m.time()));
            }
            case Error m -> ClientCodec.ref(o.put("type", "error").put("code", m.code().wireValue())
                    .put("text", m.text()), m.ref());
            case Room m -> {
                o.put("type", "room").put("room", m.room());
                m.topic().ifPresent(t -> o.put("topic", t));
                ArrayNode members = o.putArray("members");
                m.members().forEach(member -> members.add(member(member)));
            }
            case Joined m -> o.put("type", "joined").put("room", m.room()).put("account", m.account())
                    .put("time", JsonFields.formatTime(m.time()));
            case Parted m -> {
                o.put("type", "parted").put("room", m.room()).put("account", m.account());
                m.reason().ifPresent(r -> o.put("reason", r));
                m.by().ifPresent(b -> o.put("by", b));
                o.put("time", JsonFields.formatTime(m.time()));
            }
            case Stored m -> stored(o, m);
            case Topic m -> o.put("type", "topic").put("room", m.room()).put("topic", m.topic()).put("by", m.by())
                    .put("time", JsonFields.formatTime(m.time()));
            case Presence m -> {
                o.put("type", "presence").put("account", m.account()).put("state", m.state().wireValue());
                m.away().ifPresent(a -> o.put("away", a));
                m.lastSeen().ifPresent(t -> o.put("last_seen", JsonFields.formatTime(t)));
            }
            case IsTyping m -> ClientCodec.conversation(o.put("type", "is-typing").put("from", m.from()),
                    m.conversation()).put("active", m.active());
            case HistoryPage m -> {
                ClientCodec.conversation(o.put("type", "history-page"), m.conversation());
                ArrayNode messages = o.putArray("messages");
                m.messages().forEach(stored -> messages.add(stored(JsonFields.NODES.objectNode(), stored)));
                o.put("more", m.more());
            }
            case File m -> ClientCodec.ref(o.put("type", "file"), m.ref()).set("attachment", attachment(m.attachment()));
            case Pong m -> ClientCodec.ref(o.put("type", "pong"), m.ref());
            case Notice m -> o.put("type", "notice").put("text", m.text());
            case Bye m -> o.put("type", "bye").put("reason", m.reason());
        }
        return o;
    }

    private static Stored stored(JsonFields f) {
        MessageType type = MessageType.fromWire(f.string("type"))
                .filter(t -> t == MessageType.MESSAGE || t == MessageType.DIRECT)
                .orElseThrow(() -> new ChatWireException(ErrorCode.MALFORMED, f.type()
                        + ": messages[] holds a type other than message and direct"));
        return stored(type, new JsonFields(f.json(), type.wireValue()));
    }

    private static Stored stored(MessageType type, JsonFields f) {
        Optional<AttachmentInfo> attachment = f.optionalObject("attachment").map(ServerCodec::attachment);
        return type == MessageType.MESSAGE
                ? new Posted(f.integer("id"), f.time("time"), f.string("from"), f.string("room"), f.string("text"),
                        f.flag("action"), attachment)
                : new Direct(f.integer("id"), f.time("time"), f.string("from"), f.string("to"), f.string("text"),
                        f.flag("action"), attachment);
    }

    private static ObjectNode stored(ObjectNode o, Stored m) {
        switch (m) {
            case Posted p -> o.put("type", "message").put("id", p.id()).put("time", JsonFields.formatTime(p.time()))
                    .put("from", p.from()).put("room", p.room()).put("text", p.text());
            case Direct d -> o.put("type", "direct").put("id", d.id()).put("time", JsonFields.formatTime(d.time()))
                    .put("from", d.from()).put("to", d.to()).put("text", d.text());
        }
        if (m.action()) {
            o.put("action", true);
        }
        m.attachment().ifPresent(a -> o.set("attachment", attachment(a)));
        return o;
    }

    private static Member member(JsonFields f) {
        return new Member(f.string("account"), f.enumValue("state", PresenceState::fromWire), f.flag("operator"),
                f.optionalString("away"));
    }

    private static ObjectNode member(Member m) {
        ObjectNode o = JsonFields.NODES.objectNode().put("account", m.account()).put("state", m.state().wireValue());
        if (m.operator()) {
            o.put("operator", true);
        }
        m.away().ifPresent(a -> o.put("away", a));
        return o;
    }

    private static AttachmentInfo attachment(JsonFields f) {
        return new AttachmentInfo(f.string("id"), f.string("name"), f.string("media_type"), f.integer("size"));
    }

    private static ObjectNode attachment(AttachmentInfo a) {
        return JsonFields.NODES.objectNode().put("id", a.id()).put("name", a.name()).put("media_type", a.mediaType())
                .put("size", a.size());
    }

}
