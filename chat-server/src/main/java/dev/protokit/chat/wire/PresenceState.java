package dev.protokit.chat.wire;

import java.util.Map;
import java.util.Optional;

/** An account's presence as {@code presence} and member lists carry it. */
public enum PresenceState {
    /** Connected and not away. */
    ONLINE("online"),
    /** Connected with an away message. */
    AWAY("away"),
    /** Not connected on any protocol. */
    OFFLINE("offline");

    private static final Map<String, PresenceState> BY_WIRE = WireTable.build(values(), PresenceState::wireValue);

    private final String wireValue;

    PresenceState(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The JSON string on the wire. */
    public String wireValue() {
        return wireValue;
    }

    /** The state for a wire value, if there is one. */
    public static Optional<PresenceState> fromWire(String value) {
        return Optional.ofNullable(BY_WIRE.get(value));
    }
}
