package dev.protokit.rendezvous.wire;

import java.util.Objects;

/**
 * Tells the other peer that the key exchange failed here, so both sides report the same
 * reason at once. Unauthenticated (no key exists yet), so a receiver only accepts it during
 * the handshake, where an attacker able to send it could as well drop every datagram.
 *
 * @param reason        why: {@link PeerError#WRONG_CODE} or {@link PeerError#HANDSHAKE}
 * @param participantId the sender's J-PAKE identity
 */
public record PeerAbort(PeerError reason, String participantId) implements PeerPacket {
    /** Checks the fields. */
    public PeerAbort {
        Objects.requireNonNull(reason, "reason");
        PeerWire.checkId(Objects.requireNonNull(participantId, "participantId"));
    }

    @Override
    public PeerPacketType type() {
        return PeerPacketType.ABORT;
    }
}
