package dev.protokit.chat.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.protokit.common.frame.FrameHeader;
import java.util.Objects;

/**
 * The {@code protokit-chat/1} codec: message records to frame headers and back. Each message is
 * one frame of {@code common}'s format; the header's {@code type} names the record, and only
 * {@code attach} (client) and {@code file} (server) have a body, the attachment's bytes.
 *
 * <pre>
 * +----------------+--------------------------------------------------+------------------+
 * | u32 H (BE)     | H bytes UTF-8 JSON header                        | bodyLength bytes |
 * +----------------+--------------------------------------------------+------------------+
 *   00 00 00 2f      {"type":"say","room":"general","text":"hi"}        (empty)
 *   00 00 00 5e      {"type":"attach","room":"general","name":"a.txt",   file bytes,
 *                     "media_type":"text/plain","bodyLength":5}          streamed
 *
 * type   required string, one of {@link MessageType}; unknown -> UNKNOWN_TYPE
 * ref    optional client token (1-64 printable ASCII), echoed in ack / error / pong / file
 * room | with   the conversation: exactly one of them where a conversation is meant
 * id     server message id, 1 .. 2^53-1;  time  RFC 3339 UTC with milliseconds
 * other fields are ignored (newer peers may add some); optional fields may be null
 * </pre>
 *
 * <p>Pure: decoding takes the header {@code common}'s {@code FrameReader} already checked
 * (UTF-8, one object, no duplicate keys, a sane {@code bodyLength}) and throws
 * {@link ChatWireException} with the code an {@code error} reply carries.
 */
public final class ChatCodec {
    private ChatCodec() {
    }

    /** Decodes a message a client sent. */
    public static ClientMessage decodeClient(FrameHeader header) {
        Objects.requireNonNull(header, "header");
        MessageType type = type(header, MessageType.Direction.CLIENT);
        return withRef(header, () -> ClientCodec.decode(type, new JsonFields(header.json(), type.wireValue()),
                header.bodyLength()));
    }

    /** Decodes a message the server sent. */
    public static ServerMessage decodeServer(FrameHeader header) {
        Objects.requireNonNull(header, "header");
        MessageType type = type(header, MessageType.Direction.SERVER);
        return ServerCodec.decode(type, new JsonFields(header.json(), type.wireValue()), header.bodyLength());
    }

    /** The JSON header of {@code message}, without {@code bodyLength} (the frame writer adds it). */
    public static ObjectNode encode(ChatMessage message) {
        return switch (Objects.requireNonNull(message, "message")) {
            case ClientMessage m -> ClientCodec.encode(m);
            case ServerMessage m -> ServerCodec.encode(m);
        };
    }

    /** The body length a frame carrying {@code message} has: the file's size, or 0. */
    public static long bodyLength(ChatMessage message) {
        return switch (Objects.requireNonNull(message, "message")) {
            case ClientMessage.Attach m -> m.size();
            case ServerMessage.File m -> m.attachment().size();
            default -> 0;
        };
    }

    private static MessageType type(FrameHeader header, MessageType.Direction expected) {
        JsonFields fields = new JsonFields(header.json(), "message");
        MessageType type = MessageType.fromWire(fields.string("type")).orElseThrow(() -> new ChatWireException(
                ErrorCode.UNKNOWN_TYPE, "type " + JsonFields.quote(fields.string("type"))));
        if (type.sender() == expected && !type.hasBody() && header.bodyLength() != 0) {
            throw new ChatWireException(ErrorCode.MALFORMED, type.wireValue() + ": carries no body, got bodyLength 0x"
                    + Long.toHexString(header.bodyLength()));
        }
        return type;
    }

    /** Runs {@code decode}, tagging a failure with the request's {@code ref} when it has a usable one. */
    private static ClientMessage withRef(FrameHeader header, java.util.function.Supplier<ClientMessage> decode) {
        try {
            return decode.get();
        } catch (ChatWireException e) {
            var ref = header.text("ref").filter(r -> {
                try {
                    Strings.ref("ref", r);
                    return true;
                } catch (ChatWireException invalid) {
                    return false;
                }
            });
            throw ref.map(e::withRef).orElse(e);
        }
    }
}
