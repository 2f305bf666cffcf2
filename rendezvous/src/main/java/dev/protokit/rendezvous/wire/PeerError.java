package dev.protokit.rendezvous.wire;

import dev.protokit.common.wire.WireIndex;

/**
 * Why a peer datagram or the peer session failed, each with the value a {@link PeerAbort}
 * carries on the wire (only {@link #WRONG_CODE} and {@link #HANDSHAKE} are ever sent; the rest
 * are local verdicts on what arrived).
 */
public enum PeerError {
    /** A datagram that does not parse: wrong length, unknown type, bad field. */
    MALFORMED(0x01),
    /** A sealed datagram whose AEAD tag does not verify (tampered, truncated, wrong key). */
    UNAUTHENTICATED(0x02),
    /** A sealed datagram already received, or older than the replay window. */
    REPLAYED(0x03),
    /** The other peer's key confirmation failed: the two codes differ. The code is burned. */
    WRONG_CODE(0x04),
    /** A J-PAKE payload that fails validation (bad zero-knowledge proof, reused identity). */
    HANDSHAKE(0x05),
    /** The other peer stopped answering. */
    TIMEOUT(0x06),
    /** The channel is closed or was used out of order. */
    CLOSED(0x07);

    private static final WireIndex<PeerError> BY_WIRE = WireIndex.of(values(), PeerError::wireValue);

    private final int wireValue;

    PeerError(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The byte a {@link PeerAbort} carries. */
    public int wireValue() {
        return wireValue;
    }

    /**
     * The error for a wire value.
     *
     * @throws PeerException MALFORMED for a value not defined here
     */
    public static PeerError fromWire(int value) {
        return BY_WIRE.find(value).orElseThrow(
                () -> new PeerException(MALFORMED, "MALFORMED abort reason " + PeerWire.hex8(value)));
    }
}
