package dev.protokit.rendezvous.wire;

import java.math.BigInteger;
import java.util.Objects;

/**
 * J-PAKE round 3, explicit key confirmation (RFC 8236 section 3.5, the HMAC variant): a tag
 * that only a peer holding the same keying material, and so the same code, can compute.
 *
 * @param participantId the sender's J-PAKE identity
 * @param macTag        the HMAC-SHA256 tag as Bouncy Castle's (signed) integer
 */
public record PeerConfirm(String participantId, BigInteger macTag) implements PeerPacket {
    /** Checks the fields' ranges. */
    public PeerConfirm {
        PeerWire.checkId(Objects.requireNonNull(participantId, "participantId"));
        PeerWire.checkSigned(Objects.requireNonNull(macTag, "macTag"), "mac tag");
    }

    @Override
    public PeerPacketType type() {
        return PeerPacketType.CONFIRM;
    }
}
