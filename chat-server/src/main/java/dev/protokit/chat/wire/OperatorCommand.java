package dev.protokit.chat.wire;

import java.util.Map;
import java.util.Optional;

/**
 * What an {@code op} message asks: room commands need a room operator (or a server operator),
 * {@link #KILL} a server operator; the same powers as KICK, MODE +b/-b, MODE +o/-o and KILL on IRC.
 */
public enum OperatorCommand {
    /** Remove {@code target} from {@code room}. */
    KICK("kick", true),
    /** Ban {@code target} from {@code room} (and remove it). */
    BAN("ban", true),
    /** Lift a ban on {@code target} in {@code room}. */
    UNBAN("unban", true),
    /** Make {@code target} an operator of {@code room}. */
    OP("op", true),
    /** Take room operator status from {@code target}. */
    DEOP("deop", true),
    /** Disconnect every session of account {@code target}: server operators only. */
    KILL("kill", false);

    private static final Map<String, OperatorCommand> BY_WIRE = WireTable.build(values(), OperatorCommand::wireValue);

    private final String wireValue;
    private final boolean needsRoom;

    OperatorCommand(String wireValue, boolean needsRoom) {
        this.wireValue = wireValue;
        this.needsRoom = needsRoom;
    }

    /** The JSON string on the wire. */
    public String wireValue() {
        return wireValue;
    }

    /** Whether the command acts in a room (and so requires the {@code room} field). */
    public boolean needsRoom() {
        return needsRoom;
    }

    /** The command for a wire value, if there is one. */
    public static Optional<OperatorCommand> fromWire(String value) {
        return Optional.ofNullable(BY_WIRE.get(value));
    }
}
