package dev.protokit.rendezvous.wire;

import dev.protokit.rendezvous.stun.ChannelData;
import dev.protokit.rendezvous.stun.Rfc3489;
import dev.protokit.rendezvous.stun.StunCodec;
import java.nio.ByteBuffer;

/**
 * What a datagram on the shared port is, told apart by its first bytes in the manner of RFC 7983:
 * STUN has its top two bits 00 and the magic cookie in bytes 4-7, TURN ChannelData a first byte
 * 0x40-0x7f, rendezvous messages the bytes 0xd5 0x52. An RFC 3489 Binding request (bytes 0x00
 * 0x01, a length covering the rest, no cookie) is told apart as RFC 8489 section 11 describes.
 * Everything else is dropped.
 */
public enum PacketKind {
    /** STUN or TURN message (RFC 8489 / 8656). */
    STUN,
    /** An RFC 3489 Binding request, without the magic cookie ({@link Rfc3489}). */
    STUN_RFC3489,
    /** TURN ChannelData (RFC 8656 12.4). */
    CHANNEL_DATA,
    /** A rendezvous message ({@link RendezvousCodec}). */
    RENDEZVOUS,
    /** Anything else. */
    OTHER;

    /** Classifies the datagram between position and limit without moving the position. */
    public static PacketKind of(ByteBuffer datagram) {
        if (StunCodec.looksLikeStun(datagram)) {
            return STUN;
        }
        if (Rfc3489.looksLikeBindingRequest(datagram)) {
            return STUN_RFC3489;
        }
        if (ChannelData.looksLikeChannelData(datagram)) {
            return CHANNEL_DATA;
        }
        if (RendezvousCodec.looksLikeRendezvous(datagram)) {
            return RENDEZVOUS;
        }
        return OTHER;
    }
}
