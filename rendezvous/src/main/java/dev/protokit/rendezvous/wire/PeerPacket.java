package dev.protokit.rendezvous.wire;

/**
 * A datagram one peer sends the other, on the punched path or through a relay: hole-punching
 * probes, the three J-PAKE rounds, sealed channel frames and the abort notice.
 * {@link PeerCodec} encodes and decodes them; the sender's address travels beside the packet.
 */
public sealed interface PeerPacket permits PeerProbe, PeerHello, PeerKeyShare, PeerConfirm, PeerSealed, PeerAbort {
    /** The type byte this packet starts with. */
    PeerPacketType type();
}
