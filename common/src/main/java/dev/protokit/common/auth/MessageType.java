package dev.protokit.common.auth;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The handshake message types, carrying the string that travels in the JSON {@code type} field. */
public enum MessageType {
    CLIENT_HELLO("client-hello"),
    SERVER_CHALLENGE("server-challenge"),
    CLIENT_PROOF("client-proof"),
    SERVER_PROOF("server-proof"),
    FAILURE("failure");

    private static final Map<String, MessageType> BY_WIRE = index();

    private final String wire;

    MessageType(String wire) {
        this.wire = wire;
    }

    /** The value of the JSON {@code type} field. */
    public String wire() {
        return wire;
    }

    /** The type whose wire name is {@code wire}, if any. */
    public static Optional<MessageType> fromWire(String wire) {
        return Optional.ofNullable(BY_WIRE.get(wire));
    }

    private static Map<String, MessageType> index() {
        Map<String, MessageType> map = new HashMap<>();
        for (MessageType type : values()) {
            if (map.put(type.wire, type) != null) {
                throw new IllegalStateException("duplicate wire name " + type.wire);
            }
        }
        return Collections.unmodifiableMap(map);
    }
}
