package dev.protokit.rendezvous.wire;

import dev.protokit.common.wire.WireIndex;

/** Where a candidate address comes from (the ICE terms of RFC 8445 5.1.1), with wire values. */
public enum CandidateKind {
    /** An address of one of the peer's own interfaces (a LAN or public address). */
    HOST(1),
    /** The address the server saw the peer's datagrams come from (its NAT's mapping). */
    SERVER_REFLEXIVE(2),
    /** A relayed address on a TURN server. */
    RELAYED(3);

    private static final WireIndex<CandidateKind> INDEX = WireIndex.of(values(), CandidateKind::wireValue);

    private final int wireValue;

    CandidateKind(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The kind byte. */
    public int wireValue() {
        return wireValue;
    }

    /**
     * The kind for a byte.
     *
     * @throws RendezvousException BAD_MESSAGE for an undefined kind
     */
    public static CandidateKind fromWire(int value) {
        return INDEX.find(value).orElseThrow(() -> RendezvousException.bad("candidate kind " + WireIndex.hex16(value)));
    }
}
