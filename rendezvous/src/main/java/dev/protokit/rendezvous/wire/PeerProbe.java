package dev.protokit.rendezvous.wire;

/**
 * A hole-punching probe (or, with {@code reply}, its echo). Probes carry no secret: they only
 * find which candidate address pair passes both NATs; the key exchange that follows on that
 * path authenticates the peer. The session tag lets a peer accept a probe from an address it
 * was not told about (a symmetric NAT's fresh port) while ignoring strays.
 *
 * @param reply      false for a probe, true for the echo of one
 * @param sessionTag the tag both peers derive from the session (see {@code PeerSession})
 * @param nonce      the prober's random value, echoed back unchanged
 */
public record PeerProbe(boolean reply, long sessionTag, long nonce) implements PeerPacket {
    /** The fixed length of a probe on the wire. */
    public static final int LENGTH = 20;

    /** The echo of this probe. */
    public PeerProbe echo() {
        return new PeerProbe(true, sessionTag, nonce);
    }

    @Override
    public PeerPacketType type() {
        return PeerPacketType.PROBE;
    }
}
