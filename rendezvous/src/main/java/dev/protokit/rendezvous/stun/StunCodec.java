package dev.protokit.rendezvous.stun;

import dev.protokit.common.wire.WireIndex;
import dev.protokit.rendezvous.stun.StunAttribute.Fingerprint;
import dev.protokit.rendezvous.stun.StunAttribute.MessageIntegrity;
import dev.protokit.rendezvous.stun.StunAttribute.MessageIntegritySha256;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes STUN messages (RFC 8489 section 5 and 14). Pure: no sockets, no clocks.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |0 0|     STUN Message Type     |         Message Length        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  Magic Cookie = 0x2112A442                    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Transaction ID (96 bits)                  |
 *  |                                                               |
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Attribute Type        |   Attribute Value Length      |  (repeated; each
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   value padded to
 *  |                  Value (variable, padded)                  ....   a multiple of 4)
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  Message Type:  bit 13..0 = M11 M10 M9 M8 M7 C1 M6 M5 M4 C0 M3 M2 M1 M0
 *  Message Length: bytes after the 20-byte header, a multiple of 4
 *  Order at the end: ... [MESSAGE-INTEGRITY] [MESSAGE-INTEGRITY-SHA256] [FINGERPRINT]
 * </pre>
 *
 * <p>Decoding refuses anything RFC 8489 section 6.3 calls malformed, checks FINGERPRINT when it
 * is present, and skips attributes after MESSAGE-INTEGRITY other than MESSAGE-INTEGRITY-SHA256
 * and FINGERPRINT, as section 14.5 requires. Padding bytes are ignored whatever their value.
 */
public final class StunCodec {
    /** The magic cookie, bytes 4-7 of every RFC 5389/8489 message. */
    public static final int MAGIC_COOKIE = 0x2112A442;
    /** The fixed header. */
    public static final int HEADER = 20;
    /** The largest message the length field allows. */
    public static final int MAX_MESSAGE = HEADER + 0xfffc;

    private StunCodec() {}

    /**
     * Whether the bytes between position and limit look like a STUN message: at least a header,
     * top two bits zero, the magic cookie in bytes 4-7 (RFC 7983 demultiplexing). Does not move
     * the position.
     */
    public static boolean looksLikeStun(ByteBuffer datagram) {
        int p = datagram.position();
        return datagram.remaining() >= HEADER && (datagram.get(p) & 0xc0) == 0
                && datagram.getInt(p + 4) == MAGIC_COOKIE;
    }

    /**
     * Decodes one message from position to limit, leaving the position at the limit.
     *
     * @throws StunException BAD_REQUEST naming what is wrong, never anything else
     */
    public static StunMessage decode(ByteBuffer datagram) {
        ByteBuffer in = datagram.slice();
        datagram.position(datagram.limit());
        int total = in.remaining();
        if (total < HEADER) {
            throw StunException.badRequest("message length " + WireIndex.hex16(total));
        }
        int type = Short.toUnsignedInt(in.getShort());
        if ((type & 0xc000) != 0) {
            throw StunException.badRequest("message type " + WireIndex.hex16(type));
        }
        int length = Short.toUnsignedInt(in.getShort());
        if (length % 4 != 0 || length != total - HEADER) {
            throw StunException.badRequest("header length " + WireIndex.hex16(length)
                    + " for " + WireIndex.hex16(total - HEADER) + " bytes");
        }
        int cookie = in.getInt();
        if (cookie != MAGIC_COOKIE) {
            throw StunException.badRequest("magic cookie " + String.format("0x%08x", cookie));
        }
        StunMethod method = StunMethod.fromWire(methodBits(type));
        StunClass cls = StunClass.fromWire(classBits(type));
        TransactionId id = TransactionId.read(in);
        return new StunMessage(method, cls, id, attributes(in, id));
    }

