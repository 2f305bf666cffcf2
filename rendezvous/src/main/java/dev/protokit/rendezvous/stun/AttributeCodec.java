package dev.protokit.rendezvous.stun;

import dev.protokit.common.wire.WireIndex;
import dev.protokit.rendezvous.stun.StunAttribute.*;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * Encodes and decodes the value of each attribute (the TLV header is {@link StunCodec}'s).
 * Pure. Address values (RFC 8489 14.1/14.2):
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |0 0 0 0 0 0 0 0|    Family     |      Port (X-Port if XOR)     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Address: 32 bits (IPv4) or 128 bits (IPv6)           |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   XOR: port ^ (cookie >> 16); IPv4 ^ cookie; IPv6 ^ (cookie || transaction id)
 *
 *  ERROR-CODE (14.8)                     CHANGE-REQUEST (RFC 5780 7.2)
 *  +-------------------------+-----+------+   +-----------------------------+-+-+-+
 *  |     Reserved (21 bits)  |Class|Number|   |          0 (29 bits)        |A|B|0|
 *  +-------------------------+-----+------+   +-----------------------------+-+-+-+
 *  |  Reason Phrase (UTF-8, variable)   ..|     A = change IP, B = change port
 *  +--------------------------------------+
 *  CHANNEL-NUMBER, RESPONSE-PORT: 16-bit value, 16 bits RFFU; LIFETIME, PRIORITY: 32 bits;
 *  REQUESTED-TRANSPORT, (REQUESTED-|ADDITIONAL-)ADDRESS-FAMILY: 8 bits, 24 bits RFFU;
 *  EVEN-PORT: 1 byte, bit 0x80 = R; ICMP: 16 bits reserved, type, code, 32-bit error data.
 * </pre>
 */
final class AttributeCodec {
    private static final int MAGIC = StunCodec.MAGIC_COOKIE;

    private AttributeCodec() {}

    /** The length of the value, without padding. */
    static int valueLength(StunAttribute a) {
        return switch (a) {
            case AddressAttribute x -> 4 + AddressFamily.of(x.address().getAddress()).addressLength();
            case TextAttribute t -> utf8(t.text()).length;
            case MessageIntegrity m -> m.hmac().length();
            case MessageIntegritySha256 m -> m.hmac().length();
            case Fingerprint f -> 4;
            case ErrorCode e -> 4 + utf8(e.reason()).length;
            case UnknownAttributes u -> 2 * u.types().size();
            case ChannelNumber c -> 4;
            case Lifetime l -> 4;
            case Data d -> d.value().length();
            case RequestedAddressFamily r -> 4;
            case AdditionalAddressFamily r -> 4;
            case EvenPort e -> 1;
            case RequestedTransport r -> 4;
            case DontFragment d -> 0;
            case ReservationToken r -> 8;
            case Icmp i -> 8;
            case ChangeRequest c -> 4;
            case ResponsePort r -> 4;
            case Padding p -> p.length();
            case Priority p -> 4;
            case UseCandidate u -> 0;
            case IceRole r -> 8;
            case Unknown u -> u.value().length();
        };
    }

    /** Writes the value (no padding) at the buffer's position. */
    static void putValue(StunAttribute a, TransactionId id, ByteBuffer out) {
        switch (a) {
            case XorMappedAddress x -> putAddress(x.address(), id, true, out);
            case XorPeerAddress x -> putAddress(x.address(), id, true, out);
            case XorRelayedAddress x -> putAddress(x.address(), id, true, out);
            case AddressAttribute x -> putAddress(x.address(), id, false, out);
            case TextAttribute t -> out.put(utf8(t.text()));
            case MessageIntegrity m -> m.hmac().putTo(out);
            case MessageIntegritySha256 m -> m.hmac().putTo(out);
            case Fingerprint f -> out.putInt(f.crc());
            case ErrorCode e -> out.putShort((short) 0).put((byte) (e.code() / 100)).put((byte) (e.code() % 100))
                    .put(utf8(e.reason()));
            case UnknownAttributes u -> u.types().forEach(t -> out.putShort((short) (int) t));
            case ChannelNumber c -> out.putShort((short) c.channel()).putShort((short) 0);
            case Lifetime l -> out.putInt((int) l.seconds());
            case Data d -> d.value().putTo(out);
            case RequestedAddressFamily r -> out.putInt(r.family().wireValue() << 24);
            case AdditionalAddressFamily r -> out.putInt(r.family().wireValue() << 24);
            case EvenPort e -> out.put((byte) (e.reserveNext() ? 0x80 : 0));
            case RequestedTransport r -> out.putInt(r.protocol() << 24);
            case DontFragment d -> { }
            case ReservationToken r -> r.token().putTo(out);
            case Icmp i -> out.putShort((short) 0).put((byte) i.icmpType()).put((byte) i.icmpCode())
                    .putInt((int) i.errorData());
            case ChangeRequest c -> out.putInt((c.changeIp() ? 4 : 0) | (c.changePort() ? 2 : 0));
            case ResponsePort r -> out.putShort((short) r.port()).putShort((short) 0);
            case Padding p -> out.put(new byte[p.length()]);
            case Priority p -> out.putInt((int) p.priority());
            case UseCandidate u -> { }
            case IceRole r -> out.putLong(r.tieBreaker());
            case Unknown u -> u.value().putTo(out);
        }
    }

    /** Decodes the value in {@code v} (exactly the value bytes) of an attribute of wire type {@code type}. */
    static StunAttribute decode(int type, ByteBuffer v, TransactionId id) {
        var known = AttributeType.find(type);
        if (known.isEmpty()) {
            return new Unknown(type, Bytes.of(v));
        }
        AttributeType t = known.get();
        int n = v.remaining();
        return switch (t) {
            case MAPPED_ADDRESS -> new MappedAddress(address(t, v, id, false));
            case XOR_MAPPED_ADDRESS -> new XorMappedAddress(address(t, v, id, true));
            case XOR_PEER_ADDRESS -> new XorPeerAddress(address(t, v, id, true));
            case XOR_RELAYED_ADDRESS -> new XorRelayedAddress(address(t, v, id, true));
            case ALTERNATE_SERVER -> new AlternateServer(address(t, v, id, false));
            case RESPONSE_ORIGIN -> new ResponseOrigin(address(t, v, id, false));
            case OTHER_ADDRESS -> new OtherAddress(address(t, v, id, false));
            case SOURCE_ADDRESS -> new SourceAddress(address(t, v, id, false));
            case CHANGED_ADDRESS -> new ChangedAddress(address(t, v, id, false));
            case USERNAME -> new Username(text(t, v));
            case REALM -> new Realm(text(t, v));
            case NONCE -> new Nonce(text(t, v));
            case SOFTWARE -> new Software(text(t, v));
            case MESSAGE_INTEGRITY -> new MessageIntegrity(Bytes.of(v));
            case MESSAGE_INTEGRITY_SHA256 -> new MessageIntegritySha256(Bytes.of(v));
            case FINGERPRINT -> new Fingerprint(fixed(t, v, 4).getInt());
            case ERROR_CODE -> errorCode(t, v);
            case UNKNOWN_ATTRIBUTES -> unknownAttributes(t, v);
            case CHANNEL_NUMBER -> new ChannelNumber(Short.toUnsignedInt(fixed(t, v, 4).getShort()));
            case LIFETIME -> new Lifetime(Integer.toUnsignedLong(fixed(t, v, 4).getInt()));
            case DATA -> new Data(Bytes.of(v));
            case REQUESTED_ADDRESS_FAMILY ->
                    new RequestedAddressFamily(AddressFamily.fromWire(fixed(t, v, 4).get() & 0xff, t.rfcName()));
            case ADDITIONAL_ADDRESS_FAMILY ->
                    new AdditionalAddressFamily(AddressFamily.fromWire(fixed(t, v, 4).get() & 0xff, t.rfcName()));
            case EVEN_PORT -> new EvenPort((fixed(t, v, 1).get() & 0x80) != 0);
            case REQUESTED_TRANSPORT -> new RequestedTransport(fixed(t, v, 4).get() & 0xff);
            case DONT_FRAGMENT -> { fixed(t, v, 0); yield new DontFragment(); }
            case RESERVATION_TOKEN -> new ReservationToken(Bytes.of(fixed(t, v, 8)));
            case ICMP -> {
                fixed(t, v, 8).getShort();
                yield new Icmp(v.get() & 0xff, v.get() & 0xff, Integer.toUnsignedLong(v.getInt()));
            }
            case CHANGE_REQUEST -> {
                int flags = fixed(t, v, 4).getInt();
                yield new ChangeRequest((flags & 4) != 0, (flags & 2) != 0);
            }
            case RESPONSE_PORT -> new ResponsePort(Short.toUnsignedInt(fixed(t, v, 4).getShort()));
            case PADDING -> new Padding(n);
            case PRIORITY -> new Priority(Integer.toUnsignedLong(fixed(t, v, 4).getInt()));
            case USE_CANDIDATE -> { fixed(t, v, 0); yield new UseCandidate(); }
            case ICE_CONTROLLED -> new IceRole(false, fixed(t, v, 8).getLong());
            case ICE_CONTROLLING -> new IceRole(true, fixed(t, v, 8).getLong());
        };
    }

    private static void putAddress(InetSocketAddress a, TransactionId id, boolean xor, ByteBuffer out) {
        byte[] ip = a.getAddress().getAddress();
        AddressFamily family = AddressFamily.of(a.getAddress());
        out.put((byte) 0).put((byte) family.wireValue()).putShort((short) (xor ? a.getPort() ^ (MAGIC >>> 16) : a.getPort()));
        if (xor) {
            xor(ip, id);
        }
        out.put(ip);
    }

    private static InetSocketAddress address(AttributeType t, ByteBuffer v, TransactionId id, boolean xor) {
        if (v.remaining() < 4) {
            throw length(t, v.remaining());
        }
        v.get(); // reserved: "MUST be set to 0 and MUST be ignored by receivers"
        AddressFamily family = AddressFamily.fromWire(v.get() & 0xff, t.rfcName());
        int port = Short.toUnsignedInt(v.getShort());
        if (v.remaining() != family.addressLength()) {
            throw length(t, v.remaining() + 4);
        }
        byte[] ip = new byte[family.addressLength()];
        v.get(ip);
        if (xor) {
            port ^= MAGIC >>> 16;
            xor(ip, id);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    /** XORs an address with the magic cookie, and for IPv6 the transaction id after it. */
    private static void xor(byte[] ip, TransactionId id) {
        for (int i = 0; i < ip.length; i++) {
            ip[i] ^= i < 4 ? (byte) (MAGIC >>> (24 - 8 * i)) : id.byteAt(i - 4);
        }
    }

    private static ErrorCode errorCode(AttributeType t, ByteBuffer v) {
        if (v.remaining() < 4) {
            throw length(t, v.remaining());
        }
        v.getShort();
        int cls = v.get() & 0x07;
        int number = v.get() & 0xff;
        if (cls < 3 || cls > 6 || number > 99) {
            throw StunException.badRequest("ERROR-CODE class/number " + WireIndex.hex16((cls << 8) | number));
        }
        return new ErrorCode(cls * 100 + number, text(t, v));
    }

    private static UnknownAttributes unknownAttributes(AttributeType t, ByteBuffer v) {
        if (v.remaining() % 2 != 0) {
            throw length(t, v.remaining());
        }
        var types = new ArrayList<Integer>(v.remaining() / 2);
        while (v.hasRemaining()) {
            types.add(Short.toUnsignedInt(v.getShort()));
        }
        return new UnknownAttributes(types);
    }

    private static String text(AttributeType t, ByteBuffer v) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(v).toString();
        } catch (CharacterCodingException e) {
            throw new StunException(StunError.BAD_REQUEST, "BAD_REQUEST " + t.rfcName() + " is not UTF-8", e);
        }
    }

    private static ByteBuffer fixed(AttributeType t, ByteBuffer v, int length) {
        if (v.remaining() != length) {
            throw length(t, v.remaining());
        }
        return v;
    }

    private static StunException length(AttributeType t, int length) {
        return StunException.badRequest(t.rfcName() + " length " + WireIndex.hex16(length));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
