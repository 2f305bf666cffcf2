package dev.protokit.rendezvous.stun;

import dev.protokit.common.wire.WireIndex;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A TURN ChannelData message (RFC 8656 section 12.4): application data to or from the peer
 * bound to a channel, with a 4-byte header instead of a 36-byte Send/Data indication.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Channel Number        |            Length             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                       Application Data                        |
 *  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                               |  (padding to 4 bytes, optional over UDP)
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   Channel Number 0x4000-0x7fff: the first byte is 0x40-0x7f. RFC 8656 narrowed the range to
 *   0x4000-0x4fff (RFC 7983: 64-79); RFC 5766's wider one is kept because coturn's clients use it.
 * </pre>
 *
 * @param channel the channel number, 0x4000..0x7fff
 * @param data    the application data, a read-only view (a decoded message shares the datagram)
 */
public record ChannelData(int channel, ByteBuffer data) {
    /** The lowest channel number. */
    public static final int MIN_CHANNEL = 0x4000;
    /** The highest channel number: RFC 5766's 0x7fff (RFC 8656 reserves 0x5000-0x7fff, see above). */
    public static final int MAX_CHANNEL = 0x7fff;
    /** The header length. */
    public static final int HEADER = 4;

    /** Checks the channel and the data length; keeps a read-only slice of the data. */
    public ChannelData {
        requireChannel(channel);
        Objects.requireNonNull(data, "data");
        if (data.remaining() > 0xffff) {
            throw StunException.badRequest("ChannelData length " + WireIndex.hex16(data.remaining()));
        }
        data = data.slice().asReadOnlyBuffer();
    }

    /** Whether the datagram's first byte marks ChannelData (0x40-0x7f). Does not move the position. */
    public static boolean looksLikeChannelData(ByteBuffer datagram) {
        return datagram.remaining() >= HEADER && (datagram.get(datagram.position()) & 0xc0) == 0x40;
    }

    /**
     * Decodes a ChannelData datagram. Up to 3 bytes of padding after the data are accepted.
     *
     * @throws StunException BAD_REQUEST for a bad channel or a length that does not match
     */
    public static ChannelData decode(ByteBuffer datagram) {
        ByteBuffer in = datagram.slice();
        datagram.position(datagram.limit());
        if (in.remaining() < HEADER) {
            throw StunException.badRequest("ChannelData length " + WireIndex.hex16(in.remaining()));
        }
        int channel = Short.toUnsignedInt(in.getShort());
        int length = Short.toUnsignedInt(in.getShort());
        requireChannel(channel);
        if (length > in.remaining() || in.remaining() - length > 3) {
            throw StunException.badRequest("ChannelData length " + WireIndex.hex16(length)
                    + " for " + WireIndex.hex16(in.remaining()) + " bytes");
        }
        return new ChannelData(channel, in.slice(HEADER, length));
    }

    /** Writes the header and the data (no padding: over UDP it is not needed). */
    public void encode(ByteBuffer out) {
        out.putShort((short) channel).putShort((short) data.remaining()).put(data.duplicate());
    }

    /** The bytes {@link #encode} writes. */
    public int encodedLength() {
        return HEADER + data.remaining();
    }

    /** Writes a ChannelData header at absolute index {@code at}, for relaying in place. */
    public static void putHeader(ByteBuffer out, int at, int channel, int length) {
        out.putShort(at, (short) channel).putShort(at + 2, (short) length);
    }

    static void requireChannel(int channel) {
        if (channel < MIN_CHANNEL || channel > MAX_CHANNEL) {
            throw StunException.badRequest("channel number " + WireIndex.hex16(channel));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelData c && c.channel == channel && c.data.equals(data);
    }

    @Override
    public int hashCode() {
        return channel * 31 + data.hashCode();
    }

    @Override
    public String toString() {
        int shown = Math.min(16, data.remaining());
        byte[] head = new byte[shown];
        data.duplicate().get(head);
        return "ChannelData[channel=" + WireIndex.hex16(channel) + ", length=" + data.remaining() + ", data="
                + HexFormat.of().formatHex(head) + (shown < data.remaining() ? "..." : "") + "]";
    }
}
