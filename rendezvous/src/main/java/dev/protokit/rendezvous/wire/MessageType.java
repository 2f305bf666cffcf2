package dev.protokit.rendezvous.wire;

import dev.protokit.common.wire.WireIndex;

/** The rendezvous message types (byte 3 of the header), each with its wire value. */
public enum MessageType {
    /** Peer to server: join a session with local candidates. */
    REGISTER(0x01),
    /** Server to peer: the registration stands; the observed address and a probe to echo. */
    REGISTERED(0x02),
    /** Peer to server: the probe of a REGISTERED, proving the peer receives at its address. */
    PROBE_ECHO(0x03),
    /** Peer to server: keep the registration (and the NAT mapping) alive. */
    KEEPALIVE(0x04),
    /** Server to peer: the other peer's candidates and when to start punching. */
    INTRODUCE(0x05),
    /** Peer to server: leave the session now. */
    LEAVE(0x06),
    /** Server to peer: a request was refused. */
    ERROR(0x7f);

    private static final WireIndex<MessageType> INDEX = WireIndex.of(values(), MessageType::wireValue);

    private final int wireValue;

    MessageType(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The type byte. */
    public int wireValue() {
        return wireValue;
    }

    /**
     * The type for a byte.
     *
     * @throws RendezvousException BAD_MESSAGE for an undefined type
     */
    public static MessageType fromWire(int value) {
        return INDEX.find(value).orElseThrow(() -> RendezvousException.bad("message type " + WireIndex.hex16(value)));
    }
}
