package dev.protokit.rendezvous.wire;

import dev.protokit.common.wire.WireIndex;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Helpers shared by the peer codecs: hex rendering of bad values, and the length-prefixed
 * fields (ASCII identities, unsigned big integers) that the handshake packets carry.
 */
final class PeerWire {
    /** The longest participant identity on the wire. */
    static final int MAX_ID = 64;
    /** The largest unsigned big integer on the wire: a 3072-bit group element is 384 bytes. */
    static final int MAX_BIG = 512;

    private PeerWire() {}

    static String hex8(long value) {
        return String.format("0x%02x", value);
    }

    static String hex16(long value) {
        return WireIndex.hex16(value);
    }

    static PeerException malformed(String what) {
        return new PeerException(PeerError.MALFORMED, "MALFORMED " + what);
    }

    static void need(ByteBuffer in, int bytes, String field) {
        if (in.remaining() < bytes) {
            throw malformed(field + " truncated at " + hex16(in.remaining()));
        }
    }

    /** A participant identity: printable ASCII, 1..64 bytes. */
    static String checkId(String id) {
        if (id.isEmpty() || id.length() > MAX_ID) {
            throw malformed("participant id length " + hex8(id.length()));
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw malformed("participant id byte " + hex8(c));
            }
        }
        return id;
    }

    static void putId(ByteBuffer out, String id) {
        byte[] bytes = id.getBytes(StandardCharsets.US_ASCII);
        out.put((byte) bytes.length).put(bytes);
    }

    static String getId(ByteBuffer in) {
        need(in, 1, "participant id length");
        int length = Byte.toUnsignedInt(in.get());
        need(in, length, "participant id");
        byte[] bytes = new byte[length];
        in.get(bytes);
        return checkId(new String(bytes, StandardCharsets.US_ASCII));
    }

    /** A positive big integer of at most {@link #MAX_BIG} bytes. */
    static BigInteger checkBig(BigInteger value, String field) {
        if (value.signum() <= 0 || (value.bitLength() + 7) / 8 > MAX_BIG) {
            throw malformed(field + " out of range (" + value.bitLength() + " bits)");
        }
        return value;
    }

    static void putBig(ByteBuffer out, BigInteger value) {
        byte[] magnitude = value.toByteArray();
        int skip = magnitude[0] == 0 ? 1 : 0;
        out.putShort((short) (magnitude.length - skip)).put(magnitude, skip, magnitude.length - skip);
    }

    static int bigLength(BigInteger value) {
        return 2 + (value.bitLength() + 7) / 8;
    }

    static BigInteger getBig(ByteBuffer in, String field) {
        need(in, 2, field + " length");
        int length = Short.toUnsignedInt(in.getShort());
        if (length == 0 || length > MAX_BIG) {
            throw malformed(field + " length " + hex16(length));
        }
        need(in, length, field);
        byte[] bytes = new byte[length];
        in.get(bytes);
        return checkBig(new BigInteger(1, bytes), field);
    }

    /** A signed integer (Bouncy Castle's MAC tag) as a 1-byte length and two's complement, 1..33 bytes. */
    static BigInteger checkSigned(BigInteger value, String field) {
        if (value.bitLength() > 256) {
            throw malformed(field + " out of range (" + value.bitLength() + " bits)");
        }
        return value;
    }

    static void putSigned(ByteBuffer out, BigInteger value) {
        byte[] bytes = value.toByteArray();
        out.put((byte) bytes.length).put(bytes);
    }

    static BigInteger getSigned(ByteBuffer in, String field) {
        need(in, 1, field + " length");
        int length = Byte.toUnsignedInt(in.get());
        if (length == 0 || length > 33) {
            throw malformed(field + " length " + hex8(length));
        }
        need(in, length, field);
        byte[] bytes = new byte[length];
        in.get(bytes);
        return checkSigned(new BigInteger(bytes), field);
    }

    static void requireEnd(ByteBuffer in, String after) {
        if (in.hasRemaining()) {
            throw malformed(hex16(in.remaining()) + " trailing bytes after " + after);
        }
    }
}
