package dev.protokit.rendezvous.wire;

import dev.protokit.common.wire.WireIndex;

/**
 * The first byte of every datagram one peer sends another. The values 0xC0..0xC5 sit outside
 * the ranges RFC 7983 gives STUN (0..3) and TURN ChannelData (64..79), so one socket can tell
 * them apart from the first byte alone.
 */
public enum PeerPacketType {
    /** An unauthenticated hole-punching probe or its echo. */
    PROBE(0xC0),
    /** J-PAKE round 1, one of its two halves. */
    HELLO(0xC1),
    /** J-PAKE round 2. */
    KEY_SHARE(0xC2),
    /** J-PAKE round 3: the key confirmation tag. */
    CONFIRM(0xC3),
    /** An AEAD-sealed channel frame. */
    SEALED(0xC4),
    /** The session ends before keys exist (wrong code). Unauthenticated. */
    ABORT(0xC5);

    /** The lowest first byte of a peer datagram. */
    public static final int FIRST = 0xC0;
    /** The highest first byte of a peer datagram. */
    public static final int LAST = 0xC5;

    private static final WireIndex<PeerPacketType> BY_WIRE = WireIndex.of(values(), PeerPacketType::wireValue);

    private final int wireValue;

    PeerPacketType(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The first byte on the wire. */
    public int wireValue() {
        return wireValue;
    }

    /** Whether a datagram starting with {@code firstByte} (0..255) is a peer datagram. */
    public static boolean isPeer(int firstByte) {
        return firstByte >= FIRST && firstByte <= LAST;
    }

    /**
     * The type for a first byte.
     *
     * @throws PeerException MALFORMED for a byte outside 0xC0..0xC5
     */
    public static PeerPacketType fromWire(int value) {
        return BY_WIRE.find(value).orElseThrow(() -> PeerWire.malformed("type " + PeerWire.hex8(value)));
    }
}
