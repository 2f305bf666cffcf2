package dev.protokit.chat.wire;

import java.util.Objects;
import java.util.Optional;

/**
 * The one exception of {@code protokit-chat/1}: a message that breaks the protocol, or a request
 * the server refuses. It carries the {@link ErrorCode} an {@code error} reply puts on the wire,
 * and the client's {@code ref} when the failing request had one, so a handler answers without
 * translating. Messages start with the code's name: {@code MALFORMED say: field text missing}.
 */
public final class ChatWireException extends RuntimeException {
    private final ErrorCode code;
    private final String ref;

    /** A failure with its wire code, a detail naming the bad value, and its cause (may be null). */
    public ChatWireException(ErrorCode code, String detail, Throwable cause) {
        super(Objects.requireNonNull(code, "code").name() + " " + Objects.requireNonNull(detail, "detail"), cause);
        this.code = code;
        this.ref = null;
    }

    /** A failure with no underlying cause. */
    public ChatWireException(ErrorCode code, String detail) {
        this(code, detail, null);
    }

    private ChatWireException(ChatWireException original, String ref) {
        super(original.getMessage(), original.getCause());
        this.code = original.code;
        this.ref = ref;
    }

    /** The code an {@code error} message about this failure carries. */
    public ErrorCode code() {
        return code;
    }

    /** The {@code ref} of the request that failed, if it had one. */
    public Optional<String> ref() {
        return Optional.ofNullable(ref);
    }

    /** This failure, answering the request whose {@code ref} was {@code value}. */
    public ChatWireException withRef(String value) {
        return new ChatWireException(this, Objects.requireNonNull(value, "value"));
    }

    /** The text an {@code error} message shows: the message without the leading code name. */
    public String text() {
        return getMessage().substring(code.name().length() + 1);
    }
}
