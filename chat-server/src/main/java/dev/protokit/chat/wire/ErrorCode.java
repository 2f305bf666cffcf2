package dev.protokit.chat.wire;

import java.util.Map;
import java.util.Optional;

/**
 * The error codes an {@code error} message carries, each with its wire value (the JSON string in
 * the {@code code} field). Clients switch on the code; the text is for people.
 */
public enum ErrorCode {
    /** The frame or a field of the message is malformed: wrong type, missing, bad characters. */
    MALFORMED("malformed"),
    /** The {@code type} is not one this side accepts. */
    UNKNOWN_TYPE("unknown-type"),
    /** A text, name or attachment is longer than the server allows. */
    TOO_LARGE("too-large"),
    /** Sent faster than the flood limit allows; the message was dropped. */
    FLOOD("flood"),
    /** A room or account name breaks the naming rules. */
    BAD_NAME("bad-name"),
    /** No such room (or the room may only be created by operators). */
    NO_SUCH_ROOM("no-such-room"),
    /** No such account. */
    NO_SUCH_ACCOUNT("no-such-account"),
    /** The request needs membership of the room. */
    NOT_MEMBER("not-member"),
    /** Refused for another reason: moderated room, too many rooms, nick taken, guests refused. */
    FORBIDDEN("forbidden"),
    /** Banned from the room. */
    BANNED("banned"),
    /** The room is invite-only and this account was not invited. */
    INVITE_ONLY("invite-only"),
    /** The room has a key and it was missing or wrong. */
    BAD_KEY("bad-key"),
    /** The room is at its member limit. */
    ROOM_FULL("room-full"),
    /** The request needs a room operator or a server operator. */
    NOT_OPERATOR("not-operator"),
    /** No attachment has this id, or this account may not see it. */
    NO_SUCH_ATTACHMENT("no-such-attachment"),
    /** The server cannot do it now (store or disk failure); try again later. */
    UNAVAILABLE("unavailable");

    private static final Map<String, ErrorCode> BY_WIRE = WireTable.build(values(), ErrorCode::wireValue);

    private final String wireValue;

    ErrorCode(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The JSON string on the wire, such as {@code "no-such-room"}. */
    public String wireValue() {
        return wireValue;
    }

    /** The code for a wire value, if there is one. */
    public static Optional<ErrorCode> fromWire(String value) {
        return Optional.ofNullable(BY_WIRE.get(value));
    }

}
