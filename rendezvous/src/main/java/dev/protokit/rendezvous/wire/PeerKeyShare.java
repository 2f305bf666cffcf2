package dev.protokit.rendezvous.wire;

import java.math.BigInteger;
import java.util.Objects;

/**
 * J-PAKE round 2 (RFC 8236 section 3.3): {@code A = (g^(x1+x3+x4))^(x2*s)} with the proof of
 * knowledge of {@code x2*s}, where {@code s} is derived from the code.
 *
 * @param participantId the sender's J-PAKE identity, as in its round 1
 * @param a             the value {@code A} mod p
 * @param gv            the proof's commitment
 * @param r             the proof's response
 */
public record PeerKeyShare(String participantId, BigInteger a, BigInteger gv, BigInteger r) implements PeerPacket {
    /** Checks every field's range. */
    public PeerKeyShare {
        PeerWire.checkId(Objects.requireNonNull(participantId, "participantId"));
        PeerWire.checkBig(Objects.requireNonNull(a, "a"), "A");
        PeerWire.checkBig(Objects.requireNonNull(gv, "gv"), "gv");
        PeerWire.checkBig(Objects.requireNonNull(r, "r"), "r");
    }

    @Override
    public PeerPacketType type() {
        return PeerPacketType.KEY_SHARE;
    }
}
