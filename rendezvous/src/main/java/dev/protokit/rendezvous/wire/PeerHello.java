package dev.protokit.rendezvous.wire;

import java.math.BigInteger;
import java.util.Objects;

/**
 * One half of J-PAKE round 1 (RFC 8236 section 3.2): {@code g^x1} or {@code g^x2} with its
 * Schnorr proof of knowledge. Round 1 is sent as two datagrams so that each stays under 1 KiB
 * with the 3072-bit group (the whole round would be about 1.6 KB, above common path MTUs).
 *
 * @param participantId the sender's J-PAKE identity (session number and a random nonce)
 * @param part          1 for {@code x1}, 2 for {@code x2}
 * @param gx            {@code g^x} mod p
 * @param gv            the proof's commitment {@code g^v} mod p
 * @param r             the proof's response {@code v - x*h} mod q
 */
public record PeerHello(String participantId, int part, BigInteger gx, BigInteger gv, BigInteger r)
        implements PeerPacket {
    /** Checks every field's range. */
    public PeerHello {
        PeerWire.checkId(Objects.requireNonNull(participantId, "participantId"));
        if (part != 1 && part != 2) {
            throw PeerWire.malformed("hello part " + PeerWire.hex8(part));
        }
        PeerWire.checkBig(Objects.requireNonNull(gx, "gx"), "gx");
        PeerWire.checkBig(Objects.requireNonNull(gv, "gv"), "gv");
        PeerWire.checkBig(Objects.requireNonNull(r, "r"), "r");
    }

    @Override
    public PeerPacketType type() {
        return PeerPacketType.HELLO;
    }
}
