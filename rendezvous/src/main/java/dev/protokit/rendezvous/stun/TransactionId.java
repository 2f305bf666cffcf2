package dev.protokit.rendezvous.stun;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The 96-bit STUN transaction id (RFC 8489 section 5): chosen at random by the client, echoed in
 * the response. Also the second half of the key that XORs IPv6 addresses.
 *
 * @param bytes the 12 bytes
 */
public record TransactionId(Bytes bytes) {
    /** Its length on the wire. */
    public static final int LENGTH = 12;
    private static final RandomGenerator RANDOM = new SecureRandom();

    /** Requires 12 bytes. */
    public TransactionId {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length() != LENGTH) {
            throw new IllegalArgumentException("transaction id is 12 bytes, got " + bytes.length());
        }
    }

    /** A fresh random id from a cryptographic generator (RFC 8489: "uniformly and randomly"). */
    public static TransactionId random() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return new TransactionId(Bytes.of(b));
    }

    /** An id from 24 hex digits. */
    public static TransactionId ofHex(String hex) {
        return new TransactionId(Bytes.of(HexFormat.of().parseHex(hex)));
    }

    /** Reads 12 bytes at the buffer's position, advancing it. */
    static TransactionId read(ByteBuffer in) {
        TransactionId id = new TransactionId(Bytes.of(in.slice(in.position(), LENGTH)));
        in.position(in.position() + LENGTH);
        return id;
    }

    /** Writes the 12 bytes at the buffer's position. */
    public void putTo(ByteBuffer out) {
        bytes.putTo(out);
    }

    /** Byte {@code i} of the id, for the IPv6 XOR. */
    byte byteAt(int i) {
        return bytes.byteAt(i);
    }
}
