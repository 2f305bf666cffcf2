package dev.protokit.rendezvous.stun;

import dev.protokit.common.wire.WireIndex;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.zip.CRC32;

/**
 * Computes and checks MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT over the raw
 * bytes of a message (RFC 8489 sections 14.5-14.7). Each covers the message up to the attribute
 * itself, with the header's length field counting up to the end of that attribute (so the
 * attributes after it are left out). MACs are compared in constant time.
 */
public final class StunIntegrity {
    /** FINGERPRINT is CRC-32 XOR this ("STUN"). */
    public static final int FINGERPRINT_XOR = 0x5354554e;

    private static final int MI = AttributeType.MESSAGE_INTEGRITY.wireValue();
    private static final int MI256 = AttributeType.MESSAGE_INTEGRITY_SHA256.wireValue();

    private StunIntegrity() {}

    /** What {@link #verify} found. */
    public enum Verification {
        /** No integrity attribute in the message. */
        ABSENT,
        /** The MAC matches the key. */
        VALID,
        /** The MAC does not match. */
        INVALID
    }

    /**
     * Checks the integrity of the message between position and limit (already decoded, so well
     * formed) with {@code key}: MESSAGE-INTEGRITY-SHA256 when present, else MESSAGE-INTEGRITY.
     */
    public static Verification verify(ByteBuffer message, IntegrityKey key) {
        ByteBuffer m = message.slice();
        int mi = -1;
        int mi256 = -1;
        for (int at = StunCodec.HEADER; at + 4 <= m.limit(); ) {
            int type = Short.toUnsignedInt(m.getShort(at));
            int length = Short.toUnsignedInt(m.getShort(at + 2));
            if (type == MI && mi < 0 && mi256 < 0) {
                mi = at;
            } else if (type == MI256 && mi256 < 0) {
                mi256 = at;
            }
            at += 4 + ((length + 3) & ~3);
        }
        int at = mi256 >= 0 ? mi256 : mi;
        if (at < 0) {
            return Verification.ABSENT;
        }
        int length = Short.toUnsignedInt(m.getShort(at + 2));
        if (at + 4 + length > m.limit()) {
            return Verification.INVALID;
        }
        byte[] expected = mac(m, at, 4 + length, key, at == mi256);
        byte[] received = new byte[length];
        m.get(at + 4, received);
        byte[] truncated = java.util.Arrays.copyOf(expected, Math.min(length, expected.length));
        return length <= expected.length && MessageDigest.isEqual(truncated, received)
                ? Verification.VALID : Verification.INVALID;
    }

    /** Appends what {@code seal} asks for to the message that starts at {@code start} and ends at the position. */
    static void seal(ByteBuffer out, int start, Seal seal) {
        if (seal.key().isPresent()) {
            IntegrityKey key = seal.key().get();
            if (seal.sha1()) {
                append(out, start, MI, mac(out.duplicate().position(start), out.position() - start, 24, key, false));
            }
            if (seal.sha256()) {
                append(out, start, MI256, mac(out.duplicate().position(start), out.position() - start, 36, key, true));
            }
        }
        if (seal.fingerprint()) {
            setLength(out, start, out.position() - start + 8);
            int crc = fingerprint(out.duplicate().position(start).limit(out.position()).slice());
            out.putShort((short) AttributeType.FINGERPRINT.wireValue()).putShort((short) 4).putInt(crc);
        }
    }

    /** The FINGERPRINT value of the bytes between position and limit. */
    public static int fingerprint(ByteBuffer covered) {
        var crc = new CRC32();
        crc.update(covered.duplicate());
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    /** Checks the FINGERPRINT at offset {@code at} of message {@code m} (whose header counts up to its end). */
    static void requireFingerprint(ByteBuffer m, int at, int received) {
        int expected = fingerprint(m.slice(0, at));
        if (expected != received) {
            throw StunException.badRequest("FINGERPRINT " + String.format("0x%08x", received)
                    + " at offset " + WireIndex.hex16(at) + " expected " + String.format("0x%08x", expected));
        }
    }

    /**
     * The HMAC over the message's first {@code at} bytes, with the header length set as if the
     * message ended {@code attributeLength} bytes after {@code at}.
     */
    private static byte[] mac(ByteBuffer m, int at, int attributeLength, IntegrityKey key, boolean sha256) {
        ByteBuffer head = ByteBuffer.allocate(4);
        head.putShort(m.getShort(m.position())).putShort((short) (at + attributeLength - StunCodec.HEADER)).flip();
        ByteBuffer rest = m.duplicate().position(m.position() + 4).limit(m.position() + at);
        return key.hmac(sha256, head, rest);
    }

    private static void append(ByteBuffer out, int start, int type, byte[] mac) {
        setLength(out, start, out.position() - start + 4 + mac.length);
        out.putShort((short) type).putShort((short) mac.length).put(mac);
    }

    private static void setLength(ByteBuffer out, int start, int total) {
        out.putShort(start + 2, (short) (total - StunCodec.HEADER));
    }
}