    private static List<StunAttribute> attributes(ByteBuffer in, TransactionId id) {
        var out = new ArrayList<StunAttribute>();
        boolean afterIntegrity = false;
        boolean afterIntegrity256 = false;
        boolean afterFingerprint = false;
        while (in.hasRemaining()) {
            int start = in.position();
            if (in.remaining() < 4) {
                throw StunException.badRequest("attribute header at offset " + WireIndex.hex16(start));
            }
            int type = Short.toUnsignedInt(in.getShort());
            int length = Short.toUnsignedInt(in.getShort());
            int padded = (length + 3) & ~3;
            if (padded > in.remaining()) {
                throw StunException.badRequest("attribute " + WireIndex.hex16(type) + " length "
                        + WireIndex.hex16(length) + " at offset " + WireIndex.hex16(start));
            }
            ByteBuffer value = in.slice(in.position(), length);
            in.position(in.position() + padded);
            if (afterFingerprint) {
                throw StunException.badRequest("attribute " + WireIndex.hex16(type) + " after FINGERPRINT");
            }
            boolean fingerprint = type == AttributeType.FINGERPRINT.wireValue();
            boolean integrity256 = type == AttributeType.MESSAGE_INTEGRITY_SHA256.wireValue();
            if (afterIntegrity256 && !fingerprint || afterIntegrity && !fingerprint && !integrity256) {
                continue; // RFC 8489 14.5: ignored after MESSAGE-INTEGRITY(-SHA256)
            }
            StunAttribute a = AttributeCodec.decode(type, value, id);
            if (a instanceof Fingerprint f) {
                StunIntegrity.requireFingerprint(in, start, f.crc());
                afterFingerprint = true;
            }
            afterIntegrity |= a instanceof MessageIntegrity;
            afterIntegrity256 |= a instanceof MessageIntegritySha256;
            out.add(a);
        }
        return out;
    }

    /** Encodes a message as given (integrity attributes included as they are), advancing the position. */
    public static void encode(StunMessage message, ByteBuffer out) {
        int start = out.position();
        putHeader(out, message.method(), message.messageClass(), 0, message.transactionId());
        for (StunAttribute a : message.attributes()) {
            putAttribute(a, message.transactionId(), out);
        }
        out.putShort(start + 2, (short) (out.position() - start - HEADER));
    }

    /**
     * Encodes a message followed by the integrity and fingerprint attributes {@code seal} asks
     * for, computed over what precedes them.
     */
    public static void encode(StunMessage message, Seal seal, ByteBuffer out) {
        int start = out.position();
        encode(message, out);
        StunIntegrity.seal(out, start, seal);
    }

    /** Encodes into a new buffer of the exact size, flipped for sending. */
    public static ByteBuffer encode(StunMessage message, Seal seal) {
        ByteBuffer out = ByteBuffer.allocate(encodedLength(message, seal));
        encode(message, seal, out);
        return out.flip();
    }

    /** The bytes {@link #encode(StunMessage, Seal, ByteBuffer)} writes. */
    public static int encodedLength(StunMessage message, Seal seal) {
        int n = HEADER + seal.length();
        for (StunAttribute a : message.attributes()) {
            n += 4 + ((AttributeCodec.valueLength(a) + 3) & ~3);
        }
        return n;
    }

    /** Writes a 20-byte header at the position; {@code length} is fixed up by the caller if unknown. */
    public static void putHeader(ByteBuffer out, StunMethod method, StunClass cls, int length, TransactionId id) {
        out.putShort((short) messageType(method, cls)).putShort((short) length).putInt(MAGIC_COOKIE);
        id.putTo(out);
    }

    /** Writes one attribute (type, length, value, zero padding) at the position. */
    public static void putAttribute(StunAttribute a, TransactionId id, ByteBuffer out) {
        int length = AttributeCodec.valueLength(a);
        out.putShort((short) a.wireType()).putShort((short) length);
        AttributeCodec.putValue(a, id, out);
        for (int pad = (4 - length % 4) % 4; pad > 0; pad--) {
            out.put((byte) 0);
        }
    }

    /** The 14-bit message type for a method and class. */
    public static int messageType(StunMethod method, StunClass cls) {
        int m = method.wireValue();
        int c = cls.wireValue();
        return (m & 0x000f) | ((m & 0x0070) << 1) | ((m & 0x0f80) << 2) | ((c & 1) << 4) | ((c & 2) << 7);
    }

    static int methodBits(int type) {
        return (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
    }

    static int classBits(int type) {
        return ((type >> 4) & 1) | ((type >> 7) & 2);
    }
}
