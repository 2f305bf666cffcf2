package dev.protokit.rendezvous.wire;

import dev.protokit.common.wire.WireIndex;

/** The errors of the rendezvous protocol, carried by ERROR messages and {@link RendezvousException}. */
public enum ErrorCode {
    /** The message is malformed (a server drops these instead of answering). */
    BAD_MESSAGE(1),
    /** The session already has two other peers: choose another code. */
    SESSION_FULL(2),
    /** The server or this source address holds as many registrations as allowed. */
    TOO_MANY_REGISTRATIONS(3),
    /** A keepalive or echo for a registration the server does not have (expired): register again. */
    UNKNOWN_REGISTRATION(4),
    /** The echoed probe is not one this server issued to this address, or it is too old. */
    BAD_PROBE(5);

    private static final WireIndex<ErrorCode> INDEX = WireIndex.of(values(), ErrorCode::wireValue);

    private final int wireValue;

    ErrorCode(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The 16-bit code on the wire. */
    public int wireValue() {
        return wireValue;
    }

    /**
     * The code for a wire value.
     *
     * @throws RendezvousException BAD_MESSAGE for an undefined code
     */
    public static ErrorCode fromWire(int value) {
        return INDEX.find(value).orElseThrow(() -> RendezvousException.bad("error code " + WireIndex.hex16(value)));
    }
}
