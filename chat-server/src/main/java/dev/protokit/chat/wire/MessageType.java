package dev.protokit.chat.wire;

import java.util.Map;
import java.util.Optional;

/**
 * Every {@code type} of {@code protokit-chat/1}, its JSON string, which side sends it, and
 * whether its frame carries a body (only attachments do). Names are unique across both
 * directions so a capture reads unambiguously.
 */
public enum MessageType {
    JOIN("join", Direction.CLIENT),
    PART("part", Direction.CLIENT),
    SAY("say", Direction.CLIENT),
    DM("dm", Direction.CLIENT),
    SET_TOPIC("set-topic", Direction.CLIENT),
    AWAY("away", Direction.CLIENT),
    TYPING("typing", Direction.CLIENT),
    WHO("who", Direction.CLIENT),
    HISTORY("history", Direction.CLIENT),
    ATTACH("attach", Direction.CLIENT, true),
    GET("get", Direction.CLIENT),
    OP("op", Direction.CLIENT),
    PING("ping", Direction.CLIENT),
    QUIT("quit", Direction.CLIENT),

    WELCOME("welcome", Direction.SERVER),
    ACK("ack", Direction.SERVER),
    ERROR("error", Direction.SERVER),
    ROOM("room", Direction.SERVER),
    JOINED("joined", Direction.SERVER),
    PARTED("parted", Direction.SERVER),
    MESSAGE("message", Direction.SERVER),
    DIRECT("direct", Direction.SERVER),
    TOPIC("topic", Direction.SERVER),
    PRESENCE("presence", Direction.SERVER),
    IS_TYPING("is-typing", Direction.SERVER),
    HISTORY_PAGE("history-page", Direction.SERVER),
    FILE("file", Direction.SERVER, true),
    PONG("pong", Direction.SERVER),
    NOTICE("notice", Direction.SERVER),
    BYE("bye", Direction.SERVER);

    /** Which side sends a message type. */
    public enum Direction { CLIENT, SERVER }

    private static final Map<String, MessageType> BY_WIRE = WireTable.build(values(), MessageType::wireValue);

    private final String wireValue;
    private final Direction sender;
    private final boolean body;

    MessageType(String wireValue, Direction sender) {
        this(wireValue, sender, false);
    }

    MessageType(String wireValue, Direction sender, boolean body) {
        this.wireValue = wireValue;
        this.sender = sender;
        this.body = body;
    }

    /** The JSON string in the {@code type} field. */
    public String wireValue() {
        return wireValue;
    }

    /** The side that sends this type. */
    public Direction sender() {
        return sender;
    }

    /** Whether the frame carries a body (the attachment's bytes); every other type's body is empty. */
    public boolean hasBody() {
        return body;
    }

    /** The type for a wire value, if there is one. */
    public static Optional<MessageType> fromWire(String value) {
        return Optional.ofNullable(BY_WIRE.get(value));
    }
}
