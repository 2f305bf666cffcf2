package dev.protokit.rendezvous.wire;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A channel frame sealed with ChaCha20-Poly1305 under the sender's direction key. The
 * sequence number is the AEAD nonce (so it never repeats under one key) and the receiver's
 * replay window; the type byte and sequence are the associated data.
 *
 * @param sequence the sender's datagram counter, 0..2^63-1
 * @param sealed   ciphertext followed by the 16-byte tag; kept as a read-only view
 */
public record PeerSealed(long sequence, ByteBuffer sealed) implements PeerPacket {
    /** The Poly1305 tag length. */
    public static final int TAG = 16;
    /** Type byte and sequence number: the associated data. */
    public static final int HEADER = 9;

    /** Checks the sequence and that a tag fits, and keeps a read-only slice. */
    public PeerSealed {
        if (sequence < 0) {
            throw PeerWire.malformed("sequence " + Long.toHexString(sequence));
        }
        Objects.requireNonNull(sealed, "sealed");
        if (sealed.remaining() < TAG) {
            throw PeerWire.malformed("sealed length " + PeerWire.hex16(sealed.remaining()));
        }
        sealed = sealed.slice().asReadOnlyBuffer();
    }

    @Override
    public PeerPacketType type() {
        return PeerPacketType.SEALED;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerSealed other && other.sequence == sequence && other.sealed.equals(sealed);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + sealed.hashCode();
    }

    @Override
    public String toString() {
        return "PeerSealed[sequence=" + sequence + ", length=" + sealed.remaining() + "]";
    }
}
